"""A group's quarterly return: every open action it leads, updated on one page, saved together."""

import pytest

from priorities.models import ProgressUpdate
from tests.factories import ActionFactory, BusinessPlanFactory, PriorityFactory
from tests.matrix import expected

CAN_MAKE_RETURN = {"manager", "chair", "member"}


@pytest.fixture
def rows(plan, priority, group, other_group, period):
    """Three open actions the group leads; one finished, one another group's, one a draft's."""
    made = [
        ActionFactory(priority=priority, ref=f"2b.{i}", lead_group=group, status="in_progress")
        for i in (1, 2, 3)
    ]
    ProgressUpdate.objects.create(
        action=made[0], period=period, text="Last quarter", status="in_progress", rag="amber"
    )
    ActionFactory(priority=priority, ref="2b.4", lead_group=group, status="complete")
    ActionFactory(priority=priority, ref="2b.5", lead_group=other_group)
    draft = PriorityFactory(plan=BusinessPlanFactory(board=plan.board, status="draft"))
    ActionFactory(priority=draft, ref="9.1", lead_group=group)
    return made


def _url(group):
    return f"/groups/{group.pk}/quarterly-return/"


def _blank(rows, action_status="in_progress"):
    """The form as the page shows it: every row as it was."""
    data = {}
    for action in rows:
        data[f"action-{action.pk}-status"] = action_status
        data[f"action-{action.pk}-rag"] = "amber" if action.ref == "2b.1" else ""
        data[f"action-{action.pk}-text"] = ""
        data[f"action-{action.pk}-evidence_link"] = ""
    return data


def test_the_return_holds_every_open_action_the_group_leads(client, user_as, group, rows):
    client.force_login(user_as("chair"))
    response = client.get(_url(group))
    assert [a.ref for a, _ in response.context["rows"]] == ["2b.1", "2b.2", "2b.3"]
    page = response.content.decode()
    # The current rating is chosen to start with.
    amber = f'id="id_action-{rows[0].pk}-rag_1" name="action-{rows[0].pk}-rag"'
    assert f'{amber} type="radio" value="amber" checked' in page


def test_saving_the_return_records_every_changed_row_and_skips_the_others(
    client, user_as, group, rows, period
):
    chair = user_as("chair")
    client.force_login(chair)
    data = _blank(rows)
    data |= {
        f"action-{rows[0].pk}-text": "Audit finished; report to the board in March.",
        f"action-{rows[0].pk}-rag": "green",
        f"action-{rows[1].pk}-text": "Waiting for the new policy.",
        f"action-{rows[1].pk}-rag": "red",
        f"action-{rows[1].pk}-status": "deferred",
    }
    response = client.post(_url(group), data, follow=True)
    assert "Saved updates on 2 actions: 2b.1, 2b.2." in response.content.decode()
    saved = ProgressUpdate.objects.filter(author=chair).order_by("action__ref")
    assert [(u.action.ref, u.rag, u.period) for u in saved] == [
        ("2b.1", "green", period),
        ("2b.2", "red", period),
    ]
    rows[1].refresh_from_db()
    assert rows[1].status == "deferred"
    assert not rows[2].updates.exists()


def test_one_incomplete_row_saves_nothing_and_says_which_action(client, user_as, group, rows):
    client.force_login(user_as("chair"))
    data = _blank(rows)
    data |= {
        f"action-{rows[0].pk}-text": "Done.",
        f"action-{rows[0].pk}-rag": "green",
        f"action-{rows[2].pk}-rag": "red",  # a rating without the words
    }
    response = client.post(_url(group), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    message = "Enter what has happened this quarter on action 2b.3"
    assert f'<a href="#id_action-{rows[2].pk}-text">{message}</a>' in page
    assert ProgressUpdate.objects.count() == 1  # only last quarter's: nothing half-saved
    assert "Done." in page  # what was typed is kept


def test_a_return_with_nothing_changed_asks_for_an_update(client, user_as, group, rows):
    client.force_login(user_as("chair"))
    response = client.post(_url(group), _blank(rows))
    assert "Enter an update for at least one action" in response.content.decode()
    assert ProgressUpdate.objects.count() == 1


def test_who_may_make_a_group_return(client, user_as, position, group, rows):
    client.force_login(user_as(position))
    assert client.get(_url(group)).status_code == expected(position, CAN_MAKE_RETURN)


def test_my_actions_links_to_each_groups_return(client, user_as, group, rows):
    client.force_login(user_as("chair"))
    page = client.get(f"/boards/{group.reporting_board.slug}/my-actions/").content.decode()
    assert _url(group) in page


@pytest.mark.parametrize("n", [3, 60])
def test_return_queries_do_not_grow_with_actions(
    client, user_as, group, priority, period, n, django_assert_max_num_queries
):
    """Fixed 3, the group, its boards (the rule asks whether the reader manages one), the
    actions with their latest updates, the periods."""
    for i in range(n):
        ActionFactory(priority=priority, ref=f"R{i}", lead_group=group)
    client.force_login(user_as("chair"))
    client.get(_url(group))  # warm-up: the first request writes the session
    with django_assert_max_num_queries(7):
        response = client.get(_url(group))
    assert len(response.context["rows"]) == n
