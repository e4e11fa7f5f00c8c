"""Published documents: each version of a plan or report as it was published, the PDF and
the HTML stored once with their SHA-256, never changed afterwards; and the publishing jobs
that render them off the request path (reports/tasks.py)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from priorities.models import BusinessPlan, PlanStatus, StrategicPlan
from reports.sac import CATEGORIES, Dimension
from sab import permissions
from sab.models import Board, BoardScopedQuerySet, MarkdownField, UniqueWithin
from sab.roles import Role


class Kind(models.TextChoices):
    BUSINESS_PLAN = "business_plan", "Business plan"
    STRATEGIC_PLAN = "strategic_plan", "Strategic plan"
    ANNUAL_REPORT = "annual_report", "Annual report"


# Which field of a Publication or a PublishingJob holds each kind's source record.
SOURCE_FIELDS = {
    Kind.BUSINESS_PLAN: "business_plan",
    Kind.STRATEGIC_PLAN: "strategic_plan",
    Kind.ANNUAL_REPORT: "annual_report",
}
# A plan may be published once it is approved; publishing again (a correction) makes the
# next version while it stays published.
PUBLISHABLE_STATUSES = frozenset({PlanStatus.APPROVED, PlanStatus.PUBLISHED})


def can_be_published(source) -> bool:
    """Whether a document may be published: approved (or published already, for a new
    version)."""
    if isinstance(source, AnnualReport):
        return source.status in AnnualReport.PUBLISHABLE
    return source.status in PUBLISHABLE_STATUSES


def kind_of(source) -> Kind:
    if isinstance(source, BusinessPlan):
        return Kind.BUSINESS_PLAN
    if isinstance(source, StrategicPlan):
        return Kind.STRATEGIC_PLAN
    if isinstance(source, AnnualReport):
        return Kind.ANNUAL_REPORT
    raise TypeError(f"{type(source).__name__} is not a document that can be published")


def pdf_filename(short_name: str, title: str, version: int) -> str:
    """A published PDF's download name: the board, the document and its version."""
    return f"{slugify(short_name)}-{slugify(title)}-v{version}.pdf"


def _file_path(publication: Publication, extension: str) -> str:
    # The version and the hash in the name: a stored file is never overwritten, and its
    # name tells an operator which document and version it is.
    return (
        f"publications/{publication.board.slug}/{publication.kind}/"
        f"{publication.source_id}-v{publication.version}-{publication.pdf_sha256[:12]}"
        f".{extension}"
    )


def pdf_path(publication: Publication, filename: str) -> str:
    return _file_path(publication, "pdf")


def html_path(publication: Publication, filename: str) -> str:
    return _file_path(publication, "html")


class PublicationQuerySet(BoardScopedQuerySet):
    board_path = "board"

    def public(self) -> PublicationQuerySet:
        """What the public may read: every published version, withdrawn ones included (their
        page says why they were withdrawn; their files are no longer served)."""
        return self.all()

    def current(self) -> PublicationQuerySet:
        """The latest version of each document: not superseded, not withdrawn."""
        return self.filter(superseded_by__isnull=True, withdrawn_at__isnull=True)

    def of(self, source) -> PublicationQuerySet:
        return self.filter(**{SOURCE_FIELDS[kind_of(source)]: source})

    def next_version(self) -> int:
        """The version publishing again would make: 1 after none, else the highest + 1
        (called on ``of(source)``)."""
        return (self.aggregate(highest=Max("version"))["highest"] or 0) + 1


class Publication(models.Model):
    """One published version of a document. Never changed after publishing, except to say
    that a later version superseded it or that it was withdrawn (with a reason the public
    sees). There is no delete: the public record stays."""

    # The only fields that change once a publication exists.
    CHANGEABLE_FIELDS = frozenset(
        {"superseded_by", "withdrawn_at", "withdrawn_by", "withdrawal_reason"}
    )

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="publications")
    kind = models.CharField(max_length=20, choices=Kind)
    business_plan = models.ForeignKey(
        BusinessPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="publications"
    )
    strategic_plan = models.ForeignKey(
        StrategicPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="publications"
    )
    annual_report = models.ForeignKey(
        "AnnualReport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publications",
    )
    title = models.CharField(max_length=300)
    period = models.CharField(
        max_length=20, blank=True, help_text='The year or years it covers, e.g. "2014/15".'
    )
    year = models.PositiveSmallIntegerField(
        help_text="The reporting year it belongs to (the first year of its period), for lists."
    )
    version = models.PositiveIntegerField()
    pdf = models.FileField(upload_to=pdf_path, max_length=300)
    html = models.FileField(upload_to=html_path, max_length=300)
    pdf_sha256 = models.CharField("SHA-256 of the PDF", max_length=64)
    html_sha256 = models.CharField("SHA-256 of the HTML", max_length=64)
    pdf_size = models.PositiveIntegerField("PDF size in bytes")
    html_size = models.PositiveIntegerField("HTML size in bytes")
    page_count = models.PositiveIntegerField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    superseded_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawal_reason = models.TextField(
        blank=True, help_text="Shown to the public on the document's page."
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["board__name", "-year", "kind", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=Kind.BUSINESS_PLAN,
                        business_plan__isnull=False,
                        strategic_plan=None,
                        annual_report=None,
                    )
                    | Q(
                        kind=Kind.STRATEGIC_PLAN,
                        strategic_plan__isnull=False,
                        business_plan=None,
                        annual_report=None,
                    )
                    | Q(
                        kind=Kind.ANNUAL_REPORT,
                        annual_report__isnull=False,
                        business_plan=None,
                        strategic_plan=None,
                    )
                ),
                name="publication_source_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["business_plan", "version"],
                condition=Q(business_plan__isnull=False),
                name="publication_business_plan_version_unique",
            ),
            models.UniqueConstraint(
                fields=["strategic_plan", "version"],
                condition=Q(strategic_plan__isnull=False),
                name="publication_strategic_plan_version_unique",
            ),
            models.UniqueConstraint(
                fields=["annual_report", "version"],
                condition=Q(annual_report__isnull=False),
                name="publication_annual_report_version_unique",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at=None) | ~Q(withdrawal_reason=""),
                name="publication_withdrawal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            changed = set(kwargs.get("update_fields") or ())
            if not changed or not changed <= self.CHANGEABLE_FIELDS:
                raise ValidationError(
                    "A published document never changes: publish a new version instead."
                )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("publications:document", kwargs={"slug": self.board.slug, "pk": self.pk})

    def get_pdf_url(self) -> str:
        return reverse("publications:pdf", kwargs={"slug": self.board.slug, "pk": self.pk})

    def get_html_url(self) -> str:
        return reverse("publications:html", kwargs={"slug": self.board.slug, "pk": self.pk})

    def delete(self, *args, **kwargs):
        raise ValidationError("A published document is never deleted: withdraw it instead.")

    @property
    def source(self):
        return getattr(self, SOURCE_FIELDS[self.kind])

    @property
    def source_id(self) -> int | None:
        return getattr(self, f"{SOURCE_FIELDS[self.kind]}_id")

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None and self.withdrawn_at is None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def can_be_withdrawn(self) -> bool:
        return self.withdrawn_at is None

    @property
    def etag(self) -> str:
        return f'"{self.pdf_sha256}"'

    @property
    def pdf_filename(self) -> str:
        """The name a download is saved under: the board, the document and its version."""
        return pdf_filename(self.board.short_name, self.title, self.version)


class PublishingJobQuerySet(BoardScopedQuerySet):
    board_path = "board"

    def unfinished(self) -> PublishingJobQuerySet:
        return self.filter(state__in=PublishingJob.UNFINISHED)


class PublishingJob(models.Model):
    """A board manager's request to publish a document: rendered by a task off the request
    path (reports/tasks.py); the manager's page shows its state and, at the end, the
    publication or why nothing was published."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RENDERING = "rendering", "Rendering"
        PUBLISHED = "published", "Published"
        FAILED = "failed", "Failed: nothing was published"

    UNFINISHED = frozenset({State.QUEUED, State.RENDERING})

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="publishing_jobs")
    kind = models.CharField(max_length=20, choices=Kind)
    business_plan = models.ForeignKey(
        BusinessPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    strategic_plan = models.ForeignKey(
        StrategicPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    annual_report = models.ForeignKey(
        "AnnualReport", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(max_length=20, choices=State, default=State.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="Why nothing was published.")
    publication = models.OneToOneField(
        Publication, null=True, blank=True, on_delete=models.SET_NULL, related_name="job"
    )

    objects = PublishingJobQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Publishing {self.source} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("reports:job", kwargs={"pk": self.pk})

    @property
    def source(self):
        return getattr(self, SOURCE_FIELDS[self.kind])

    @property
    def is_finished(self) -> bool:
        return self.state not in self.UNFINISHED


# --- The annual report (Care Act Schedule 2 paragraph 4) ---------------------------------


class AnnualReportQuerySet(BoardScopedQuerySet):
    board_path = "board"


class AnnualReport(models.Model):
    """A board's annual report for one reporting year: the narrative the board office writes
    (the chair's foreword, the executive summary, the introduction and sections placed around
    the parts built from the year's records), assembled with those parts when it is printed
    (reports/annual_report.py). A report with a statutory item missing cannot be approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"

    # Approved or published: its content is settled (a correction is a new version).
    SETTLED = frozenset({Status.APPROVED, Status.PUBLISHED})
    PUBLISHABLE = SETTLED

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveSmallIntegerField(
        help_text="The reporting year it covers, by the calendar year it starts in (2017 for "
        "2017/18)."
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    author = models.CharField(
        "report author",
        max_length=200,
        blank=True,
        help_text='Printed on the cover, for example "Lindsey Bampton, Board Manager".',
    )
    report_date = models.DateField(
        null=True, blank=True, help_text="The date printed on the cover (when it was finished)."
    )
    foreword = MarkdownField("chair's foreword")
    foreword_by = models.CharField(
        "foreword signed by",
        max_length=200,
        blank=True,
        help_text='The chair\'s name and role, for example "Robert Lake, Independent Chair".',
    )
    executive_summary = MarkdownField(
        help_text="What the board did in the year to achieve its objective, in short "
        "(Care Act Schedule 2 paragraph 4(1)(a))."
    )
    introduction = MarkdownField()
    easy_read_note = models.CharField(
        "alternative versions",
        max_length=500,
        blank=True,
        help_text='For example "An easy read version is in development and will be '
        'published on our website."',
    )
    created_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AnnualReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["board__name", "-year"]
        constraints = [
            UniqueWithin(
                fields=["board", "year"],
                name="annualreport_one_per_board_year",
                violation_error_message="The board already has an annual report for that year.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.board.short_name} annual report {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("reports:annual-report", kwargs={"pk": self.pk})

    @property
    def period(self) -> str:
        return self.board.financial_year_label(self.year)

    @property
    def title(self) -> str:
        return f"Annual Report {self.period}"

    @property
    def bounds(self):
        return self.board.financial_year_bounds(self.year)

    @property
    def is_settled(self) -> bool:
        return self.status in self.SETTLED

    @property
    def kind_name(self) -> str:
        """What the publishing pages call it."""
        return "annual report"


class Part(models.TextChoices):
    """The parts of an annual report built from the year's records, in the order they are
    printed. A board's own sections are placed at the start of one of them."""

    WHO_WE_ARE = "who_we_are", "Who we are"
    DATA = "data", "Safeguarding data"
    PRIORITIES = "priorities", "Our priorities"
    GROUPS = "groups", "Sub-groups"
    TASK_AND_FINISH = "task_and_finish", "Task and finish groups"
    REVIEWS = "reviews", "Safeguarding Adults Reviews"
    STATEMENTS = "statements", "Partner statements"
    END = "end", "At the end"


class ReportSectionQuerySet(BoardScopedQuerySet):
    board_path = "report__board"


class ReportSection(models.Model):
    """A section the board office writes, printed at the start of one part of the report
    (under a group's heading when it names a group), in order."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="sections")
    part = models.CharField(
        max_length=20,
        choices=Part,
        default=Part.END,
        help_text="Where it is printed: at the start of that part of the report.",
    )
    group = models.ForeignKey(
        "subgroups.Group",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For a sub-group or a task and finish group: printed under its heading.",
    )
    title = models.CharField(max_length=200)
    body = MarkdownField()
    order = models.PositiveSmallIntegerField(default=0)

    objects = ReportSectionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def board_id(self) -> int:
        return self.report.board_id


class PartnerStatementQuerySet(BoardScopedQuerySet):
    board_path = "report__board"

    def visible_to(self, user):
        """A board manager sees the board's statements; a partner lead only their own
        organisation's; nobody else sees them before they are published in the report."""
        if user.is_superuser:
            return self
        managed = self.managed_by(user)
        led = Q()
        for row in permissions.role_rows(user):
            if row.role == Role.PARTNER_LEAD and row.organisation_id:
                led |= Q(report__board_id=row.board_id, organisation_id=row.organisation_id)
        if not led:
            return managed
        return self.filter(Q(pk__in=managed.values("pk")) | led)


class PartnerStatement(models.Model):
    """What one member organisation did in the year to implement the strategy (Schedule 2
    paragraph 4(1)(c)): requested by the board manager, written by the organisation's
    partner lead, then accepted or returned with a comment."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned for changes"
        ACCEPTED = "accepted", "Accepted"

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="statements")
    organisation = models.ForeignKey(
        "sab.Organisation", on_delete=models.PROTECT, related_name="statements"
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.REQUESTED)
    due = models.DateField()
    text = MarkdownField("statement")
    comment = models.TextField(
        blank=True, help_text="The board manager's comment when returning it for changes."
    )
    requested_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    late = models.BooleanField(
        default=False,
        help_text="Submitted after the report was approved: kept for next year's report.",
    )

    objects = PartnerStatementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "organisation__name", "id"]
        constraints = [
            UniqueWithin(
                fields=["report", "organisation"],
                name="partnerstatement_one_per_organisation",
                violation_error_message="A statement is already requested from %(organisation)s.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} statement for {self.report}"

    @property
    def board_id(self) -> int:
        return self.report.board_id


class SafeguardingFigureQuerySet(BoardScopedQuerySet):
    board_path = "board"


class SafeguardingFigure(models.Model):
    """One row of a board's Section 42 data for a year: a Safeguarding Adults Collection
    dimension and category (reports/sac.py), with the counts of concerns, Section 42
    enquiries and other enquiries (blank where the table has no such count)."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="safeguarding_figures")
    year = models.PositiveSmallIntegerField()
    dimension = models.CharField(max_length=30, choices=Dimension)
    category = models.CharField(max_length=100)
    concerns = models.PositiveIntegerField(null=True, blank=True)
    section_42 = models.PositiveIntegerField("Section 42 enquiries", null=True, blank=True)
    other_enquiries = models.PositiveIntegerField(null=True, blank=True)

    objects = SafeguardingFigureQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "year", "dimension", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "year", "dimension", "category"],
                name="safeguardingfigure_unique_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()}: {self.category} ({self.year})"

    def clean(self):
        valid = CATEGORIES.get(self.dimension, ())
        if self.dimension and self.category not in valid:
            raise ValidationError(
                {
                    "category": f"{self.category!r} is not a category of "
                    f"{self.get_dimension_display()}. Use one of: {'; '.join(valid)}."
                }
            )


class DistributionRecord(models.Model):
    """A copy of the published report sent to one of the recipients Schedule 2 paragraph
    4(2) names, with the date and how it was sent."""

    class Recipient(models.TextChoices):
        LA_CHIEF_EXECUTIVE = "la_chief_executive", "Local authority chief executive"
        LA_LEADER = "la_leader", "Leader of the local authority"
        POLICING_BODY = "policing_body", "Local policing body (police and crime commissioner)"
        HEALTHWATCH = "healthwatch", "Local Healthwatch"
        HWB_CHAIR = "hwb_chair", "Chair of the Health and Wellbeing Board"
        OTHER = "other", "Someone else"

    # Who paragraph 4(2) says must be sent a copy.
    REQUIRED = (
        Recipient.LA_CHIEF_EXECUTIVE,
        Recipient.LA_LEADER,
        Recipient.POLICING_BODY,
        Recipient.HEALTHWATCH,
        Recipient.HWB_CHAIR,
    )

    class Method(models.TextChoices):
        EMAIL = "email", "E-mail"
        POST = "post", "Post"
        BY_HAND = "by_hand", "By hand"
        MEETING = "meeting", "Presented at a meeting"

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="distributions")
    recipient = models.CharField(max_length=30, choices=Recipient)
    name = models.CharField(
        "recipient's name", max_length=200, help_text="The person or body it was sent to."
    )
    sent_on = models.DateField()
    method = models.CharField(max_length=20, choices=Method, default=Method.EMAIL)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_recipient_display()}: {self.name}"

    @property
    def board_id(self) -> int:
        return self.report.board_id
