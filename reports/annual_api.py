"""API for the annual report: the reports and their narrative, the sections the board office
writes around the parts built from the records, and the partner statements.

The same scoping and rules as the pages (reports/annual_views.py, reports/statement_views.py):
reports and sections come from ``visible_to(user)`` (anyone with a role in the board reads
them; another board's are a 404), statements from ``PartnerStatement.objects.visible_to``
(the board manager sees the board's, a partner lead only their own organisation's). Changing
a report or a section needs "reports.keep_annual_report" (the board manager, else 403), and
an approved or published report's content is settled: a change to it is a 400 saying so.
A partner lead submits their organisation's statement ("reports.write_statement"); the board
manager accepts it or returns it with a comment. Those go through reports.statements, so the
API refuses exactly as the pages do (a 400 with the service's message).

Reports are started, sent for review, approved and published on the pages; the API reads
them and changes their narrative only. Nothing else is deleted but a section.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from priorities.api import IdFilter
from reports import statements
from reports.models import AnnualReport, PartnerStatement, ReportSection
from sab.permissions import HasObjectRule
from subgroups.models import Group

KEEP = "reports.keep_annual_report"
WRITE = "reports.write_statement"
UNKNOWN_REPORT = "Unknown annual report."
NOT_THE_BOARDS_GROUP = "Select one of the report's board's groups."


def refuse_if_settled(report: AnnualReport, what: str = "its content") -> None:
    """An approved or published report never changes (a correction is a new version)."""
    if report.is_settled:
        raise ValidationError(
            f"The {report.title} is {report.get_status_display().lower()}: {what} is settled "
            "and cannot change."
        )


def _locked_report(pk: int) -> AnnualReport:
    """The report's row locked (inside a transaction): an approval waits for the change, and
    the change sees the status as it is."""
    return AnnualReport.objects.select_for_update().select_related("board").get(pk=pk)


# --- Reports and their sections ----------------------------------------------------------


class SectionInReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportSection
        fields = ["id", "part", "group", "title", "body", "order"]
        read_only_fields = fields


class AnnualReportSerializer(serializers.ModelSerializer):
    """A report with its narrative (Markdown) and its sections. Only the narrative changes,
    and only while the report is not approved."""

    board = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    period = serializers.CharField(read_only=True, help_text='The year it covers: "2024/25".')
    title = serializers.CharField(read_only=True)
    sections = SectionInReportSerializer(many=True, read_only=True)

    class Meta:
        model = AnnualReport
        fields = [
            "id", "board", "year", "period", "title", "status",
            "author", "report_date", "foreword", "foreword_by", "executive_summary",
            "introduction", "easy_read_note", "approved_at", "sections",
        ]  # fmt: skip
        read_only_fields = ["year", "status", "approved_at"]
        validators: list = []  # the model's constraints, checked by full_clean on save

    def validate(self, attrs):
        if self.instance is not None:
            refuse_if_settled(self.instance)
        return attrs

    def update(self, instance, validated_data):
        with transaction.atomic():
            report = _locked_report(instance.pk)
            refuse_if_settled(report)
            for name, value in validated_data.items():
                setattr(report, name, value)
            report._history_user = self.context["request"].user
            report.full_clean()
            report.save()
        return report


class ReportSectionSerializer(serializers.ModelSerializer):
    """A section printed at the start of one part of the report (under a group's heading
    when it names one of the board's groups)."""

    report = serializers.PrimaryKeyRelatedField(
        queryset=AnnualReport.objects.none(),
        help_text="The annual report it is printed in: one whose board you manage.",
        error_messages={"does_not_exist": UNKNOWN_REPORT, "incorrect_type": UNKNOWN_REPORT},
    )
    group = serializers.PrimaryKeyRelatedField(
        queryset=Group.objects.none(),
        required=False,
        allow_null=True,
        help_text="For a sub-group or a task and finish group: printed under its heading.",
        error_messages={
            "does_not_exist": NOT_THE_BOARDS_GROUP,
            "incorrect_type": NOT_THE_BOARDS_GROUP,
        },
    )

    class Meta:
        model = ReportSection
        fields = ["id", "report", "part", "group", "title", "body", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["report"].queryset = AnnualReport.objects.visible_to(request.user)
            self.fields["group"].queryset = Group.objects.visible_to(request.user)

    def validate_report(self, report):
        if self.instance is not None and report != self.instance.report:
            raise serializers.ValidationError("A section stays in the report it was added to.")
        if not self.context["request"].user.has_perm(KEEP, report):
            raise PermissionDenied("Only the board manager changes the annual report.")
        return report

    def validate(self, attrs):
        report = attrs.get("report") or self.instance.report
        refuse_if_settled(report, "its content")
        group = attrs.get("group")
        if group is not None and not Group.objects.for_board(report.board).contains(group):
            raise serializers.ValidationError({"group": [NOT_THE_BOARDS_GROUP]})
        return attrs

    def create(self, validated_data):
        return self._save(ReportSection(**validated_data))

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self._save(instance)

    def _save(self, section: ReportSection) -> ReportSection:
        with transaction.atomic():
            refuse_if_settled(_locked_report(section.report_id))
            section._history_user = self.context["request"].user
            section.full_clean()
            section.save()
        return section


class YearFilter(IdFilter):
    """A reporting year, by the calendar year it starts in (2017 for 2017/18)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


class AnnualReportFilter(django_filters.FilterSet):
    board = django_filters.CharFilter(field_name="board__slug", label="Board (its slug)")
    year = YearFilter(label="Reporting year (the calendar year it starts in: 2017 for 2017/18)")

    class Meta:
        model = AnnualReport
        fields: list[str] = []


class ReportSectionFilter(django_filters.FilterSet):
    report = IdFilter(field_name="report_id", label="Annual report")

    class Meta:
        model = ReportSection
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(
        summary="Annual reports",
        description="The annual reports of your boards, with their narrative and sections. "
        "Filter by board and year.",
    ),
    retrieve=extend_schema(summary="An annual report"),
    partial_update=extend_schema(
        summary="Change an annual report's narrative",
        description="The board manager only, while the report is not approved (an approved "
        "or published report is settled: 400). Reports are started, approved and published "
        "on the pages.",
    ),
)
class AnnualReportViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AnnualReportSerializer
    filterset_class = AnnualReportFilter
    permission_classes = [IsAuthenticated, HasObjectRule]
    object_rule = KEEP
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return (
            AnnualReport.objects.visible_to(self.request.user)
            .select_related("board")
            .prefetch_related(
                Prefetch("sections", queryset=ReportSection.objects.order_by("order", "pk"))
            )
            .order_by("board__name", "-year", "pk")
        )


@extend_schema_view(
    list=extend_schema(
        summary="Annual report sections",
        description="The sections of your boards' annual reports. Filter by report.",
    ),
    retrieve=extend_schema(summary="An annual report section"),
    create=extend_schema(
        summary="Add a section to an annual report",
        description="The board manager only, while the report is not approved.",
    ),
    update=extend_schema(summary="Change a section"),
    partial_update=extend_schema(summary="Change part of a section"),
    destroy=extend_schema(
        summary="Remove a section", description="Refused (400) once the report is approved."
    ),
)
class ReportSectionViewSet(viewsets.ModelViewSet):
    serializer_class = ReportSectionSerializer
    filterset_class = ReportSectionFilter
    permission_classes = [IsAuthenticated, HasObjectRule]
    object_rule = KEEP

    def get_queryset(self):
        return ReportSection.objects.visible_to(self.request.user).select_related("report__board")

    @transaction.atomic
    def perform_destroy(self, instance: ReportSection) -> None:
        refuse_if_settled(_locked_report(instance.report_id))
        instance._history_user = self.request.user
        instance.delete()


# --- Partner statements ------------------------------------------------------------------


class StatementOrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class PartnerStatementSerializer(serializers.ModelSerializer):
    """What one member organisation did in the year to implement the strategy, and where it
    is: requested, submitted, returned for changes (with the manager's comment) or accepted.
    ``late``: submitted once the report was approved, so kept for next year's report."""

    organisation = StatementOrganisationSerializer(read_only=True)

    class Meta:
        model = PartnerStatement
        fields = [
            "id", "report", "organisation", "status", "due", "text", "comment",
            "submitted_at", "late",
        ]  # fmt: skip
        read_only_fields = fields


class SubmitStatementSerializer(serializers.Serializer):
    text = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        trim_whitespace=False,
        help_text="Your organisation's statement (Markdown).",
    )


class ReturnStatementSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        trim_whitespace=False,
        help_text="What should change in the statement: sent to the partner leads.",
    )


class PartnerStatementFilter(django_filters.FilterSet):
    report = IdFilter(field_name="report_id", label="Annual report")
    status = django_filters.MultipleChoiceFilter(choices=PartnerStatement.Status.choices)

    class Meta:
        model = PartnerStatement
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(
        summary="Partner statements",
        description="A board manager's: the board's statements. A partner lead's: their own "
        "organisation's only. Filter by report and status.",
    ),
    retrieve=extend_schema(summary="A partner statement"),
)
class PartnerStatementViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PartnerStatementSerializer
    filterset_class = PartnerStatementFilter
    permission_classes = [IsAuthenticated, HasObjectRule]
    # The rule each change needs on the statement (HasObjectRule reads ``object_rule``).
    RULES = {"submit": WRITE, "accept": KEEP, "return_statement": KEEP}

    @property
    def object_rule(self) -> str:
        return self.RULES[self.action]

    def get_queryset(self):
        return PartnerStatement.objects.visible_to(self.request.user).select_related(
            "report__board", "organisation"
        )

    def _payload(self, serializer_class) -> dict:
        payload = serializer_class(data=self.request.data)
        payload.is_valid(raise_exception=True)
        return payload.validated_data

    @extend_schema(
        request=SubmitStatementSerializer,
        responses=PartnerStatementSerializer,
        summary="Submit your organisation's statement",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """The organisation's partner lead submits it, while it is requested or returned for
        changes. Once the report is approved it is kept for next year's report (``late``)."""
        statement = statements.submit_statement(
            statement=self.get_object(), by=request.user, **self._payload(SubmitStatementSerializer)
        )
        return Response(self.get_serializer(statement).data)

    @extend_schema(request=None, responses=PartnerStatementSerializer, summary="Accept a statement")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The board manager accepts a submitted statement for the report (not once the
        report is approved)."""
        statement = statements.accept_statement(statement=self.get_object(), by=request.user)
        return Response(self.get_serializer(statement).data)

    @extend_schema(
        request=ReturnStatementSerializer,
        responses=PartnerStatementSerializer,
        summary="Return a statement for changes",
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_statement(self, request, pk=None):
        """The board manager returns a submitted statement with a comment saying what should
        change; the organisation's partner leads are e-mailed it."""
        statement = statements.return_statement(
            statement=self.get_object(), by=request.user, **self._payload(ReturnStatementSerializer)
        )
        return Response(self.get_serializer(statement).data)
