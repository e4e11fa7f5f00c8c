"""The annual report API (reports/annual_api.py): reports and their sections for everyone in
the board, their narrative changed by the board manager until the report is approved; partner
statements seen by the board manager and the organisation's partner lead only, submitted by
the lead and accepted or returned by the manager, through the same services as the pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from reports.models import AnnualReport, Kind, PartnerStatement, ReportSection
from reports.rendering import Rendered
from reports.services import store_publication
from sab.models import RoleAssignment
from tests.factories import (
    AnnualReportFactory,
    GroupFactory,
    OrganisationFactory,
    PartnerStatementFactory,
)

Role = RoleAssignment.Role
Status = PartnerStatement.Status
REPORTS = "/api/annual-reports/"
SECTIONS = "/api/report-sections/"
STATEMENTS = "/api/partner-statements/"
DUE = datetime.date(2025, 5, 31)


def signed_in(user) -> APIClient:
    """A client signed in as ``user``, its session already saved (the first request after
    signing in writes it), so query counts measure the endpoint only."""
    api = APIClient()
    api.force_login(user)
    api.get("/api/")
    return api


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def messages(response) -> str:
    """Every message of a refusal, joined (whatever field it is under)."""
    body = response.json()
    if isinstance(body, dict):
        return " ".join(" ".join(v) if isinstance(v, list) else str(v) for v in body.values())
    return " ".join(body)


@pytest.fixture
def report(board):
    return AnnualReportFactory(board=board, year=2024, foreword="Our year.")


@pytest.fixture
def section(report):
    return ReportSection.objects.create(
        report=report, title="Our area", body="Leicester is a city.", order=1
    )


@pytest.fixture
def theirs(other_board):
    report = AnnualReportFactory(board=other_board, year=2024)
    ReportSection.objects.create(report=report, title="Their area", body="x")
    return report


@pytest.fixture
def statement(report, organisation):
    return PartnerStatementFactory(report=report, organisation=organisation, due=DUE)


@pytest.fixture
def submitted(report, other_organisation):
    return PartnerStatementFactory(
        report=report,
        organisation=other_organisation,
        due=DUE,
        status=Status.SUBMITTED,
        text="We trained 400 staff.",
    )


def approve(report: AnnualReport) -> None:
    report.status = AnnualReport.Status.APPROVED
    report.save()


# --- Signing in --------------------------------------------------------------------------


def test_anonymous_callers_get_401_everywhere(db, report, section, statement):
    api = APIClient()
    reads = [
        REPORTS,
        f"{REPORTS}{report.pk}/",
        SECTIONS,
        f"{SECTIONS}{section.pk}/",
        STATEMENTS,
        f"{STATEMENTS}{statement.pk}/",
    ]
    for url in reads:
        assert api.get(url).status_code == 401, url
    assert api.patch(f"{REPORTS}{report.pk}/", {"foreword": "x"}).status_code == 401
    assert api.post(SECTIONS, {"report": report.pk, "title": "x"}).status_code == 401
    assert api.delete(f"{SECTIONS}{section.pk}/").status_code == 401
    for verb in ("submit", "accept", "return"):
        assert api.post(f"{STATEMENTS}{statement.pk}/{verb}/").status_code == 401, verb
    report.refresh_from_db()
    assert report.foreword == "Our year." and ReportSection.objects.count() == 1


# --- Reports -----------------------------------------------------------------------------


def test_everyone_in_the_board_reads_its_reports_and_no_other_boards(
    user_as, report, section, theirs
):
    api = signed_in(user_as("viewer"))

    assert ids(api.get(REPORTS)) == [report.pk]
    row = api.get(f"{REPORTS}{report.pk}/").json()
    assert row == {
        "id": report.pk,
        "board": "lsab",
        "year": 2024,
        "period": "2024/25",
        "title": "Annual Report 2024/25",
        "status": "draft",
        "author": "",
        "report_date": None,
        "foreword": "Our year.",
        "foreword_by": "",
        "executive_summary": report.executive_summary,
        "introduction": "",
        "easy_read_note": "",
        "approved_at": None,
        "sections": [
            {
                "id": section.pk,
                "part": "end",
                "group": None,
                "title": "Our area",
                "body": "Leicester is a city.",
                "order": 1,
            }
        ],
    }
    assert api.get(f"{REPORTS}{theirs.pk}/").status_code == 404


def test_reports_filter_by_board_and_year(make_user, board, other_board, report, theirs):
    older = AnnualReportFactory(board=board, year=2023)
    both = make_user(Role.VIEWER, board)
    RoleAssignment.objects.create(user=both, board=other_board, role=Role.VIEWER)
    api = signed_in(both)

    assert set(ids(api.get(REPORTS))) == {report.pk, older.pk, theirs.pk}
    assert set(ids(api.get(f"{REPORTS}?board=lsab"))) == {report.pk, older.pk}
    assert ids(api.get(f"{REPORTS}?board=lsab&year=2023")) == [older.pk]
    assert ids(api.get(f"{REPORTS}?board=nowhere")) == []
    assert api.get(f"{REPORTS}?year=nineteen").status_code == 400


def test_the_manager_changes_the_narrative(manager, report):
    api = signed_in(manager)

    response = api.patch(
        f"{REPORTS}{report.pk}/",
        {
            "foreword": "A year of **change**.",
            "foreword_by": "Robert Lake, Independent Chair",
            "report_date": "2025-09-30",
            # Read-only: the workflow is the pages'.
            "status": "approved",
            "year": 2020,
        },
    )

    assert response.status_code == 200, response.content
    assert response.json()["foreword"] == "A year of **change**."
    report.refresh_from_db()
    assert report.foreword == "A year of **change**."
    assert report.foreword_by == "Robert Lake, Independent Chair"
    assert report.report_date == datetime.date(2025, 9, 30)
    assert (report.status, report.year) == ("draft", 2024)
    assert report.history.latest().history_user == manager


@pytest.mark.parametrize("status", ["approved", "published"])
def test_a_settled_reports_narrative_is_refused_with_the_reason(manager, report, status):
    report.status = status
    report.save()

    response = signed_in(manager).patch(f"{REPORTS}{report.pk}/", {"foreword": "Rewritten."})

    assert response.status_code == 400
    assert messages(response) == (
        f"The Annual Report 2024/25 is {status}: its content is settled and cannot change."
    )
    report.refresh_from_db()
    assert report.foreword == "Our year."


@pytest.mark.parametrize("position", ["viewer", "partner", "chair", "executive"])
def test_only_the_manager_changes_a_report(user_as, report, position):
    api = signed_in(user_as(position))
    assert api.get(f"{REPORTS}{report.pk}/").status_code == 200
    assert api.patch(f"{REPORTS}{report.pk}/", {"foreword": "Mine."}).status_code == 403
    report.refresh_from_db()
    assert report.foreword == "Our year."


def test_another_boards_manager_cannot_find_the_report(user_as, report):
    api = signed_in(user_as("other_board_manager"))
    assert api.get(f"{REPORTS}{report.pk}/").status_code == 404
    assert api.patch(f"{REPORTS}{report.pk}/", {"foreword": "x"}).status_code == 404


def test_reports_are_not_started_or_deleted_through_the_api(manager, report):
    api = signed_in(manager)
    assert api.post(REPORTS, {"board": "lsab", "year": 2023}).status_code == 405
    assert api.delete(f"{REPORTS}{report.pk}/").status_code == 405
    assert api.put(f"{REPORTS}{report.pk}/", {"foreword": "x"}).status_code == 405
    assert AnnualReport.objects.count() == 1


def _queries(api, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_reports_list_costs_the_same_for_2_and_30_reports(user_as, board, group):
    """The session, the user, their roles, the count, the page of reports with their boards,
    and one query for every report's sections."""

    def add(years) -> None:
        for year in years:
            report = AnnualReportFactory(board=board, year=year)
            for order in range(2):
                ReportSection.objects.create(
                    report=report, title=f"Section {order}", order=order, group=group
                )

    api = signed_in(user_as("viewer"))
    add(range(2000, 2002))
    few = _queries(api, REPORTS)
    add(range(2002, 2030))
    assert len(ids(api.get(REPORTS))) == 30
    assert _queries(api, REPORTS) == few


# --- Sections ----------------------------------------------------------------------------


def test_sections_are_read_as_their_reports_are(user_as, report, section, theirs):
    other = AnnualReportFactory(board=report.board, year=2023)
    ReportSection.objects.create(report=other, title="Last year", body="x")
    api = signed_in(user_as("partner"))

    assert len(ids(api.get(SECTIONS))) == 2
    assert ids(api.get(f"{SECTIONS}?report={report.pk}")) == [section.pk]
    assert ids(api.get(f"{SECTIONS}?report={theirs.pk}")) == []
    their_section = theirs.sections.get()
    assert api.get(f"{SECTIONS}{their_section.pk}/").status_code == 404


def test_the_manager_adds_changes_and_removes_a_section(manager, report, group):
    api = signed_in(manager)

    response = api.post(
        SECTIONS,
        {
            "report": report.pk,
            "part": "groups",
            "group": group.pk,
            "title": "Training",
            "body": "x",
        },
    )
    assert response.status_code == 201, response.content
    added = ReportSection.objects.get(pk=response.json()["id"])
    assert (added.report, added.part, added.group, added.title) == (
        report,
        "groups",
        group,
        "Training",
    )

    response = api.patch(f"{SECTIONS}{added.pk}/", {"title": "Training and development"})
    assert response.status_code == 200
    added.refresh_from_db()
    assert added.title == "Training and development"
    assert added.history.latest().history_user == manager

    assert api.delete(f"{SECTIONS}{added.pk}/").status_code == 204
    assert not ReportSection.objects.filter(pk=added.pk).exists()


@pytest.mark.parametrize("position", ["viewer", "partner", "chair"])
def test_only_the_manager_writes_sections(user_as, report, section, position):
    api = signed_in(user_as(position))
    assert api.post(SECTIONS, {"report": report.pk, "title": "Mine"}).status_code == 403
    assert api.patch(f"{SECTIONS}{section.pk}/", {"title": "Mine"}).status_code == 403
    assert api.delete(f"{SECTIONS}{section.pk}/").status_code == 403
    assert list(ReportSection.objects.values_list("title", flat=True)) == ["Our area"]


def test_another_boards_report_and_group_are_unknown(user_as, report, section, other_board):
    """Another board's manager names this board's report as they would an unknown one; this
    board's manager cannot print another board's group in their report."""
    stranger = signed_in(user_as("other_board_manager"))
    response = stranger.post(SECTIONS, {"report": report.pk, "title": "Theirs"})
    assert response.status_code == 400
    assert response.json() == {"report": ["Unknown annual report."]}
    assert stranger.patch(f"{SECTIONS}{section.pk}/", {"title": "x"}).status_code == 404

    elsewhere = GroupFactory(boards=[other_board])
    response = signed_in(user_as("manager")).post(
        SECTIONS, {"report": report.pk, "title": "Theirs", "group": elsewhere.pk}
    )
    assert response.status_code == 400
    assert response.json() == {"group": ["Select one of the report's board's groups."]}
    assert ReportSection.objects.count() == 1


def test_a_section_stays_in_its_report(manager, report, section):
    older = AnnualReportFactory(board=report.board, year=2023)
    response = signed_in(manager).patch(f"{SECTIONS}{section.pk}/", {"report": older.pk})
    assert response.status_code == 400
    assert response.json() == {"report": ["A section stays in the report it was added to."]}


def test_a_settled_reports_sections_do_not_change(manager, report, section):
    approve(report)
    api = signed_in(manager)
    reason = "The Annual Report 2024/25 is approved: its content is settled and cannot change."

    for response in (
        api.post(SECTIONS, {"report": report.pk, "title": "Late news"}),
        api.patch(f"{SECTIONS}{section.pk}/", {"title": "Changed"}),
        api.delete(f"{SECTIONS}{section.pk}/"),
    ):
        assert response.status_code == 400
        assert messages(response) == reason
    assert list(ReportSection.objects.values_list("title", flat=True)) == ["Our area"]


def test_the_sections_list_costs_the_same_for_2_and_30_sections(user_as, report, group):
    """The session, the user, their roles, the count and the page: nothing per section."""

    def add(count: int) -> None:
        for order in range(count):
            ReportSection.objects.create(report=report, title="x", order=order, group=group)

    api = signed_in(user_as("viewer"))
    add(2)
    few = _queries(api, SECTIONS)
    add(28)
    assert len(ids(api.get(SECTIONS))) == 30
    assert _queries(api, SECTIONS) == few


# --- Partner statements ------------------------------------------------------------------


def test_the_manager_sees_the_boards_statements_a_lead_only_their_own(
    manager, lead, user_as, statement, submitted, theirs
):
    PartnerStatementFactory(report=theirs, organisation=OrganisationFactory(), due=DUE)

    assert set(ids(signed_in(manager).get(STATEMENTS))) == {statement.pk, submitted.pk}

    api = signed_in(lead)
    assert ids(api.get(STATEMENTS)) == [statement.pk]
    row = api.get(f"{STATEMENTS}{statement.pk}/").json()
    assert row == {
        "id": statement.pk,
        "report": statement.report_id,
        "organisation": {"id": statement.organisation_id, "name": "Leicester City Council"},
        "status": "requested",
        "due": "2025-05-31",
        "text": "",
        "comment": "",
        "submitted_at": None,
        "late": False,
    }
    # Another organisation's statement does not exist for them.
    assert api.get(f"{STATEMENTS}{submitted.pk}/").status_code == 404
    assert api.post(f"{STATEMENTS}{submitted.pk}/submit/", {"text": "x"}).status_code == 404


@pytest.mark.parametrize("position", ["viewer", "chair", "executive", "partner"])
def test_nobody_else_sees_a_statement(user_as, statement, position):
    """The "partner" position leads another organisation of the board."""
    api = signed_in(user_as(position))
    assert ids(api.get(STATEMENTS)) == []
    assert api.get(f"{STATEMENTS}{statement.pk}/").status_code == 404


def test_another_boards_manager_does_not_see_the_statements(user_as, statement):
    api = signed_in(user_as("other_board_manager"))
    assert ids(api.get(STATEMENTS)) == []
    assert api.get(f"{STATEMENTS}{statement.pk}/").status_code == 404
    assert api.post(f"{STATEMENTS}{statement.pk}/accept/").status_code == 404


def test_statements_filter_by_report_and_status(manager, report, statement, submitted):
    older = AnnualReportFactory(board=report.board, year=2023)
    last_year = PartnerStatementFactory(report=older, organisation=statement.organisation)
    api = signed_in(manager)

    assert set(ids(api.get(f"{STATEMENTS}?report={report.pk}"))) == {statement.pk, submitted.pk}
    assert ids(api.get(f"{STATEMENTS}?report={older.pk}")) == [last_year.pk]
    assert ids(api.get(f"{STATEMENTS}?status=submitted")) == [submitted.pk]
    assert api.get(f"{STATEMENTS}?status=lost").status_code == 400


def test_the_lead_submits_their_statement(lead, statement):
    response = signed_in(lead).post(
        f"{STATEMENTS}{statement.pk}/submit/", {"text": "  We trained 200 staff.  "}
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    statement.refresh_from_db()
    assert statement.status == Status.SUBMITTED
    assert statement.text == "We trained 200 staff."
    assert statement.submitted_by == lead and statement.submitted_at is not None
    assert statement.late is False


def test_a_statement_submitted_after_approval_is_kept_for_next_year(lead, report, statement):
    approve(report)
    response = signed_in(lead).post(f"{STATEMENTS}{statement.pk}/submit/", {"text": "Late."})
    assert response.status_code == 200
    assert response.json()["late"] is True


def test_submitting_needs_the_text_and_a_statement_still_open(lead, statement):
    api = signed_in(lead)

    response = api.post(f"{STATEMENTS}{statement.pk}/submit/", {"text": "   "})
    assert response.status_code == 400
    assert response.json() == {"text": ["Enter your organisation's statement"]}

    assert api.post(f"{STATEMENTS}{statement.pk}/submit/", {"text": "Done."}).status_code == 200
    response = api.post(f"{STATEMENTS}{statement.pk}/submit/", {"text": "Again."})
    assert response.status_code == 400
    assert messages(response) == (
        "The statement from Leicester City Council is submitted. A statement can be "
        "submitted only while it is requested or returned for changes."
    )
    statement.refresh_from_db()
    assert statement.text == "Done."


def test_the_manager_does_not_write_partners_statements(manager, statement):
    response = signed_in(manager).post(f"{STATEMENTS}{statement.pk}/submit/", {"text": "x"})
    assert response.status_code == 403
    statement.refresh_from_db()
    assert statement.status == Status.REQUESTED


def test_the_manager_accepts_a_submitted_statement(manager, submitted):
    response = signed_in(manager).post(f"{STATEMENTS}{submitted.pk}/accept/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    submitted.refresh_from_db()
    assert submitted.status == Status.ACCEPTED


def test_accepting_is_refused_before_submission_and_once_approved(manager, report, statement):
    api = signed_in(manager)

    response = api.post(f"{STATEMENTS}{statement.pk}/accept/")
    assert response.status_code == 400
    assert messages(response) == (
        "The statement from Leicester City Council is requested. Only a submitted statement "
        "can be accepted."
    )

    statement.status = Status.SUBMITTED
    statement.save()
    approve(report)
    response = api.post(f"{STATEMENTS}{statement.pk}/accept/")
    assert response.status_code == 400
    assert messages(response) == (
        "The Annual Report 2024/25 is approved: its content is settled, so statements cannot "
        "be accepted."
    )
    statement.refresh_from_db()
    assert statement.status == Status.SUBMITTED


def test_the_manager_returns_a_statement_with_a_comment(
    manager, submitted, make_user, board, django_capture_on_commit_callbacks, mailoutbox
):
    make_user(Role.PARTNER_LEAD, board, organisation=submitted.organisation)
    api = signed_in(manager)

    response = api.post(f"{STATEMENTS}{submitted.pk}/return/", {"comment": "   "})
    assert response.status_code == 400
    assert response.json() == {"comment": ["Enter what should change in the statement"]}

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"{STATEMENTS}{submitted.pk}/return/", {"comment": "Add the numbers trained."}
        )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "returned"
    assert response.json()["comment"] == "Add the numbers trained."
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED
    assert len(mailoutbox) == 1

    response = api.post(f"{STATEMENTS}{submitted.pk}/return/", {"comment": "Again."})
    assert response.status_code == 400
    assert "Only a submitted statement can be returned." in messages(response)


def test_a_lead_neither_accepts_nor_returns(lead, make_user, board, report, organisation):
    own = PartnerStatementFactory(
        report=report, organisation=organisation, due=DUE, status=Status.SUBMITTED, text="x"
    )
    api = signed_in(lead)
    assert api.post(f"{STATEMENTS}{own.pk}/accept/").status_code == 403
    assert api.post(f"{STATEMENTS}{own.pk}/return/", {"comment": "x"}).status_code == 403
    own.refresh_from_db()
    assert own.status == Status.SUBMITTED


def test_the_managers_statements_list_costs_the_same_for_2_and_30(manager, report):
    """The session, the user, their roles, the count and the page of statements with their
    organisations: nothing per statement."""

    def add(count: int) -> None:
        for _ in range(count):
            PartnerStatementFactory(report=report, organisation=OrganisationFactory(), due=DUE)

    api = signed_in(manager)
    add(2)
    few = _queries(api, STATEMENTS)
    add(28)
    assert len(ids(api.get(STATEMENTS))) == 30
    assert _queries(api, STATEMENTS) == few


def test_a_leads_statements_list_costs_the_same_for_2_and_30(lead, board, organisation):
    """A partner lead's own organisation's statements, one a year, among others' they do not
    see: the same queries for any number."""

    def add(years) -> None:
        for year in years:
            report = AnnualReportFactory(board=board, year=year)
            PartnerStatementFactory(report=report, organisation=organisation, due=DUE)
            PartnerStatementFactory(report=report, organisation=OrganisationFactory(), due=DUE)

    api = signed_in(lead)
    add(range(2000, 2002))
    few = _queries(api, STATEMENTS)
    add(range(2002, 2030))
    assert len(ids(api.get(STATEMENTS))) == 30
    assert _queries(api, STATEMENTS) == few


# --- Published: the public API -----------------------------------------------------------


def test_a_published_annual_report_is_listed_for_anyone(manager, report):
    approve(report)
    html = '<!DOCTYPE html><html lang="en-GB"><title>Annual Report</title><p>Ours</p></html>'
    publication = store_publication(
        source=report,
        rendered=Rendered(
            title=report.title,
            period=report.period,
            year=report.year,
            html=html,
            pdf=b"%PDF-1.7\n% a stand-in for the published report\n",
            page_count=1,
        ),
        by=manager,
    )

    rows = APIClient().get("/api/publications/?kind=annual_report").json()["results"]

    assert [(row["id"], row["kind"], row["title"]) for row in rows] == [
        (publication.pk, Kind.ANNUAL_REPORT, "Annual Report 2024/25")
    ]
    assert rows[0]["board"] == {"slug": "lsab", "name": report.board.name}
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.PUBLISHED
    assert APIClient().get("/api/publications/?kind=business_plan").json()["results"] == []
