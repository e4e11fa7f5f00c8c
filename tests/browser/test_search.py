"""Searching from the header in Chromium: the results page, and its accessibility."""

import pytest
from playwright.sync_api import expect

from sab.models import RoleAssignment
from tests.browser.helpers import assert_no_axe_violations, html_errors, sign_in
from tests.factories import (
    ActionFactory,
    BusinessPlanFactory,
    GroupFactory,
    GroupMembershipFactory,
    PersonFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser]
Role = RoleAssignment.Role


@pytest.fixture
def reader(transactional_db, board):
    """A board member (read only) in a board with an action, its update and a group that
    mention advocacy."""
    group = GroupFactory(name="Advocacy Forum", boards=[board], remit="Independent advocacy.")
    GroupMembershipFactory(group=group, role="chair", person=PersonFactory(name="Pat Ellis"))
    plan = BusinessPlanFactory(board=board, title="Business Plan 2026/27", status="approved")
    priority = PriorityFactory(plan=plan, ref="2", title="Making safeguarding personal")
    action = ActionFactory(
        priority=priority, ref="2.1", description="Audit the use of advocacy in enquiries"
    )
    ProgressUpdateFactory(action=action, text="The advocacy audit <b>has started</b>.")
    user = UserFactory(first_name="Morgan", last_name="Reid")
    RoleAssignment.objects.create(user=user, board=board, role=Role.VIEWER)
    return user


def test_a_reader_searches_from_the_header_and_opens_a_hit(
    browser_available, axe_source, live_server, page, reader, board
):
    sign_in(page, live_server, reader)
    page.goto(f"{live_server.url}{board.get_absolute_url()}")
    assert_no_axe_violations(page, axe_source)  # with the header's search form

    header_search = page.get_by_role("banner").get_by_role("search")
    header_search.get_by_label("Search your boards").fill("advocacy")
    header_search.get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_text("3 results for \u2018advocacy\u2019")).to_be_visible()
    expect(page.get_by_role("heading", name="Actions (1)")).to_be_visible()
    expect(page.get_by_role("heading", name="Progress updates (1)")).to_be_visible()
    expect(page.get_by_role("heading", name="Groups (1)")).to_be_visible()
    expect(page.locator("mark").first).to_have_text("advocacy")
    expect(page.get_by_text("<b>has started</b>", exact=False)).to_be_visible()  # as typed
    expect(page.get_by_label("Search your boards' plans", exact=False)).to_have_value("advocacy")
    assert_no_axe_violations(page, axe_source)

    page.get_by_role("link", name="2.1 Audit the use of advocacy in enquiries").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2.1")


def test_no_results_and_the_empty_form_have_no_axe_violations(
    browser_available, axe_source, live_server, page, reader
):
    sign_in(page, live_server, reader)
    page.goto(f"{live_server.url}/search/")
    assert_no_axe_violations(page, axe_source)
    page.get_by_label("Search your boards' plans", exact=False).fill("heron")
    page.get_by_label("Search your boards' plans", exact=False).press("Enter")
    expect(
        page.get_by_role("heading", name="There are no results for \u2018heron\u2019")
    ).to_be_visible()
    assert_no_axe_violations(page, axe_source)


def test_search_pages_are_valid_html(vnu_jar, client, reader, board, tmp_path):
    client.force_login(reader)
    documents = {
        "search-empty": client.get("/search/").content.decode(),
        "search-hits": client.get("/search/", {"q": "advocacy"}).content.decode(),
        "search-none": client.get("/search/", {"q": "heron"}).content.decode(),
        "header": client.get(board.get_absolute_url()).content.decode(),
    }
    assert html_errors(vnu_jar, documents, tmp_path) == []
