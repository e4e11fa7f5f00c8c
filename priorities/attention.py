"""What needs a reader's attention in a board: the board page's first section.

Counts come from the plans in use, over the actions the reader can see, in one query:
overdue, rated Red or Amber, overdue yet rated Green (a second look), and, for the groups the
reader chairs or sits on, the actions still without an update this period. Each count links
to the tracker (or the group's actions) filtered to exactly those actions.

Then the quarterly RAG ratings, in one more query (only for someone who proposes or decides):
the proposals still to write this period (the priorities of the reader's delivery groups, or
every priority for a board manager, without a proposal yet) and those returned with a question,
linking to "proposals to write"; the proposals waiting for a decision, for executive members
and managers, linking to "decisions due".
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from priorities.models import Action, Priority, Rag, RagAssessment, ReportingPeriod
from priorities.rag_views import decides_ratings, writes_proposals
from sab import permissions
from sab.board_page import add_section
from sab.roles import GROUP_ROLES


@dataclass(frozen=True)
class AttentionItem:
    label: str
    count: int
    url: str | None = None  # None: nothing to open (the count is 0)
    warn: bool = False


def attention_counts(user, board, period: ReportingPeriod | None) -> dict[str, int]:
    """The reader's counts in one query (see the module docstring)."""
    today = timezone.localdate()
    overdue = Q(due_date__lt=today)
    groups = permissions.group_ids(user, GROUP_ROLES)
    # An empty "in" would make Django drop every count to 0 (EmptyResultSet), so no groups
    # is a condition no row meets instead.
    mine = Q(lead_group__in=groups) if groups else Q(pk__isnull=True)
    not_updated = Q(latest_update_period__isnull=True)
    if period is not None:
        not_updated |= ~Q(latest_update_period=period.pk)
    actions = (
        Action.objects.visible_to(user)
        .for_board(board)
        .in_current_plans()
        .open()
        .with_latest_update()
    )
    return actions.aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=overdue),
        red=Count("pk", filter=Q(latest_rag=Rag.RED)),
        amber=Count("pk", filter=Q(latest_rag=Rag.AMBER)),
        overdue_green=Count("pk", filter=overdue & Q(latest_rag=Rag.GREEN)),
        not_updated=Count("pk", filter=not_updated),
        mine=Count("pk", filter=mine),
        mine_not_updated=Count("pk", filter=mine & not_updated),
        mine_overdue=Count("pk", filter=mine & overdue),
    )


def rag_counts(user, board, period: ReportingPeriod | None, *, writes_all: bool) -> dict:
    """The reader's RAG counts in one query over the priorities of the plans in use: to write
    this period (theirs, or all when ``writes_all``), returned with a question, and every
    proposal waiting for a decision."""
    groups = permissions.group_ids(user, GROUP_ROLES)
    # An empty "in" would drop every count to 0 (see attention_counts).
    mine = Q(delivery_group__in=groups) if groups else Q(pk__isnull=True)
    if writes_all:
        mine = Q()
    this_period = RagAssessment.objects.filter(priority=OuterRef("pk"), period=period)
    moved_on = Exists(
        this_period.exclude(state__in=[RagAssessment.State.DRAFT, RagAssessment.State.RETURNED])
    )
    returned = Exists(this_period.filter(state=RagAssessment.State.RETURNED))
    priorities = Priority.objects.visible_to(user).for_board(board).in_current_plans()
    return priorities.aggregate(
        to_write=Count("pk", filter=mine & ~moved_on, distinct=True),
        returned=Count("pk", filter=mine & returned, distinct=True),
        decisions=Count(
            "rag_assessments", filter=Q(rag_assessments__state=RagAssessment.State.PROPOSED)
        ),
    )


def rag_items(request, board, period: ReportingPeriod | None) -> list[AttentionItem]:
    """What the reader has to do in the quarterly RAG cycle: none for someone who neither
    proposes nor decides (and then no query)."""
    user = request.user
    writes, decides = writes_proposals.test(user, board), decides_ratings.test(user, board)
    if not (writes or decides):
        return []
    writes_all = user.has_perm("sab.manage_board", board)
    counts = rag_counts(user, board, period, writes_all=writes_all)
    slug = {"slug": board.slug}
    items = []
    if writes and period is not None:
        proposals = reverse("priorities:rag-proposals", kwargs=slug)
        items += [
            AttentionItem(
                label=f"Proposals to write for {period.label}",
                count=counts["to_write"],
                url=proposals if counts["to_write"] else None,
                warn=counts["to_write"] > 0,
            ),
            AttentionItem(
                label="Returned with a question",
                count=counts["returned"],
                url=proposals if counts["returned"] else None,
                warn=counts["returned"] > 0,
            ),
        ]
    if decides:
        items.append(
            AttentionItem(
                label="Decisions due",
                count=counts["decisions"],
                url=reverse("priorities:rag-decisions", kwargs=slug)
                if counts["decisions"]
                else None,
                warn=counts["decisions"] > 0,
            )
        )
    return items


def period_and_next_meeting(board):
    """The period covering today and the next executive meeting the board's periods record
    (today or later), from one query: the periods that cover today or meet from today."""
    today = timezone.localdate()
    periods = list(
        ReportingPeriod.objects.for_board(board).filter(
            Q(start__lte=today, end__gte=today) | Q(exec_meeting_date__gte=today)
        )
    )
    current = next((p for p in periods if p.start <= today <= p.end), None)
    meetings = [
        p.exec_meeting_date for p in periods if p.exec_meeting_date and p.exec_meeting_date >= today
    ]
    return current, min(meetings, default=None)


@add_section
def attention_section(request: HttpRequest, board) -> SafeString:
    period, next_meeting = period_and_next_meeting(board)
    counts = attention_counts(request.user, board, period)
    tracker = reverse("priorities:tracker", kwargs={"slug": board.slug})
    my_actions = reverse("priorities:my-actions", kwargs={"slug": board.slug})

    def item(label, key, query=None, url=None, warn=False):
        count = counts[key]
        link = (url or f"{tracker}?{urlencode(query, doseq=True)}") if count else None
        return AttentionItem(label=label, count=count, url=link, warn=warn and count > 0)

    this_period = f"for {period.label}" if period else "this period"
    board_items = [
        item("Overdue", "overdue", {"overdue": "on"}, warn=True),
        item("Rated Red", "red", {"rag": Rag.RED}, warn=True),
        item("Rated Amber", "amber", {"rag": Rag.AMBER}),
        item(
            "Overdue but rated Green: worth a second look",
            "overdue_green",
            {"overdue": "on", "rag": Rag.GREEN},
            warn=True,
        ),
    ]
    if period is not None:
        board_items.append(item(f"Not yet updated {this_period}", "not_updated", {"updated": "no"}))
    group_items = []
    if counts["mine"]:
        group_items = [
            item(f"Need an update {this_period}", "mine_not_updated", url=my_actions, warn=True),
            item("Overdue", "mine_overdue", url=my_actions, warn=True),
            item("Open actions your groups lead", "mine", url=my_actions),
        ]
    return render_to_string(
        "priorities/_attention.html",
        {
            "board": board,
            "period": period,
            "open": counts["open"],
            "board_items": board_items,
            "group_items": group_items,
            "rag_items": rag_items(request, board, period),
            "next_exec_meeting": next_meeting,
            "can_manage": request.user.has_perm("sab.manage_board", board),
            "deadline_passed": bool(
                period and period.update_deadline and period.update_deadline < timezone.localdate()
            ),
        },
        request=request,
    )
