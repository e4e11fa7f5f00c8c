"""Partner statements for the annual report (Care Act Schedule 2 paragraph 4(1)(c): what each
member did in the year to implement the strategy).

The board manager asks the board's member organisations for a statement
(``request_statements``, which e-mails each organisation's partner leads); a partner lead
writes and submits their organisation's (``submit_statement``); the manager accepts it
(``accept_statement``) or returns it with a comment (``return_statement``, which e-mails the
partner leads again). A statement submitted once the report is approved is kept for next
year's report (``late``): an approved report never changes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from reports.models import AnnualReport, PartnerStatement
from sab.models import BoardMembership, Organisation, RoleAssignment, User

Status = PartnerStatement.Status

# What a partner lead may still write: asked for, or returned for changes.
EDITABLE = frozenset({Status.REQUESTED, Status.RETURNED})
# Each status's GOV.UK tag colour (the tag always carries the status in words).
TAG_COLOURS = {
    Status.REQUESTED: "grey",
    Status.SUBMITTED: "blue",
    Status.RETURNED: "orange",
    Status.ACCEPTED: "green",
}


# --- Reads ---------------------------------------------------------------------------------


def is_overdue(statement: PartnerStatement, today: datetime.date | None = None) -> bool:
    """Still waiting for the partner lead (asked for or returned) after its due date."""
    return statement.status in EDITABLE and statement.due < (today or timezone.localdate())


def row(statement: PartnerStatement, today: datetime.date) -> dict:
    """What a list of statements shows for one: the statement, its tag colour and whether
    it is overdue."""
    return {
        "statement": statement,
        "colour": TAG_COLOURS[statement.status],
        "overdue": is_overdue(statement, today),
    }


def not_yet_asked(report: AnnualReport) -> QuerySet[Organisation]:
    """The board's current member organisations not yet asked for a statement for
    ``report``: statutory partners first, then by name (each with ``statutory``)."""
    current = BoardMembership.objects.for_board(report.board).current()
    return (
        Organisation.objects.filter(Exists(current.filter(organisation=OuterRef("pk"))))
        .exclude(statements__report=report)
        .annotate(statutory=Exists(current.filter(organisation=OuterRef("pk"), statutory=True)))
        .order_by("-statutory", "name", "pk")
    )


def submitted_message(statement: PartnerStatement) -> str:
    """What the partner lead is told once their statement is submitted."""
    if statement.late:
        return (
            f"Your statement has been submitted. The {statement.report.title} is already "
            "approved, so it does not change: your statement is kept for next year's report."
        )
    return "Your statement has been submitted. The board manager will read it."


def detail_url(statement: PartnerStatement) -> str:
    return reverse("reports:statement-detail", kwargs={"pk": statement.pk})


# --- Writes ---------------------------------------------------------------------------------


def _locked(statement: PartnerStatement) -> PartnerStatement:
    """The statement's row locked, with its report's (an approval waits for the change, and
    the change sees the report's status as it is)."""
    return (
        PartnerStatement.objects.select_related("report__board", "organisation")
        .select_for_update(of=("self", "report"))
        .get(pk=statement.pk)
    )


def _refuse_unless(statement: PartnerStatement, allowed: Iterable[str], rule: str) -> None:
    if statement.status not in allowed:
        raise ValidationError(
            f"The statement from {statement.organisation} is "
            f"{statement.get_status_display().lower()}. {rule}"
        )


def _refuse_if_settled(report: AnnualReport, doing: str) -> None:
    if report.is_settled:
        raise ValidationError(
            f"The {report.title} is {report.get_status_display().lower()}: its content is "
            f"settled, so statements cannot be {doing}."
        )


def _copy(target: PartnerStatement, source: PartnerStatement) -> PartnerStatement:
    """Give the caller's object the saved values (it is the one the view shows)."""
    for name in ("status", "text", "comment", "submitted_at", "submitted_by_id", "late"):
        setattr(target, name, getattr(source, name))
    return target


@transaction.atomic
def request_statements(
    *,
    report: AnnualReport,
    organisations: Iterable[Organisation],
    due: datetime.date,
    by: User,
) -> list[PartnerStatement]:
    """Ask each organisation for its statement, due on ``due``; an organisation already
    asked for this report is skipped. After commit, each organisation's partner leads are
    e-mailed a link to it. Returns the new statements."""
    report = (
        AnnualReport.objects.select_related("board")
        .select_for_update(of=("self",))
        .get(pk=report.pk)
    )
    _refuse_if_settled(report, "requested")
    if due is None or due < timezone.localdate():
        raise ValidationError({"due": "The due date must be today or in the future"})
    organisations = list(dict.fromkeys(organisations))
    if not organisations:
        raise ValidationError({"organisations": "Select at least one organisation"})
    members = set(
        BoardMembership.objects.for_board(report.board).values_list("organisation", flat=True)
    )
    strangers = [org.name for org in organisations if org.pk not in members]
    if strangers:
        raise ValidationError(
            {
                "organisations": f"{', '.join(strangers)} "
                f"{'is not a member' if len(strangers) == 1 else 'are not members'} of "
                f"{report.board.short_name}."
            }
        )
    asked = set(report.statements.values_list("organisation", flat=True))
    now = timezone.now()
    created = []
    for organisation in organisations:
        if organisation.pk in asked:
            continue
        statement = PartnerStatement(
            report=report, organisation=organisation, due=due, requested_at=now
        )
        statement.full_clean()
        statement.save()
        created.append(statement)
    if created:
        transaction.on_commit(
            lambda: notify_leads(statements=created, about="request"), robust=True
        )
    return created


@transaction.atomic
def submit_statement(*, statement: PartnerStatement, text: str, by: User) -> PartnerStatement:
    """Submit the organisation's statement (asked for, or returned for changes). Once the
    report is approved it is still saved, marked ``late``: kept for next year's report."""
    locked = _locked(statement)
    _refuse_unless(
        locked,
        EDITABLE,
        "A statement can be submitted only while it is requested or returned for changes.",
    )
    if not (text or "").strip():
        raise ValidationError({"text": "Enter your organisation's statement"})
    locked.text = text.strip()
    locked.status = Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.submitted_by = by
    locked.late = locked.report.is_settled
    locked.full_clean()
    locked.save()
    return _copy(statement, locked)


@transaction.atomic
def accept_statement(*, statement: PartnerStatement, by: User) -> PartnerStatement:
    """Accept a submitted statement for the report (not once the report is approved)."""
    locked = _locked(statement)
    _refuse_unless(locked, {Status.SUBMITTED}, "Only a submitted statement can be accepted.")
    _refuse_if_settled(locked.report, "accepted")
    locked.status = Status.ACCEPTED
    locked._change_reason = f"Accepted by {by}"
    locked.full_clean()
    locked.save()
    return _copy(statement, locked)


@transaction.atomic
def return_statement(*, statement: PartnerStatement, comment: str, by: User) -> PartnerStatement:
    """Return a submitted statement for changes, saying what should change; the partner
    leads are e-mailed the comment after commit."""
    locked = _locked(statement)
    _refuse_unless(locked, {Status.SUBMITTED}, "Only a submitted statement can be returned.")
    if not (comment or "").strip():
        raise ValidationError({"comment": "Enter what should change in the statement"})
    locked.status = Status.RETURNED
    locked.comment = comment.strip()
    locked._change_reason = f"Returned by {by}"
    locked.full_clean()
    locked.save()
    transaction.on_commit(lambda: notify_leads(statements=[locked], about="return"), robust=True)
    return _copy(statement, locked)


# --- E-mail -----------------------------------------------------------------------------------


def _leads(statements: list[PartnerStatement]) -> QuerySet[RoleAssignment]:
    """The partner leads, with a login and an e-mail address, of the statements'
    organisations in their board (the statements are of one report)."""
    return RoleAssignment.objects.filter(
        board_id=statements[0].report.board_id,
        role=RoleAssignment.Role.PARTNER_LEAD,
        organisation__in=[statement.organisation_id for statement in statements],
        user__is_active=True,
    ).exclude(user__email="")


def notify_leads(*, statements: list[PartnerStatement], about: str) -> int:
    """E-mail each statement's organisation's partner leads in its board (``about``:
    "request" or "return"), each their own message with the link to the statement. Returns
    how many were sent."""
    if not statements:
        return 0
    board = statements[0].report.board
    leads = _leads(statements).select_related("user").order_by("user__email", "pk")
    by_organisation: dict[int, list[User]] = {}
    for assignment in leads:
        by_organisation.setdefault(assignment.organisation_id, []).append(assignment.user)
    sent = 0
    for statement in statements:
        for user in by_organisation.get(statement.organisation_id, []):
            context = {
                "statement": statement,
                "report": statement.report,
                "board": board,
                "name": user.first_name or user.email,
                "link": settings.SITE_URL + detail_url(statement),
            }
            subject = render_to_string(f"reports/statements/{about}_subject.txt", context).strip()
            body = render_to_string(f"reports/statements/{about}_email.txt", context)
            send_mail(subject, body, None, [user.email])
            sent += 1
    return sent


def organisations_without_leads(statements: list[PartnerStatement]) -> list[Organisation]:
    """The statements' organisations with no partner lead with a login in the board: nobody
    was e-mailed for them."""
    if not statements:
        return []
    with_leads = set(_leads(statements).values_list("organisation", flat=True))
    return [s.organisation for s in statements if s.organisation_id not in with_leads]
