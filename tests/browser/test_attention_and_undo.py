"""What needs attention, the progress narrative, undo, joint groups, the quarterly return and
the phone layout in Chromium: one journey per breakage, as the people in them live it."""

import contextlib
import datetime
import re

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from priorities.models import BusinessPlan, Measure, ProgressUpdate
from sab.models import RoleAssignment
from tests.browser.helpers import assert_no_axe_violations, html_errors, sign_in
from tests.factories import (
    TEST_PASSWORD,
    ActionFactory,
    BusinessPlanFactory,
    GroupFactory,
    GroupMembershipFactory,
    PersonFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    ReportingPeriodFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser]
Role = RoleAssignment.Role

# The 1.1 narrative: long enough to be shortened in the tables, with a word found nowhere else.
NARRATIVE = (
    "Practitioner survey returned by eleven of the twelve partner agencies. Findings on the "
    "kingfisher pathway show that referrals from housing are still slow, so a joint audit "
    "with the council's housing team is booked for next month and will report to the board "
    "in the spring with its recommendations."
)
NARRATIVE_END = "with its recommendations."
DRAFT = "Business Plan 2027/28"
LIVE = "Business Plan 2026/27"
PERIOD = "Q3 2026/27"


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


@pytest.fixture
def world(transactional_db, board):
    """A board with a current period and a plan in use whose actions need attention:

    - 1.1 (Performance Sub-Group) overdue but rated Green, not updated this period;
    - 1.2 (Training Sub-Group) overdue and Red;
    - 1.3 (Performance) Amber, updated this period;
    - 1.4 (Performance) and 1.5 (Training) due later, never updated.

    Plus next year's draft, with a priority, two actions (one with a milestone), an update on
    each and a measure. The Performance Sub-Group's chair has no login role (her group
    membership is her role); the manager manages the board."""
    today = timezone.localdate()
    past, future = today - datetime.timedelta(days=10), today + datetime.timedelta(days=100)
    period = ReportingPeriodFactory(
        board=board,
        label=PERIOD,
        start=today - datetime.timedelta(days=30),
        end=today + datetime.timedelta(days=30),
        update_deadline=today + datetime.timedelta(days=10),
        exec_meeting_date=today + datetime.timedelta(days=20),
    )
    group = GroupFactory(name="Performance Sub-Group", boards=[board])
    training = GroupFactory(name="Training Sub-Group", boards=[board])
    live = BusinessPlanFactory(board=board, title=LIVE, status="approved")
    priority = PriorityFactory(plan=live, ref="1", title="Making safeguarding personal", order=1)
    actions = {
        "1.1": ActionFactory(
            priority=priority,
            ref="1.1",
            order=1,
            status="in_progress",
            lead_group=group,
            description="Audit the housing pathway for adults at risk",
            due_date=past,
        ),
        "1.2": ActionFactory(
            priority=priority,
            ref="1.2",
            order=2,
            status="in_progress",
            lead_group=training,
            description="Train care home staff in the Mental Capacity Act",
            due_date=past,
        ),
        "1.3": ActionFactory(
            priority=priority,
            ref="1.3",
            order=3,
            status="in_progress",
            lead_group=group,
            description="Publish the quarterly performance dashboard",
            due_date=future,
        ),
        "1.4": ActionFactory(
            priority=priority,
            ref="1.4",
            order=4,
            lead_group=group,
            description="Survey providers about self-neglect referrals",
            due_date=future,
        ),
        "1.5": ActionFactory(
            priority=priority,
            ref="1.5",
            order=5,
            lead_group=training,
            description="Refresh the multi-agency training offer",
            due_date=future,
        ),
    }
    before = timezone.now() - datetime.timedelta(days=60)
    ProgressUpdateFactory(
        action=actions["1.1"], text=NARRATIVE, rag="green", period=None, created_at=before
    )
    ProgressUpdateFactory(
        action=actions["1.2"], text="Trainer has left", rag="red", period=None, created_at=before
    )
    ProgressUpdateFactory(
        action=actions["1.3"], text="Dashboard in testing", rag="amber", period=period
    )

    draft = BusinessPlanFactory(board=board, title=DRAFT, status="draft")
    draft_priority = PriorityFactory(plan=draft, ref="2", title="Learning from reviews", order=1)
    kept = ActionFactory(priority=draft_priority, ref="2.1", order=1, lead_text="LLR Transitions")
    dropped = ActionFactory(
        priority=draft_priority,
        ref="2.2",
        order=2,
        lead_text="LLR Transitions",
        description="Imported twice by mistake",
    )
    ProgressUpdateFactory(action=kept, period=None)
    ProgressUpdateFactory(action=dropped, period=None)
    dropped.milestones.create(description="Briefing drafted")
    Measure.objects.create(priority=draft_priority, name="Reviews published", unit="")

    chair = UserFactory(email="chair@example.org", first_name="Priya", last_name="Mistry")
    GroupMembershipFactory(
        group=group, role="chair", person=PersonFactory(name="Priya Mistry", user=chair)
    )
    manager = UserFactory(first_name="Lindsey", last_name="Bampton")
    RoleAssignment.objects.create(user=manager, board=board, role=Role.BOARD_MANAGER)
    return {
        "period": period,
        "group": group,
        "live": live,
        "draft": draft,
        "actions": actions,
        "dropped": dropped,
        "chair": chair,
        "manager": manager,
    }


def expect_count(page, heading: str, label: str, count: int) -> None:
    """The attention list under ``heading`` shows ``count`` beside ``label``, as a link."""
    section = page.get_by_role("region", name="Needs your attention")
    listing = section.get_by_role("heading", name=heading).locator("xpath=following::dl[1]")
    row = listing.locator(".govuk-summary-list__row").filter(
        has=page.locator("dt", has_text=re.compile(f"^{re.escape(label)}$"))
    )
    expect(row).to_have_count(1)
    expect(row.locator("dd a")).to_have_text(re.compile(rf"^{count} "))


def error_summary_has_focus(page) -> bool:
    """Whether the focus is in the error summary (GOV.UK Frontend moves it there on start-up;
    app.js does after an htmx swap). Waits a little for the script to run first."""
    script = (
        "document.activeElement && document.activeElement.closest('.govuk-error-summary') !== null"
    )
    with contextlib.suppress(PlaywrightTimeoutError):  # the assertion reports it
        page.wait_for_function(script, timeout=3000)
    return page.evaluate(script)


# --- 1. Nobody is told what needs their attention -------------------------------------------


def test_a_chair_signs_in_sees_what_needs_attention_and_follows_it(
    browser_available, axe_source, live_server, page, world, board
):
    """The chair signs in through the form and lands on her only board's page, which says
    what needs her attention: her group's counts, the board's, the deadline and the next
    executive meeting. The second-look count opens the tracker on exactly that action; a
    word from its progress found from the header opens it again."""
    page.goto(f"{live_server.url}/")  # the public home page, with the way in for staff
    page.get_by_role("link", name="Sign in").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Email address").fill("chair@example.org")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{live_server.url}{board.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(board.name)
    section = page.get_by_role("region", name="Needs your attention")
    expect(section.get_by_role("heading", name="Needs your attention")).to_be_visible()
    period = world["period"]
    expect(section).to_contain_text(f"Reporting period: {PERIOD}")
    expect(section).to_contain_text(f"Updates are due by {long_date(period.update_deadline)}")
    expect(section).to_contain_text(
        f"Next executive meeting: {long_date(period.exec_meeting_date)}"
    )
    expect(section.get_by_role("heading", name="Your groups' actions")).to_be_visible()
    mine, across = "Your groups' actions", "Across the plans in use"
    expect_count(page, mine, f"Need an update for {PERIOD}", 2)
    expect_count(page, mine, "Overdue", 1)
    expect_count(page, mine, "Open actions your groups lead", 3)
    expect(section).to_contain_text("5 open actions.")
    expect_count(page, across, "Overdue", 2)
    expect_count(page, across, "Rated Red", 1)
    expect_count(page, across, "Rated Amber", 1)
    expect_count(page, across, "Overdue but rated Green: worth a second look", 1)
    expect_count(page, across, f"Not yet updated for {PERIOD}", 4)
    assert_no_axe_violations(page, axe_source)

    section.get_by_role("link", name="overdue but rated green: worth a second look").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Action tracker")
    expect(page.get_by_role("status")).to_contain_text("1 action")
    rows = page.locator("table.app-tracker tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.get_by_role("link", name="1.1", exact=True)).to_be_visible()
    expect(rows).to_contain_text("Check: overdue but Green")
    expect(page.get_by_role("checkbox", name="Only overdue actions")).to_be_checked()
    assert_no_axe_violations(page, axe_source)

    header_search = page.get_by_role("banner").get_by_role("search")
    header_search.get_by_label("Search your boards").fill("kingfisher")
    header_search.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 result for \u2018kingfisher\u2019")).to_be_visible()
    expect(page.get_by_role("heading", name="Progress updates (1)")).to_be_visible()
    expect(page.locator("mark").first).to_have_text("kingfisher")
    assert_no_axe_violations(page, axe_source)
    page.get_by_role("link", name=re.compile(r"^Update on 1\.1, ")).click()
    expect(page).to_have_url(
        f"{live_server.url}{world['actions']['1.1'].get_absolute_url()}#progress"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Action 1.1")
    expect(page.locator("#progress")).to_contain_text(NARRATIVE)


# --- 2. The progress narrative appears nowhere but the action page ---------------------------


def test_the_latest_progress_shows_on_the_plan_the_tracker_and_the_spreadsheet(
    browser_available, axe_source, live_server, page, world, board, tmp_path
):
    """The plan page and the tracker show the latest progress, shortened, with a link to
    all of it; the tracker's spreadsheet has it whole in its "Latest progress" column."""
    sign_in(page, live_server, world["manager"])
    page.goto(f"{live_server.url}{world['live'].get_absolute_url()}")
    table = page.get_by_role("table", name="Actions for priority 1")
    row = table.get_by_role("row").filter(has=page.get_by_role("link", name="1.1", exact=True))
    progress = row.locator("td[data-label='Progress']")
    expect(progress).to_contain_text("Practitioner survey returned by eleven")
    expect(progress).to_contain_text("…")
    expect(progress).not_to_contain_text(NARRATIVE_END)  # shortened
    assert_no_axe_violations(page, axe_source)
    progress.get_by_role("link", name="Read more about action 1.1").click()
    expect(page).to_have_url(re.compile(r"/actions/\d+/#progress$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Action 1.1")
    expect(page.locator("#progress")).to_contain_text(NARRATIVE)

    page.goto(f"{live_server.url}/boards/{board.slug}/actions/")
    row = page.locator("table.app-tracker tbody tr").filter(
        has=page.get_by_role("link", name="1.1", exact=True)
    )
    latest = row.locator("td[data-label='Latest progress']")
    expect(latest).to_contain_text("Practitioner survey returned by eleven")
    expect(latest).to_contain_text("…")
    expect(latest).not_to_contain_text(NARRATIVE_END)
    never = page.locator("table.app-tracker tbody tr").filter(
        has=page.get_by_role("link", name="1.4", exact=True)
    )
    expect(never.locator("td[data-label='Latest progress']")).to_have_text("No update yet")
    assert_no_axe_violations(page, axe_source)

    with page.expect_download() as info:
        page.get_by_role("link", name="Excel (XLSX)").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    sheet = openpyxl.load_workbook(path, read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows[0]
    assert "Latest progress" in header, header
    by_ref = {r[header.index("Ref")]: r for r in rows[1:]}
    assert by_ref["1.1"][header.index("Latest progress")] == NARRATIVE
    assert by_ref["1.2"][header.index("Latest progress")] == "Trainer has left"
    assert by_ref["1.4"][header.index("Latest progress")] in (None, "")

    latest.get_by_role("link", name="Read more about action 1.1").click()
    expect(page).to_have_url(
        f"{live_server.url}{world['actions']['1.1'].get_absolute_url()}#progress"
    )
    expect(page.locator("#progress")).to_contain_text(NARRATIVE_END)


# --- 3. Nothing can be undone ---------------------------------------------------------------


def test_a_manager_deletes_a_wrong_action_then_the_whole_draft_after_seeing_what_goes(
    browser_available, axe_source, live_server, page, world, board
):
    sign_in(page, live_server, world["manager"])
    page.goto(f"{live_server.url}/boards/{board.slug}/plans/")
    page.get_by_role("link", name=DRAFT).click()
    page.get_by_role("link", name="2.2", exact=True).click()
    page.get_by_role("link", name="Delete the action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete action 2.2?")
    items = page.get_by_role("main").get_by_role("listitem")
    expect(items).to_have_text(["1 progress update", "1 milestone"])
    assert_no_axe_violations(page, axe_source)
    page.get_by_role("button", name="Delete", exact=True).click()
    expect(page.get_by_text("Action 2.2 has been deleted.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(DRAFT)
    expect(page.get_by_role("link", name="2.2", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="2.1", exact=True)).to_be_visible()

    page.get_by_role("link", name="Delete the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Delete {DRAFT}?")
    expect(page.get_by_text("The draft plan is deleted with everything in it:")).to_be_visible()
    items = page.get_by_role("main").get_by_role("listitem")
    expect(items).to_have_text(["1 priority", "1 action", "1 progress update", "1 measure"])
    assert BusinessPlan.objects.filter(pk=world["draft"].pk).exists()  # asking deletes nothing
    assert_no_axe_violations(page, axe_source)
    page.get_by_role("button", name="Delete", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/boards/{board.slug}/plans/")
    expect(page.get_by_text(f"{DRAFT} has been deleted.")).to_be_visible()
    expect(page.get_by_role("link", name=DRAFT)).to_have_count(0)
    expect(page.get_by_role("link", name=LIVE)).to_be_visible()
    assert_no_axe_violations(page, axe_source)


def test_a_chair_changes_then_withdraws_her_update_and_the_history_shows_both(
    browser_available, axe_source, live_server, page, world
):
    """On 1.3 (rated Amber, in progress, earlier this period) the chair records that it is
    deferred, corrects her words, then withdraws the update: the action is back where it
    was, and its history keeps all three steps."""
    action = world["actions"]["1.3"]
    sign_in(page, live_server, world["chair"])
    page.goto(f"{live_server.url}{action.get_absolute_url()}")
    page.get_by_label("What has happened this quarter?").fill(
        "Deferred until the new system is live"
    )
    page.get_by_role("radio", name="Deferred").check()
    page.get_by_role("radio", name="Red", exact=True).check()
    page.get_by_role("button", name="Save the update").click()
    expect(page.get_by_text("Your update on 1.3 has been saved.")).to_be_visible()

    progress = page.locator("#progress")
    progress.get_by_role("link", name=re.compile(r"^Change your update of ")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your update on action 1.3")
    expect(page.get_by_label("What has happened this quarter?")).to_have_value(
        "Deferred until the new system is live"
    )
    assert_no_axe_violations(page, axe_source)
    page.get_by_label("What has happened this quarter?").fill(
        "Deferred until the new case system is live"
    )
    page.get_by_role("button", name="Save the change").click()
    expect(page.get_by_text("Your update on 1.3 has been changed.")).to_be_visible()
    expect(page.locator("#progress")).to_contain_text("Deferred until the new case system is live")

    page.locator("#progress").get_by_role(
        "link", name=re.compile(r"^Withdraw your update of ")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw your update on action 1.3?")
    expect(page.get_by_role("main")).to_contain_text("Deferred until the new case system is live")
    assert_no_axe_violations(page, axe_source)
    page.get_by_role("button", name="Withdraw the update").click()
    expect(page.get_by_text("Your update on 1.3 has been withdrawn.")).to_be_visible()
    progress = page.locator("#progress")
    cards = progress.locator(".govuk-summary-card")  # the updates that count
    expect(cards).to_have_count(1)
    expect(cards).to_contain_text("Dashboard in testing")  # the update before stays
    history = progress.get_by_role("table")
    expect(history).to_contain_text("Progress update added")
    expect(history).to_contain_text("Progress update changed")
    expect(history).to_contain_text("Progress update withdrawn")
    status = progress.locator(".govuk-summary-list__row").filter(has_text="Status")
    expect(status.locator("dd")).to_have_text("In progress")  # its status before the update
    latest_rag = progress.locator(".govuk-summary-list__row").filter(has_text="Latest RAG")
    expect(latest_rag.locator("dd")).to_have_text("Amber")
    assert list(ProgressUpdate.objects.filter(action=action).values_list("text", flat=True)) == [
        "Dashboard in testing"
    ]
    assert_no_axe_violations(page, axe_source)


def test_withdrawing_an_actions_only_update_takes_back_the_status_it_set(
    browser_available, axe_source, live_server, page, world
):
    """1.4 has never been updated: the chair's first update (by mistake) moves it from Not
    started to In progress. Withdrawing the mistake should put the action back as it was
    before, as the confirmation page promises ("The action takes the status of its update
    before this one"), not leave the status the withdrawn update set."""
    action = world["actions"]["1.4"]
    sign_in(page, live_server, world["chair"])
    page.goto(f"{live_server.url}{action.get_absolute_url()}")
    page.get_by_label("What has happened this quarter?").fill("Meant for another action")
    page.get_by_role("radio", name="In progress").check()
    page.get_by_role("radio", name="Green").check()
    page.get_by_role("button", name="Save the update").click()
    expect(page.get_by_text("Your update on 1.4 has been saved.")).to_be_visible()
    page.locator("#progress").get_by_role(
        "link", name=re.compile(r"^Withdraw your update of ")
    ).click()
    page.get_by_role("button", name="Withdraw the update").click()
    expect(page.get_by_text("Your update on 1.4 has been withdrawn.")).to_be_visible()
    progress = page.locator("#progress")
    expect(progress.get_by_text("No progress has been recorded yet.")).to_be_visible()
    expect(progress.get_by_role("table")).to_contain_text("Progress update withdrawn")
    assert_no_axe_violations(page, axe_source)
    status = progress.locator(".govuk-summary-list__row").filter(has_text="Status")
    expect(status.locator("dd")).to_have_text("Not started")


def test_a_manager_approves_only_after_confirming_then_reopens_with_a_reason(
    browser_available, axe_source, live_server, page, world
):
    draft = world["draft"]
    sign_in(page, live_server, world["manager"])
    page.goto(f"{live_server.url}{draft.get_absolute_url()}")
    page.get_by_role("link", name="Approve the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Approve {DRAFT}?")
    draft.refresh_from_db()
    assert draft.status == "draft"  # the link only asks
    assert_no_axe_violations(page, axe_source)
    page.get_by_role("button", name="Approve the plan").click()
    expect(page.get_by_text(f"{DRAFT} is approved.")).to_be_visible()
    status = page.locator(".govuk-summary-list__row").filter(
        has=page.locator("dt", has_text="Status")
    )
    expect(status.locator("dd")).to_have_text(f"Approved on {long_date(timezone.localdate())}")

    page.get_by_role("link", name="Reopen as a draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Reopen {DRAFT}")
    assert_no_axe_violations(page, axe_source)
    page.get_by_role("button", name="Reopen the plan").click()  # no reason given
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why the plan is being reopened"
    )
    assert_no_axe_violations(page, axe_source)
    reason = "The board asked for priority 2 to be rewritten"
    page.get_by_label("Why is the plan being reopened?").fill(reason)
    page.get_by_role("button", name="Reopen the plan").click()
    expect(page.get_by_text(f"{DRAFT} is a draft again.")).to_be_visible()
    expect(status.locator("dd")).to_have_text("Draft")
    expect(page.get_by_role("link", name="Approve the plan")).to_be_visible()
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert draft.history.first().history_change_reason == f"Reopened: {reason}"


# --- 4. Joint group pages link to the other board's pages, which answer 404 -----------------


def test_a_joint_groups_page_links_only_to_pages_the_reader_can_open(
    browser_available, axe_source, live_server, page, transactional_db, board, other_board
):
    """The Transitions group serves both boards and reports through ESAB; a reader from LSAB
    finds ESAB's action and groups named as text, and every link on the page opens."""
    esab_exec = GroupFactory(name="ESAB Executive", kind="board", boards=[other_board])
    joint = GroupFactory(
        name="Joint Transitions Group", boards=[other_board, board], reports_to=esab_exec
    )
    GroupFactory(name="ESAB Transitions Task Group", boards=[other_board], reports_to=joint)
    GroupFactory(name="LSAB Transitions Task Group", boards=[board], reports_to=joint)
    GroupMembershipFactory(group=joint, role="chair", person=PersonFactory(name="Sam Okafor"))
    mine = ActionFactory(
        priority=PriorityFactory(plan=BusinessPlanFactory(board=board, title="LSAB plan")),
        ref="T1",
        lead_group=joint,
        description="Map transitions from children's services in Leicester",
    )
    theirs = ActionFactory(
        priority=PriorityFactory(plan=BusinessPlanFactory(board=other_board, title="ESAB plan")),
        ref="E7",
        lead_group=joint,
        description="Map transitions from children's services elsewhere",
    )
    viewer = UserFactory()
    RoleAssignment.objects.create(user=viewer, board=board, role=Role.VIEWER)

    sign_in(page, live_server, viewer)
    page.goto(f"{live_server.url}{board.get_absolute_url()}")
    page.get_by_role("link", name="Board structure: groups, chairs and meetings").click()
    page.get_by_role("link", name="Joint Transitions Group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Joint Transitions Group")
    assert_no_axe_violations(page, axe_source)

    actions = page.get_by_role("table", name=re.compile("^Actions in current plans led by"))
    expect(actions.get_by_role("link", name="T1", exact=True)).to_have_attribute(
        "href", mine.get_absolute_url()
    )
    their_row = actions.get_by_role("row").filter(has_text=theirs.description)
    expect(their_row.get_by_role("cell").first).to_have_text("E7")
    expect(their_row.get_by_role("link")).to_have_count(0)
    expect(page.get_by_role("link", name="ESAB Executive")).to_have_count(0)
    expect(page.get_by_text("ESAB Executive")).to_be_visible()
    expect(page.get_by_role("link", name="ESAB Transitions Task Group")).to_have_count(0)
    expect(page.get_by_text("ESAB Transitions Task Group")).to_be_visible()
    expect(page.get_by_role("link", name="LSAB Transitions Task Group")).to_be_visible()

    hrefs = page.locator('a[href^="/"]').evaluate_all("links => links.map(a => a.href)")
    for expected in (mine.get_absolute_url(), f"/boards/{board.slug}/groups/"):
        assert f"{live_server.url}{expected}" in hrefs, (expected, hrefs)
    answers = {href: page.request.get(href).status for href in dict.fromkeys(hrefs)}
    broken = {href: status for href, status in answers.items() if status == 404}
    assert broken == {}, f"links that answer 404: {broken}"


# --- 5. The quarterly return ----------------------------------------------------------------


def test_a_chair_makes_her_groups_quarterly_return(
    browser_available, axe_source, live_server, page, world, board
):
    actions = world["actions"]
    sign_in(page, live_server, world["chair"])
    page.goto(f"{live_server.url}{board.get_absolute_url()}")
    page.get_by_role("link", name="My group's actions").click()
    page.get_by_role(
        "link", name="Update all of Performance Sub-Group's actions on one page"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quarterly return")
    expect(page.get_by_text(f"Reporting period: {PERIOD}")).to_be_visible()
    sections = page.locator("section.app-return-row")
    expect(sections).to_have_count(3)  # 1.1, 1.3 and 1.4: the group's open actions
    assert_no_axe_violations(page, axe_source)

    page.get_by_label("What has happened this quarter on action 1.1?").fill(
        "Audit booked with the housing team"
    )
    page.get_by_role("group", name="RAG rating for action 1.1").get_by_role(
        "radio", name="Amber"
    ).check()
    page.get_by_label("What has happened this quarter on action 1.4?").fill(
        "Survey sent to 40 providers"
    )
    page.get_by_role("group", name="Status of action 1.4").get_by_role(
        "radio", name="In progress"
    ).check()
    page.get_by_role("group", name="RAG rating for action 1.4").get_by_role(
        "radio", name="Green"
    ).check()
    # 1.3 is left as it was.
    page.get_by_role("button", name="Save the return").click()
    expect(page.get_by_text("Saved updates on 2 actions: 1.1, 1.4.")).to_be_visible()
    expect(page.get_by_role("heading", name="Needs an update (0)")).to_be_visible()
    expect(page.get_by_role("heading", name="Up to date or finished (3)")).to_be_visible()
    assert ProgressUpdate.objects.filter(action=actions["1.3"]).count() == 1
    assert ProgressUpdate.objects.get(action=actions["1.4"]).rag == "green"
    assert (
        ProgressUpdate.objects.filter(action=actions["1.1"], period=world["period"]).get().rag
        == "amber"
    )

    page.get_by_role(
        "link", name="Update all of Performance Sub-Group's actions on one page"
    ).click()
    page.get_by_role("group", name="RAG rating for action 1.3").get_by_role(
        "radio", name="Red", exact=True
    ).check()  # a new rating, but no text
    page.get_by_role("button", name="Save the return").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter what has happened this quarter on action 1.3")
    expect(page).to_have_title(re.compile(r"\(error\)"))
    assert error_summary_has_focus(page), "the error summary does not have the focus"
    assert_no_axe_violations(page, axe_source)
    assert ProgressUpdate.objects.filter(action=actions["1.3"]).count() == 1
    summary.get_by_role("link", name="Enter what has happened this quarter on action 1.3").click()
    expect(page.get_by_label("What has happened this quarter on action 1.3?")).to_be_focused()


# --- 6. The htmx inline progress save that fails --------------------------------------------


def test_a_failed_inline_progress_save_puts_the_focus_on_its_error_summary(
    browser_available, axe_source, live_server, page, world
):
    sign_in(page, live_server, world["chair"])
    page.goto(f"{live_server.url}{world['actions']['1.4'].get_absolute_url()}")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.get_by_role("button", name="Save the update").click()  # nothing filled in
    summary = page.locator("#progress .govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter what has happened this quarter")
    assert navigations == []  # htmx swapped the fragment
    assert error_summary_has_focus(page), "the error summary does not have the focus"
    assert_no_axe_violations(page, axe_source)


# --- 7. A phone ----------------------------------------------------------------------------


def _assert_no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} scrolls sideways ({width}px wide)"


def test_on_a_phone_the_tracker_shows_results_before_filters_and_nothing_scrolls_sideways(
    browser_available, live_server, page, world, board
):
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, live_server, world["chair"])
    filters = page.get_by_role("form", name="Filter actions")

    page.goto(f"{live_server.url}/boards/{board.slug}/actions/")
    results = page.locator("table.app-tracker")
    expect(results).to_be_visible()
    assert results.bounding_box()["y"] < filters.bounding_box()["y"], "filters come first"
    _assert_no_sideways_scroll(page)

    page.goto(f"{live_server.url}/boards/{board.slug}/actions/?q=heron")
    nothing = page.get_by_text("No actions match these filters.")
    expect(nothing).to_be_visible()
    assert nothing.bounding_box()["y"] < filters.bounding_box()["y"], "filters come first"
    _assert_no_sideways_scroll(page)

    page.goto(f"{live_server.url}{board.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Needs your attention")).to_be_visible()
    _assert_no_sideways_scroll(page)

    page.goto(f"{live_server.url}/groups/{world['group'].pk}/quarterly-return/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quarterly return")
    _assert_no_sideways_scroll(page)


# --- The Nu Html Checker ---------------------------------------------------------------------


def test_attention_return_and_undo_pages_are_valid_html(vnu_jar, client, world, board, tmp_path):
    actions, group = world["actions"], world["group"]
    client.force_login(world["chair"])
    return_url = f"/groups/{group.pk}/quarterly-return/"
    documents = {
        "board-attention": client.get(board.get_absolute_url()).content.decode(),
        "return": client.get(return_url).content.decode(),
    }
    data = {}
    for ref in ("1.1", "1.3", "1.4"):
        action = actions[ref]
        latest = action.updates.order_by("-created_at").first()
        data[f"action-{action.pk}-status"] = action.status
        data[f"action-{action.pk}-rag"] = latest.rag if latest else ""
        data[f"action-{action.pk}-text"] = ""
    data[f"action-{actions['1.3'].pk}-rag"] = "red"  # changed, with no text
    errors = client.post(return_url, data)
    assert "Enter what has happened this quarter on action 1.3" in errors.content.decode()
    documents["return-errors"] = errors.content.decode()
    client.post(
        f"/actions/{actions['1.4'].pk}/progress/",
        {"text": "Survey sent", "status": "in_progress", "rag": "green"},
    )
    update = ProgressUpdate.objects.get(action=actions["1.4"])
    documents["update-edit"] = client.get(f"/updates/{update.pk}/edit/").content.decode()
    documents["withdraw"] = client.get(f"/updates/{update.pk}/withdraw/").content.decode()

    client.force_login(world["manager"])
    draft, live = world["draft"], world["live"]
    documents["plan-delete"] = client.get(f"/plans/{draft.pk}/delete/").content.decode()
    documents["action-delete"] = client.get(
        f"/actions/{world['dropped'].pk}/delete/"
    ).content.decode()
    documents["approve"] = client.get(f"/plans/{draft.pk}/approve/").content.decode()
    documents["reopen"] = client.get(f"/plans/{live.pk}/reopen/").content.decode()
    documents["reopen-error"] = client.post(
        f"/plans/{live.pk}/reopen/", {"reason": ""}
    ).content.decode()
    documents["board-edit"] = client.get(f"/boards/{board.slug}/edit/").content.decode()

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    documents["board-start"] = client.get("/boards/new/").content.decode()
    for name, html in documents.items():
        assert "<html" in html, f"{name} is not a page"
    assert html_errors(vnu_jar, documents, tmp_path) == []
