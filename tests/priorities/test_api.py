"""The plans API: same scoping and rules as the pages; tracker filters work as parameters."""

import pytest

from priorities.models import ProgressUpdate
from tests.factories import ActionFactory, BusinessPlanFactory, PriorityFactory


def test_actions_api_is_scoped_to_my_boards(client, user_as, action, other_board):
    ActionFactory(priority=PriorityFactory(plan=BusinessPlanFactory(board=other_board)))
    client.force_login(user_as("viewer"))
    rows = client.get("/api/actions/").json()["results"]
    assert [r["ref"] for r in rows] == ["2b.1"]
    assert rows[0]["lead"] == "Performance Sub-Group"


def test_actions_api_filters_like_the_tracker(client, user_as, action, other_action):
    ActionFactory(priority=action.priority, ref="2b.9", status="complete")
    client.force_login(user_as("viewer"))
    refs = [r["ref"] for r in client.get("/api/actions/?status=complete").json()["results"]]
    assert refs == ["2b.9"]
    lead = action.lead_group.pk
    refs = [r["ref"] for r in client.get(f"/api/actions/?lead_group={lead}").json()["results"]]
    assert refs == ["2b.1"]


@pytest.mark.parametrize(
    ("position", "status"),
    [
        ("chair", 201),
        ("member", 201),
        ("manager", 201),
        ("other_chair", 403),
        ("viewer", 403),
        ("executive", 403),
    ],
)
def test_progress_updates_api_follows_the_lead_group(client, user_as, action, position, status):
    client.force_login(user_as(position))
    response = client.post(
        "/api/progress-updates/",
        {"action": action.pk, "text": "Guidance drafted", "status": "in_progress", "rag": "green"},
        content_type="application/json",
    )
    assert response.status_code == status
    assert ProgressUpdate.objects.filter(action=action).exists() is (status == 201)
    if status == 201:
        action.refresh_from_db()
        assert action.status == "in_progress"


def test_progress_update_needs_a_rag(client, user_as, action):
    client.force_login(user_as("chair"))
    response = client.post(
        "/api/progress-updates/",
        {"action": action.pk, "text": "x", "status": "in_progress", "rag": ""},
        content_type="application/json",
    )
    assert response.status_code == 400 and "rag" in response.json()


def test_other_boards_actions_cannot_be_updated_via_api(client, make_user, other_board, action):
    client.force_login(make_user("board_manager", other_board))
    response = client.post(
        "/api/progress-updates/",
        {"action": action.pk, "text": "x", "status": "complete", "rag": "complete"},
        content_type="application/json",
    )
    assert response.status_code == 400  # the action does not exist for them
    assert not ProgressUpdate.objects.exists()


def test_plans_and_priorities_api(client, user_as, plan, priority):
    client.force_login(user_as("viewer"))
    assert [p["title"] for p in client.get("/api/plans/").json()["results"]] == [plan.title]
    assert [p["ref"] for p in client.get(f"/api/priorities/?plan={plan.pk}").json()["results"]] == [
        "2b"
    ]
