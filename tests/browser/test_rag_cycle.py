"""The quarterly RAG cycle in Chromium: the chair proposes, an executive member returns it
with a question, the chair proposes again, another executive member decides with a reason
for the different rating; the heatmap's cell follows. Every page of the cycle is scanned by
axe and checked by the Nu Html Checker."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from priorities import rag
from priorities.models import RagAssessment
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
    ReportingPeriodFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser]
Role = RoleAssignment.Role
State = RagAssessment.State
PERIOD = "Q3 2026/27"


@pytest.fixture
def world(transactional_db, board):
    """A board in its third quarter: a plan in use with one priority delivered by the
    Performance Sub-Group (chaired by Priya Mistry), two actions updated this quarter, one
    Amber and one overdue; two executive members; last quarter's rating decided Green."""
    today = timezone.localdate()
    period = ReportingPeriodFactory(
        board=board,
        label=PERIOD,
        start=today - datetime.timedelta(days=30),
        end=today + datetime.timedelta(days=60),
        update_deadline=today + datetime.timedelta(days=10),
        exec_meeting_date=today + datetime.timedelta(days=20),
    )
    last = ReportingPeriodFactory(
        board=board,
        label="Q2 2026/27",
        start=today - datetime.timedelta(days=121),
        end=today - datetime.timedelta(days=31),
    )
    group = GroupFactory(name="Performance Sub-Group", boards=[board])
    plan = BusinessPlanFactory(board=board, title="Business Plan 2026/27", status="approved")
    priority = PriorityFactory(
        plan=plan, ref="1", title="Making safeguarding personal", order=1, delivery_group=group
    )
    audit = ActionFactory(
        priority=priority,
        ref="1.1",
        order=1,
        status="in_progress",
        lead_group=group,
        description="Audit the housing pathway for adults at risk",
        due_date=today - datetime.timedelta(days=5),
    )
    survey = ActionFactory(
        priority=priority,
        ref="1.2",
        order=2,
        status="in_progress",
        lead_group=group,
        description="Survey providers about self-neglect referrals",
        due_date=today + datetime.timedelta(days=90),
    )
    chair = UserFactory(email="chair@example.org", first_name="Priya", last_name="Mistry")
    GroupMembershipFactory(
        group=group, role="chair", person=PersonFactory(name="Priya Mistry", user=chair)
    )
    ProgressUpdateFactory(
        action=audit, period=period, rag="amber", author=chair, text="Audit fieldwork half done"
    )
    ProgressUpdateFactory(
        action=survey, period=period, rag="green", author=chair, text="Survey sent to providers"
    )
    first = UserFactory(first_name="Sam", last_name="Okafor")
    second = UserFactory(first_name="Jo", last_name="Hale")
    for user in (first, second):
        RoleAssignment.objects.create(user=user, board=board, role=Role.EXECUTIVE_MEMBER)
    earlier = rag.start_assessment(priority=priority, period=last, by=chair)
    earlier = rag.propose(assessment=earlier, by=chair, proposed_rating="green")
    rag.decide(assessment=earlier, by=first, decided_rating="green")
    return {
        "period": period,
        "priority": priority,
        "chair": chair,
        "first": first,
        "second": second,
        "board": board,
    }


def _as(page, live_server, user, path: str) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server, user)
    page.goto(f"{live_server.url}{path}")


def _heatmap_cell(page):
    table = page.get_by_role("table", name="Ratings by priority and reporting period")
    row = table.get_by_role("row").filter(has=page.get_by_role("rowheader"))
    return row.locator("td").last  # this quarter's column


def test_a_rating_is_proposed_returned_proposed_again_and_decided(
    browser_available, axe_source, live_server, page, world, board
):
    priority = world["priority"]

    # The chair: the board page says a proposal is waiting to be written.
    _as(page, live_server, world["chair"], board.get_absolute_url())
    section = page.get_by_role("region", name="Needs your attention")
    expect(section.get_by_role("heading", name="RAG ratings")).to_be_visible()
    assert_no_axe_violations(page, axe_source)
    section.get_by_role("link", name=f"proposals to write for {PERIOD}".lower()).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposals to write")
    expect(
        page.get_by_role("row", name=re.compile("Making safeguarding personal"))
    ).to_contain_text("Not started")
    assert_no_axe_violations(page, axe_source)
    page.get_by_role("button", name="Write the proposal for 1").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("1 Making safeguarding personal")
    evidence = page.get_by_role("region", name=f"Evidence for {PERIOD}")
    expect(evidence).to_contain_text("Audit fieldwork half done")
    expect(evidence).to_contain_text("Red: 1 action overdue.")
    expect(evidence).to_contain_text("Q2 2026/27: Green")
    assert_no_axe_violations(page, axe_source)
    page.get_by_label("Comments from the delivery group").fill("The audit is late but moving")
    page.get_by_role("group", name="Proposed rating").get_by_role("radio", name="Amber").check()
    page.get_by_role("button", name="Propose this rating").click()
    expect(page.get_by_text(f"You proposed Amber for 1 ({PERIOD})")).to_be_visible()

    # The first executive member returns it with a question, from decisions due.
    _as(page, live_server, world["first"], board.get_absolute_url())
    section = page.get_by_role("region", name="Needs your attention")
    section.get_by_role("link", name="decisions due").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decisions due")
    assert_no_axe_violations(page, axe_source)
    page.get_by_role("link", name="1 Making safeguarding personal").click()
    decision = page.get_by_role("group", name="Decided rating")
    expect(decision.get_by_role("radio", name="Amber")).to_be_checked()  # the proposal
    assert_no_axe_violations(page, axe_source)
    page.get_by_label("Your question for the delivery group").fill("Is the audit funded?")
    page.get_by_role("button", name="Return with a question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decisions due")
    expect(page.get_by_text("has gone back to the delivery group")).to_be_visible()

    # The chair answers and proposes again.
    assessment = RagAssessment.objects.get(priority=priority, period=world["period"])
    _as(page, live_server, world["chair"], assessment.get_absolute_url())
    expect(page.locator(".govuk-inset-text").first).to_contain_text("Is the audit funded?")
    page.get_by_label("Comments from the delivery group").fill("Funded from April")
    page.get_by_role("button", name="Propose this rating").click()
    expect(page.get_by_text(f"You proposed Amber for 1 ({PERIOD})")).to_be_visible()

    # The second executive member: the heatmap shows the proposal waiting.
    _as(page, live_server, world["second"], f"/boards/{board.slug}/rag/heatmap/")
    expect(_heatmap_cell(page)).to_contain_text("Proposed: Amber (awaiting decision)")
    assert_no_axe_violations(page, axe_source)

    # ... decides Red: first without a reason (refused), then with one.
    page.goto(f"{live_server.url}{assessment.get_absolute_url()}")
    page.get_by_role("group", name="Decided rating").get_by_role(
        "radio", name="Red", exact=True
    ).check()
    page.get_by_role("button", name="Decide", exact=True).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter why the rating is Red when Amber was proposed")
    expect(page).to_have_title(re.compile(r"\(error\)"))
    assert_no_axe_violations(page, axe_source)
    assert RagAssessment.objects.get(pk=assessment.pk).state == State.PROPOSED
    page.get_by_role("group", name="Decided rating").get_by_role(
        "radio", name="Red", exact=True
    ).check()
    page.get_by_label("Reason for the decision").fill("The audit is overdue")
    page.get_by_role("button", name="Decide", exact=True).click()
    expect(page.get_by_text(f"Red is decided for 1 ({PERIOD}).")).to_be_visible()
    decided = RagAssessment.objects.get(pk=assessment.pk)
    assert (decided.state, decided.decided_rating, decided.decided_by) == (
        State.DECIDED,
        "red",
        world["second"],
    )

    page.goto(f"{live_server.url}/boards/{board.slug}/rag/heatmap/")
    cell = _heatmap_cell(page)
    expect(cell.locator(".govuk-tag")).to_have_text("Red")
    expect(cell).not_to_contain_text("Proposed")

    page.goto(f"{live_server.url}{decided.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Correct the decision")).to_be_visible()
    expect(page.get_by_role("button", name="Decide", exact=True)).to_have_count(0)
    assert_no_axe_violations(page, axe_source)

    page.goto(f"{live_server.url}/priorities/{priority.pk}/rag/")
    expect(page.get_by_role("heading", level=1)).to_have_text("1 Making safeguarding personal")
    expect(page.get_by_text("The audit is overdue").first).to_be_visible()
    expect(page.get_by_text("Differs from the proposal")).to_be_visible()
    assert_no_axe_violations(page, axe_source)


def test_rag_cycle_pages_are_valid_html(vnu_jar, client, world, board, tmp_path):
    priority, period = world["priority"], world["period"]
    documents = {}
    client.force_login(world["chair"])
    documents["board"] = client.get(board.get_absolute_url()).content.decode()
    documents["proposals"] = client.get(f"/boards/{board.slug}/rag/proposals/").content.decode()
    assessment = rag.start_assessment(priority=priority, period=period, by=world["chair"])
    documents["proposal"] = client.get(assessment.get_absolute_url()).content.decode()
    documents["proposal-error"] = client.post(
        f"/rag/{assessment.pk}/propose/",
        {"intent": "propose", "propose-seen_version": assessment.version},
    ).content.decode()
    assert "Select the rating you propose" in documents["proposal-error"]
    rag.propose(assessment=assessment, by=world["chair"], proposed_rating="amber")

    client.force_login(world["first"])
    documents["board-executive"] = client.get(board.get_absolute_url()).content.decode()
    documents["decisions"] = client.get(f"/boards/{board.slug}/rag/decisions/").content.decode()
    documents["decision"] = client.get(assessment.get_absolute_url()).content.decode()
    assessment.refresh_from_db()
    documents["decision-error"] = client.post(
        f"/rag/{assessment.pk}/decide/",
        {"decide-seen_version": assessment.version, "decide-decided_rating": "red"},
    ).content.decode()
    assert "Enter why the rating is Red" in documents["decision-error"]
    documents["heatmap"] = client.get(f"/boards/{board.slug}/rag/heatmap/").content.decode()
    rag.decide(assessment=assessment, by=world["first"], decided_rating="amber")
    documents["decided"] = client.get(assessment.get_absolute_url()).content.decode()
    documents["timeline"] = client.get(f"/priorities/{priority.pk}/rag/").content.decode()
    documents["heatmap-decided"] = client.get(
        f"/boards/{board.slug}/rag/heatmap/", {"group": priority.delivery_group_id}
    ).content.decode()
    for name, html in documents.items():
        assert "<html" in html, f"{name} is not a page"
    assert html_errors(vnu_jar, documents, tmp_path) == []
