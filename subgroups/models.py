"""Governance structure: the groups that deliver a board's work, who sits on them, and when
they met. Annual reports must say who chaired what and whether groups met.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sab.models import (
    Board,
    BoardScopedQuerySet,
    MarkdownField,
    Organisation,
    Person,
    Term,
    TermQuerySet,
    UniqueWithin,
    term_in_order,
)


class GroupQuerySet(BoardScopedQuerySet):
    """Groups of a board; a joint group belongs to (and shows in) each board it serves."""

    board_path = "boards"

    def active(self) -> GroupQuerySet:
        return self.filter(active=True)

    def with_meetings_held(self, start: datetime.date, end: datetime.date, name: str):
        """Annotate ``name`` with the number of meetings held between start and end inclusive."""
        return self.annotate(
            **{
                name: Count(
                    "meetings",
                    filter=Q(
                        meetings__status=Meeting.Status.HELD,
                        meetings__date__gte=start,
                        meetings__date__lte=end,
                    ),
                )
            }
        )

    def with_meetings_held_in_year(self, board: Board, year: int, name: str = "meetings_held"):
        """Meetings held in the board's reporting year ``year`` (April to March by default)."""
        return self.with_meetings_held(*board.financial_year_bounds(year), name=name)


class Group(models.Model):
    class Kind(models.TextChoices):
        BOARD = "board", "Board"
        EXECUTIVE = "executive", "Executive group"
        JOINT_EXECUTIVE = "joint_executive", "Joint executive group"
        SUBGROUP = "subgroup", "Subgroup"
        TASK_FINISH = "task_finish", "Task and finish group"
        FORUM = "forum", "Forum"

    boards = models.ManyToManyField(
        Board,
        related_name="groups",
        help_text="A group shared by several boards (a joint group) belongs to each of them.",
    )
    reporting_board = models.ForeignKey(
        Board,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The board the group reports to: its reporting year and its pages follow "
        "this board. One of the boards it serves.",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.SUBGROUP)
    reports_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reporting_groups",
        help_text="The group this one reports to.",
    )
    remit = MarkdownField("remit and terms of reference", help_text="What the group is for.")
    established = models.DateField(null=True, blank=True)
    ends = models.DateField(
        "end date", null=True, blank=True, help_text="Task and finish groups must have one."
    )
    active = models.BooleanField(default=True)

    objects = GroupQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[boards])

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__isnull=True)
                | Q(established__isnull=True)
                | Q(ends__gt=F("established")),
                name="group_ends_after_established",
            ),
            models.CheckConstraint(
                condition=~Q(kind="task_finish") | Q(ends__isnull=False),
                name="group_task_finish_has_end_date",
            ),
            models.CheckConstraint(
                condition=Q(reports_to__isnull=True) | ~Q(reports_to=F("pk")),
                name="group_does_not_report_to_itself",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("subgroups:group-detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors = {}
        if self.established and self.ends and self.ends <= self.established:
            errors["ends"] = "The end date must be after the date the group was established."
        if self.kind == self.Kind.TASK_FINISH and not self.ends:
            errors["ends"] = "Enter the date this task and finish group ends."
        if self.reports_to_id and self.pk:
            if self.reports_to_id == self.pk:
                errors["reports_to"] = "A group cannot report to itself."
            elif self.reports_to_id in self.descendant_ids():
                errors["reports_to"] = (
                    f"{self.reports_to} reports to {self.name} (directly or through other "
                    f"groups), so {self.name} cannot report to it."
                )
        if errors:
            raise ValidationError(errors)

    def descendant_ids(self) -> set[int]:
        """Ids of every group reporting to this one, directly or through others."""
        found: set[int] = set()
        frontier = {self.pk}
        while frontier:
            children = set(
                Group.objects.filter(reports_to_id__in=frontier).values_list("pk", flat=True)
            )
            frontier = children - found
            found |= children
        return found

    @property
    def board_ids(self) -> set[int]:
        """The boards this group serves (from prefetched ``boards`` when present)."""
        return {board.pk for board in self.boards.all()}

    @property
    def is_joint(self) -> bool:
        return len(self.boards.all()) > 1

    def current_memberships(self, on: datetime.date | None = None):
        """Current members; uses prefetched ``memberships`` when present (no extra queries)."""
        on = on or timezone.localdate()
        return [m for m in self.memberships.all() if m.is_current(on)]

    def attendee_choices(self):
        """The people who may be recorded as attending the group's meetings: anyone who has
        been a member (a past member may have attended an earlier meeting)."""
        return Person.objects.filter(group_memberships__group=self).distinct()

    def current_holder(self, role: str) -> GroupMembership | None:
        return next((m for m in self.current_memberships() if m.role == role), None)

    @property
    def chair(self) -> GroupMembership | None:
        return self.current_holder(GroupMembership.Role.CHAIR)

    @property
    def vice_chair(self) -> GroupMembership | None:
        return self.current_holder(GroupMembership.Role.VICE_CHAIR)


class GroupMembershipQuerySet(TermQuerySet, BoardScopedQuerySet):
    board_path = "group__boards"


class GroupMembership(Term):
    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice chair"
        MEMBER = "member", "Member"
        ADVISER = "adviser", "Adviser"
        BOARD_OFFICER = "board_officer", "Board officer"

    # Roles held by one person at a time.
    SINGLE_HOLDER_ROLES = (Role.CHAIR, Role.VICE_CHAIR)
    # Roles that act as the group's chair (keep its members and meetings): subgroups/rules.py.
    CHAIR_ROLES = (Role.CHAIR, Role.VICE_CHAIR)

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="group_memberships")
    role = models.CharField(max_length=20, choices=Role, default=Role.MEMBER)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_memberships",
        help_text="The organisation they represent on this group.",
    )

    objects = GroupMembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "role", "person__name", "id"]
        constraints = [
            term_in_order("groupmembership_end_after_start"),
            # The database backs up the overlap check in clean(): at most one open-ended
            # chair (and vice chair) per group.
            models.UniqueConstraint(
                fields=["group", "role"],
                condition=Q(role__in=["chair", "vice_chair"], end__isnull=True),
                name="groupmembership_one_open_chair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}, {self.get_role_display().lower()} of {self.group}"

    def clean(self) -> None:
        super().clean()
        if self.role in self.SINGLE_HOLDER_ROLES and self.group_id:
            overlapping = self.overlapping_terms()
            if overlapping:
                other = overlapping[0]
                until = f"until {other.end:%-d %B %Y}" if other.end else "with no end date"
                since = f"from {other.start:%-d %B %Y}" if other.start else "from the start"
                raise ValidationError(
                    {
                        "start": f"{other.person.name} is {self.get_role_display().lower()} "
                        f"{since} {until}. A group has one {self.get_role_display().lower()} "
                        "at a time: end their term before this one starts."
                    }
                )

    def overlapping_terms(self) -> list[GroupMembership]:
        """Other holders of this single-holder role whose terms overlap this one."""
        far_past, far_future = datetime.date.min, datetime.date.max
        start, end = self.start or far_past, self.end or far_future
        others = (
            GroupMembership.objects.filter(group_id=self.group_id, role=self.role)
            .exclude(pk=self.pk)
            .select_related("person")
        )
        return [
            other
            for other in others
            if (other.start or far_past) <= end and start <= (other.end or far_future)
        ]


class MeetingQuerySet(BoardScopedQuerySet):
    board_path = "group__boards"

    def held(self) -> MeetingQuerySet:
        return self.filter(status=Meeting.Status.HELD)

    def between(self, start: datetime.date, end: datetime.date) -> MeetingQuerySet:
        return self.filter(date__gte=start, date__lte=end)


class Meeting(models.Model):
    class Status(models.TextChoices):
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"
        DID_NOT_MEET = "did_not_meet", "Did not meet"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    status = models.CharField(max_length=20, choices=Status, default=Status.HELD)
    quorate = models.BooleanField(null=True, blank=True, help_text="Leave blank if not recorded.")
    attendees = models.ManyToManyField(Person, blank=True, related_name="meetings_attended")
    summary = MarkdownField(help_text="Decisions, challenge and actions agreed.")

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        ordering = ["-date", "id"]
        constraints = [
            UniqueWithin(
                fields=["group", "date"],
                name="meeting_one_per_group_per_day",
                violation_error_message="A meeting of this group is already recorded on that date.",
            ),
            models.CheckConstraint(
                condition=Q(status="held") | Q(quorate__isnull=True) | Q(quorate=False),
                name="meeting_only_held_meetings_are_quorate",
            ),
        ]
        indexes = [
            # Meetings held per group per reporting year (annual report, group page).
            models.Index(fields=["group", "status", "date"], name="meeting_group_status_date"),
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.date:%-d %B %Y} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return f"{self.group.get_absolute_url()}#meeting-{self.pk}"

    def clean(self) -> None:
        if self.status != self.Status.HELD and self.quorate:
            raise ValidationError({"quorate": "Only a meeting that was held can be quorate."})
