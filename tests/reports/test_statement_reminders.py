"""Reminders of partner statements due (reports/statement_reminders.py, a collector of
priorities/reminders.py): the organisation's partner leads hear of a statement still waiting
for them from 7 days before its due date, once per due date, in the daily digest. The clock
is the ``today`` argument, so nothing depends on the day the tests run."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from priorities.models import ReminderSent
from priorities.reminders import collect, send_reminders
from reports.models import PartnerStatement
from sab.models import RoleAssignment
from tests.factories import (
    ActionFactory,
    AnnualReportFactory,
    BoardMembershipFactory,
    OrganisationFactory,
    PartnerStatementFactory,
    PersonFactory,
    UserFactory,
)

Role = RoleAssignment.Role
Status = PartnerStatement.Status
SITE = "https://sab.example.org"
DUE = datetime.date(2026, 6, 8)
DAY = datetime.timedelta(days=1)
WEEK_BEFORE = DUE - 7 * DAY  # 1 June 2026


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def report(board):
    return AnnualReportFactory(board=board, year=2025)


@pytest.fixture
def statement(report, organisation):
    return PartnerStatementFactory(report=report, organisation=organisation, due=DUE)


def _to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def _html(message) -> str:
    ((html, kind),) = message.alternatives
    assert kind == "text/html"
    return html


def _keys(user) -> list[str]:
    return list(
        ReminderSent.objects.filter(user=user, kind=ReminderSent.Kind.STATEMENT_DUE)
        .order_by("key")
        .values_list("key", flat=True)
    )


def test_the_partner_lead_hears_of_the_statement_seven_days_before_it_is_due(lead, statement):
    assert send_reminders(today=WEEK_BEFORE - DAY) == 0
    assert send_reminders(today=WEEK_BEFORE) == 1
    (message,) = _to(lead)
    assert message.subject == "SAB Manager reminder: 1 partner statement due"
    link = f"{SITE}/reports/statements/{statement.pk}/"
    html = _html(message)
    for part in (message.body, html):
        assert "LSAB: partner statements due" in part
        assert "Leicester City Council: statement for the Annual Report 2025/26" in part
        assert "due 8 June 2026" in part
        assert link in part
    assert (
        f'<a href="{link}">Leicester City Council: statement for the Annual Report 2025/26</a>'
        in html
    )
    # The list of the organisation's statements, to write them all.
    assert f"Your organisation's statements: {SITE}/reports/statements/\n" in message.body
    assert f'<a href="{SITE}/reports/statements/">Your organisation&#x27;s statements</a>' in html
    assert _keys(lead) == [f"statement:{statement.pk}:due:2026-06-08"]


def test_it_is_not_sent_again_for_the_same_due_date(lead, statement):
    assert send_reminders(today=WEEK_BEFORE) == 1
    assert send_reminders(today=WEEK_BEFORE + DAY) == 0
    assert send_reminders(today=DUE + DAY) == 0  # overdue now, but already reminded
    assert len(_to(lead)) == 1


def test_a_new_due_date_is_reminded_again(lead, statement):
    send_reminders(today=WEEK_BEFORE)
    statement.due = DUE + 14 * DAY
    statement.save()
    assert send_reminders(today=WEEK_BEFORE + DAY) == 0  # the new date is not close yet
    assert send_reminders(today=statement.due - 7 * DAY) == 1
    assert "due 22 June 2026" in _to(lead)[-1].body
    assert _keys(lead) == [
        f"statement:{statement.pk}:due:2026-06-08",
        f"statement:{statement.pk}:due:2026-06-22",
    ]


def test_an_overdue_statement_is_reminded_saying_so(lead, statement):
    send_reminders(today=DUE + 3 * DAY)
    (message,) = _to(lead)
    assert "Leicester City Council: statement for the Annual Report 2025/26" in message.body
    assert "overdue: it was due 8 June 2026" in message.body
    assert "overdue: it was due 8 June 2026" in _html(message)


def test_a_statement_due_today_says_so(lead, statement):
    send_reminders(today=DUE)
    assert "(due today)" in _to(lead)[0].body


def test_a_statement_returned_for_changes_is_reminded(lead, statement):
    statement.status = Status.RETURNED
    statement.save()
    assert send_reminders(today=WEEK_BEFORE) == 1
    assert "Annual Report 2025/26" in _to(lead)[0].body


@pytest.mark.parametrize(
    ("status", "late", "report_status"),
    [
        (Status.SUBMITTED, False, "draft"),
        (Status.ACCEPTED, False, "draft"),
        (Status.RETURNED, True, "draft"),
        (Status.REQUESTED, False, "approved"),
        (Status.REQUESTED, False, "published"),
    ],
    ids=["submitted", "accepted", "late", "report approved", "report published"],
)
def test_no_reminder_for_a_statement_not_waiting_or_a_settled_report(
    lead, statement, report, status, late, report_status
):
    statement.status, statement.late = status, late
    statement.save()
    report.status = report_status
    report.save()
    assert send_reminders(today=DUE + DAY) == 0
    assert _to(lead) == []


def test_only_the_organisations_partner_leads_in_the_board_hear_of_it(
    make_user, board, other_board, organisation, lead, statement, manager
):
    second_lead = make_user(Role.PARTNER_LEAD, board, organisation=organisation)
    other_organisation = OrganisationFactory(name="Age UK Leicester")
    BoardMembershipFactory(board=board, organisation=other_organisation)
    other_lead = make_user(Role.PARTNER_LEAD, board, organisation=other_organisation)
    # The same organisation's lead in another board: not their board's statement.
    elsewhere = make_user(Role.PARTNER_LEAD, other_board, organisation=organisation)
    gone = make_user(Role.PARTNER_LEAD, board, organisation=organisation)
    gone.is_active = False
    gone.save()

    assert send_reminders(today=WEEK_BEFORE) == 2
    assert "Leicester City Council" in _to(lead)[0].body
    assert "Leicester City Council" in _to(second_lead)[0].body
    for user in (other_lead, elsewhere, manager, gone):
        assert _to(user) == []


def test_one_digest_with_the_statements_and_the_plans_reminders(board, lead, statement, report):
    PartnerStatementFactory(
        report=AnnualReportFactory(board=board, year=2026),
        organisation=statement.organisation,
        due=DUE - DAY,
    )
    person = PersonFactory(user=lead, email=lead.email)
    ActionFactory(
        priority__plan__board=board,
        ref="2b.4",
        lead_person=person,
        due_date=WEEK_BEFORE - DAY,
    )
    assert send_reminders(today=WEEK_BEFORE) == 1
    (message,) = _to(lead)
    assert message.subject == ("SAB Manager reminder: 1 overdue action, 2 partner statements due")
    assert "LSAB: overdue actions" in message.body
    assert "Annual Report 2025/26" in message.body and "Annual Report 2026/27" in message.body


def test_collecting_reads_the_same_number_of_queries_for_2_or_20_statements(board, report):
    """The partner leads of all the board's statements are read in one query with their
    users (not one per statement or per person), so the daily run stays fast as a board asks
    all its members."""

    def statements(n: int) -> None:
        for _ in range(n):
            organisation = OrganisationFactory()
            BoardMembershipFactory(board=board, organisation=organisation)
            RoleAssignment.objects.create(
                user=UserFactory(),
                board=board,
                role=Role.PARTNER_LEAD,
                organisation=organisation,
            )
            PartnerStatementFactory(report=report, organisation=organisation, due=DUE)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            digests = collect(today=WEEK_BEFORE)
        return len(captured), len(digests)

    statements(2)
    few, few_digests = queries()
    statements(18)
    many, many_digests = queries()
    assert (few_digests, many_digests) == (2, 20)
    assert many == few
