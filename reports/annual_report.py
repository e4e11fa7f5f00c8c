"""What an annual report contains: the board office's narrative and the parts built from the
reporting year's records, never typed again (Care Act 2014 Schedule 2 paragraph 4; the seed
report's shape). ``assemble(report)`` gathers it all in a fixed number of queries, whatever
the number of priorities, groups, meetings, referrals or statements; the printed document
(reports/documents.py) and the report's pages read what it returns.

- Who we are: the board's members during the year (statutory partners first) and how many of
  the board's and its groups' meetings each organisation attended.
- Our priorities: each priority of the year's business plans with the executive's final
  decided rating in the year (in the board's words) and where its actions ended the year.
- Sub-groups and task and finish groups: each group's chair at the year end, remit, meetings
  held in the year, and the actions it led with what they achieved.
- Safeguarding Adults Reviews: reviews.summary.year_summary (paragraph 4(1)(d) to (g)), the
  subject labels only, never working notes.
- Partner statements: the accepted ones (paragraph 4(1)(c)); one that arrived after approval
  waits for next year's report.
- Safeguarding data: the Section 42 figures (reports/figures.py).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from priorities.models import Action, BusinessPlan, Priority, RagAssessment, RagDefinition
from reports.models import AnnualReport, Part, PartnerStatement, ReportSection
from reviews.summary import YearSummary, decision_made, year_summary
from sab.models import BoardMembership
from subgroups.models import Group, GroupMembership, Meeting

# Parts whose sections may sit under one group's heading.
GROUP_PARTS = frozenset({Part.GROUPS, Part.TASK_AND_FINISH})


@dataclass(frozen=True)
class MemberRow:
    organisation: object
    statutory: bool
    meetings_attended: int


@dataclass(frozen=True)
class PriorityRow:
    priority: Priority
    decision: RagAssessment | None  # the last rating the executive decided in the year
    status_counts: list[tuple[str, int]]  # (status label, actions) in Action.Status order
    actions: int


@dataclass(frozen=True)
class GroupRow:
    group: Group
    chair: GroupMembership | None
    meetings_held: int
    actions: list[Action]
    completed: list[Action]
    sections: list[ReportSection] = field(default_factory=list)


@dataclass
class Assembly:
    report: AnnualReport
    start: datetime.date
    end: datetime.date
    members: list[MemberRow]
    meetings_held: int
    plans: list[BusinessPlan]
    priorities: list[PriorityRow]
    groups: list[GroupRow]
    task_and_finish: list[GroupRow]
    reviews: YearSummary
    referral_rows: list[tuple[object, str]]
    statements: list[PartnerStatement]
    sections: dict[str, list[ReportSection]]
    rag_key: list[RagDefinition]

    @property
    def board(self):
        return self.report.board


def _members(board, start, end) -> tuple[list[MemberRow], int]:
    """Members during the year, with the meetings each attended of those held in the year by
    the board's groups (the board itself is one of them)."""
    memberships = (
        BoardMembership.objects.filter(board=board)
        .filter(Q(start__isnull=True) | Q(start__lte=end))
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .select_related("organisation")
        .order_by("-statutory", "organisation__name", "pk")
    )
    meetings = Meeting.objects.for_board(board).held().between(start, end)
    attended = (
        Meeting.attendees.through.objects.filter(meeting__in=meetings)
        .exclude(person__organisation=None)
        .values_list("meeting_id", "person__organisation_id")
        .distinct()
    )
    per_organisation = Counter(organisation for _meeting, organisation in attended)
    rows, seen = [], set()
    for membership in memberships:
        if membership.organisation_id in seen:
            continue
        seen.add(membership.organisation_id)
        rows.append(
            MemberRow(
                membership.organisation,
                membership.statutory,
                per_organisation[membership.organisation_id],
            )
        )
    return rows, meetings.count()


def _priorities(plans: list[BusinessPlan], start, end) -> list[PriorityRow]:
    decisions = (
        RagAssessment.objects.decided()
        .filter(period__end__lte=end, period__end__gte=start)
        .select_related("period")
        .order_by("-period__end", "-pk")
    )
    priorities = (
        Priority.objects.filter(plan__in=plans)
        .select_related("plan", "delivery_group")
        .prefetch_related(
            Prefetch("rag_assessments", queryset=decisions, to_attr="year_decisions"),
            Prefetch("actions", queryset=Action.objects.only("id", "priority_id", "status")),
        )
        .order_by("plan__period", "plan_id", "order", "ref", "pk")
    )
    rows = []
    for priority in priorities:
        counts = Counter(action.status for action in priority.actions.all())
        rows.append(
            PriorityRow(
                priority=priority,
                decision=priority.year_decisions[0] if priority.year_decisions else None,
                status_counts=[
                    (label, counts[status])
                    for status, label in Action.Status.choices
                    if counts[status]
                ],
                actions=sum(counts.values()),
            )
        )
    return rows


def _groups(board, plans, start, end, sections) -> tuple[list[GroupRow], list[GroupRow]]:
    """The sub-groups and task and finish groups that worked in the year."""
    chairs = GroupMembership.objects.filter(role=GroupMembership.Role.CHAIR).current(end)
    actions = Action.objects.filter(priority__plan__in=plans).order_by("priority__order", "ref")
    groups = (
        Group.objects.for_board(board)
        .filter(kind__in=[Group.Kind.SUBGROUP, Group.Kind.JOINT_EXECUTIVE, Group.Kind.TASK_FINISH])
        .filter(Q(established__isnull=True) | Q(established__lte=end))
        .filter(Q(ends__isnull=True) | Q(ends__gte=start))
        .with_meetings_held(start, end, "year_meetings")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=chairs.select_related("person__organisation", "organisation"),
                to_attr="year_chairs",
            ),
            Prefetch("actions_led", queryset=actions, to_attr="year_actions"),
        )
        .order_by("name", "pk")
    )
    by_group = defaultdict(list)
    for section in sections.get(Part.GROUPS, []) + sections.get(Part.TASK_AND_FINISH, []):
        if section.group_id:
            by_group[section.group_id].append(section)
    subgroups, task_and_finish = [], []
    for group in groups:
        row = GroupRow(
            group=group,
            chair=group.year_chairs[0] if group.year_chairs else None,
            meetings_held=group.year_meetings,
            actions=group.year_actions,
            completed=[a for a in group.year_actions if a.status == Action.Status.COMPLETE],
            sections=by_group.get(group.pk, []),
        )
        (task_and_finish if group.kind == Group.Kind.TASK_FINISH else subgroups).append(row)
    return subgroups, task_and_finish


def included_statements(report: AnnualReport):
    """The statements the report prints: accepted, and not arrived after approval."""
    return (
        report.statements.filter(status=PartnerStatement.Status.ACCEPTED, late=False)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def assemble(report: AnnualReport) -> Assembly:
    board = report.board
    start, end = report.bounds
    plans = [
        plan
        for plan in BusinessPlan.objects.filter(board=board).order_by("period", "pk")
        if plan.reporting_year == report.year
    ]
    sections: dict[str, list[ReportSection]] = defaultdict(list)
    for section in report.sections.order_by("order", "pk"):
        sections[section.part].append(section)
    members, meetings_held = _members(board, start, end)
    subgroups, task_and_finish = _groups(board, plans, start, end, sections)
    statutory = {row.organisation.pk for row in members if row.statutory}
    statements = sorted(
        included_statements(report), key=lambda s: (s.organisation_id not in statutory,)
    )
    reviews = year_summary(board, report.year)
    return Assembly(
        report=report,
        start=start,
        end=end,
        members=members,
        meetings_held=meetings_held,
        plans=plans,
        priorities=_priorities(plans, start, end),
        groups=subgroups,
        task_and_finish=task_and_finish,
        reviews=reviews,
        referral_rows=[(referral, decision_made(referral)) for referral in reviews.referrals],
        statements=statements,
        sections={
            part: [s for s in sections[part] if not (s.group_id and part in GROUP_PARTS)]
            for part in Part
        },
        rag_key=RagDefinition.key_for(board),
    )
