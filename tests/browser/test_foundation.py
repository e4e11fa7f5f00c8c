"""Sign-in journey and accessibility checks for the foundation pages (real Chromium)."""

import re

import pytest
from playwright.sync_api import expect

from sab.models import RoleAssignment
from tests.browser.helpers import assert_no_axe_violations, html_errors, sign_in
from tests.factories import TEST_PASSWORD, BoardFactory, BoardMembershipFactory, UserFactory

pytestmark = [pytest.mark.browser]
Role = RoleAssignment.Role


@pytest.fixture
def demo_manager(transactional_db, board):
    user = UserFactory(email="manager@example.org", first_name="Lindsey", last_name="Bampton")
    RoleAssignment.objects.create(user=user, board=board, role=Role.BOARD_MANAGER)
    BoardMembershipFactory(board=board, statutory=True)
    return user


def test_board_manager_signs_in_and_sees_their_board(
    browser_available, axe_source, live_server, page, demo_manager, board
):
    page.goto(f"{live_server.url}/")  # the public home page: the way in for board staff
    page.get_by_role("link", name="Sign in").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert_no_axe_violations(page, axe_source)

    page.get_by_label("Email address").fill("manager@example.org")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Someone in one board lands on its page, with what needs their attention.
    expect(page.get_by_role("heading", level=1)).to_have_text(board.name)
    expect(page.get_by_role("heading", name="Needs your attention")).to_be_visible()
    expect(page.get_by_text("Signed in as Lindsey Bampton")).to_be_visible()
    assert_no_axe_violations(page, axe_source)


def test_wrong_password_shows_the_error_summary(
    browser_available, axe_source, live_server, page, demo_manager
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill("manager@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a correct email address and password.")
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    assert_no_axe_violations(page, axe_source)


@pytest.mark.parametrize(
    "path",
    ["/accessibility/", "/accounts/password_reset/", "/accounts/password_reset/done/"],
)
def test_public_pages_have_no_axe_violations(
    browser_available, axe_source, live_server, page, transactional_db, path
):
    page.goto(f"{live_server.url}{path}")
    assert_no_axe_violations(page, axe_source)


def test_signed_in_pages_have_no_axe_violations(
    browser_available, axe_source, live_server, page, demo_manager, board
):
    sign_in(page, live_server, demo_manager)
    for path in ["/", board.get_absolute_url(), "/accounts/password_change/", "/no-such-page/"]:
        page.goto(f"{live_server.url}{path}")
        assert_no_axe_violations(page, axe_source)


def test_no_console_errors_or_csp_violations(browser_available, live_server, page, demo_manager):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, live_server, demo_manager)
    page.goto(f"{live_server.url}/")
    expect(page.locator("body")).to_have_class(re.compile("govuk-frontend-supported"))
    assert errors == []


def test_pages_are_valid_html(vnu_jar, client, demo_manager, board, tmp_path):
    """The Nu Html Checker finds no errors in the foundation pages."""
    documents = {
        "login": client.get("/accounts/login/").content.decode(),
        "login-error": client.post(
            "/accounts/login/", {"username": "x@example.org", "password": "x"}
        ).content.decode(),
        "accessibility": client.get("/accessibility/").content.decode(),
        "password-reset": client.get("/accounts/password_reset/").content.decode(),
    }
    client.force_login(demo_manager)
    # The list of boards is for someone in more than one (one board: its page).
    RoleAssignment.objects.create(user=demo_manager, board=BoardFactory(), role=Role.VIEWER)
    documents["home"] = client.get("/").content.decode()
    documents["board"] = client.get(board.get_absolute_url()).content.decode()
    documents["not-found"] = client.get("/no-such-page/").content.decode()
    assert html_errors(vnu_jar, documents, tmp_path) == []
