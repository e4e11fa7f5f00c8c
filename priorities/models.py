"""Plans and actions: the strategic plan, annual business plans, their priorities, objectives
and actions, quarterly progress, measures and reporting periods.

The shape follows real SAB plans (shared/seeds): a priority with its statement, rationale,
"what do we want to be different", partnership lead, board officer and key delivery group,
then a table of actions (Ref / what we will do / outcome measure / who will lead / timescale /
progress).
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Iterable, Iterator

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sab.models import Board, BoardScopedQuerySet, MarkdownField, Person, UniqueWithin, User
from subgroups.models import Group


class Rag(models.TextChoices):
    """Progress ratings. Each board words its own definitions (Board.rag_definitions)."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    COMPLETE = "complete", "Complete"


class Principle(models.TextChoices):
    """The six safeguarding principles (Care and Support Statutory Guidance, chapter 14)."""

    EMPOWERMENT = "empowerment", "Empowerment"
    PREVENTION = "prevention", "Prevention"
    PROPORTIONALITY = "proportionality", "Proportionality"
    PROTECTION = "protection", "Protection"
    PARTNERSHIP = "partnership", "Partnership"
    ACCOUNTABILITY = "accountability", "Accountability"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


# --- Numbering: refs and order, in one place ------------------------------------------------


def free_refs(taken: Iterable[str], prefix: str = "") -> Iterator[str]:
    """``prefix`` + 1, 2, 3..., skipping refs already ``taken`` (ignoring case): 3, 4... for
    a plan whose priorities are 1 and 2; 2b.4, 2b.5... for priority 2b's actions."""
    used = {ref.casefold() for ref in taken}
    for number in itertools.count(1):
        ref = f"{prefix}{number}"
        if ref.casefold() not in used:
            yield ref


def next_ref(taken: Iterable[str], prefix: str = "") -> str:
    """The first free ref (free_refs)."""
    return next(free_refs(taken, prefix))


class OrderedQuerySet(BoardScopedQuerySet):
    """Records kept in the order their plan shows them (an ``order`` field)."""

    def next_order(self) -> int:
        """The order of a record added after these: 0 for the first."""
        highest = self.aggregate(highest=Max("order"))["highest"]
        return 0 if highest is None else highest + 1


class PartOfPlan:
    """A record inside a plan, reached through its ``PARENT`` field (a priority's plan, an
    action's priority, an update's action...). Its board and whether it may still change
    are its parent's: what the permission rules read (``board_id``, ``is_read_only``)."""

    PARENT: str

    @property
    def board_id(self) -> int:
        return getattr(self, self.PARENT).board_id

    @property
    def is_read_only(self) -> bool:
        return getattr(self, self.PARENT).is_read_only


# --- Strategic plan -----------------------------------------------------------------------


class StrategicPlan(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="strategic_plans")
    title = models.CharField(max_length=200)
    first_year = models.PositiveSmallIntegerField(
        help_text="The reporting year it starts, e.g. 2024."
    )
    last_year = models.PositiveSmallIntegerField(help_text="The reporting year it ends, e.g. 2026.")
    vision = MarkdownField(
        help_text="What the board wants for adults in its area by the end of the plan."
    )
    principles = MarkdownField("principles and values", help_text="How the board works.")
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

    @property
    def is_read_only(self) -> bool:
        return self.status == PlanStatus.ARCHIVED

    def next_priority_number(self) -> int:
        return int(next_ref(str(n) for n in self.priorities.values_list("number", flat=True)))

    def missing_consultees(self) -> list[str]:
        """Whom the Care Act says must be consulted on the plan but has not been (Sch 2 para 3),
        in the Act's words: "Local Healthwatch", "the community". Uses prefetched
        ``consultations`` when present."""
        consulted = {record.consultee for record in self.consultations.all()}
        required = ConsultationRecord.REQUIRED_CONSULTEES
        return [words for consultee, words in required.items() if consultee not in consulted]

    @property
    def meets_consultation_duty(self) -> bool:
        return not self.missing_consultees()


class ConsultationRecord(PartOfPlan, models.Model):
    """Who was consulted on a strategic plan (Care Act Sch 2 para 3: Local Healthwatch and
    the community must be), when, and what changed as a result."""

    PARENT = "plan"

    class Consultee(models.TextChoices):
        LOCAL_HEALTHWATCH = "local_healthwatch", "Local Healthwatch"
        COMMUNITY = "community", "The community"
        ADVOCACY = "advocacy", "Advocacy organisations"
        DISABILITY = "disability", "Disability organisations"
        VOLUNTARY = "voluntary", "Voluntary sector"
        OTHER_BOARD = "other_board", "Another board or partnership"
        OTHER = "other", "Other"

    # Care Act 2014 Sch 2 para 3(1): the board must consult Local Healthwatch and involve the
    # community in preparing its strategic plan.
    # community in preparing its strategic plan. Each with the words the duty is put in.
    REQUIRED_CONSULTEES = {
        Consultee.LOCAL_HEALTHWATCH: "Local Healthwatch",
        Consultee.COMMUNITY: "the community",
    }

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


class StrategicPriority(PartOfPlan, models.Model):
    PARENT = "plan"

    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    description = MarkdownField()
    principles = models.JSONField(
        default=list, blank=True, help_text="Which of the six safeguarding principles it serves."
    )

    objects = StrategicPriorityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan_id", "number", "id"]
        verbose_name_plural = "strategic priorities"
        constraints = [
            UniqueWithin(
                fields=["plan", "number"],
                name="strategicpriority_unique_number",
                violation_error_message="Priority %(number)s is already in this plan.",
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


class BusinessPlanQuerySet(BoardScopedQuerySet):
    def current(self) -> BusinessPlanQuerySet:
        """Plans in use: approved or published (the twin of BusinessPlan.is_current)."""
        return self.filter(status__in=BusinessPlan.CURRENT_STATUSES)

    def drafts(self) -> BusinessPlanQuerySet:
        return self.filter(status=PlanStatus.DRAFT)


class BusinessPlan(models.Model):
    # Plans in use: the tracker, the chairs' lists and the group pages show their actions.
    # A draft (next year's plan, prepared while this year's stays in use) joins them when it
    # is approved, and the plan it was rolled forward from is then archived.
    CURRENT_STATUSES = frozenset({PlanStatus.APPROVED, PlanStatus.PUBLISHED})

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
    archived_on = models.DateField(
        null=True, blank=True, help_text="When the plan that replaced it was approved."
    )
    introduction = MarkdownField(help_text="A foreword or summary shown above the priorities.")
    rolled_forward_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rolled_forward_to"
    )

    objects = BusinessPlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        # Newest year first ("2026/27" before "2025/26"), however the plan was made.
        ordering = ["board_id", "-period", models.F("effective_from").desc(nulls_last=True), "-id"]
        constraints = [
            UniqueWithin(
                fields=["board", "title"],
                name="businessplan_unique_title",
                violation_error_message="%(board)s already has a plan called %(title)s.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("priorities:plan-detail", kwargs={"pk": self.pk})

    @property
    def reporting_year(self) -> int:
        """The reporting year the plan is listed under (and reported on in that year's
        annual report): the year its first day falls in, else the first year its period
        names ("2024/25", "2019-21"), else the current one."""
        if self.effective_from:
            return self.board.financial_year_of(self.effective_from)
        if match := re.match(r"\s*(\d{4})", self.period):
            return int(match[1])
        return self.board.current_financial_year()

    @property
    def is_current(self) -> bool:
        return self.status in self.CURRENT_STATUSES

    @property
    def is_read_only(self) -> bool:
        """An archived plan is the record of its year: nothing in it changes any more."""
        return self.status == PlanStatus.ARCHIVED

    @property
    def can_be_approved(self) -> bool:
        """Only a draft is approved (services.approve_plan also needs a priority in it)."""
        return self.status == PlanStatus.DRAFT

    @property
    def can_be_deleted(self) -> bool:
        """Only a draft is deleted (after a wrong import, say): a plan once in use stays."""
        return self.status == PlanStatus.DRAFT

    @property
    def can_be_reopened(self) -> bool:
        """An approved plan can go back to draft (services.reopen_plan, with a reason)."""
        return self.status == PlanStatus.APPROVED

    @property
    def can_roll_forward(self) -> bool:
        """A plan with priorities that is not archived can be rolled forward into next
        year's. Uses prefetched ``priorities`` when present."""
        return not self.is_read_only and bool(self.priorities.all())

    @property
    def replaces(self) -> BusinessPlan | None:
        """The plan this one was rolled forward from, which approving this one archives."""
        previous = self.rolled_forward_from
        return previous if previous is not None and previous.is_current else None

    def next_priority_ref(self) -> str:
        return next_ref(self.priorities.values_list("ref", flat=True))


class PriorityQuerySet(OrderedQuerySet):
    board_path = "plan__board"

    def in_current_plans(self) -> PriorityQuerySet:
        return self.filter(plan__status__in=BusinessPlan.CURRENT_STATUSES)

    def not_archived(self) -> PriorityQuerySet:
        """Priorities of plans in use or in preparation."""
        return self.exclude(plan__status=PlanStatus.ARCHIVED)


class Priority(PartOfPlan, models.Model):
    PARENT = "plan"

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

    # What a copy of a priority carries (roll forward): every field but the plan it belongs
    # to and its edit version. A new field goes here or in NOT_CARRIED (a test checks).
    CARRIED_FIELDS = (
        "ref", "title", "statement", "rationale", "outcome", "partnership_lead", "board_officer",
        "delivery_group", "delivery_group_text", "strategic_priority", "joint_with", "order",
    )  # fmt: skip
    NOT_CARRIED = ("id", "plan", "version")

    class Meta:
        ordering = ["plan_id", "order", "id"]
        verbose_name_plural = "priorities"
        constraints = [
            UniqueWithin(
                fields=["plan", "ref"],
                name="priority_unique_ref",
                violation_error_message="Priority %(ref)s is already in this plan.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    def get_absolute_url(self) -> str:
        return f"{self.plan.get_absolute_url()}#priority-{self.pk}"

    def next_action_ref(self) -> str:
        return next_ref(self.actions.values_list("ref", flat=True), prefix=f"{self.ref}.")


class ObjectiveQuerySet(OrderedQuerySet):
    board_path = "priority__plan__board"


class Objective(PartOfPlan, models.Model):
    PARENT = "priority"

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="objectives")
    text = models.TextField()
    order = models.PositiveIntegerField(default=0)

    objects = ObjectiveQuerySet.as_manager()
    history = HistoricalRecords()

    CARRIED_FIELDS = ("text", "order")  # what a copy carries (roll forward)
    NOT_CARRIED = ("id", "priority")

    class Meta:
        ordering = ["priority_id", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


# --- Reporting periods ----------------------------------------------------------------------


class ReportingPeriodQuerySet(BoardScopedQuerySet):
    def covering(self, day: datetime.date) -> ReportingPeriodQuerySet:
        """Periods that include ``day`` (a board's periods never overlap: at most one each)."""
        return self.filter(start__lte=day, end__gte=day)

    def current(self) -> ReportingPeriodQuerySet:
        """Periods that include today."""
        return self.covering(timezone.localdate())


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
            UniqueWithin(
                fields=["board", "label"],
                name="reportingperiod_unique_label",
                violation_error_message="A period called %(label)s already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @classmethod
    def current_for(cls, board: Board) -> ReportingPeriod | None:
        """The board's period that includes today, if there is one."""
        return cls.objects.for_board(board).current().first()

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


class ActionQuerySet(OrderedQuerySet):
    board_path = "priority__plan__board"

    def in_current_plans(self) -> ActionQuerySet:
        return self.filter(priority__plan__status__in=BusinessPlan.CURRENT_STATUSES)

    def open(self) -> ActionQuerySet:
        """Actions still to finish (the twin of Action.is_finished)."""
        return self.exclude(status__in=Action.FINISHED)

    def finished(self) -> ActionQuerySet:
        return self.filter(status__in=Action.FINISHED)

    def overdue(self, on: datetime.date | None = None) -> ActionQuerySet:
        """Open actions whose due date has passed (the twin of Action.is_overdue)."""
        on = on or timezone.localdate()
        return self.open().filter(due_date__lt=on)

    def with_latest_update(self):
        """Annotate the latest progress update's RAG, text, date and period (a subquery each)."""
        latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-pk")
        return self.annotate(
            latest_rag=Subquery(latest.values("rag")[:1]),
            latest_text=Subquery(latest.values("text")[:1]),
            latest_update_at=Subquery(latest.values("created_at")[:1]),
            latest_update_period=Subquery(latest.values("period_id")[:1]),
        )

    def for_tracker(self) -> ActionQuerySet:
        """What an action list shows (components: priorities/_action_table.html and the
        tracker): the priority, plan, leads and the latest update's rating and period."""
        return self.select_related(
            "priority__plan", "lead_group", "lead_person", "objective"
        ).with_latest_update()


class Action(PartOfPlan, models.Model):
    PARENT = "priority"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"
        DEFERRED = "deferred", "Deferred"
        CANCELLED = "cancelled", "Cancelled"

    # An action with one of these statuses needs no more updates and is never overdue.
    FINISHED = frozenset({Status.COMPLETE, Status.CANCELLED})

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

    # What a copy of an action carries (roll forward), besides its new priority and
    # objective. A new field goes here or in NOT_CARRIED (a test checks).
    CARRIED_FIELDS = (
        "ref", "description", "outcome_measure", "lead_group", "lead_text", "lead_person",
        "due_date", "timescale", "status", "order",
    )  # fmt: skip
    NOT_CARRIED = ("id", "priority", "objective", "carried_forward_from", "version")

    class Meta:
        ordering = ["priority__order", "priority_id", "order", "id"]
        constraints = [
            UniqueWithin(
                fields=["priority", "ref"],
                name="action_unique_ref",
                violation_error_message="Action %(ref)s is already in this priority.",
            ),
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
    def lead_display(self) -> str:
        return self.lead_group.name if self.lead_group_id else self.lead_text

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        """Still open and past its due date (the twin of ActionQuerySet.overdue)."""
        on = on or timezone.localdate()
        return bool(not self.is_finished and self.due_date and self.due_date < on)

    @property
    def can_be_deleted(self) -> bool:
        """An action of a draft plan may be deleted; once the plan is in use it stays (set
        its status to cancelled instead)."""
        return self.priority.plan.can_be_deleted

    def needs_second_look(self, on: datetime.date | None = None) -> bool:
        """Overdue yet rated Green: the rating may be out of date (the board page counts
        these). Reads the ``latest_rag`` annotation (ActionQuerySet.for_tracker)."""
        return self.is_overdue(on) and self.latest_rag == Rag.GREEN

    def needs_update_in(self, period: ReportingPeriod | None) -> bool:
        """Open and without an update in ``period`` (every open action when no period covers
        today). Reads the ``latest_update_period`` annotation (ActionQuerySet.for_tracker)."""
        if self.is_finished:
            return False
        return period is None or self.latest_update_period != period.pk


class Milestone(PartOfPlan, models.Model):
    PARENT = "action"

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


class ProgressUpdate(PartOfPlan, models.Model):
    PARENT = "action"

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

    def is_still_open(self, on: datetime.date | None = None) -> bool:
        """Its author may still change or withdraw it: while its period is the current one
        (or, made when no period covered the day, on the day it was made)."""
        on = on or timezone.localdate()
        if self.period_id is None:
            return timezone.localdate(self.created_at) == on
        return self.period.start <= on <= self.period.end


# --- Measures -------------------------------------------------------------------------------


class MeasureQuerySet(BoardScopedQuerySet):
    board_path = "priority__plan__board"


class Measure(PartOfPlan, models.Model):
    PARENT = "priority"

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


class MeasureValue(PartOfPlan, models.Model):
    PARENT = "measure"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    note = models.CharField(max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure_id", "period__start", "id"]
        constraints = [
            UniqueWithin(
                fields=["measure", "period"],
                name="measurevalue_one_per_period",
                violation_error_message="A value for %(period)s is already recorded.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.value} ({self.period})"


# --- Plan import: lead names matched by hand -----------------------------------------------


class LeadNameMappingQuerySet(BoardScopedQuerySet):
    board_path = "board"


class LeadNameMapping(models.Model):
    """A lead name from an imported plan that matched none of the board's groups, and the
    group the board manager chose for it in the import preview. The board's later imports
    read the name as that group."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="lead_name_mappings")
    name = models.CharField(
        max_length=300,
        help_text="The name as the import compares names: lower case, without spaces or "
        'punctuation, "&" as "and" (priorities.plan_import.names.name_key).',
    )
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="lead_name_mappings")

    objects = LeadNameMappingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["board_id", "name", "id"]
        constraints = [
            UniqueWithin(
                fields=["board", "name"],
                name="leadnamemapping_unique_name",
                violation_error_message="%(name)s is already matched to a group.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} -> {self.group}"


# --- The quarterly RAG cycle: the delivery group proposes, the executive decides ------------

# The ratings a board's key words and defines: the progress ratings, and optionally
# "not started" (DOMAIN.md 4.6).
NOT_STARTED = "not_started"
RAG_KEY_CHOICES = [*Rag.choices, (NOT_STARTED, "Not started")]


class RagDefinitionQuerySet(BoardScopedQuerySet):
    board_path = "board"

    def in_key_order(self) -> RagDefinitionQuerySet:
        """As the key prints them: the board's order, then the order the entries were added."""
        return self.order_by("order", "id")


class RagDefinition(models.Model):
    """One entry of a board's RAG key: a rating with the board's own word and definition,
    printed as the key wherever ratings appear."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="rag_key")
    rating = models.CharField(max_length=20, choices=RAG_KEY_CHOICES)
    word = models.CharField(max_length=40, help_text='The board\'s word, such as "Blue".')
    definition = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    objects = RagDefinitionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["board_id", "order", "id"]
        constraints = [
            UniqueWithin(
                fields=["board", "rating"],
                name="ragdefinition_one_per_rating",
                violation_error_message="The key already defines %(rating)s.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.word}: {self.definition}"

    # The key a board starts with (DOMAIN.md 4.6, as Board.DEFAULT_RAG_DEFINITIONS words it),
    # in the order it is printed. "Not started" is optional: a board adds it if it uses it.
    DEFAULTS = (
        (Rag.COMPLETE, "Complete", "The action or priority has been delivered (shown in blue)."),
        (Rag.GREEN, "Green", "On track."),
        (Rag.AMBER, "Amber", "Some slippage or risk; mitigation is in place."),
        (Rag.RED, "Red", "Off track or at risk; needs the board's attention."),
    )
    NOT_STARTED_DEFAULT = (NOT_STARTED, "Not started", "Work has not started yet.")
    # The words a board's text may use for each rating (Board.rag_definitions), lower case.
    WORDS = {
        Rag.RED: ("red", "r"),
        Rag.AMBER: ("amber", "a", "yellow"),
        Rag.GREEN: ("green", "g"),
        Rag.COMPLETE: ("complete", "completed", "blue", "b", "done", "closed", "delivered"),
        NOT_STARTED: ("not started", "not yet started", "grey", "gray", "unassessed"),
    }
    # "- **Green:** on track." / "* **Blue** - complete" / "Red = not met": one entry a line.
    LINE = re.compile(
        r"^\s*(?:[-*+]|\d+[.)])?\s*"
        r"(?:(?:\*\*|__)(?P<bold>[^*_:]{1,40}?)\s*:?\s*(?:\*\*|__)\s*[:=\-\u2013\u2014]?"
        r"|(?P<plain>[A-Za-z][A-Za-z ]{0,39}?)\s*(?:[:=\u2013\u2014]|\s-))"
        r"\s*(?P<definition>\S.*?)\s*$"
    )

    @property
    def is_optional(self) -> bool:
        """Only "not started" may be left out of a key."""
        return self.rating == NOT_STARTED

    @property
    def rating_label(self) -> str:
        """The rating's own name ("Complete"), which the tag shows beside the board's word."""
        return dict(RAG_KEY_CHOICES)[self.rating]

    @property
    def has_own_word(self) -> bool:
        """The board calls the rating something other than its name ("Blue" for Complete)."""
        return self.word.strip().casefold() != self.rating_label.casefold()

    @classmethod
    def rating_for_word(cls, word: str) -> str | None:
        """The rating a board's word stands for ("Blue" -> complete), or None."""
        word = " ".join(word.replace("*", "").split()).casefold()
        return next((rating for rating, words in cls.WORDS.items() if word in words), None)

    @classmethod
    def defaults(cls, board: Board | None = None) -> list[RagDefinition]:
        """The default key (unsaved entries, ``board`` set if given)."""
        return [
            cls(board=board, rating=rating, word=word, definition=definition, order=order)
            for order, (rating, word, definition) in enumerate(cls.DEFAULTS)
        ]

    @classmethod
    def parse(cls, text: str, board: Board | None = None) -> list[RagDefinition]:
        """The entries a board's Markdown text words (Board.rag_definitions), unsaved, in its
        order: one a line ("- **Complete:** delivered (shown in blue)."), the rating found
        from the word (rating_for_word). Lines whose word is no rating, and a second line for
        a rating already found, are left out (they stay in the text)."""
        found: dict[str, RagDefinition] = {}
        for line in (text or "").splitlines():
            match = cls.LINE.match(line)
            if not match:
                continue
            word = " ".join((match["bold"] or match["plain"] or "").split())
            rating = cls.rating_for_word(word)
            if rating is None or rating in found:
                continue
            definition = match["definition"].strip()
            definition = definition[:1].upper() + definition[1:]
            if len(definition) > 300:
                definition = definition[:299].rstrip() + "\u2026"
            found[rating] = cls(
                board=board,
                rating=rating,
                word=word[:1].upper() + word[1:],
                definition=definition,
                order=len(found),
            )
        return list(found.values())

    @classmethod
    def completed(cls, entries: list[RagDefinition], board: Board | None = None) -> list:
        """``entries`` with the default entry added for each required rating they lack."""
        have = {entry.rating for entry in entries}
        missing = [entry for entry in cls.defaults(board) if entry.rating not in have]
        for order, entry in enumerate(missing, start=len(entries)):
            entry.order = order
        return [*entries, *missing]

    @classmethod
    def key_for(cls, board: Board) -> list[RagDefinition]:
        """The board's key, in order: its entries; for a board without any yet, the entries
        its RAG definitions text words (unsaved), with the defaults for any rating it does
        not word. What the key component (priorities/_rag_key.html) prints."""
        entries = list(cls.objects.for_board(board).in_key_order())
        if entries:
            return entries
        return cls.completed(cls.parse(board.rag_definitions, board), board)


class RagAssessmentQuerySet(BoardScopedQuerySet):
    board_path = "priority__plan__board"

    def in_current_plans(self) -> RagAssessmentQuerySet:
        return self.filter(priority__plan__status__in=BusinessPlan.CURRENT_STATUSES)

    def proposed(self) -> RagAssessmentQuerySet:
        """Waiting for the executive's decision."""
        return self.filter(state=RagAssessment.State.PROPOSED)

    def decided(self) -> RagAssessmentQuerySet:
        return self.filter(state=RagAssessment.State.DECIDED)

    def to_write(self) -> RagAssessmentQuerySet:
        """Still with the delivery group: drafts, and proposals the executive returned."""
        return self.filter(state__in=[RagAssessment.State.DRAFT, RagAssessment.State.RETURNED])


class RagAssessment(PartOfPlan, models.Model):
    """A priority's RAG rating for one reporting period, agreed by two bodies: the delivery
    group proposes (comments, recommendations, risks and mitigation, a rating), the executive
    group decides (its comments, risks and mitigation, the rating; a reason whenever it
    differs from the proposal). The seed plan's action log per priority and quarter.

    States: draft -> proposed -> decided, and proposed -> returned (with the executive's
    question) -> proposed again. A decided assessment is locked: a correction is a new
    decision with a reason, and the history keeps both. Transitions are services
    (priorities/rag.py), each refused when the state has moved on (``version``).
    """

    PARENT = "priority"

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        PROPOSED = "proposed", "Proposed"
        RETURNED = "returned", "Returned with a question"
        DECIDED = "decided", "Decided"

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="rag_assessments")
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="rag_assessments"
    )
    state = models.CharField(max_length=20, choices=State, default=State.DRAFT)
    # The proposal, by the priority's delivery group.
    comments = MarkdownField("comments from the delivery group")
    recommendations = MarkdownField("recommendations from the delivery group")
    risks = MarkdownField("identified risks and mitigation")
    proposed_rating = models.CharField("proposed rating", max_length=10, choices=Rag, blank=True)
    proposed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    # The executive's question, when it returns a proposal.
    question = MarkdownField("the executive group's question")
    returned_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    # The decision, by the executive group.
    executive_comments = MarkdownField("comments by the executive group")
    executive_risks = MarkdownField("risks and mitigation identified by the executive group")
    decided_rating = models.CharField("decided rating", max_length=10, choices=Rag, blank=True)
    decision_reason = MarkdownField(
        "reason for the decision", help_text="Needed when the rating differs from the proposal."
    )
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = RagAssessmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["priority__plan_id", "priority__order", "priority_id", "-period__start", "id"]
        constraints = [
            UniqueWithin(
                fields=["priority", "period"],
                name="ragassessment_one_per_priority_per_period",
                violation_error_message="This priority already has an assessment for %(period)s.",
            ),
            models.CheckConstraint(
                condition=~Q(state="decided") | ~Q(decided_rating=""),
                name="ragassessment_decided_has_a_rating",
            ),
            models.CheckConstraint(
                condition=~Q(state="decided")
                | Q(decided_rating=F("proposed_rating"))
                | ~Q(decision_reason=""),
                name="ragassessment_override_has_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | ~Q(proposed_rating=""),
                name="ragassessment_proposal_has_a_rating",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.priority.ref} {self.period}: {self.get_state_display()}"

    def get_absolute_url(self) -> str:
        return reverse("priorities:rag-assessment", kwargs={"pk": self.pk})

    @property
    def is_overridden(self) -> bool:
        """Decided with a different rating from the one proposed."""
        return self.state == self.State.DECIDED and self.decided_rating != self.proposed_rating


# --- Reminders (priorities/reminders.py) ----------------------------------------------------


class ReminderSent(models.Model):
    """A reminder someone has been sent, so a second run never sends it again: ``kind`` and
    ``key`` name what it was about ("period:12" for a period's updates, "action:5:period:12"
    for an overdue action, "assessment:7:meeting:2026-10-21" for a rating to decide)."""

    class Kind(models.TextChoices):
        UPDATES_DUE = "updates_due", "Updates due"
        OVERDUE = "overdue", "Overdue action"
        DECISION = "decision", "Rating to decide"
        STATEMENT_DUE = "statement_due", "Partner statement due"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind)
    key = models.CharField(max_length=100)
    sent_on = models.DateField()

    class Meta:
        ordering = ["-sent_on", "id"]
        constraints = [
            UniqueWithin(
                fields=["user", "kind", "key"],
                name="remindersent_once_each",
                violation_error_message="This reminder (%(key)s) has already been sent.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key} to {self.user} on {self.sent_on}"
