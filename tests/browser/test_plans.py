"""Plans in Chromium: a chair records progress with htmx; axe and vnu on the plan pages."""

import datetime
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from priorities.models import Action, BusinessPlan, Measure, ProgressUpdate, ReportingPeriod
from sab.models import RoleAssignment
from tests.browser.helpers import assert_no_axe_violations, html_errors, sign_in
from tests.factories import (
    ActionFactory,
    BusinessPlanFactory,
    GroupFactory,
    GroupMembershipFactory,
    PersonFactory,
    PriorityFactory,
    ReportingPeriodFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser]
Role = RoleAssignment.Role


@pytest.fixture
def plan_data(transactional_db, board):
    group = GroupFactory(name="Procedures Subgroup", boards=[board])
    plan = BusinessPlanFactory(board=board, title="Business Plan 2026/27")
    priority = PriorityFactory(
        plan=plan,
        ref="SAB1",
        title="Effective multi-agency meetings",
        statement="Multi-agency meetings are effective.",
        delivery_group=group,
    )
    action = ActionFactory(
        priority=priority,
        ref="SAB1.1",
        lead_group=group,
        description="Review multi-agency meetings for adults at risk",
        timescale="Sept 2019",
        due_date=datetime.date(2019, 9, 30),
    )
    ActionFactory(priority=priority, ref="SAB1.2", lead_group=None, lead_text="LLR Transitions")
    today = datetime.date.today()
    ReportingPeriodFactory(
        board=board,
        label="Q3 2026/27",
        start=today - datetime.timedelta(30),
        end=today + datetime.timedelta(30),
    )
    chair = UserFactory(first_name="Priya", last_name="Mistry")
    GroupMembershipFactory(group=group, role="chair", person=PersonFactory(user=chair))
    manager = UserFactory()
    RoleAssignment.objects.create(user=manager, board=board, role=Role.BOARD_MANAGER)
    measure = Measure.objects.create(priority=priority, name="Practitioner confidence", unit="%")
    return {
        "measure": measure,
        "plan": plan,
        "priority": priority,
        "action": action,
        "chair": chair,
        "manager": manager,
    }


def test_chair_records_progress_with_htmx_and_sees_it_in_history(
    browser_available, axe_source, live_server, page, plan_data
):
    action = plan_data["action"]
    sign_in(page, live_server, plan_data["chair"])
    page.goto(f"{live_server.url}{action.get_absolute_url()}")
    assert_no_axe_violations(page, axe_source)
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    page.get_by_role("button", name="Save the update").click()  # nothing filled in
    expect(page.locator("#progress .govuk-error-summary")).to_be_visible()
    assert_no_axe_violations(page, axe_source)

    page.get_by_label("What has happened this quarter?").fill("Review under way")
    page.get_by_role("radio", name="In progress").check()
    page.get_by_role("radio", name="Amber").check()
    page.get_by_role("button", name="Save the update").click()
    expect(page.get_by_text("Your update on SAB1.1 has been saved.")).to_be_visible()
    history = page.locator("#progress table")
    expect(history).to_contain_text("Status: Not started → In progress")
    expect(history).to_contain_text("Priya Mistry")
    expect(page.locator("#progress")).to_contain_text("Review under way")
    assert navigations == []  # htmx swapped the fragment; the page never reloaded
    assert ProgressUpdate.objects.get(action=action).rag == "amber"
    assert_no_axe_violations(page, axe_source)


def test_plan_pages_have_no_axe_violations(
    browser_available, axe_source, live_server, page, plan_data, board
):
    sign_in(page, live_server, plan_data["manager"])
    plan, priority, action = plan_data["plan"], plan_data["priority"], plan_data["action"]
    for path in [
        f"/boards/{board.slug}/plans/",
        plan.get_absolute_url(),
        f"/boards/{board.slug}/actions/",
        f"/boards/{board.slug}/actions/?status=not_started&overdue=on",
        f"/boards/{board.slug}/my-actions/",
        f"/boards/{board.slug}/periods/",
        action.get_absolute_url(),
        f"/actions/{action.pk}/edit/",
        f"/priorities/{priority.pk}/edit/",
        f"/plans/{plan.pk}/roll-forward/",
        f"/boards/{board.slug}/strategic-plans/new/",
        plan_data["measure"].get_absolute_url(),
        f"/boards/{board.slug}/periods/set-up/",
        f"/periods/{ReportingPeriod.objects.for_board(board).get().pk}/edit/",
    ]:
        page.goto(f"{live_server.url}{path}")
        assert_no_axe_violations(page, axe_source)


def test_plan_page_is_readable_on_a_phone(browser_available, live_server, page, plan_data):
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, live_server, plan_data["manager"])
    page.goto(f"{live_server.url}{plan_data['plan'].get_absolute_url()}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways ({width}px wide)"
    expect(page.get_by_text("Review multi-agency meetings for adults at risk")).to_be_visible()


def test_plan_pages_are_valid_html(vnu_jar, client, plan_data, board, tmp_path):
    client.force_login(plan_data["manager"])
    plan, action = plan_data["plan"], plan_data["action"]
    documents = {
        "plans": client.get(f"/boards/{board.slug}/plans/").content.decode(),
        "plan": client.get(plan.get_absolute_url()).content.decode(),
        "tracker": client.get(f"/boards/{board.slug}/actions/").content.decode(),
        "action": client.get(action.get_absolute_url()).content.decode(),
        "action-edit": client.get(f"/actions/{action.pk}/edit/").content.decode(),
        "my-actions": client.get(f"/boards/{board.slug}/my-actions/").content.decode(),
    }
    assert html_errors(vnu_jar, documents, tmp_path) == []


def test_manager_imports_a_real_plan_through_the_preview(
    browser_available, axe_source, live_server, page, plan_data, board, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    seed_csv = Path(__file__).resolve().parents[1] / "data" / "lrsab-business-plan-2019-20.csv"
    sign_in(page, live_server, plan_data["manager"])
    page.goto(f"{live_server.url}/boards/{board.slug}/plans/")
    page.get_by_role("link", name="Import a plan from a spreadsheet").click()
    assert_no_axe_violations(page, axe_source)
    page.get_by_label("Plan title").fill("Business Plan 2019/20")
    page.locator("input[type=file]").set_input_files(str(seed_csv))
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("button", name="Import the plan")).to_be_visible()
    assert not BusinessPlan.objects.filter(title="Business Plan 2019/20").exists()
    assert_no_axe_violations(page, axe_source)
    page.get_by_role("button", name="Import the plan").click()
    page.wait_for_url(re.compile(r"/plans/\d+/$"))  # the import has finished
    imported = BusinessPlan.objects.get(board=board, title="Business Plan 2019/20")
    expect(page).to_have_url(f"{live_server.url}{imported.get_absolute_url()}")
    expect(
        page.get_by_role(
            "heading",
            level=2,
            name="SAB1. Effective Multi-Agency meetings / Effective Support Pathways",
        )
    ).to_be_visible()
    assert Action.objects.filter(priority__plan=imported).count() == 17
