"""Undo and confirm: deleting a draft plan or an action of one, changing or withdrawing one's
own update within its period, reopening an approved plan; the action's timeline."""

import datetime

import pytest

from priorities import services
from priorities.models import Action, BusinessPlan, Priority, ProgressUpdate
from tests.factories import (
    ActionFactory,
    BusinessPlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    ReportingPeriodFactory,
)
from tests.matrix import expected


@pytest.fixture
def draft(board, group):
    plan = BusinessPlanFactory(board=board, title="Business Plan 2027/28", status="draft")
    priority = PriorityFactory(plan=plan, ref="1")
    for i in (1, 2):
        action = ActionFactory(priority=priority, ref=f"1.{i}", lead_group=group)
        ProgressUpdateFactory(action=action)
    return plan


# --- Deleting a draft plan -----------------------------------------------------------------


def test_deleting_a_draft_plan_lists_what_goes_then_deletes_it_all(client, user_as, draft):
    client.force_login(user_as("manager"))
    page = client.get(f"/plans/{draft.pk}/delete/").content.decode()
    assert "Delete Business Plan 2027/28?" in page
    for phrase in ("1 priority", "2 actions", "2 progress updates"):
        assert f"<li>{phrase}</li>" in page
    assert BusinessPlan.objects.filter(pk=draft.pk).exists()  # asking deletes nothing
    response = client.post(f"/plans/{draft.pk}/delete/", follow=True)
    assert "Business Plan 2027/28 has been deleted." in response.content.decode()
    assert not BusinessPlan.objects.filter(pk=draft.pk).exists()
    assert not Action.objects.filter(priority__plan_id=draft.pk).exists()
    # History keeps what was deleted.
    assert BusinessPlan.history.filter(id=draft.pk, history_type="-").exists()
    assert Action.history.filter(ref="1.1", history_type="-").exists()


def test_a_plan_in_use_cannot_be_deleted(client, user_as, plan, action):
    client.force_login(user_as("manager"))
    assert "Delete the draft" not in client.get(plan.get_absolute_url()).content.decode()
    assert client.post(f"/plans/{plan.pk}/delete/").status_code == 403
    assert BusinessPlan.objects.filter(pk=plan.pk).exists()


def test_who_may_delete_a_draft_plan(client, user_as, position, draft):
    client.force_login(user_as(position))
    assert client.get(f"/plans/{draft.pk}/delete/").status_code == expected(position, {"manager"})


# --- Deleting an action of a draft plan ----------------------------------------------------


def test_deleting_an_action_of_a_draft(client, user_as, draft):
    action = Action.objects.get(priority__plan=draft, ref="1.1")
    client.force_login(user_as("manager"))
    page = client.get(action.get_absolute_url()).content.decode()
    assert f"/actions/{action.pk}/delete/" in page
    page = client.get(f"/actions/{action.pk}/delete/").content.decode()
    assert "Delete action 1.1?" in page and "<li>1 progress update</li>" in page
    response = client.post(f"/actions/{action.pk}/delete/")
    assert response["Location"] == Priority.objects.get(plan=draft).get_absolute_url()
    assert list(Action.objects.filter(priority__plan=draft).values_list("ref", flat=True)) == [
        "1.2"
    ]


def test_an_action_of_a_plan_in_use_cannot_be_deleted(client, user_as, action):
    client.force_login(user_as("manager"))
    assert "Delete the action" not in client.get(action.get_absolute_url()).content.decode()
    assert client.post(f"/actions/{action.pk}/delete/").status_code == 403
    assert Action.objects.filter(pk=action.pk).exists()


# --- One's own update ----------------------------------------------------------------------


@pytest.fixture
def own_update(user_as, action, period):
    chair = user_as("chair")
    update = services.record_progress(
        action=action, by=chair, text="Audit planned.", status="in_progress", rag="amber"
    )
    return chair, update


def test_the_author_changes_their_update_and_history_keeps_both(client, own_update, action):
    chair, update = own_update
    client.force_login(chair)
    assert f"/updates/{update.pk}/edit/" in client.get(action.get_absolute_url()).content.decode()
    response = client.post(
        f"/updates/{update.pk}/edit/",
        {"text": "Audit done.", "status": "complete", "rag": "complete", "evidence_link": ""},
    )
    assert response.status_code == 302
    update.refresh_from_db()
    action.refresh_from_db()
    assert update.text == "Audit done." and action.status == "complete"
    assert list(update.history.order_by("history_id").values_list("text", flat=True)) == [
        "Audit planned.",
        "Audit done.",
    ]
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Progress update changed" in page and "Audit planned. → Audit done." in page


def test_the_author_withdraws_their_update_and_the_action_goes_back(
    client, own_update, action, period
):
    chair, update = own_update
    earlier = ProgressUpdateFactory(
        action=action,
        status="not_started",
        rag="red",
        period=period,
        created_at=update.created_at - datetime.timedelta(days=3),
    )
    client.force_login(chair)
    page = client.get(f"/updates/{update.pk}/withdraw/").content.decode()
    assert "Withdraw your update on action 2b.1?" in page and "Audit planned." in page
    client.post(f"/updates/{update.pk}/withdraw/")
    assert list(action.updates.all()) == [earlier]
    action.refresh_from_db()
    assert action.status == "not_started"
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Progress update withdrawn" in page and "Withdrawn by its author" in page


def test_only_the_author_may_change_an_update_and_only_in_its_period(
    client, user_as, own_update, board
):
    chair, update = own_update
    for someone in (user_as("member"), user_as("manager")):
        client.force_login(someone)
        assert client.get(f"/updates/{update.pk}/edit/").status_code == 403
        assert client.post(f"/updates/{update.pk}/withdraw/").status_code == 403
    # Once its period is over, it is the record of that quarter.
    update.period = ReportingPeriodFactory(
        board=board, start=datetime.date(2020, 4, 1), end=datetime.date(2020, 6, 30)
    )
    update.save()
    client.force_login(chair)
    assert client.get(f"/updates/{update.pk}/edit/").status_code == 403
    assert ProgressUpdate.objects.filter(pk=update.pk).exists()


def test_an_update_of_another_board_is_404(client, make_user, other_board, own_update):
    _, update = own_update
    client.force_login(make_user("board_manager", other_board))
    assert client.get(f"/updates/{update.pk}/edit/").status_code == 404


# --- Reopening an approved plan ------------------------------------------------------------


def test_reopening_an_approved_plan_needs_a_reason_and_brings_back_the_plan_it_replaced(
    client, user_as, plan, action, board
):
    manager = user_as("manager")
    result = services.roll_forward(
        plan=plan, by=manager, title="Business Plan 2027/28", period="2027/28"
    )
    services.approve_plan(plan=result.plan, by=manager)
    plan.refresh_from_db()
    assert plan.status == "archived"
    client.force_login(manager)
    url = f"/plans/{result.plan.pk}/reopen/"
    response = client.post(url, {"reason": ""})
    assert "Enter why the plan is being reopened" in response.content.decode()
    response = client.post(url, {"reason": "Approved before the board met."}, follow=True)
    assert "Business Plan 2027/28 is a draft again." in response.content.decode()
    result.plan.refresh_from_db()
    plan.refresh_from_db()
    assert result.plan.status == "draft" and result.plan.approved_on is None
    assert plan.status == "approved" and plan.archived_on is None  # back in use
    reasons = result.plan.history.values_list("history_change_reason", flat=True)
    assert "Reopened: Approved before the board met." in reasons


def test_only_an_approved_plan_is_offered_for_reopening(client, user_as, plan, draft):
    client.force_login(user_as("manager"))
    assert "Reopen as a draft" in client.get(plan.get_absolute_url()).content.decode()
    assert "Reopen as a draft" not in client.get(draft.get_absolute_url()).content.decode()


def test_who_may_reopen_a_plan(client, user_as, position, plan):
    client.force_login(user_as(position))
    assert client.get(f"/plans/{plan.pk}/reopen/").status_code == expected(position, {"manager"})


def test_withdrawing_the_only_update_restores_the_status_the_action_had(client, own_update, action):
    chair, update = own_update  # moved the action from "not started" to "in progress"
    action.refresh_from_db()
    assert action.status == "in_progress"
    client.force_login(chair)
    client.post(f"/updates/{update.pk}/withdraw/")
    action.refresh_from_db()
    assert action.status == "not_started"
