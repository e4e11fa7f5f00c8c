"""API for plans, priorities, actions, progress updates and RAG assessments: the pages'
scoping and rules."""

import django_filters
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from priorities import rag, services
from priorities.filters import ActionFilter
from priorities.models import (
    Action,
    BusinessPlan,
    Priority,
    ProgressUpdate,
    Rag,
    RagAssessment,
    ReportingPeriod,
)
from sab.permissions import HasObjectRule, get_visible_or_404, require_perm


class BusinessPlanSerializer(serializers.ModelSerializer):
    board = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = BusinessPlan
        fields = [
            "id",
            "board",
            "title",
            "period",
            "status",
            "effective_from",
            "approved_on",
            "strategic_plan",
            "rolled_forward_from",
        ]


class PrioritySerializer(serializers.ModelSerializer):
    delivery_group = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = Priority
        fields = [
            "id",
            "plan",
            "ref",
            "title",
            "statement",
            "rationale",
            "outcome",
            "partnership_lead",
            "board_officer",
            "delivery_group",
            "order",
        ]


class ActionSerializer(serializers.ModelSerializer):
    lead = serializers.CharField(source="lead_display", read_only=True)
    lead_person = serializers.StringRelatedField(allow_null=True)
    latest_rag = serializers.CharField(read_only=True, allow_null=True)
    latest_update_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "priority",
            "ref",
            "description",
            "outcome_measure",
            "lead_group",
            "lead",
            "lead_person",
            "due_date",
            "timescale",
            "status",
            "carried_forward_from",
            "latest_rag",
            "latest_update_at",
        ]


class ProgressUpdateSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "action",
            "period",
            "text",
            "status",
            "rag",
            "evidence_link",
            "author",
            "created_at",
        ]
        read_only_fields = ["period", "author", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["action"].queryset = Action.objects.visible_to(request.user)
        self.fields["rag"].allow_blank = False


class BusinessPlanViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BusinessPlanSerializer
    filterset_fields = ["status", "board__slug"]

    def get_queryset(self):
        return BusinessPlan.objects.visible_to(self.request.user).select_related("board")


class PriorityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PrioritySerializer
    filterset_fields = ["plan"]

    def get_queryset(self):
        return Priority.objects.visible_to(self.request.user).select_related("delivery_group")


class ActionViewSet(viewsets.ReadOnlyModelViewSet):
    """Actions, filterable with the tracker's parameters (q, priority, lead_group,
    lead_person, status, rag, due_after, due_before, overdue, sort)."""

    serializer_class = ActionSerializer
    filterset_class = ActionFilter

    def get_queryset(self):
        return Action.objects.visible_to(self.request.user).for_tracker()


class ProgressUpdateViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Progress updates; chairs and members may add them to their groups' actions."""

    serializer_class = ProgressUpdateSerializer
    filterset_fields = ["action", "period", "rag"]

    def get_queryset(self):
        return ProgressUpdate.objects.visible_to(self.request.user).select_related("author")

    def perform_create(self, serializer):
        action = serializer.validated_data["action"]
        require_perm(self.request.user, "priorities.update_action", action)
        data = {k: v for k, v in serializer.validated_data.items() if k != "action"}
        serializer.instance = services.record_progress(action=action, by=self.request.user, **data)


# --- The quarterly RAG cycle (priorities/rag.py) ----------------------------------------------


class RagAssessmentSerializer(serializers.ModelSerializer):
    """An assessment as the pages show it: the state, both ratings with the board's words
    for them, and who did what when. ``version`` is what an action's ``seen_version`` sends
    back, so a change made meanwhile (another tab, another person) is refused."""

    board = serializers.SlugRelatedField(
        source="priority.plan.board", slug_field="slug", read_only=True
    )
    plan = serializers.IntegerField(source="priority.plan_id", read_only=True)
    priority_ref = serializers.CharField(source="priority.ref", read_only=True)
    period_label = serializers.CharField(source="period.label", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    proposed_rating_word = serializers.SerializerMethodField()
    decided_rating_word = serializers.SerializerMethodField()
    is_overridden = serializers.BooleanField(read_only=True)
    # Blank until proposed or decided: declared, since read_only_fields drops allow_blank.
    proposed_rating = serializers.ChoiceField(choices=Rag.choices, allow_blank=True, read_only=True)
    decided_rating = serializers.ChoiceField(choices=Rag.choices, allow_blank=True, read_only=True)
    proposed_by = serializers.StringRelatedField(allow_null=True)
    returned_by = serializers.StringRelatedField(allow_null=True)
    decided_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = RagAssessment
        fields = [
            "id", "board", "plan", "priority", "priority_ref", "period", "period_label",
            "state", "state_display", "version",
            "comments", "recommendations", "risks",
            "proposed_rating", "proposed_rating_word", "proposed_by", "proposed_at",
            "question", "returned_by", "returned_at",
            "executive_comments", "executive_risks",
            "decided_rating", "decided_rating_word", "decision_reason", "is_overridden",
            "decided_by", "decided_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_proposed_rating_word(self, assessment) -> str:
        return _rating_word(assessment, assessment.proposed_rating)

    def get_decided_rating_word(self, assessment) -> str:
        return _rating_word(assessment, assessment.decided_rating)


def _rating_word(assessment: RagAssessment, rating: str) -> str:
    """The board's word for ``rating`` (its RAG key, prefetched in lists), else the rating's
    own name; blank when there is no rating."""
    if not rating:
        return ""
    words = {entry.rating: entry.word for entry in assessment.priority.plan.board.rag_key.all()}
    return words.get(rating) or Rag(rating).label


MAX_ID = 2**63 - 1  # the largest id the database holds: a larger one is a 400, not a 500


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A record's id. Matched against the scoped queryset, so another board's id finds
    nothing (and says nothing of whether it exists)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class RagAssessmentFilter(django_filters.FilterSet):
    board = django_filters.CharFilter(
        field_name="priority__plan__board__slug", label="Board (its slug)"
    )
    plan = IdFilter(field_name="priority__plan_id", label="Plan")
    priority = IdFilter(field_name="priority_id", label="Priority")
    period = IdFilter(field_name="period_id", label="Reporting period")
    state = django_filters.MultipleChoiceFilter(choices=RagAssessment.State.choices)

    class Meta:
        model = RagAssessment
        fields: list[str] = []


class StartRagAssessmentSerializer(serializers.Serializer):
    priority = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="A priority you may propose the rating of."
    )
    period = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="A reporting period of the priority's board."
    )


class _SeenVersion(serializers.Serializer):
    seen_version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The version you read: refused if the assessment changed since.",
    )


class RagProposalSerializer(_SeenVersion):
    comments = serializers.CharField(required=False, allow_blank=True)
    recommendations = serializers.CharField(required=False, allow_blank=True)
    risks = serializers.CharField(required=False, allow_blank=True)
    proposed_rating = serializers.ChoiceField(
        choices=Rag.choices, required=False, help_text="Needed unless already given."
    )


class RagReturnSerializer(_SeenVersion):
    question = serializers.CharField(default="", allow_blank=True)


class RagDecisionSerializer(_SeenVersion):
    executive_comments = serializers.CharField(required=False, allow_blank=True)
    executive_risks = serializers.CharField(required=False, allow_blank=True)
    decided_rating = serializers.ChoiceField(choices=Rag.choices, required=False)
    decision_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Needed when the rating differs from the proposal.",
    )


class RagCorrectionSerializer(_SeenVersion):
    decided_rating = serializers.ChoiceField(choices=Rag.choices)
    decision_reason = serializers.CharField(default="", allow_blank=True)


class RagAssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Each priority's RAG rating per reporting period. The delivery group proposes (and
    proposes again after a question); the executive group returns a proposal with a
    question or decides it; a decided rating changes only by a correction with a reason.
    The same rules and services as the pages: a refusal is a 400 with the reason."""

    serializer_class = RagAssessmentSerializer
    filterset_class = RagAssessmentFilter
    permission_classes = [IsAuthenticated, HasObjectRule]
    # The rule each change needs on the assessment (HasObjectRule reads ``object_rule``).
    RULES = {
        "propose": "priorities.propose_rag",
        "return_proposal": "priorities.decide_rag",
        "decide": "priorities.decide_rag",
        "correct": "priorities.decide_rag",
    }

    @property
    def object_rule(self) -> str:
        return self.RULES[self.action]

    def get_queryset(self):
        return (
            RagAssessment.objects.visible_to(self.request.user)
            .select_related(
                "priority__plan__board", "period", "proposed_by", "returned_by", "decided_by"
            )
            .prefetch_related("priority__plan__board__rag_key")
        )

    def _answer(self, assessment: RagAssessment, code=status.HTTP_200_OK) -> Response:
        shown = self.get_queryset().get(pk=assessment.pk)
        return Response(self.get_serializer(shown).data, status=code)

    def _payload(self, serializer_class) -> dict:
        payload = serializer_class(data=self.request.data)
        payload.is_valid(raise_exception=True)
        return payload.validated_data

    @extend_schema(
        request=StartRagAssessmentSerializer,
        responses={201: RagAssessmentSerializer},
        summary="Start the assessment of a priority for a reporting period",
        description="Creates it as a draft, or answers the one already started.",
    )
    def create(self, request):
        data = self._payload(StartRagAssessmentSerializer)
        user = request.user
        priority = get_visible_or_404(
            user,
            Priority.objects.select_related("plan"),
            "priorities.propose_rag",
            pk=data["priority"],
        )
        period = get_visible_or_404(user, ReportingPeriod.objects, pk=data["period"])
        assessment = rag.start_assessment(priority=priority, period=period, by=user)
        return self._answer(assessment, status.HTTP_201_CREATED)

    @extend_schema(request=RagProposalSerializer, responses=RagAssessmentSerializer)
    @action(detail=True, methods=["post"])
    def propose(self, request, pk=None):
        """The delivery group proposes the rating (a draft, or one returned with a question)."""
        assessment = rag.propose(
            assessment=self.get_object(), by=request.user, **self._payload(RagProposalSerializer)
        )
        return self._answer(assessment)

    @extend_schema(request=RagReturnSerializer, responses=RagAssessmentSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_proposal(self, request, pk=None):
        """The executive group returns the proposal to the delivery group with a question."""
        assessment = rag.return_proposal(
            assessment=self.get_object(), by=request.user, **self._payload(RagReturnSerializer)
        )
        return self._answer(assessment)

    @extend_schema(request=RagDecisionSerializer, responses=RagAssessmentSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """The executive group decides the rating; a different rating from the proposal needs
        a reason, and nobody decides a rating they proposed."""
        assessment = rag.decide(
            assessment=self.get_object(), by=request.user, **self._payload(RagDecisionSerializer)
        )
        return self._answer(assessment)

    @extend_schema(request=RagCorrectionSerializer, responses=RagAssessmentSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """A new decision on a decided rating, always with a reason (the history keeps both)."""
        assessment = rag.correct(
            assessment=self.get_object(), by=request.user, **self._payload(RagCorrectionSerializer)
        )
        return self._answer(assessment)
