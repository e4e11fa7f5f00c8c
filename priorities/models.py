"""Plans and actions: the strategic plan, annual business plans, their priorities, objectives
and actions, quarterly progress, measures and reporting periods.

The shape follows real SAB plans (shared/seeds): a priority with its statement, rationale,
"what do we want to be different", partnership lead, board officer and key delivery group,
then a table of actions (Ref / what we will do / outcome measure / who will lead / timescale /
progress).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sab import permissions
from sab.models import Board, Person, User
from subgroups.models import Group


class Rag(models.TextChoices):
    """Progress ratings. Each board words its own definitions (Board.rag_definitions)."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    COMPLETE = "complete", "Complete (blue)"


class Principle(models.TextChoices):
    """The six safeguarding principles (Care and Support Statutory Guidance, chapter 14)."""

    EMPOWERMENT = "empowerment", "Empowerment"
    PREVENTION = "prevention", "Prevention"
    PROPORTIONALITY = "proportionality", "Proportionality"
    PROTECTION = "protection", "Protection"
    PARTNERSHIP = "partnership", "Partnership"
    ACCOUNTABILITY = "accountability", "Accountability"


class BoardScopedQuerySet(models.QuerySet):
    """Records that belong to a board through ``board_path`` (e.g. "plan__board")."""

    board_path = "board"

    def visible_to(self, user):
        if user.is_superuser:
            return self
        return self.filter(**{f"{self.board_path}__in": permissions.board_ids(user)})

    def for_board(self, board: Board):
        return self.filter(**{self.board_path: board})


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


# --- Strategic plan -----------------------------------------------------------------------


class StrategicPlan(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="strategic_plans")
    title = models.CharField(max_length=200)
    first_year = models.PositiveSmallIntegerField(
        help_text="The reporting year it starts, e.g. 2024."
    )
    last_year = models.PositiveSmallIntegerField(help_text="The reporting year it ends, e.g. 2026.")
    vision = models.TextField(blank=True, help_text="Markdown.")
    principles = models.TextField(
        "principles and values", blank=True, help_text="How the board works (Markdown)."
    )
    status = models.CharField(max_length=20, choices=PlanStatus, default=PlanStatus.DRAFT)
    approved_on = models.DateField(null=True, blank=True)

    objects = BoardScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["board_id", "-first_year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")),
                name="strategicplan_last_year_after_first",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("priorities:strategic-plan-detail", kwargs={"pk": self.pk})


class ConsultationRecord(models.Model):
    """Who was consulted on a strategic plan (Care Act Sch 2 para 3: Local Healthwatch and
    the community must be), when, and what changed as a result."""

    class Consultee(models.TextChoices):
        LOCAL_HEALTHWATCH = "local_healthwatch", "Local Healthwatch"
        COMMUNITY = "community", "The community"
        ADVOCACY = "advocacy", "Advocacy organisations"
        DISABILITY = "disability", "Disability organisations"
        VOLUNTARY = "voluntary", "Voluntary sector"
        OTHER_BOARD = "other_board", "Another board or partnership"
        OTHER = "other", "Other"

    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="consultations")
    consultee = models.CharField(max_length=30, choices=Consultee)
    who = models.CharField(max_length=200, help_text="For example, Healthwatch Leicester.")
    consulted_on = models.DateField()
    summary = models.TextField("what they said", blank=True)
    what_changed = models.TextField("what changed as a result", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan_id", "consulted_on", "id"]

    def __str__(self) -> str:
        return f"{self.who}, {self.consulted_on:%-d %B %Y}"


class StrategicPriorityQuerySet(BoardScopedQuerySet):
    board_path = "plan__board"


class StrategicPriority(models.Model):
    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    principles = models.JSONField(
        default=list, blank=True, help_text="Which of the six safeguarding principles it serves."
    )

    objects = StrategicPriorityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan_id", "number", "id"]
        verbose_name_plural = "strategic priorities"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="strategicpriority_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def clean(self) -> None:
        unknown = set(self.principles or []) - set(Principle.values)
        if unknown:
            raise ValidationError({"principles": f"Unknown principles: {', '.join(unknown)}"})

    def principle_labels(self) -> list[str]:
        return [Principle(p).label for p in self.principles or []]


# --- Business plan ------------------------------------------------------------------------


class BusinessPlan(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="business_plans")
    strategic_plan = models.ForeignKey(
        StrategicPlan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="business_plans",
    )
    title = models.CharField(max_length=200)
    period = models.CharField(
        max_length=20, blank=True, help_text="For example 2019/20 or 2019-21."
    )
    effective_from = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=PlanStatus, default=PlanStatus.DRAFT)
    approved_on = models.DateField(null=True, blank=True)
    introduction = models.TextField(blank=True, help_text="Markdown.")
    rolled_forward_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rolled_forward_to"
    )

    objects = BoardScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["board_id", "-effective_from", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["board", "title"], name="businessplan_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("priorities:plan-detail", kwargs={"pk": self.pk})


class PriorityQuerySet(BoardScopedQuerySet):
    board_path = "plan__board"


class Priority(models.Model):
    plan = models.ForeignKey(BusinessPlan, on_delete=models.CASCADE, related_name="priorities")
    ref = models.CharField(max_length=20, help_text='For example "2b" or "SAB1".')
    title = models.CharField(max_length=500)
    statement = models.TextField("priority statement", blank=True)
    rationale = models.TextField(blank=True)
    outcome = models.TextField("what do we want to be different?", blank=True)
    partnership_lead = models.CharField(max_length=200, blank=True)
    board_officer = models.CharField(max_length=200, blank=True)
    delivery_group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="priorities_delivered",
        help_text="The key delivery mechanism: the group that proposes this priority's RAG.",
    )
    delivery_group_text = models.CharField(
        "delivery group (as written)",
        max_length=200,
        blank=True,
        help_text="Kept when an imported name did not match a group.",
    )
    strategic_priority = models.ForeignKey(
        StrategicPriority,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="business_priorities",
    )
    joint_with = models.ManyToManyField(
        Board, blank=True, related_name="joint_priorities", help_text="Neighbouring boards."
    )
    order = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    objects = PriorityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan_id", "order", "id"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "ref"], name="priority_unique_ref"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    def get_absolute_url(self) -> str:
        return f"{self.plan.get_absolute_url()}#priority-{self.pk}"


class ObjectiveQuerySet(BoardScopedQuerySet):
    board_path = "priority__plan__board"


class Objective(models.Model):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="objectives")
    text = models.TextField()
    order = models.PositiveIntegerField(default=0)

    objects = ObjectiveQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["priority_id", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


# --- Reporting periods ----------------------------------------------------------------------


class ReportingPeriodQuerySet(BoardScopedQuerySet):
    def current(self, board: Board, on=None):
        on = on or timezone.localdate()
        return self.filter(board=board, start__lte=on, end__gte=on).first()


class ReportingPeriod(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="reporting_periods")
    label = models.CharField(max_length=40, help_text='For example "Q2 2024/25".')
    start = models.DateField()
    end = models.DateField()
    update_deadline = models.DateField(null=True, blank=True)
    exec_meeting_date = models.DateField("executive meeting date", null=True, blank=True)

    objects = ReportingPeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["board_id", "-start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="reportingperiod_end_after_start"
            ),
            models.UniqueConstraint(fields=["board", "label"], name="reportingperiod_unique_label"),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "The period must end after it starts."})
        if self.board_id and self.start and self.end:
            overlap = ReportingPeriod.objects.filter(
                board_id=self.board_id, start__lte=self.end, end__gte=self.start
            ).exclude(pk=self.pk)
            if overlap.exists():
                raise ValidationError(f"This period overlaps {overlap.first()}.")


# --- Actions --------------------------------------------------------------------------------


class ActionQuerySet(BoardScopedQuerySet):
    board_path = "priority__plan__board"

    def in_current_plans(self):
        return self.filter(
            priority__plan__status__in=[PlanStatus.DRAFT, PlanStatus.APPROVED, PlanStatus.PUBLISHED]
        )

    def open(self):
        return self.exclude(status__in=[Action.Status.COMPLETE, Action.Status.CANCELLED])

    def overdue(self, on=None):
        on = on or timezone.localdate()
        return self.open().filter(due_date__lt=on)

    def with_latest_update(self):
        """Annotate the latest progress update's RAG, date and period (one subquery each)."""
        latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-pk")
        return self.annotate(
            latest_rag=Subquery(latest.values("rag")[:1]),
            latest_update_at=Subquery(latest.values("created_at")[:1]),
            latest_update_period=Subquery(latest.values("period_id")[:1]),
        )

    def for_tracker(self):
        """What an action list shows: the priority, plan, leads and latest update."""
        return self.select_related(
            "priority__plan", "lead_group", "lead_person", "objective"
        ).with_latest_update()


class Action(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"
        DEFERRED = "deferred", "Deferred"
        CANCELLED = "cancelled", "Cancelled"

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    ref = models.CharField(max_length=20, help_text='For example "2b.1".')
    description = models.TextField("what we will do")
    outcome_measure = models.TextField("outcome or evidence measure", blank=True)
    lead_group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="actions_led"
    )
    lead_text = models.CharField(
        "lead (as written)",
        max_length=300,
        blank=True,
        help_text="Who will lead, as the plan words it, when it is not one of the board's groups.",
    )
    lead_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions_led"
    )
    due_date = models.DateField(null=True, blank=True)
    timescale = models.CharField(
        max_length=300,
        blank=True,
        help_text='Free text such as "Plan by June; implement from October".',
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.NOT_STARTED)
    carried_forward_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_forward_to"
    )
    order = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["priority__order", "priority_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "ref"], name="action_unique_ref"),
        ]
        indexes = [
            # Tracker filters: by lead group, status and due date within a board's plans.
            models.Index(fields=["lead_group", "status"], name="action_group_status"),
            models.Index(fields=["due_date"], name="action_due_date"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.description[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("priorities:action-detail", kwargs={"pk": self.pk})

    @property
    def board_id(self) -> int:
        return self.priority.plan.board_id

    @property
    def lead_display(self) -> str:
        return self.lead_group.name if self.lead_group_id else self.lead_text

    def is_overdue(self, on=None) -> bool:
        on = on or timezone.localdate()
        open_ = self.status not in {self.Status.COMPLETE, self.Status.CANCELLED}
        return bool(open_ and self.due_date and self.due_date < on)


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    description = models.CharField(max_length=500)
    due = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["action_id", "due", "id"]

    def __str__(self) -> str:
        return self.description


class ProgressUpdateQuerySet(BoardScopedQuerySet):
    board_path = "action__priority__plan__board"


class ProgressUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    period = models.ForeignKey(
        ReportingPeriod, null=True, blank=True, on_delete=models.PROTECT, related_name="updates"
    )
    text = models.TextField("progress")
    status = models.CharField(max_length=20, choices=Action.Status)
    rag = models.CharField(
        "RAG rating",
        max_length=10,
        choices=Rag,
        blank=True,
        help_text="Blank for progress brought in from an imported plan without a rating.",
    )
    evidence_link = models.URLField("link to evidence", blank=True)
    author = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="progress_updates"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ProgressUpdateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["action_id", "-created_at", "-id"]
        indexes = [
            # The latest update per action (tracker and action page).
            models.Index(fields=["action", "-created_at"], name="update_action_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.action.ref}: {self.get_rag_display()} ({self.created_at:%-d %b %Y})"


# --- Measures -------------------------------------------------------------------------------


class MeasureQuerySet(BoardScopedQuerySet):
    board_path = "priority__plan__board"


class Measure(models.Model):
    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"
        NEITHER = "neither", "Neither (for context)"

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(max_length=300)
    unit = models.CharField(max_length=40, blank=True, help_text="For example %, people, days.")
    direction = models.CharField(max_length=10, choices=Direction, default=Direction.NEITHER)
    target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    source = models.CharField(max_length=300, blank=True)

    objects = MeasureQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["priority_id", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("priorities:measure-detail", kwargs={"pk": self.pk})


class MeasureValue(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    note = models.CharField(max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure_id", "period__start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period"], name="measurevalue_one_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.value} ({self.period})"
