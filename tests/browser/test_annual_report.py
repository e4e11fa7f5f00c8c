"""The annual report in Chromium: the manager asks a partner for its statement, the partner
lead writes it, the manager accepts it, sees the completeness check turn green, approves and
publishes; an anonymous visitor downloads it. axe and vnu on the report editor, the statement
form, the completeness page and the report's web page."""

import datetime
import hashlib
import re

import pytest
from playwright.sync_api import expect

from reports.models import Publication
from sab.models import RoleAssignment
from tests.browser.helpers import assert_no_axe_violations, html_errors, sign_in
from tests.reports.test_completeness import complete_year

pytestmark = [pytest.mark.browser]
Role = RoleAssignment.Role


@pytest.fixture
def report(transactional_db, board):
    """A complete year but for one member's statement, which nobody has asked for yet."""
    report = complete_year(board)
    report.statements.get(organisation__name="Partner 01 of LSAB").delete()
    return report


def test_statements_to_a_published_report(
    page, live_server, report, make_user, axe_source, browser
):
    board = report.board
    manager = make_user(Role.BOARD_MANAGER, board)
    partner = report.board.memberships.get(organisation__name="Partner 01 of LSAB").organisation
    lead = make_user(Role.PARTNER_LEAD, board, organisation=partner)
    sign_in(page, live_server, manager)

    # The check says what is missing, and the report cannot be approved yet.
    page.goto(f"{live_server.url}/reports/annual-reports/{report.pk}/check/")
    statutory = page.get_by_role("table", name=re.compile("must contain"))
    expect(statutory).to_contain_text("No accepted statement from Partner 01 of LSAB")
    expect(page.get_by_role("button", name="Approve the report")).to_have_count(0)

    # The manager asks Partner 01 for its statement.
    page.get_by_role("link", name=re.compile("Ask for or accept the statements")).click()
    page.get_by_role("link", name="Ask for statements").click()
    page.get_by_label("Partner 01 of LSAB").check()
    due = datetime.date.today() + datetime.timedelta(days=21)
    page.get_by_label("When is it due?").fill(f"{due.day}/{due.month}/{due.year}")
    page.get_by_role("button", name="Ask for the statements").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Statements requested")

    # The partner lead writes and submits it, in a browser of their own.
    theirs = browser.new_context().new_page()
    sign_in(theirs, live_server, lead)
    theirs.goto(f"{live_server.url}/reports/statements/")
    theirs.get_by_role("link", name=re.compile("Partner 01 of LSAB")).first.click()
    theirs.get_by_role("link", name="Write the statement").click()
    theirs.get_by_label("Your organisation's statement").fill("We trained 400 staff.")
    theirs.get_by_role("button", name="Submit the statement").click()
    expect(theirs.locator("body")).to_contain_text("We trained 400 staff.")
    theirs.context.close()

    # The manager accepts it; the check turns green; approve, then publish.
    page.goto(f"{live_server.url}/reports/annual-reports/{report.pk}/statements/")
    page.get_by_role("link", name=re.compile("Partner 01 of LSAB")).first.click()
    page.get_by_role("button", name="Accept the statement").click()
    page.goto(f"{live_server.url}/reports/annual-reports/{report.pk}/check/")
    expect(page.locator("body")).to_contain_text("Every statutory item is met")
    assert_no_axe_violations(page, axe_source)
    page.get_by_role("button", name="Approve the report").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been approved")
    page.goto(f"{live_server.url}/reports/annual-reports/{report.pk}/check/")
    page.get_by_role("link", name="Publish the report").click()
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_role("heading", name="Published")).to_be_visible()
    publication = Publication.objects.get(annual_report=report)

    # Anyone downloads it from the public site.
    visitor = browser.new_context(accept_downloads=True)
    public = visitor.new_page()
    public.goto(f"{live_server.url}/publications/{board.slug}/")
    public.get_by_role("link", name=publication.title).first.click()
    with public.expect_download() as download_info:
        public.get_by_role("link", name=re.compile("Download PDF", re.I)).first.click()
    downloaded = download_info.value.path().read_bytes()
    assert hashlib.sha256(downloaded).hexdigest() == publication.pdf_sha256
    visitor.close()


def test_annual_report_pages_pass_axe_and_vnu(
    page, live_server, report, make_user, axe_source, vnu_jar, tmp_path
):
    board = report.board
    manager = make_user(Role.BOARD_MANAGER, board)
    statement = report.statements.first()
    statement.status = "requested"
    statement.save()
    lead = make_user(Role.PARTNER_LEAD, board, organisation=statement.organisation)
    documents = {}
    sign_in(page, live_server, manager)
    for name, url in {
        "report": report.get_absolute_url(),
        "editor": f"/reports/annual-reports/{report.pk}/edit/",
        "check": f"/reports/annual-reports/{report.pk}/check/",
        "html-report": f"/reports/annual-reports/{report.pk}/preview/",
        "statements": f"/reports/annual-reports/{report.pk}/statements/",
    }.items():
        page.goto(live_server.url + url)
        assert_no_axe_violations(page, axe_source)
        documents[name] = page.content()
    # The editor's live preview follows the typing.
    page.goto(f"{live_server.url}/reports/annual-reports/{report.pk}/edit/")
    page.get_by_label("Chair's foreword").fill("**Thank you** to every partner.")
    expect(page.locator("#preview strong")).to_have_text("Thank you")
    assert_no_axe_violations(page, axe_source)
    documents["editor-preview"] = page.content()
    # The partner lead's statement form, and its error summary.
    page.context.clear_cookies()
    sign_in(page, live_server, lead)
    page.goto(f"{live_server.url}/reports/statements/{statement.pk}/write/")
    assert_no_axe_violations(page, axe_source)
    documents["statement-form"] = page.content()
    page.get_by_label("Your organisation's statement").fill("")
    page.get_by_role("button", name="Submit the statement").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_axe_violations(page, axe_source)
    documents["statement-form-error"] = page.content()
    assert html_errors(vnu_jar, documents, tmp_path) == []
