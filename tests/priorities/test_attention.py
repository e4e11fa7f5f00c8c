"""What needs attention: the board page's counts and links, and the overdue-but-Green flag."""

import datetime
import re

import pytest
from django.utils import timezone

from sab.models import RoleAssignment
from tests.factories import (
    ActionFactory,
    BusinessPlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    ReportingPeriodFactory,
)

Role = RoleAssignment.Role
TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=10)
FUTURE = TODAY + datetime.timedelta(days=100)


def _count(page: str, label: str) -> str:
    """The value shown beside ``label`` in the attention lists ("None" or a number)."""
    match = re.search(re.escape(label) + r"</dt>\s*<dd[^>]*>(.*?)</dd>", page, flags=re.DOTALL)
    assert match, f"{label!r} is not on the page"
    value = re.sub(r"<span class=\"govuk-visually-hidden\">.*?</span>", "", match.group(1))
    return re.sub(r"<[^>]+>", "", value).strip()


@pytest.fixture
def actions(board, group, other_group, period):
    """Open actions in the plan in use: two overdue (one Red, one Green), one Amber updated
    this period, one never updated; plus actions that must not count."""
    plan = BusinessPlanFactory(board=board, status="approved")
    priority = PriorityFactory(plan=plan, ref="1")
    made = {
        "late_red": ActionFactory(priority=priority, ref="1.1", due_date=PAST, lead_group=group),
        "late_green": ActionFactory(
            priority=priority, ref="1.2", due_date=PAST, lead_group=other_group
        ),
        "amber": ActionFactory(priority=priority, ref="1.3", due_date=FUTURE, lead_group=group),
        "silent": ActionFactory(priority=priority, ref="1.4", due_date=FUTURE),
    }
    ProgressUpdateFactory(action=made["late_red"], rag="red", period=None)
    ProgressUpdateFactory(action=made["late_green"], rag="green", period=None)
    ProgressUpdateFactory(action=made["amber"], rag="amber", period=period)
    # Not counted: finished, in a draft, in another board.
    ActionFactory(priority=priority, ref="1.5", due_date=PAST, status="complete")
    draft = PriorityFactory(plan=BusinessPlanFactory(board=board, status="draft"))
    ActionFactory(priority=draft, due_date=PAST)
    return made


def test_the_board_page_counts_what_needs_attention_and_links_to_exactly_those(
    client, board, make_user, actions
):
    client.force_login(make_user(Role.VIEWER, board))
    page = client.get(board.get_absolute_url()).content.decode()
    assert "Needs your attention" in page
    assert "4 open actions" in page
    assert _count(page, "Overdue") == "2"
    assert _count(page, "Rated Red") == "1"
    assert _count(page, "Rated Amber") == "1"
    assert _count(page, "Overdue but rated Green: worth a second look") == "1"
    assert _count(page, "Not yet updated for This quarter") == "3"
    # The second-look link opens the tracker on exactly that action.
    link = re.search(r'href="([^"]*overdue=on&amp;rag=green)"', page).group(1)
    tracker = client.get(link.replace("&amp;", "&")).content.decode()
    assert "1 action" in tracker and actions["late_green"].get_absolute_url() in tracker
    assert "Check: overdue but Green" in tracker
    # A reader in no group sees no group counts.
    assert "Your groups' actions" not in page
    assert "My group's actions" not in page


def test_a_chair_sees_their_groups_counts(client, board, group, make_user, actions):
    client.force_login(make_user(Role.SUBGROUP_CHAIR, board, group=group))
    page = client.get(board.get_absolute_url()).content.decode()
    assert "Your groups' actions" in page
    assert _count(page, "Need an update for This quarter") == "1"  # 1.1; 1.3 was updated
    assert _count(page, "Open actions your groups lead") == "2"
    assert "My group's actions" in page


def test_counts_of_nothing_are_words_not_links(client, board, make_user, period):
    plan = BusinessPlanFactory(board=board, status="approved")
    ActionFactory(priority=PriorityFactory(plan=plan), due_date=FUTURE)
    client.force_login(make_user(Role.VIEWER, board))
    page = client.get(board.get_absolute_url()).content.decode()
    assert _count(page, "Overdue") == "None"
    assert _count(page, "Rated Red") == "None"


def test_the_deadline_and_next_executive_meeting_are_shown(client, board, make_user):
    ReportingPeriodFactory(
        board=board,
        label="Q3",
        start=TODAY - datetime.timedelta(days=5),
        end=TODAY + datetime.timedelta(days=20),
        update_deadline=TODAY + datetime.timedelta(days=6),
        exec_meeting_date=TODAY + datetime.timedelta(days=41),
    )
    client.force_login(make_user(Role.VIEWER, board))
    page = client.get(board.get_absolute_url()).content.decode()
    deadline = TODAY + datetime.timedelta(days=6)
    meeting = TODAY + datetime.timedelta(days=41)
    assert f"Updates are due by <strong>{deadline:%-d %B %Y}</strong>" in page
    assert f"Next executive meeting: <strong>{meeting:%-d %B %Y}</strong>" in page


def test_the_board_page_warns_when_no_period_covers_today(client, board, manager):
    client.force_login(manager)
    page = client.get(board.get_absolute_url()).content.decode()
    assert "No reporting period covers today" in page
    assert "Set up this year&#x27;s quarters" in page or "Set up this year's quarters" in page


def test_the_action_page_flags_an_overdue_green_action(client, board, make_user, actions):
    client.force_login(make_user(Role.VIEWER, board))
    page = client.get(actions["late_green"].get_absolute_url()).content.decode()
    assert "Check: overdue but rated Green" in page
    page = client.get(actions["late_red"].get_absolute_url()).content.decode()
    assert "Check: overdue but rated Green" not in page


@pytest.mark.parametrize("n", [3, 120])
def test_board_page_with_attention_counts_queries_do_not_grow(
    client, board, group, make_user, period, n, django_assert_max_num_queries
):
    """Fixed 3 (session, user, roles), the board, its memberships, and attention's three:
    the periods (current, next executive meeting), every action count in one query, and
    (for someone who proposes or decides RAG ratings, as this chair does) the RAG counts in
    one more: proposals to write, returned, decisions due (priorities/attention.rag_counts);
    then the RAG key section's one, the board's key (priorities/rag_key.py)."""
    plan = BusinessPlanFactory(board=board, status="approved")
    priority = PriorityFactory(plan=plan)
    for i in range(n):
        action = ActionFactory(
            priority=priority, due_date=PAST if i % 2 else FUTURE, lead_group=group
        )
        ProgressUpdateFactory(action=action, rag=["red", "amber", "green"][i % 3], period=period)
    client.force_login(make_user(Role.SUBGROUP_CHAIR, board, group=group))
    client.get(board.get_absolute_url())  # warm-up: the first request writes the session
    with django_assert_max_num_queries(9):
        page = client.get(board.get_absolute_url()).content.decode()
    assert f"{n} open actions" in page
