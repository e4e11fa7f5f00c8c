"""API for referrals, information requests, reviews, findings, recommendations and their
actions, and the year summary the annual report uses: restricted as the pages are.

The gate, in order: signed in (401), review access somewhere (404, reviews.access), a verified
second factor in this session (403: a token cannot carry one, sab.two_factor), then the
record's scope (``visible_to``: another board's record is a 404) and, for a change, the
"reviews.keep_reviews" rule. Writes go through reviews.services, so the API refuses exactly
as the pages do: a broken rule is a 400 with the service's messages (sab.api.exception_handler).
Related ids are looked up in the user's own scope, so an id from another board is refused as
an unknown id is.

Nothing is deleted through the API (the pages do not delete either; history keeps every change).
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from priorities.api import IdFilter
from priorities.models import Action
from reviews import services
from reviews import summary as summaries
from reviews.access import ReviewAccess, review_boards
from reviews.models import (
    Finding,
    InformationRequest,
    Recommendation,
    RecommendationAction,
    Referral,
    Review,
)
from sab.models import Board
from sab.permissions import HasObjectRule
from sab.two_factor import VerifiedSecondFactor

CONFIRM_LABEL_HINT = (
    "Send confirm_label: true with the same label to keep it; the warning and your "
    "confirmation are recorded on the referral."
)


class _ServiceSerializer(serializers.ModelSerializer):
    """A review record written through its service. ``scoped`` names each writable related
    field and how to find the records the user may choose from (their own scope)."""

    scoped: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        for name, scope in self.scoped.items():
            field = self.fields[name]
            queryset = scope(request.user) if request is not None else field.queryset.none()
            field.queryset = queryset

    @property
    def user(self):
        return self.context["request"].user

    def _keep_parent(self, name: str, value):
        """A record stays under the parent it was created under."""
        if self.instance is not None and value != getattr(self.instance, name):
            raise serializers.ValidationError("This cannot be changed once the record exists.")
        return value

    def create(self, validated_data):
        return self.save_record(self.Meta.model(**validated_data))

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self.save_record(instance)

    def save_record(self, record):
        raise NotImplementedError


# --- Referrals and information requests ------------------------------------------------------


class ReferralSerializer(_ServiceSerializer):
    """A referral with the section 44 answers, where they point, and the decision. A subject
    label that looks like a real name is refused until sent again with ``confirm_label``."""

    board = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Board.objects.none(),
        help_text="The board's slug: one whose review records you keep.",
        error_messages={"does_not_exist": "Unknown board.", "invalid": "Unknown board."},
    )
    confirm_label = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="Confirm a subject label that looks like a real name (the family agreed).",
    )
    pointer = serializers.ChoiceField(
        choices=Referral.Pointer.choices,
        read_only=True,
        help_text="Where the section 44 answers point; the decision may differ, with a rationale.",
    )
    pointer_display = serializers.CharField(source="pointer.label", read_only=True)
    decision_display = serializers.CharField(source="get_decision_display", read_only=True)
    days_to_decision = serializers.IntegerField(read_only=True, allow_null=True)
    review = serializers.SerializerMethodField(help_text="The review it led to, if one.")

    scoped = {"board": review_boards}

    class Meta:
        model = Referral
        fields = [
            "id", "board", "reference", "kind",
            "subject_label", "confirm_label", "subject_label_warning",
            "subject_label_confirmed_by", "subject_label_confirmed_at",
            "referring_organisation", "referrer_type", "referral_date", "first_considered_on",
            "care_and_support_needs", "agencies_concern", "harm", "abuse_known_or_suspected",
            "pointer", "pointer_display",
            "panel_recommendation", "decision", "decision_display", "other_process",
            "decided_by", "decided_on", "rationale", "outcome", "days_to_decision", "review",
        ]  # fmt: skip
        validators: list = []  # the model's constraints, checked by the service's full_clean

    def get_review(self, referral) -> int | None:
        review = getattr(referral, "review", None)
        return review.pk if review is not None else None

    def validate_board(self, board):
        return self._keep_parent("board", board)

    def create(self, validated_data):
        confirm = validated_data.pop("confirm_label", False)
        return self.save_record(Referral(**validated_data), confirm)

    def update(self, instance, validated_data):
        confirm = validated_data.pop("confirm_label", False)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self.save_record(instance, confirm)

    def save_record(self, referral, confirm=False):
        try:
            return services.save_referral(referral, by=self.user, confirm_label=confirm)
        except DjangoValidationError as error:
            label_errors = getattr(error, "error_dict", {}).get("subject_label", [])
            if any(e.code == services.LABEL_WARNING_CODE for e in label_errors):
                raise serializers.ValidationError(
                    {
                        "subject_label": [message for e in label_errors for message in e],
                        "confirm_label": [CONFIRM_LABEL_HINT],
                    }
                ) from error
            raise


class InformationRequestSerializer(_ServiceSerializer):
    """Information asked of an agency about a referral (Care Act s45)."""

    is_overdue = serializers.SerializerMethodField()

    scoped = {"referral": Referral.objects.visible_to}

    class Meta:
        model = InformationRequest
        fields = [
            "id", "referral", "agency", "purpose", "requested_on", "due_on", "returned_on",
            "is_overdue",
        ]  # fmt: skip
        validators: list = []

    def get_is_overdue(self, information_request) -> bool:
        return information_request.is_overdue()

    def validate_referral(self, referral):
        return self._keep_parent("referral", referral)

    def save_record(self, record):
        # One record, no workflow: saved as its page's form saves it, validated whole.
        record._history_user = self.user
        record.full_clean()
        record.save()
        return record


# --- Reviews and what is inside them --------------------------------------------------------


class ReviewSerializer(_ServiceSerializer):
    """The review a referral led to. Closing it is refused while any action is open."""

    board = serializers.SlugRelatedField(source="referral.board", slug_field="slug", read_only=True)
    reference = serializers.CharField(source="referral.reference", read_only=True)
    subject_label = serializers.CharField(source="referral.subject_label", read_only=True)
    parallel_processes = serializers.ListField(
        child=serializers.ChoiceField(choices=Review.ParallelProcess.choices),
        required=False,
        help_text="Other processes running alongside, such as an inquest.",
    )
    days_taken = serializers.SerializerMethodField(
        help_text="Days from commissioning to the final report (or to today, while it runs)."
    )

    scoped = {"referral": Referral.objects.visible_to}

    class Meta:
        model = Review
        fields = [
            "id", "referral", "board", "reference", "subject_label",
            "methodology", "reviewer", "reviewer_is_independent", "independence_note",
            "commissioned_on", "scope_start", "scope_end",
            "family_involvement", "family_note", "advocacy_offered", "parallel_processes",
            "status", "concluded_on", "published_on", "not_published_reason", "closed_on",
            "summary", "link", "days_taken",
        ]  # fmt: skip
        validators: list = []

    def get_days_taken(self, review) -> int:
        return review.days_taken()

    def validate_referral(self, referral):
        return self._keep_parent("referral", referral)

    def save_record(self, review):
        return services.save_review(review, by=self.user)


class FindingSerializer(_ServiceSerializer):
    scoped = {"review": Review.objects.visible_to}

    class Meta:
        model = Finding
        fields = ["id", "review", "number", "text", "theme"]
        extra_kwargs = {"number": {"required": False, "help_text": "Left out, the next one."}}
        validators: list = []

    def validate_review(self, review):
        return self._keep_parent("review", review)

    def save_record(self, finding):
        return services.save_finding(finding, by=self.user)


class RecommendationSerializer(_ServiceSerializer):
    """A recommendation and the board's response: one not accepted needs the reasons (the
    annual report gives them)."""

    scoped = {"review": Review.objects.visible_to, "finding": Finding.objects.visible_to}

    class Meta:
        model = Recommendation
        fields = [
            "id", "review", "finding", "number", "text", "scope", "agency", "response",
            "reason_not_accepted", "decided_on",
        ]  # fmt: skip
        extra_kwargs = {"number": {"required": False, "help_text": "Left out, the next one."}}
        validators: list = []

    def validate_review(self, review):
        return self._keep_parent("review", review)

    def save_record(self, recommendation):
        return services.save_recommendation(recommendation, by=self.user)


class RecommendationActionSerializer(_ServiceSerializer):
    """What an agency does about a recommendation, and the difference it made; it may feed
    an action of the board's business plan (``plan_action``)."""

    review = serializers.IntegerField(source="recommendation.review_id", read_only=True)
    is_overdue = serializers.SerializerMethodField()

    scoped = {
        "recommendation": Recommendation.objects.visible_to,
        "plan_action": Action.objects.visible_to,
    }

    class Meta:
        model = RecommendationAction
        fields = [
            "id", "recommendation", "review", "description", "owner_organisation", "owner",
            "due", "status", "completed_on", "evidence_of_impact", "plan_action", "is_overdue",
        ]  # fmt: skip
        validators: list = []

    def get_is_overdue(self, action) -> bool:
        return action.is_overdue()

    def validate_recommendation(self, recommendation):
        return self._keep_parent("recommendation", recommendation)

    def save_record(self, action):
        return services.save_action(action, by=self.user)


# --- The year summary -----------------------------------------------------------------------


class SummaryReferralSerializer(serializers.ModelSerializer):
    """A row of the annual report's referrals table."""

    decision_display = serializers.CharField(source="get_decision_display", read_only=True)
    decision_made = serializers.SerializerMethodField(
        help_text="The rationale as recorded, else what the panel recommended."
    )
    days_to_decision = serializers.IntegerField(read_only=True, allow_null=True)
    review = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id", "reference", "subject_label", "referral_date", "first_considered_on",
            "decision", "decision_display", "decision_made", "outcome", "days_to_decision",
            "review",
        ]  # fmt: skip
        read_only_fields = fields

    def get_decision_made(self, referral) -> str:
        return summaries.decision_made(referral)

    def get_review(self, referral) -> int | None:
        review = getattr(referral, "review", None)
        return review.pk if review is not None else None


class SummaryRecommendationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recommendation
        fields = [
            "id", "review", "finding", "number", "text", "scope", "agency", "response",
            "reason_not_accepted", "decided_on",
        ]  # fmt: skip
        read_only_fields = fields


class NotAcceptedSerializer(SummaryRecommendationSerializer):
    """A recommendation the board decided in the year not to accept, with the reasons."""

    reference = serializers.CharField(source="review.referral.reference", read_only=True)
    subject_label = serializers.CharField(source="review.referral.subject_label", read_only=True)

    class Meta(SummaryRecommendationSerializer.Meta):
        fields = ["reference", "subject_label", *SummaryRecommendationSerializer.Meta.fields]
        read_only_fields = fields


class SummaryReviewSerializer(serializers.ModelSerializer):
    """A review concluded in the year (with its findings) or ongoing at the year end."""

    reference = serializers.CharField(source="referral.reference", read_only=True)
    subject_label = serializers.CharField(source="referral.subject_label", read_only=True)
    findings = FindingSerializer(many=True, read_only=True)
    recommendations = SummaryRecommendationSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = [
            "id", "referral", "reference", "subject_label", "methodology", "reviewer",
            "status", "commissioned_on", "scope_start", "scope_end", "family_involvement",
            "concluded_on", "published_on", "summary", "findings", "recommendations",
        ]  # fmt: skip
        read_only_fields = fields


class SummaryActionSerializer(serializers.ModelSerializer):
    """An action on a review's recommendation, whichever year the review concluded."""

    review = serializers.IntegerField(source="recommendation.review_id", read_only=True)
    reference = serializers.CharField(
        source="recommendation.review.referral.reference", read_only=True
    )
    recommendation_number = serializers.IntegerField(source="recommendation.number", read_only=True)
    plan_action_ref = serializers.CharField(
        source="plan_action.ref", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = RecommendationAction
        fields = [
            "id", "review", "reference", "recommendation", "recommendation_number",
            "description", "owner_organisation", "owner", "due", "status", "completed_on",
            "evidence_of_impact", "plan_action", "plan_action_ref",
        ]  # fmt: skip
        read_only_fields = fields


class DecisionCountSerializer(serializers.Serializer):
    decision = serializers.CharField()
    count = serializers.IntegerField()


class YearSummarySerializer(serializers.Serializer):
    """reviews.summary.YearSummary: what the annual report says about reviews in a year
    (Care Act Schedule 2, paragraph 4(1)(d) to (g))."""

    board = serializers.CharField(source="board.slug", help_text="The board's slug.")
    year = serializers.IntegerField(help_text="The calendar year the reporting year starts in.")
    label = serializers.CharField(help_text="The reporting year as the board names it: 2017/18.")
    start = serializers.DateField()
    end = serializers.DateField()
    referrals = SummaryReferralSerializer(
        many=True, help_text="Referrals for a Safeguarding Adults Review received in the year."
    )
    decision_counts = serializers.SerializerMethodField()
    concluded = SummaryReviewSerializer(many=True, help_text="SARs concluded in the year.")
    ongoing = SummaryReviewSerializer(many=True, help_text="SARs ongoing at the year end.")
    actions_completed = SummaryActionSerializer(
        many=True, help_text="Actions completed in the year, on any year's reviews."
    )
    actions_open = SummaryActionSerializer(many=True, help_text="Actions open at the year end.")
    not_accepted = NotAcceptedSerializer(
        many=True, help_text="Recommendations the board decided in the year not to accept."
    )
    other_referrals = SummaryReferralSerializer(
        many=True, help_text="Referrals for other case reviews (not section 44) in the year."
    )
    other_concluded = SummaryReviewSerializer(
        many=True, help_text="Other case reviews concluded in the year."
    )
    other_ongoing = SummaryReviewSerializer(
        many=True, help_text="Other case reviews ongoing at the year end."
    )

    @extend_schema_field(DecisionCountSerializer(many=True))
    def get_decision_counts(self, summary) -> list[dict]:
        return [{"decision": label, "count": count} for label, count in summary.decision_counts]


# --- Filters ---------------------------------------------------------------------------------


class ReferralFilter(django_filters.FilterSet):
    board = django_filters.CharFilter(field_name="board__slug", label="Board (its slug)")
    kind = django_filters.ChoiceFilter(choices=Referral.Kind.choices)
    decision = django_filters.MultipleChoiceFilter(choices=Referral.Decision.choices)
    received_after = django_filters.DateFilter(field_name="referral_date", lookup_expr="gte")
    received_before = django_filters.DateFilter(field_name="referral_date", lookup_expr="lte")

    class Meta:
        model = Referral
        fields: list[str] = []


class InformationRequestFilter(django_filters.FilterSet):
    referral = IdFilter(field_name="referral_id", label="Referral")
    returned = django_filters.BooleanFilter(
        field_name="returned_on", lookup_expr="isnull", exclude=True, label="Returned"
    )

    class Meta:
        model = InformationRequest
        fields: list[str] = []


class ReviewFilter(django_filters.FilterSet):
    board = django_filters.CharFilter(field_name="referral__board__slug", label="Board (its slug)")
    referral = IdFilter(field_name="referral_id", label="Referral")
    status = django_filters.MultipleChoiceFilter(choices=Review.Status.choices)

    class Meta:
        model = Review
        fields: list[str] = []


class FindingFilter(django_filters.FilterSet):
    review = IdFilter(field_name="review_id", label="Review")

    class Meta:
        model = Finding
        fields: list[str] = []


class RecommendationFilter(django_filters.FilterSet):
    review = IdFilter(field_name="review_id", label="Review")
    response = django_filters.ChoiceFilter(choices=Recommendation.Response.choices)

    class Meta:
        model = Recommendation
        fields: list[str] = []


class RecommendationActionFilter(django_filters.FilterSet):
    review = IdFilter(field_name="recommendation__review_id", label="Review")
    recommendation = IdFilter(field_name="recommendation_id", label="Recommendation")
    status = django_filters.ChoiceFilter(choices=RecommendationAction.Status.choices)

    class Meta:
        model = RecommendationAction
        fields: list[str] = []


# --- Viewsets --------------------------------------------------------------------------------


class _RestrictedViewSet(viewsets.ModelViewSet):
    """The gate every review endpoint shares (see the module docstring); ``related`` is
    what a list row reads, joined once so a list costs the same queries for any length."""

    permission_classes = [IsAuthenticated, ReviewAccess, VerifiedSecondFactor, HasObjectRule]
    object_rule = "reviews.keep_reviews"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    related: tuple[str, ...] = ()

    def get_queryset(self):
        model = self.get_serializer_class().Meta.model
        return model.objects.visible_to(self.request.user).select_related(*self.related)


class ReferralViewSet(_RestrictedViewSet):
    """Referrals for a review, with the section 44 answers and the decision. Filter by
    board, kind, decision and the dates received."""

    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter
    related = ("board", "review")

    @extend_schema(
        responses=YearSummarySerializer,
        filters=False,
        parameters=[
            OpenApiParameter(
                "slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The board's slug."
            ),
            OpenApiParameter(
                "year",
                OpenApiTypes.INT,
                OpenApiParameter.PATH,
                description="The calendar year the reporting year starts in.",
            ),
        ],
        summary="A board's reviews in a reporting year, as the annual report gives them",
    )
    @action(
        detail=False,
        methods=["get"],
        url_path=r"year-summary/(?P<slug>[-\w]+)/(?P<year>[0-9]+)",
        url_name="year-summary",
        pagination_class=None,
    )
    def year_summary(self, request, slug: str, year: str):
        """Referrals received and their decisions, reviews concluded (with findings) and
        ongoing at the year end, actions taken on findings in the year, and recommendations
        not accepted with the reasons. The year follows the board's reporting year start."""
        board = get_object_or_404(review_boards(request.user), slug=slug)
        if not summaries.is_reportable_year(int(year)):
            raise NotFound("No such reporting year.")
        data = YearSummarySerializer(summaries.year_summary(board, int(year))).data
        return Response(data)


class InformationRequestViewSet(_RestrictedViewSet):
    """Information requested from agencies about a referral (Care Act s45)."""

    serializer_class = InformationRequestSerializer
    filterset_class = InformationRequestFilter
    related = ("referral",)


class ReviewViewSet(_RestrictedViewSet):
    """Reviews: methodology, reviewer, scope period, the family's involvement, status and
    dates. Commissioning needs a referral decided as a review; closing needs every action
    complete."""

    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter
    related = ("referral__board",)


class FindingViewSet(_RestrictedViewSet):
    serializer_class = FindingSerializer
    filterset_class = FindingFilter
    related = ("review__referral",)


class RecommendationViewSet(_RestrictedViewSet):
    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilter
    related = ("review__referral",)


class RecommendationActionViewSet(_RestrictedViewSet):
    serializer_class = RecommendationActionSerializer
    filterset_class = RecommendationActionFilter
    related = ("recommendation__review__referral",)
