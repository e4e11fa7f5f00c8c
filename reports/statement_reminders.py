"""Reminders of partner statements due (priorities.reminders' collector, registered in
reports/apps.py): in the same daily digest as the plan's reminders.

Each statement still waiting for its organisation (requested, or returned for changes), not
``late``, for a report not yet settled, and due within ``DAYS_BEFORE`` days or overdue, goes
to the organisation's partner leads in the board, with a link to the statement; once per
statement per due date (a new due date is reminded again).
"""

from __future__ import annotations

import datetime

from django.urls import reverse

from priorities.models import ReminderSent
from priorities.reminders import (
    Digest,
    Item,
    Recipients,
    Section,
    add_collector,
    digest_for,
    long_date,
    site_link,
)
from reports.models import AnnualReport, PartnerStatement
from reports.statements import EDITABLE, detail_url, is_overdue
from sab.models import Board, RoleAssignment, User

DAYS_BEFORE = 7


def _leads(board: Board, organisation_ids: set[int]) -> dict[int, list[User]]:
    """The organisations' partner leads in the board with a login that can be e-mailed, by
    organisation id (their role in the board is the row read: no query per person)."""
    leads: dict[int, list[User]] = {}
    assignments = (
        RoleAssignment.objects.filter(
            board=board,
            role=RoleAssignment.Role.PARTNER_LEAD,
            organisation__in=organisation_ids,
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__email", "pk")
    )
    for assignment in assignments:
        leads.setdefault(assignment.organisation_id, []).append(assignment.user)
    return leads


def _detail(statement: PartnerStatement, today: datetime.date) -> str:
    due = long_date(statement.due)
    if is_overdue(statement, today):
        return f"overdue: it was due {due}"
    return "due today" if statement.due == today else f"due {due}"


def _section(board: Board) -> Section:
    """The digest's heading for the board's statements (a new one each time: each digest
    keeps its own items)."""
    return Section(
        kind=ReminderSent.Kind.STATEMENT_DUE,
        title=f"{board.short_name}: partner statements due",
        intro="The board manager has asked your organisation for its statement for the "
        "annual report: what it did in the year to implement the board's strategy. Write it "
        "and submit it by the due date.",
        link_text="Your organisation's statements",
        url=site_link(reverse("reports:my-statements")),
    )


@add_collector
def statements_due(
    *, board: Board, today: datetime.date, recipients: Recipients, digests: dict[int, Digest]
) -> None:
    """Remind each organisation's partner leads of its statements due soon or overdue."""
    statements = list(
        PartnerStatement.objects.filter(
            report__board=board,
            status__in=EDITABLE,
            late=False,
            due__lte=today + datetime.timedelta(days=DAYS_BEFORE),
        )
        .exclude(report__status__in=AnnualReport.SETTLED)
        .select_related("report__board", "organisation")
        .order_by("due", "organisation__name", "pk")
    )
    if not statements:
        return
    leads = _leads(board, {statement.organisation_id for statement in statements})
    for statement in statements:
        item = Item(
            kind=ReminderSent.Kind.STATEMENT_DUE,
            key=f"statement:{statement.pk}:due:{statement.due.isoformat()}",
            text=f"{statement.organisation}: statement for the {statement.report.title}",
            detail=_detail(statement, today),
            url=site_link(detail_url(statement)),
        )
        for user in leads.get(statement.organisation_id, []):
            digest_for(digests, user).add(_section(board), item)
