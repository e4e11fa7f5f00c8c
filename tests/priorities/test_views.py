"""Plan, action and progress pages: who may read, write plans and update actions."""

import datetime

import pytest

from priorities.models import (
    Action,
    BusinessPlan,
    Measure,
    PlanStatus,
    Priority,
    ProgressUpdate,
    ReportingPeriod,
    StrategicPlan,
)
from tests.factories import ActionFactory, PriorityFactory, ReportingPeriodFactory
from tests.matrix import IN_BOARD, expected

CAN_READ = IN_BOARD
CAN_WRITE_PLANS = {"manager"}
CAN_UPDATE_ACTION = {"manager", "chair", "member"}  # "action" is led by the chair's group


@pytest.fixture
def strategic_plan(board):
    return StrategicPlan.objects.create(
        board=board, title="Strategic Plan 2024-27", first_year=2024, last_year=2026
    )


@pytest.fixture
def measure(priority):
    return Measure.objects.create(priority=priority, name="Referrals screened within 24 hours")


def test_permission_matrix(
    client, user_as, board, plan, priority, action, strategic_plan, measure, period, position
):
    client.force_login(user_as(position))
    pages = {
        f"/boards/{board.slug}/periods/set-up/": CAN_WRITE_PLANS,
        f"/periods/{period.pk}/edit/": CAN_WRITE_PLANS,
        strategic_plan.get_absolute_url(): CAN_READ,
        measure.get_absolute_url(): CAN_READ,
        f"/boards/{board.slug}/strategic-plans/new/": CAN_WRITE_PLANS,
        f"/strategic-plans/{strategic_plan.pk}/edit/": CAN_WRITE_PLANS,
        f"/strategic-plans/{strategic_plan.pk}/priorities/new/": CAN_WRITE_PLANS,
        f"/strategic-plans/{strategic_plan.pk}/consultations/new/": CAN_WRITE_PLANS,
        f"/priorities/{priority.pk}/objectives/new/": CAN_WRITE_PLANS,
        f"/priorities/{priority.pk}/measures/new/": CAN_WRITE_PLANS,
        f"/boards/{board.slug}/plans/": CAN_READ,
        f"/boards/{board.slug}/actions/": CAN_READ,
        f"/boards/{board.slug}/my-actions/": CAN_READ,
        f"/boards/{board.slug}/periods/": CAN_READ,
        plan.get_absolute_url(): CAN_READ,
        action.get_absolute_url(): CAN_READ,
        f"/boards/{board.slug}/plans/new/": CAN_WRITE_PLANS,
        f"/plans/{plan.pk}/edit/": CAN_WRITE_PLANS,
        f"/plans/{plan.pk}/roll-forward/": CAN_WRITE_PLANS,
        f"/plans/{plan.pk}/priorities/new/": CAN_WRITE_PLANS,
        f"/priorities/{priority.pk}/edit/": CAN_WRITE_PLANS,
        f"/priorities/{priority.pk}/actions/new/": CAN_WRITE_PLANS,
        f"/actions/{action.pk}/edit/": CAN_WRITE_PLANS,
        f"/actions/{action.pk}/progress/": CAN_UPDATE_ACTION,
        f"/actions/{action.pk}/milestones/new/": CAN_UPDATE_ACTION,
    }
    for url, allowed in pages.items():
        assert client.get(url).status_code == expected(position, allowed), url


def test_post_only_endpoints_refuse_as_the_pages_do(
    client, user_as, board, plan, priority, action, measure, position
):
    """Approve, move, and the forms posted to list pages: refused (403 in the board, 404
    outside it) and nothing changes; a manager's post goes through."""
    # A past period, so next year's quarters can always be set up beside it.
    period = ReportingPeriodFactory(
        board=board, start=datetime.date(2001, 4, 1), end=datetime.date(2001, 6, 30)
    )
    next_priority = PriorityFactory(plan=plan, ref="3", order=priority.order + 1)
    next_action = ActionFactory(priority=priority, ref="2b.9", order=action.order + 1)
    plan.status = PlanStatus.DRAFT
    plan.save()
    client.force_login(user_as(position))
    posts = [
        (f"/plans/{plan.pk}/approve/", {}),
        (f"/priorities/{priority.pk}/move/", {"direction": "down"}),
        (f"/actions/{action.pk}/move/", {"direction": "down"}),
        (measure.get_absolute_url(), {"period": period.pk, "value": "12"}),
        (
            f"/boards/{board.slug}/periods/",
            {"label": "Q9", "start": "1/1/2090", "end": "31/3/2090"},
        ),
        (f"/boards/{board.slug}/periods/set-up/", {"year": board.current_financial_year() + 1}),
    ]
    for url, data in posts:
        status = client.post(url, data).status_code
        assert status == expected(position, CAN_WRITE_PLANS, ok=302), url
    for record in (plan, priority, next_priority, action, next_action):
        record.refresh_from_db()
    changed = position in CAN_WRITE_PLANS
    assert (plan.status == PlanStatus.APPROVED) is changed
    assert (next_priority.order < priority.order) is changed  # moved down past it
    assert (next_action.order < action.order) is changed
    assert measure.values.exists() is changed
    assert ReportingPeriod.objects.filter(label="Q9").exists() is changed
    next_year = board.financial_year_label(board.current_financial_year() + 1)
    assert ReportingPeriod.objects.filter(label=f"Q1 {next_year}").exists() is changed


def test_only_the_lead_groups_people_record_progress(
    client, user_as, action, other_action, position
):
    client.force_login(user_as(position))
    data = {"text": "Audit done", "status": "in_progress", "rag": "green"}
    response = client.post(f"/actions/{action.pk}/progress/", data)
    assert response.status_code == (
        302 if position in CAN_UPDATE_ACTION else expected(position, CAN_UPDATE_ACTION)
    )
    assert ProgressUpdate.objects.filter(action=action).exists() is (position in CAN_UPDATE_ACTION)
    # other_action is led by the other chair's group: the chair of "group" may not update it.
    client.post(f"/actions/{other_action.pk}/progress/", data)
    allowed = position in {"manager", "other_chair"}
    assert ProgressUpdate.objects.filter(action=other_action).exists() is allowed


def test_plan_page_shows_every_action_with_lead_timescale_and_measure(
    client, user_as, plan, priority, group
):
    ActionFactory(
        priority=priority,
        ref="2b.1",
        lead_group=group,
        timescale="June 2014",
        outcome_measure="Process and guidance in place",
    )
    ActionFactory(
        priority=priority,
        ref="2b.2",
        lead_group=None,
        lead_text="SEG / Executive",
        due_date=datetime.date(2015, 3, 31),
    )
    client.force_login(user_as("viewer"))
    page = client.get(plan.get_absolute_url()).content.decode()
    for text in [
        "2b.1",
        "Performance Sub-Group",
        "June 2014",
        "Process and guidance in place",
        "2b.2",
        "SEG / Executive",
        "31 Mar 2015",
        "Key delivery mechanism",
    ]:
        assert text in page


def test_progress_update_changes_status_and_is_in_history(client, user_as, action):
    chair = user_as("chair")
    client.force_login(chair)
    client.post(
        f"/actions/{action.pk}/progress/",
        {
            "text": "Review started",
            "status": "in_progress",
            "rag": "amber",
            "evidence_link": "https://example.org/minutes",
        },
    )
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    update = action.updates.get()
    assert update.author == chair and update.rag == "amber"
    page = client.get(action.get_absolute_url())
    history = page.context["history"]
    assert history[0].who == chair
    assert [(c.label, c.before, c.after) for c in history[0].changes] == [
        ("Status", "Not started", "In progress")
    ]
    assert "Review started" in page.content.decode()


def test_progress_update_needs_text_and_rag(client, user_as, action):
    client.force_login(user_as("chair"))
    response = client.post(f"/actions/{action.pk}/progress/", {"status": "in_progress"})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert not ProgressUpdate.objects.exists()


def test_progress_update_with_htmx_returns_the_fragment(client, user_as, action):
    client.force_login(user_as("chair"))
    response = client.post(
        f"/actions/{action.pk}/progress/",
        {"text": "Done", "status": "complete", "rag": "complete"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="progress">')
    assert "<html" not in page
    assert "Your update on 2b.1 has been saved." in page


def test_manager_creates_a_plan_priority_and_action(client, user_as, board, group):
    client.force_login(user_as("manager"))
    response = client.post(
        f"/boards/{board.slug}/plans/new/", {"title": "Business Plan 2027/28", "period": "2027/28"}
    )
    plan = BusinessPlan.objects.get(title="Business Plan 2027/28")
    assert response["Location"] == plan.get_absolute_url() and plan.status == "draft"
    client.post(
        f"/plans/{plan.pk}/priorities/new/",
        {"ref": "1", "title": "Prevention", "delivery_group": group.pk},
    )
    priority = plan.priorities.get()
    client.post(
        f"/priorities/{priority.pk}/actions/new/",
        {
            "ref": "1.1",
            "description": "Run a scams awareness week",
            "lead_group": group.pk,
            "due_date": "31/10/2027",
            "status": "not_started",
        },
    )
    created = priority.actions.get()
    assert created.due_date == datetime.date(2027, 10, 31)
    duplicate = client.post(
        f"/priorities/{priority.pk}/actions/new/",
        {"ref": "1.1", "description": "Again", "status": "not_started"},
    )
    assert "Action 1.1 is already in this priority." in duplicate.content.decode()
    client.post(f"/plans/{plan.pk}/approve/")
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.approved_on is not None


def test_approving_an_empty_plan_is_refused(client, user_as, board):
    plan = BusinessPlan.objects.create(board=board, title="Empty")
    client.force_login(user_as("manager"))
    response = client.post(f"/plans/{plan.pk}/approve/", follow=True)
    assert "Add at least one priority before approving the plan." in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_reorder_priorities(client, user_as, plan):
    first = PriorityFactory(plan=plan, ref="1", order=0)
    second = PriorityFactory(plan=plan, ref="2", order=1)
    client.force_login(user_as("manager"))
    client.post(f"/priorities/{second.pk}/move/", {"direction": "up"})
    assert list(plan.priorities.values_list("ref", flat=True)) == ["2", "1"]
    client.post(f"/priorities/{first.pk}/move/", {"direction": "down"})  # already last
    assert list(plan.priorities.values_list("ref", flat=True)) == ["2", "1"]
    assert Priority.objects.get(pk=first.pk).order == 1


def test_my_actions_lists_what_needs_an_update_this_period(
    client, user_as, action, period, other_action
):
    chair = user_as("chair")
    done = ActionFactory(priority=action.priority, ref="2b.3", lead_group=action.lead_group)
    ProgressUpdate.objects.create(
        action=done, period=period, text="ok", status="in_progress", rag="green"
    )
    client.force_login(chair)
    response = client.get(f"/boards/{action.priority.plan.board.slug}/my-actions/")
    assert [a.ref for a in response.context["needs_update"]] == ["2b.1"]
    assert [a.ref for a in response.context["done"]] == ["2b.3"]


def test_other_boards_plans_are_404(client, make_user, other_board, plan, action):
    client.force_login(make_user("board_manager", other_board))
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert client.get(action.get_absolute_url()).status_code == 404


def test_reorder_actions_from_the_plan_page(client, user_as, plan, priority):
    first = ActionFactory(priority=priority, ref="2b.1", order=0)
    ActionFactory(priority=priority, ref="2b.2", order=1)
    client.force_login(user_as("manager"))
    # The move buttons are out of the reading view, one link away.
    reading = client.get(plan.get_absolute_url()).content.decode()
    assert f"/actions/{first.pk}/move/" not in reading
    assert "Change the order of priorities and actions" in reading
    ordering = client.get(plan.get_absolute_url() + "?order=change").content.decode()
    assert f"/actions/{first.pk}/move/" in ordering
    response = client.post(f"/actions/{first.pk}/move/", {"direction": "down"})
    assert response["Location"] == f"{plan.get_absolute_url()}?order=change#priority-{priority.pk}"
    assert list(priority.actions.values_list("ref", flat=True)) == ["2b.2", "2b.1"]
    client.force_login(user_as("chair"))
    assert client.post(f"/actions/{first.pk}/move/", {"direction": "up"}).status_code == 403


def test_manager_records_measure_values_per_period(client, user_as, priority, period):
    from priorities.models import Measure

    measure = Measure.objects.create(priority=priority, name="Referrals from GPs", unit="%")
    client.force_login(user_as("manager"))
    response = client.post(measure.get_absolute_url(), {"period": period.pk, "value": "42.5"})
    assert response.status_code == 302
    assert measure.values.get().value == 42.5
    clash = client.post(measure.get_absolute_url(), {"period": period.pk, "value": "1"})
    assert "A value for This quarter is already recorded." in clash.content.decode()
    negative = client.post(measure.get_absolute_url(), {"period": period.pk, "value": "-1"})
    assert "greater than or equal to 0" in negative.content.decode()
    client.force_login(user_as("viewer"))
    assert "42.5%" in client.get(measure.get_absolute_url()).content.decode()
    assert (
        client.post(measure.get_absolute_url(), {"period": period.pk, "value": "3"}).status_code
        == 403
    )


def test_an_archived_plan_is_read_only_in_the_pages_and_the_api(
    client, user_as, plan, priority, action
):
    plan.status, plan.archived_on = PlanStatus.ARCHIVED, datetime.date(2027, 4, 20)
    plan.save()
    manager, chair = user_as("manager"), user_as("chair")
    client.force_login(manager)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Archived on 20 April 2027" in page
    for offer in ("Add a priority", "Add an action", "Edit the plan", "Roll forward"):
        assert offer not in page
    for url in (
        f"/plans/{plan.pk}/edit/",
        f"/priorities/{priority.pk}/edit/",
        f"/priorities/{priority.pk}/actions/new/",
        f"/actions/{action.pk}/edit/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/priorities/{priority.pk}/move/", {"direction": "up"}).status_code == 403
    client.force_login(chair)
    assert "Add a progress update" not in client.get(action.get_absolute_url()).content.decode()
    response = client.post(
        "/api/progress-updates/",
        {"action": action.pk, "text": "Late", "status": "in_progress", "rag": "green"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not ProgressUpdate.objects.exists()


def test_approving_asks_first_and_archives_the_plan_it_replaces(client, user_as, plan, action):
    draft = BusinessPlan.objects.create(
        board=plan.board, title="Business Plan 2027/28", rolled_forward_from=plan
    )
    PriorityFactory(plan=draft, ref="1")
    client.force_login(user_as("manager"))
    confirm = client.get(f"/plans/{draft.pk}/approve/").content.decode()
    assert "Approve Business Plan 2027/28?" in confirm
    assert f"{plan.title}, which it was rolled forward from, will be archived today" in confirm
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED  # asking changed nothing
    response = client.post(f"/plans/{draft.pk}/approve/", follow=True)
    assert f"Business Plan 2027/28 is approved. {plan.title} is archived." in (
        response.content.decode()
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ARCHIVED and plan.archived_on == datetime.date.today()
    old_page = client.get(plan.get_absolute_url()).content.decode()
    assert "Rolled forward into" in old_page and draft.get_absolute_url() in old_page


def test_the_plan_page_shows_each_actions_latest_progress_shortened(client, user_as, plan, action):
    long = "Audit **completed** in June. " + "More detail follows here. " * 20
    ProgressUpdate.objects.create(action=action, text="An older update", status="in_progress")
    ProgressUpdate.objects.create(action=action, text=long, status="in_progress", rag="amber")
    client.force_login(user_as("viewer"))
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Audit completed in June." in page  # the Markdown as plain text
    assert "An older update" not in page
    assert "More detail follows here. " * 20 not in page  # shortened, with a link to all of it
    assert f'href="{action.get_absolute_url()}#progress">Read more' in page
