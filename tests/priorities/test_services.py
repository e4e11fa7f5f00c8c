"""Optimistic locking, progress, roll forward."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from priorities import services
from priorities.models import Action, BusinessPlan, PlanStatus, ProgressUpdate
from tests.factories import ActionFactory, PriorityFactory, ProgressUpdateFactory, UserFactory


def _edit_form(client, action):
    """The edit form as the browser has it: every field's current value, plus the version."""
    response = client.get(f"/actions/{action.pk}/edit/")
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        data[name] = field.prepare_value(value) if hasattr(field, "prepare_value") else value
    return data


def test_two_stale_forms_second_save_refused_and_nothing_lost(client, user_as, action):
    first_editor, second_editor = user_as("manager"), user_as("manager")
    second_editor.first_name, second_editor.last_name = "Sam", "Hartley"
    client.force_login(first_editor)
    form_a = _edit_form(client, action)
    form_b = dict(form_a)  # the second editor opened the form at the same time

    form_a["timescale"] = "By March 2027"
    client.post(f"/actions/{action.pk}/edit/", form_a)
    action.refresh_from_db()
    assert action.timescale == "By March 2027" and action.version == 2

    form_b["outcome_measure"] = "Practitioner survey shows more confidence"
    response = client.post(f"/actions/{action.pk}/edit/", form_b)
    page = response.content.decode()
    assert response.status_code == 200
    assert "saved this action while you were editing it" in page
    assert "Timescale" in page and "By March 2027" in page  # says what changed
    assert "Practitioner survey shows more confidence" in page  # their text is still there
    action.refresh_from_db()
    assert action.timescale == "By March 2027"
    assert action.outcome_measure != "Practitioner survey shows more confidence"

    # Saving again from the re-shown form (which now carries the new version) works.
    form_b["seen_version"] = response.context["form"]["seen_version"].value()
    assert int(form_b["seen_version"]) == 1  # the stale version is kept until they reload...
    refreshed = _edit_form(client, action)
    refreshed["outcome_measure"] = "Practitioner survey shows more confidence"
    client.post(f"/actions/{action.pk}/edit/", refreshed)
    action.refresh_from_db()
    assert action.outcome_measure == "Practitioner survey shows more confidence"
    assert action.timescale == "By March 2027"


def test_stale_priority_edit_is_refused(client, user_as, priority):
    client.force_login(user_as("manager"))
    response = client.get(f"/priorities/{priority.pk}/edit/")
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["joint_with"] = []
    first = dict(data, title="Prevention first")
    client.post(f"/priorities/{priority.pk}/edit/", first)
    second = dict(data, rationale="New evidence from SARs")
    response = client.post(f"/priorities/{priority.pk}/edit/", second)
    assert "saved this priority while you were editing it" in response.content.decode()
    priority.refresh_from_db()
    assert priority.title == "Prevention first" and priority.rationale != "New evidence from SARs"


def test_record_progress_writes_update_and_status_with_history(action, period):
    chair = UserFactory()
    before = action.history.count()
    update = services.record_progress(
        action=action, by=chair, text="Started", status="in_progress", rag="amber"
    )
    assert update.period == period
    action.refresh_from_db()
    assert action.status == "in_progress" and action.version == 2
    assert action.history.count() == before + 1
    assert ProgressUpdate.objects.get().author == chair


def test_roll_forward_carries_unfinished_actions_linked_to_originals(plan, priority, group):
    open_action = ActionFactory(
        priority=priority, ref="2b.1", lead_group=group, status="in_progress"
    )
    ActionFactory(priority=priority, ref="2b.2", status="complete")
    ActionFactory(priority=priority, ref="2b.3", status="cancelled")
    by = UserFactory()
    preview = services.roll_forward_preview(plan=plan)
    assert [a.ref for a in preview["carried"]] == ["2b.1"]
    new_plan = services.roll_forward(
        plan=plan,
        title="Business Plan 2027/28",
        period="2027/28",
        effective_from=datetime.date(2027, 4, 1),
        by=by,
    )
    new_plan = new_plan.plan
    carried = Action.objects.get(priority__plan=new_plan)
    assert carried.carried_forward_from == open_action
    assert carried.ref == "2b.1" and carried.lead_group == group
    assert carried.history.get().history_user == by  # bulk creation kept history
    assert new_plan.rolled_forward_from == plan and new_plan.status == PlanStatus.DRAFT
    # The live plan stays in use while next year's is prepared; approving that archives it.
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    services.approve_plan(plan=new_plan, by=by)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ARCHIVED and plan.archived_on == datetime.date.today()


def test_roll_forward_refuses_an_existing_title_and_writes_nothing(plan, action):
    BusinessPlan.objects.create(board=plan.board, title="Taken")
    with pytest.raises(Exception, match="already has a plan called Taken"):
        services.roll_forward(
            plan=plan, title="Taken", period="", effective_from=None, by=UserFactory()
        )
    assert BusinessPlan.objects.count() == 2
    plan.refresh_from_db()
    assert plan.status != PlanStatus.ARCHIVED


def test_roll_forward_page_previews_then_creates(client, user_as, plan, action):
    client.force_login(user_as("manager"))
    page = client.get(f"/plans/{plan.pk}/roll-forward/")
    assert [a.ref for a in page.context["carried"]] == ["2b.1"]
    response = client.post(f"/plans/{plan.pk}/roll-forward/", {"title": "Business Plan 2027/28"})
    new_plan = BusinessPlan.objects.get(title="Business Plan 2027/28")
    assert response["Location"] == new_plan.get_absolute_url()


def test_roll_forward_preview_shows_each_actions_latest_rating(client, user_as, plan, action):
    """The manager decides what to carry from the ratings: the preview must show them."""
    ProgressUpdateFactory(action=action, rag="red", text="Stalled: no chair for the review.")
    ActionFactory(priority=action.priority, ref="2b.2", status="complete")
    client.force_login(user_as("manager"))
    page = client.get(f"/plans/{plan.pk}/roll-forward/").content.decode()
    carried = page.split("Actions that will be carried forward")[1].split("</table>")[0]
    assert "2b.1" in carried
    assert ">Red<" in carried and "Not rated" not in carried


def test_an_archived_plan_cannot_be_rolled_forward(client, user_as, plan, action):
    plan.status = PlanStatus.ARCHIVED
    plan.save()
    client.force_login(user_as("manager"))
    response = client.post(
        f"/plans/{plan.pk}/roll-forward/", {"title": "Business Plan 2027/28"}, follow=True
    )
    assert response.redirect_chain[-1][0] == plan.get_absolute_url()
    assert "is archived, so it cannot be rolled forward" in response.content.decode()
    assert list(BusinessPlan.objects.all()) == [plan]
    assert Action.objects.count() == 1
    with pytest.raises(ValidationError, match="cannot be rolled forward"):
        services.roll_forward(
            plan=plan, title="Another", period="", effective_from=None, by=UserFactory()
        )
    assert list(BusinessPlan.objects.all()) == [plan]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Business Plan 2026/27", "Business Plan 2027/28"),
        ("2019-21", "2020-22"),
        ("Plan 2099/00", "Plan 2100/01"),
        ("2026", "2027"),
        ("Our plan", "Our plan"),
    ],
)
def test_next_years_words(text, expected):
    assert services.next_years(text) == expected


def test_roll_forward_into_a_draft_already_started(plan, priority, group):
    """Carrying again into the same draft adds only what is not there yet; a ref the draft
    already uses for another action gets the next free one."""
    first = ActionFactory(priority=priority, ref="2b.1", status="in_progress", lead_group=group)
    by = UserFactory()
    draft = BusinessPlan.objects.create(board=plan.board, title="Business Plan 2027/28")
    mine = PriorityFactory(plan=draft, ref="2B", title="Written already")
    ActionFactory(priority=mine, ref="2b.1", description="A new action of next year's")
    result = services.roll_forward(plan=plan, by=by, into=draft)
    assert (result.plan, result.carried, result.already_there) == (draft, 1, 0)
    carried = Action.objects.get(carried_forward_from=first)
    assert carried.priority == mine and carried.ref == "2B.2"  # the draft's own numbering
    ActionFactory(priority=priority, ref="2b.3", status="not_started")
    again = services.roll_forward(plan=plan, by=by, into=draft)
    assert (again.carried, again.already_there) == (1, 1)
    assert Action.objects.filter(priority__plan=draft).count() == 3
    draft.refresh_from_db()
    assert draft.rolled_forward_from == plan


def test_an_archived_plan_is_read_only_in_the_services(plan, priority, action, group):
    plan.status = PlanStatus.ARCHIVED
    plan.save()
    with pytest.raises(ValidationError, match="archived"):
        services.record_progress(
            action=action, by=UserFactory(), text="Late", status="in_progress", rag="green"
        )
    with pytest.raises(ValidationError, match="archived"):
        services.move(item=action, direction="up")
    assert not ProgressUpdate.objects.exists()


def test_a_carried_action_shows_where_its_original_had_got_to(client, user_as, plan, action):
    ProgressUpdateFactory(action=action, rag="amber", text="Terms of reference agreed")
    result = services.roll_forward(plan=plan, by=UserFactory(), title="Business Plan 2027/28")
    carried = Action.objects.get(priority__plan=result.plan)
    client.force_login(user_as("viewer"))
    page = client.get(carried.get_absolute_url()).content.decode()
    assert "Last update there" in page and "Terms of reference agreed" in page
    assert ">Amber<" in page


def test_rolling_forward_without_a_title_says_so_and_creates_nothing(client, user_as, plan, action):
    client.force_login(user_as("manager"))
    response = client.post(f"/plans/{plan.pk}/roll-forward/", {"title": ""})
    page = response.content.decode()
    assert "There is a problem" in page and "Enter the title of the new plan" in page
    assert list(BusinessPlan.objects.all()) == [plan]
