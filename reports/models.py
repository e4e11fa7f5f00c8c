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

from priorities.models import BusinessPlan, PlanStatus, StrategicPlan
from sab.models import Board, BoardScopedQuerySet


class Kind(models.TextChoices):
    BUSINESS_PLAN = "business_plan", "Business plan"
    STRATEGIC_PLAN = "strategic_plan", "Strategic plan"
    ANNUAL_REPORT = "annual_report", "Annual report"


# Which field of a Publication or a PublishingJob holds each kind's source record.
SOURCE_FIELDS = {
    Kind.BUSINESS_PLAN: "business_plan",
    Kind.STRATEGIC_PLAN: "strategic_plan",
}
# A plan may be published once it is approved; publishing again (a correction) makes the
# next version while it stays published.
PUBLISHABLE_STATUSES = frozenset({PlanStatus.APPROVED, PlanStatus.PUBLISHED})


def can_be_published(source) -> bool:
    """Whether a plan may be published: approved (or published already, for a new version)."""
    return source.status in PUBLISHABLE_STATUSES


def kind_of(source) -> Kind:
    if isinstance(source, BusinessPlan):
        return Kind.BUSINESS_PLAN
    if isinstance(source, StrategicPlan):
        return Kind.STRATEGIC_PLAN
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
                    Q(kind=Kind.BUSINESS_PLAN, business_plan__isnull=False, strategic_plan=None)
                    | Q(kind=Kind.STRATEGIC_PLAN, strategic_plan__isnull=False, business_plan=None)
                    | Q(kind=Kind.ANNUAL_REPORT, business_plan=None, strategic_plan=None)
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
        return self.business_plan or self.strategic_plan

    @property
    def source_id(self) -> int | None:
        return self.business_plan_id or self.strategic_plan_id

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
        return self.business_plan or self.strategic_plan

    @property
    def is_finished(self) -> bool:
        return self.state not in self.UNFINISHED
