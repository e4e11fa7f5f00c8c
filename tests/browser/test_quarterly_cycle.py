"""The quarterly cycle in Chromium, as the people in it live it (issue 8's breakages)."""

import datetime

import pytest
from playwright.sync_api import expect

from priorities.models import ReportingPeriod
from sab.models import RoleAssignment
from tests.browser.helpers import assert_no_axe_violations, html_errors, sign_in
from tests.factories import (
    ActionFactory,
    BusinessPlanFactory,
    GroupFactory,
    GroupMembershipFactory,
    PersonFactory,
    PriorityFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser]
Role = RoleAssignment.Role


@pytest.fixture
def cycle(transactional_db, board):
    """A board with a live plan and no reporting periods; the Review Sub-Group's chair and
    members are only what its page shows (no login role)."""
    group = GroupFactory(name="Review Sub-Group", boards=[board])
    plan = BusinessPlanFactory(board=board, title="Business Plan 2026/27", status="approved")
    priority = PriorityFactory(plan=plan, ref="3", title="Learning from reviews")
    action = ActionFactory(
        priority=priority,
        ref="3.1",
        lead_group=group,
        description="Publish the learning briefing from the 2025 reviews",
        due_date=datetime.date.today() + datetime.timedelta(days=90),
    )
    chair = UserFactory(first_name="Claire", last_name="Watson")
    GroupMembershipFactory(
        group=group, role="chair", person=PersonFactory(name="Claire Watson", user=chair)
    )
    manager = UserFactory(first_name="Lindsey", last_name="Bampton")
    RoleAssignment.objects.create(user=manager, board=board, role=Role.BOARD_MANAGER)
    return {"group": group, "action": action, "chair": chair, "manager": manager}


def test_the_groups_chair_updates_and_the_update_counts_once_the_year_is_set_up(
    browser_available, axe_source, live_server, page, cycle, board
):
    """The chair shown on the group page updates its action (no login role needed); with no
    period covering today everyone is warned; once the manager sets up the year's quarters
    in one step, the update saved before counts, and the action no longer needs one."""
    action = cycle["action"]
    sign_in(page, live_server, cycle["chair"])
    page.goto(f"{live_server.url}{board.get_absolute_url()}")
    expect(page.get_by_text("No reporting period covers today")).to_be_visible()
    assert_no_axe_violations(page, axe_source)

    page.goto(f"{live_server.url}{action.get_absolute_url()}")
    page.get_by_label("What has happened this quarter?").fill("Briefing drafted")
    page.get_by_role("radio", name="In progress").check()
    page.get_by_role("radio", name="Green").check()
    page.get_by_role("button", name="Save the update").click()
    expect(page.get_by_text("Your update on 3.1 has been saved.")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, live_server, cycle["manager"])
    page.goto(f"{live_server.url}{board.get_absolute_url()}")
    page.get_by_role("link", name="Set up this year's quarters").click()
    assert_no_axe_violations(page, axe_source)
    page.get_by_role("button", name="Set up the quarters").click()
    expect(page.get_by_text("have been set up")).to_be_visible()
    assert_no_axe_violations(page, axe_source)
    assert ReportingPeriod.objects.for_board(board).count() == 4

    page.context.clear_cookies()
    sign_in(page, live_server, cycle["chair"])
    page.goto(f"{live_server.url}/boards/{board.slug}/my-actions/")
    expect(page.get_by_role("heading", name="Needs an update (0)")).to_be_visible()
    expect(page.get_by_role("heading", name="Up to date or finished (1)")).to_be_visible()
    page.goto(f"{live_server.url}{board.get_absolute_url()}")
    expect(page.get_by_text("No reporting period covers today")).to_have_count(0)
    current = ReportingPeriod.current_for(board).label
    expect(page.get_by_text(f"Reporting period: {current}")).to_be_visible()


def test_period_and_plan_cycle_pages_are_valid_html(vnu_jar, client, cycle, board, tmp_path):
    client.force_login(cycle["manager"])
    documents = {
        "board-no-period": client.get(board.get_absolute_url()).content.decode(),
        "periods": client.get(f"/boards/{board.slug}/periods/").content.decode(),
        "set-up": client.get(f"/boards/{board.slug}/periods/set-up/").content.decode(),
    }
    client.post(f"/boards/{board.slug}/periods/set-up/", {"year": board.current_financial_year()})
    period = ReportingPeriod.current_for(board)
    documents["period-edit"] = client.get(f"/periods/{period.pk}/edit/").content.decode()
    documents["periods-set"] = client.get(f"/boards/{board.slug}/periods/").content.decode()
    live = cycle["action"].priority.plan
    documents["roll-forward"] = client.get(f"/plans/{live.pk}/roll-forward/").content.decode()
    client.post(f"/plans/{live.pk}/roll-forward/", {"title": "Business Plan 2027/28"})
    draft = live.rolled_forward_to.get()
    documents["approve"] = client.get(f"/plans/{draft.pk}/approve/").content.decode()
    client.post(f"/plans/{draft.pk}/approve/")
    documents["archived"] = client.get(live.get_absolute_url()).content.decode()
    assert html_errors(vnu_jar, documents, tmp_path) == []


def test_roll_forward_prepares_next_years_draft_while_this_years_plan_stays_in_use(
    browser_available, axe_source, live_server, page, cycle, board
):
    """Rolling forward no longer archives the live plan: the tracker still shows its actions;
    the draft can be carried into again; approving the draft archives the old plan on that
    day, with links both ways, and the archived plan offers no changes."""
    live = cycle["action"].priority.plan
    overdue = ActionFactory(
        priority=cycle["action"].priority,
        ref="3.2",
        lead_group=cycle["group"],
        description="Audit the use of advocacy in enquiries",
        due_date=datetime.date.today() - datetime.timedelta(days=20),
    )
    overdue.updates.create(text="Auditor not yet found", status="in_progress", rag="red")
    sign_in(page, live_server, cycle["manager"])
    page.goto(f"{live_server.url}{live.get_absolute_url()}")
    page.get_by_role("link", name="Roll forward to next year").click()
    expect(page.get_by_label("Title of the new plan")).to_have_value("Business Plan 2027/28")
    carried = page.get_by_role("table", name="Actions that will be carried forward")
    expect(carried).to_contain_text("Red")
    expect(carried).to_contain_text("Auditor not yet found")
    expect(carried).to_contain_text("Set a new date")
    assert_no_axe_violations(page, axe_source)
    page.get_by_role("button", name="Carry the actions forward").click()
    expect(page.get_by_text("stays in use until Business Plan 2027/28 is approved")).to_be_visible()

    page.goto(f"{live_server.url}/boards/{board.slug}/actions/")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)  # the live plan's actions, not their draft copies
    expect(page.locator("tbody")).to_contain_text(live.title)

    page.goto(f"{live_server.url}{live.get_absolute_url()}roll-forward/")
    page.get_by_label("Carry them into").select_option(label="Business Plan 2027/28")
    page.get_by_role("button", name="Carry the actions forward").click()
    expect(page.get_by_text("0 actions carried")).to_be_visible()
    expect(page.get_by_text("(2 were there already)")).to_be_visible()

    page.get_by_role("link", name="Approve the plan").click()
    expect(page.get_by_text("will be archived today")).to_be_visible()
    assert_no_axe_violations(page, axe_source)
    page.get_by_role("button", name="Approve the plan").click()
    expect(
        page.get_by_text(f"Business Plan 2027/28 is approved. {live.title} is archived.")
    ).to_be_visible()

    page.goto(f"{live_server.url}{live.get_absolute_url()}")
    today = datetime.date.today()
    expect(page.get_by_text(f"Archived on {today.day} {today:%B %Y}")).to_be_visible()
    expect(page.get_by_role("link", name="Business Plan 2027/28")).to_be_visible()
    expect(page.get_by_role("link", name="Add an action")).to_have_count(0)
    assert_no_axe_violations(page, axe_source)
