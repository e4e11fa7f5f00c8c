"""Partner statements for the annual report (reports/statements.py and its pages): the board
manager asks the member organisations, each organisation's partner lead writes and submits
its own, the manager returns it with a comment or accepts it; once the report is approved a
statement is still taken, but kept for next year's report."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports import statements as services
from reports.models import AnnualReport, PartnerStatement
from sab.models import MarkdownField, RoleAssignment
from tests.factories import (
    AnnualReportFactory,
    BoardMembershipFactory,
    OrganisationFactory,
    PartnerStatementFactory,
)

Role = RoleAssignment.Role
Status = PartnerStatement.Status
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def text(response) -> str:
    """The page's text without tags, spaces run together (for reading messages)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def url(name: str, pk: int) -> str:
    return reverse(f"reports:{name}", kwargs={"pk": pk})


def fresh(statement) -> PartnerStatement:
    return PartnerStatement.objects.get(pk=statement.pk)


def uk(day: datetime.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


@pytest.fixture
def report(board):
    return AnnualReportFactory(board=board, year=2025)


@pytest.fixture
def statement(report, organisation):
    return PartnerStatementFactory(report=report, organisation=organisation, due=TODAY + 14 * DAY)


@pytest.fixture
def submitted(statement, lead):
    return services.submit_statement(statement=statement, text="We trained 400 staff.", by=lead)


def approve(report) -> None:
    AnnualReport.objects.filter(pk=report.pk).update(
        status=AnnualReport.Status.APPROVED, approved_at=timezone.now()
    )
    report.refresh_from_db()


# --- The whole workflow --------------------------------------------------------------------


def test_request_submit_return_resubmit_accept(
    client, manager, lead, report, organisation, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("statement-request", report.pk),
            {"organisations": [organisation.pk], "due": uk(TODAY + 21 * DAY)},
            follow=True,
        )
    assert "Statements requested from 1 organisation" in text(response)
    statement = PartnerStatement.objects.get(report=report, organisation=organisation)
    assert (statement.status, statement.due) == (Status.REQUESTED, TODAY + 21 * DAY)

    # The partner lead is e-mailed a link to the statement, and it opens for them.
    assert [message.to for message in mail.outbox] == [[lead.email]]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/statements/" in line)
    assert link.endswith(url("statement-detail", statement.pk))
    assert "Leicester City Council" in mail.outbox[0].subject
    client.force_login(lead)
    page = client.get(link.removeprefix("http://127.0.0.1:8000"))
    assert page.status_code == 200
    assert "Write the statement" in text(page)

    response = client.post(
        url("statement-write", statement.pk), {"text": "We trained **400** staff."}, follow=True
    )
    assert "Your statement has been submitted" in text(response)
    statement = fresh(statement)
    assert (statement.status, statement.submitted_by, statement.late) == (
        Status.SUBMITTED,
        lead,
        False,
    )
    assert statement.submitted_at is not None
    assert "<strong>400</strong>" in response.content.decode()

    # The manager returns it with a comment: the partner lead hears of it and sees it.
    client.force_login(manager)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("statement-return", statement.pk), {"comment": "Add the impact."})
    assert fresh(statement).status == Status.RETURNED
    assert [message.to for message in mail.outbox] == [[lead.email]]
    assert "Add the impact." in mail.outbox[0].body
    client.force_login(lead)
    page = client.get(url("statement-detail", statement.pk))
    assert "Returned for changes" in text(page)
    assert "Add the impact." in text(page)
    write = client.get(url("statement-write", statement.pk))
    assert "Add the impact." in text(write)

    client.post(url("statement-write", statement.pk), {"text": "400 staff; referrals rose."})
    assert fresh(statement).status == Status.SUBMITTED

    client.force_login(manager)
    response = client.post(url("statement-accept", statement.pk), follow=True)
    assert "is accepted" in text(response)
    statement = fresh(statement)
    assert (statement.status, statement.text) == (Status.ACCEPTED, "400 staff; referrals rose.")


def test_nobody_is_emailed_for_an_organisation_without_a_partner_lead_and_the_manager_is_told(
    client, manager, report, organisation, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("statement-request", report.pk),
            {"organisations": [organisation.pk], "due": uk(TODAY + 7 * DAY)},
            follow=True,
        )
    assert mail.outbox == []
    assert "Nobody was e-mailed for Leicester City Council" in text(response)


# --- Who may do what --------------------------------------------------------------------------

POSITIONS = ["manager", "lead", "other_lead", "viewer", "other_board_manager", "anonymous"]

# (page, method, the statement's state) -> each position's answer. Statements are seen only
# by the board manager and the organisation's partner lead (404 for the rest); the report's
# list is the board manager's, and anyone in the board sees the report (403).
MATRIX = {
    ("statement-detail", "get", "requested"): [200, 200, 404, 404, 404, 302],
    ("statement-write", "get", "requested"): [403, 200, 404, 404, 404, 302],
    ("statement-write", "post", "requested"): [403, 302, 404, 404, 404, 302],
    ("statement-accept", "get", "submitted"): [405, 405, 405, 405, 405, 302],
    ("statement-accept", "post", "submitted"): [302, 403, 404, 404, 404, 302],
    ("statement-return", "get", "submitted"): [200, 403, 404, 404, 404, 302],
    ("statement-return", "post", "submitted"): [302, 403, 404, 404, 404, 302],
    ("statement-list", "get", "report"): [200, 403, 403, 403, 404, 302],
    ("statement-request", "get", "report"): [200, 403, 403, 403, 404, 302],
    ("statement-request", "post", "report"): [302, 403, 403, 403, 404, 302],
}
DATA = {
    "statement-write": {"text": "What we did."},
    "statement-return": {"comment": "Say more."},
}


@pytest.fixture
def person(make_user, board, other_board, lead, other_lead):
    return {
        "manager": lambda: make_user(Role.BOARD_MANAGER, board),
        "lead": lambda: lead,
        "other_lead": lambda: other_lead,
        "viewer": lambda: make_user(Role.VIEWER, board),
        "other_board_manager": lambda: make_user(Role.BOARD_MANAGER, other_board),
        "anonymous": lambda: None,
    }


@pytest.mark.parametrize(("name", "method", "state"), list(MATRIX))
@pytest.mark.parametrize("position", POSITIONS)
def test_permission_matrix(
    client, person, statement, lead, other_organisation, name, method, state, position
):
    if state == "submitted":
        services.submit_statement(statement=statement, text="What we did.", by=lead)
    pk = statement.report_id if state == "report" else statement.pk
    data = DATA.get(name, {})
    if name == "statement-request":
        data = {"organisations": [other_organisation.pk], "due": uk(TODAY + 7 * DAY)}
    user = person[position]()
    if user is not None:
        client.force_login(user)
    send = client.get if method == "get" else client.post
    response = send(url(name, pk), data if method == "post" else None)
    expected = MATRIX[(name, method, state)][POSITIONS.index(position)]
    assert response.status_code == expected, f"{method} {name} as {position}"
    if expected == 302 and position == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("position", POSITIONS)
def test_only_what_was_allowed_changed(client, person, statement, lead, position):
    """The write and the accept went through for their own role only."""
    user = person[position]()
    if user is not None:
        client.force_login(user)
    client.post(url("statement-write", statement.pk), {"text": "Not theirs to write."})
    changed = fresh(statement)
    assert (changed.status == Status.SUBMITTED) == (position == "lead")
    if changed.status == Status.SUBMITTED:
        client.post(url("statement-accept", statement.pk))
        assert fresh(statement).status == Status.SUBMITTED  # the lead does not accept it


def test_my_statements_opens_for_anyone_signed_in(client, user_as, position):
    client.force_login(user_as(position))
    response = client.get(reverse("reports:my-statements"))
    assert response.status_code == 200
    assert "You have no statements to write" in text(response)


def test_my_statements_lists_only_the_partner_leads_own_organisations_across_boards(
    client, make_user, board, other_board, lead, organisation, statement, other_organisation
):
    other_report = AnnualReportFactory(board=other_board, year=2025)
    BoardMembershipFactory(board=other_board, organisation=organisation)
    theirs = PartnerStatementFactory(
        report=other_report, organisation=organisation, due=TODAY - DAY
    )
    # A partner lead in the other board too, for the same organisation.
    RoleAssignment.objects.create(
        user=lead, board=other_board, role=Role.PARTNER_LEAD, organisation=organisation
    )
    PartnerStatementFactory(report=statement.report, organisation=other_organisation)
    client.force_login(lead)
    page = text(client.get(reverse("reports:my-statements")))
    assert page.count("Leicester City Council") == 2
    assert "Age UK Leicester" not in page
    assert f"{other_board.short_name} {other_report.title}" in page
    assert "Overdue" in page and theirs.due.strftime("%B") in page


def test_the_write_form_gives_the_formatting_hint(client, lead, statement):
    client.force_login(lead)
    page = client.get(url("statement-write", statement.pk))
    assert MarkdownField.FORMATTING_HINT in page.content.decode().replace("&#x27;", "'")


def test_an_empty_statement_is_refused_on_the_form(client, lead, statement):
    client.force_login(lead)
    response = client.post(url("statement-write", statement.pk), {"text": "   "})
    assert response.status_code == 200
    assert "Enter your organisation&#x27;s statement" in response.content.decode()
    assert fresh(statement).status == Status.REQUESTED


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.ACCEPTED])
def test_a_submitted_or_accepted_statement_is_not_editable(client, lead, statement, status):
    PartnerStatement.objects.filter(pk=statement.pk).update(status=status, text="Done.")
    client.force_login(lead)
    response = client.get(url("statement-write", statement.pk), follow=True)
    assert response.redirect_chain[-1][0] == url("statement-detail", statement.pk)
    assert "it cannot be changed unless the board manager returns it" in text(response)
    assert "Change the statement" not in text(response)
    response = client.post(url("statement-write", statement.pk), {"text": "Sneaky."})
    assert fresh(statement).text == "Done."


def test_the_manager_sees_accept_and_return_only_while_submitted(client, manager, statement, lead):
    client.force_login(manager)
    page = text(client.get(url("statement-detail", statement.pk)))
    assert "Accept the statement" not in page and "Return it" not in page
    assert "Write the statement" not in page  # the manager does not write it
    services.submit_statement(statement=statement, text="Done.", by=lead)
    page = text(client.get(url("statement-detail", statement.pk)))
    assert "Accept the statement" in page and "Return it with a comment" in page


# --- Wrong transitions -----------------------------------------------------------------------


def _state(statement) -> tuple:
    row = fresh(statement)
    return (row.status, row.text, row.comment, row.submitted_at, row.late)


def test_accepting_or_returning_a_statement_not_submitted_is_refused(statement, manager):
    before = _state(statement)
    refusal = r"is requested\. Only a submitted statement can be accepted"
    with pytest.raises(ValidationError, match=refusal):
        services.accept_statement(statement=statement, by=manager)
    with pytest.raises(ValidationError, match="Only a submitted statement can be returned"):
        services.return_statement(statement=statement, comment="More.", by=manager)
    assert _state(statement) == before


def test_submitting_a_submitted_or_accepted_statement_is_refused(submitted, lead, manager):
    before = _state(submitted)
    with pytest.raises(ValidationError, match="can be submitted only while it is requested"):
        services.submit_statement(statement=submitted, text="Again.", by=lead)
    assert _state(submitted) == before
    services.accept_statement(statement=submitted, by=manager)
    before = _state(submitted)
    with pytest.raises(ValidationError, match="is accepted"):
        services.submit_statement(statement=submitted, text="Again.", by=lead)
    with pytest.raises(ValidationError, match="Only a submitted statement can be returned"):
        services.return_statement(statement=submitted, comment="More.", by=manager)
    assert _state(submitted) == before


def test_a_submission_needs_text(statement, lead):
    before = _state(statement)
    with pytest.raises(ValidationError) as refused:
        services.submit_statement(statement=statement, text="  ", by=lead)
    assert refused.value.message_dict == {"text": ["Enter your organisation's statement"]}
    assert _state(statement) == before


def test_a_return_needs_a_comment(submitted, manager):
    before = _state(submitted)
    with pytest.raises(ValidationError) as refused:
        services.return_statement(statement=submitted, comment="  ", by=manager)
    assert refused.value.message_dict == {"comment": ["Enter what should change in the statement"]}
    assert _state(submitted) == before


def test_an_empty_return_comment_is_shown_on_the_form(client, manager, submitted):
    client.force_login(manager)
    response = client.post(url("statement-return", submitted.pk), {"comment": ""})
    assert response.status_code == 200
    assert "Enter what should change in the statement" in text(response)
    assert fresh(submitted).status == Status.SUBMITTED


def test_accepting_a_requested_statement_on_the_page_says_why_and_changes_nothing(
    client, manager, statement
):
    client.force_login(manager)
    response = client.post(url("statement-accept", statement.pk), follow=True)
    assert "Only a submitted statement can be accepted" in text(response)
    assert fresh(statement).status == Status.REQUESTED


def test_returning_is_offered_only_for_a_submitted_statement(client, manager, statement):
    client.force_login(manager)
    response = client.get(url("statement-return", statement.pk), follow=True)
    assert "Only a submitted statement can be returned" in text(response)


# --- After the report is approved ------------------------------------------------------------


def test_a_statement_submitted_after_approval_is_kept_for_next_year(
    client, report, statement, lead, other_organisation, other_lead, manager
):
    accepted = PartnerStatementFactory(
        report=report, organisation=other_organisation, due=TODAY + DAY
    )
    services.submit_statement(statement=accepted, text="Our year.", by=other_lead)
    services.accept_statement(statement=accepted, by=manager)
    approve(report)
    accepted_before = _state(accepted)
    report_before = AnnualReport.objects.filter(pk=report.pk).values().get()

    client.force_login(lead)
    response = client.post(
        url("statement-write", statement.pk), {"text": "Late, but here."}, follow=True
    )
    assert "kept for next year's report" in text(response)
    late = fresh(statement)
    assert (late.status, late.late, late.text) == (Status.SUBMITTED, True, "Late, but here.")
    assert _state(accepted) == accepted_before
    assert AnnualReport.objects.filter(pk=report.pk).values().get() == report_before

    # It cannot be accepted into the approved report.
    with pytest.raises(ValidationError, match="settled"):
        services.accept_statement(statement=late, by=manager)
    assert fresh(statement).status == Status.SUBMITTED


def test_a_statement_submitted_before_approval_is_not_late(submitted):
    assert fresh(submitted).late is False
    assert "kept for next year" not in services.submitted_message(submitted)


def test_no_statements_are_requested_for_an_approved_report(client, report, organisation, manager):
    approve(report)
    with pytest.raises(ValidationError, match="approved: its content is settled"):
        services.request_statements(
            report=report, organisations=[organisation], due=TODAY, by=manager
        )
    client.force_login(manager)
    response = client.get(url("statement-request", report.pk), follow=True)
    assert "no more statements are asked" in text(response)
    assert not PartnerStatement.objects.exists()


# --- Requesting -------------------------------------------------------------------------------


def test_a_due_date_in_the_past_is_refused(client, report, organisation, manager):
    with pytest.raises(ValidationError) as refused:
        services.request_statements(
            report=report, organisations=[organisation], due=TODAY - DAY, by=manager
        )
    assert refused.value.message_dict == {"due": ["The due date must be today or in the future"]}
    client.force_login(manager)
    response = client.post(
        url("statement-request", report.pk),
        {"organisations": [organisation.pk], "due": uk(TODAY - DAY)},
    )
    assert response.status_code == 200
    assert "The due date must be today or in the future" in text(response)
    assert not PartnerStatement.objects.exists()


def test_organisations_already_asked_are_skipped(
    report, statement, organisation, other_organisation, manager
):
    created = services.request_statements(
        report=report, organisations=[organisation, other_organisation], due=TODAY, by=manager
    )
    assert [s.organisation for s in created] == [other_organisation]
    assert fresh(statement).due == statement.due  # the first request is left as it was
    assert report.statements.count() == 2


def test_an_organisation_that_is_not_a_member_is_refused(report, manager):
    stranger = OrganisationFactory(name="Somewhere Else Trust")
    with pytest.raises(ValidationError, match="Somewhere Else Trust is not a member"):
        services.request_statements(report=report, organisations=[stranger], due=TODAY, by=manager)


def test_the_request_form_offers_current_members_not_asked_statutory_first(
    client, board, report, manager, statement, other_organisation
):
    police = OrganisationFactory(name="Leicestershire Police")
    BoardMembershipFactory(board=board, organisation=police, statutory=True)
    former = OrganisationFactory(name="Former Partner CIC")
    BoardMembershipFactory(board=board, organisation=former, end=TODAY - 30 * DAY)
    client.force_login(manager)
    page = text(client.get(url("statement-request", report.pk)))
    offered = re.findall(r"(Leicestershire Police|Age UK Leicester|Leicester City Council|"
                         r"Former Partner CIC)", page)  # fmt: skip
    assert offered == ["Leicestershire Police", "Age UK Leicester"]
    assert "Leicestershire Police (statutory partner)" in page


def test_the_list_shows_each_statement_and_who_is_not_asked_yet(
    client, manager, report, statement, other_organisation
):
    PartnerStatement.objects.filter(pk=statement.pk).update(due=TODAY - DAY)
    client.force_login(manager)
    response = client.get(url("statement-list", report.pk))
    page = text(response)
    assert "Leicester City Council" in page and "Requested" in page
    assert "Overdue" in page and "(overdue)" in page
    assert "Members not asked yet Age UK Leicester" in page
    html = response.content.decode()
    assert url("statement-detail", statement.pk) in html
    assert url("statement-request", report.pk) in html
    assert report.get_absolute_url() in html


# --- Query counts ----------------------------------------------------------------------------


def _statements(board, report, n: int, lead) -> None:
    for i in range(n):
        organisation = OrganisationFactory()
        BoardMembershipFactory(board=board, organisation=organisation, statutory=i % 2 == 0)
        statement = PartnerStatementFactory(
            report=report, organisation=organisation, due=TODAY + (i - n // 2) * DAY
        )
        RoleAssignment.objects.create(
            user=lead, board=board, role=Role.PARTNER_LEAD, organisation=organisation
        )
        if i % 3 == 0:
            services.submit_statement(statement=statement, text=f"Year {i}.", by=lead)
    for _ in range(n):  # members not asked yet
        BoardMembershipFactory(board=board)


def _queries(client, path: str) -> int:
    """The queries of the page, asked a second time (the first after signing in also
    saves the session)."""
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["statement-list", "my-statements"])
def test_the_lists_take_the_same_queries_for_2_or_40_statements(
    client, board, make_user, manager, page
):
    """Each row's organisation, report and board come with the statements in one query, and
    the members not asked yet in one more: the count must not grow with the rows."""
    counts = []
    for n in (2, 40):
        report = AnnualReportFactory(board=board, year=2000 + n)
        lead = make_user(Role.VIEWER, board)
        _statements(board, report, n, lead)
        user = manager if page == "statement-list" else lead
        client.force_login(user)
        path = url(page, report.pk) if page == "statement-list" else reverse(f"reports:{page}")
        counts.append(_queries(client, path))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 10, counts
