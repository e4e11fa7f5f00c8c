"""Domain rules on the models: each rule is defined once and its queryset twin agrees."""

import datetime

import pytest

from priorities.models import (
    Action,
    BusinessPlan,
    ConsultationRecord,
    Objective,
    PlanStatus,
    Priority,
    next_ref,
)
from tests.factories import ActionFactory, BusinessPlanFactory, PriorityFactory

Status = Action.Status
TODAY = datetime.date(2026, 12, 1)


@pytest.mark.parametrize("status", Status.values)
def test_finished_and_overdue_agree_with_their_querysets(priority, status):
    action = ActionFactory(priority=priority, status=status, due_date=TODAY - datetime.timedelta(1))
    assert action.is_finished is (status in {Status.COMPLETE, Status.CANCELLED})
    assert (action in Action.objects.open()) is not action.is_finished
    assert (action in Action.objects.finished()) is action.is_finished
    assert (action in Action.objects.overdue(on=TODAY)) is action.is_overdue(on=TODAY)
    assert action.is_overdue(on=TODAY) is not action.is_finished


def test_an_action_due_today_or_undated_is_not_overdue(priority):
    assert not ActionFactory(priority=priority, due_date=TODAY).is_overdue(on=TODAY)
    assert not ActionFactory(priority=priority, due_date=None).is_overdue(on=TODAY)


def test_needs_an_update_until_updated_in_the_period(priority, period):
    open_action = Action.objects.for_tracker().get(pk=ActionFactory(priority=priority).pk)
    assert open_action.needs_update_in(period) and open_action.needs_update_in(None)
    done = ActionFactory(priority=priority, status=Status.COMPLETE)
    assert not Action.objects.for_tracker().get(pk=done.pk).needs_update_in(period)
    open_action.updates.create(text="Done", status=Status.IN_PROGRESS, rag="green", period=period)
    assert not Action.objects.for_tracker().get(pk=open_action.pk).needs_update_in(period)


@pytest.mark.parametrize(
    ("status", "current", "approvable", "read_only"),
    [
        (PlanStatus.DRAFT, False, True, False),
        (PlanStatus.APPROVED, True, False, False),
        (PlanStatus.PUBLISHED, True, False, False),
        (PlanStatus.ARCHIVED, False, False, True),
    ],
)
def test_plan_state_rules(board, status, current, approvable, read_only):
    """In use: approved or published (a draft is next year's plan being written); an
    archived plan is read-only, with everything in it."""
    plan = BusinessPlanFactory(board=board, status=status)
    assert plan.is_current is current
    assert (plan in BusinessPlan.objects.current()) is current
    assert plan.can_be_approved is approvable
    assert not plan.can_roll_forward  # nothing to carry yet
    action = ActionFactory(priority=PriorityFactory(plan=plan))
    plan = BusinessPlan.objects.prefetch_related("priorities").get(pk=plan.pk)
    assert plan.can_roll_forward is not read_only
    assert (action in Action.objects.in_current_plans()) is current
    assert (action.priority in Priority.objects.in_current_plans()) is current
    assert (action.priority in Priority.objects.not_archived()) is not read_only
    assert plan.is_read_only is action.is_read_only is action.priority.is_read_only is read_only


def test_the_care_act_consultation_duty(board):
    plan = board.strategic_plans.create(title="Strategy", first_year=2024, last_year=2026)
    assert plan.missing_consultees() == ["Local Healthwatch", "the community"]
    plan.consultations.create(
        consultee=ConsultationRecord.Consultee.LOCAL_HEALTHWATCH,
        who="Healthwatch Leicester",
        consulted_on=datetime.date(2024, 1, 10),
    )
    assert plan.missing_consultees() == ["the community"]
    assert not plan.meets_consultation_duty
    plan.consultations.create(
        consultee=ConsultationRecord.Consultee.COMMUNITY,
        who="Community forum",
        consulted_on=datetime.date(2024, 2, 1),
    )
    assert plan.meets_consultation_duty


def test_refs_are_numbered_in_one_place(plan):
    assert next_ref([]) == "1"
    assert next_ref(["1", "3"]) == "2"
    assert next_ref(["2B.1", "2b.2"], prefix="2b.") == "2b.3"
    priority = PriorityFactory(plan=plan, ref="2b")
    ActionFactory(priority=priority, ref="2b.1")
    assert plan.next_priority_ref() == "1"
    assert priority.next_action_ref() == "2b.2"
    assert priority.actions.next_order() == priority.actions.get().order + 1
    assert priority.objectives.next_order() == 0


@pytest.mark.parametrize("model", [Priority, Action, Objective])
def test_a_copy_carries_every_field_or_says_why_not(model):
    """Roll forward copies the fields listed on the model; a new field must be listed."""
    fields = {f.name for f in model._meta.get_fields() if f.concrete or f.many_to_many}
    fields -= {f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete}
    assert set(model.CARRIED_FIELDS) | set(model.NOT_CARRIED) == fields
    assert not set(model.CARRIED_FIELDS) & set(model.NOT_CARRIED)


@pytest.mark.parametrize("model", [Priority, Action, Objective])
def test_the_import_fills_every_field_a_copy_carries_or_says_why_not(model):
    """A field added to a model's CARRIED_FIELDS must be given a column (or be declared
    worked out, or not in spreadsheets) in the import too: it is never silently dropped."""
    from priorities.plan_import import stage

    filled = set(stage.COLUMNS[model]) | stage.WORKED_OUT[model] | stage.NOT_IN_SPREADSHEETS[model]
    assert filled == set(model.CARRIED_FIELDS)
