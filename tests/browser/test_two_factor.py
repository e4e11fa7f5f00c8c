"""The two-step sign-in and the second-factor pages in Chromium (axe) and the Nu Html Checker."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from sab.models import RoleAssignment
from sab.two_factor import WRONG_CODE, new_backup_codes
from tests.browser.helpers import assert_no_axe_violations, html_errors, sign_in
from tests.factories import TEST_PASSWORD, UserFactory
from tests.two_factor import current_code, verify

pytestmark = [pytest.mark.browser]
Role = RoleAssignment.Role


@pytest.fixture
def manager_with_app(transactional_db, board):
    user = UserFactory(email="manager@example.org", first_name="Lindsey", last_name="Bampton")
    RoleAssignment.objects.create(user=user, board=board, role=Role.BOARD_MANAGER)
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    new_backup_codes(user)
    return user, device


def _not_the_code(device) -> str:
    return "000000" if current_code(device) != "000000" else "111111"


def test_a_board_manager_signs_in_with_password_and_code_and_keeps_their_second_factor(
    browser_available, axe_source, live_server, page, manager_with_app
):
    user, device = manager_with_app
    page.goto(f"{live_server.url}/accounts/two-factor/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/accounts/two-factor/$"))
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Enter the code from your authenticator app")
    assert_no_axe_violations(page, axe_source)

    page.get_by_label("Code from your authenticator app").fill(_not_the_code(device))
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(WRONG_CODE)
    expect(summary).to_be_focused()
    assert_no_axe_violations(page, axe_source)

    # django-otp's wait after a wrong code (one second) has passed.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    page.get_by_label("Code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(heading).to_have_text("Second factor")
    expect(page.get_by_text("Signed in as Lindsey Bampton")).to_be_visible()
    expect(page.get_by_text("Confirmed with your second factor")).to_be_visible()
    assert_no_axe_violations(page, axe_source)

    page.get_by_role("link", name="Make new backup codes").click()
    expect(heading).to_have_text("Backup codes")
    assert_no_axe_violations(page, axe_source)
    page.get_by_role("button", name="Make new backup codes").click()
    expect(heading).to_have_text("Save your backup codes")
    expect(page.locator("main li code")).to_have_count(10)
    assert_no_axe_violations(page, axe_source)

    page.get_by_role("button", name="I have saved my codes, continue").click()
    page.get_by_role("link", name="Replace your authenticator app").click()
    expect(heading).to_have_text("Replace your authenticator app")
    expect(page.get_by_role("img", name="QR code that adds SAB Manager")).to_be_visible()
    assert_no_axe_violations(page, axe_source)


def test_the_backup_code_page_and_a_first_set_up_have_no_axe_violations(
    browser_available, axe_source, live_server, page, manager_with_app, make_user, board
):
    user, _ = manager_with_app
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Use a backup code instead").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a backup code")
    assert_no_axe_violations(page, axe_source)

    page.context.clear_cookies()
    sign_in(page, live_server, make_user(Role.REVIEW_MEMBER, board))
    page.goto(f"{live_server.url}/accounts/two-factor/")
    expect(page.get_by_text("You must use one: you are a review subgroup member.")).to_be_visible()
    assert_no_axe_violations(page, axe_source)
    page.get_by_role("button", name="Set up an authenticator app").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    assert_no_axe_violations(page, axe_source)
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_no_axe_violations(page, axe_source)


def test_second_factor_pages_are_valid_html(vnu_jar, client, manager, board, tmp_path):
    """The Nu Html Checker finds no errors in the code page (each way and with an error),
    the overview, setting up an app and the backup codes pages."""
    documents = {"verify-expired": client.get("/accounts/two-factor/verify/").content.decode()}
    device = TOTPDevice.objects.create(user=manager, name="Phone", confirmed=True)
    client.post("/accounts/login/", {"username": manager.email, "password": TEST_PASSWORD})
    verify_url = "/accounts/two-factor/verify/?next=/"
    documents["verify"] = client.get(verify_url).content.decode()
    documents["verify-backup"] = client.get(f"{verify_url}&method=backup").content.decode()
    documents["verify-error"] = client.post(
        "/accounts/two-factor/verify/", {"code": _not_the_code(device)}
    ).content.decode()
    device.delete()

    client.force_login(manager)
    documents["overview-none"] = client.get("/accounts/two-factor/").content.decode()
    documents["enrol"] = client.get("/accounts/two-factor/set-up/").content.decode()
    documents["enrol-error"] = client.post(
        "/accounts/two-factor/set-up/", {"code": "12"}
    ).content.decode()
    verify(client, manager)
    documents["overview"] = client.get("/accounts/two-factor/").content.decode()
    documents["enrol-replace"] = client.get("/accounts/two-factor/set-up/").content.decode()
    client.post("/accounts/two-factor/backup-codes/")
    documents["backup-codes-new"] = client.get(
        "/accounts/two-factor/backup-codes/"
    ).content.decode()
    documents["backup-codes"] = client.get("/accounts/two-factor/backup-codes/").content.decode()
    assert html_errors(vnu_jar, documents, tmp_path) == []
