"""Writes for plans and actions that change several rows, a workflow, or must be audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from priorities.models import (
    Action,
    BusinessPlan,
    Objective,
    PlanStatus,
    Priority,
    ProgressUpdate,
    ReportingPeriod,
)
from sab.models import User


@transaction.atomic
def record_progress(
    *,
    action: Action,
    by: User,
    text: str,
    status: str,
    rag: str,
    evidence_link: str = "",
    period: ReportingPeriod | None = None,
) -> ProgressUpdate:
    """Add a progress update and move the action to the status it reports."""
    if period is None:
        period = ReportingPeriod.objects.current(action.priority.plan.board)
    update = ProgressUpdate(
        action=action,
        period=period,
        text=text,
        status=status,
        rag=rag,
        evidence_link=evidence_link,
        author=by,
        created_at=timezone.now(),
    )
    update.full_clean()
    update.save()
    if action.status != status:
        locked = Action.objects.select_for_update().get(pk=action.pk)
        locked.status = status
        locked.version += 1  # the row is locked, so this cannot race
        locked.save(update_fields=["status", "version"])
        action.status, action.version = locked.status, locked.version
    return update


def stale_edit_message(*, instance, seen_version: int) -> str | None:
    """None if ``instance`` is still at ``seen_version``; otherwise what changed since, and who.

    Uses the record's history: the row saved at the version the editor loaded is compared
    with the current one, field by field.
    """
    current = type(instance).objects.get(pk=instance.pk)
    if current.version == seen_version:
        return None
    seen = instance.history.filter(version=seen_version).order_by("-history_date").first()
    latest = current.history.order_by("-history_date").first()
    who = latest.history_user if latest and latest.history_user else "someone else"
    changes = []
    if seen is not None:
        for field in instance._meta.concrete_fields:
            if field.name in {"id", "version"}:
                continue
            before, after = getattr(seen, field.attname), getattr(current, field.attname)
            if before != after:
                label = str(field.verbose_name).capitalize()
                changes.append(f"{label}: “{_short(before)}” is now “{_short(after)}”")
    detail = "; ".join(changes) if changes else "its details changed"
    return (
        f"{who} saved this {instance._meta.verbose_name} while you were editing it "
        f"({detail}). Your changes have not been saved and are still in the form: check them "
        "against the new version and save again."
    )


def _short(value) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


@transaction.atomic
def save_versioned(form, *, seen_version: int):
    """Save a ModelForm for a versioned record, refusing it if the record moved on.

    The row is locked, its version compared with the one the editor loaded, then saved with
    the version bumped. Raises ValidationError (with what changed) on a stale save.
    """
    instance = form.instance
    locked = type(instance).objects.select_for_update().get(pk=instance.pk)
    message = stale_edit_message(instance=locked, seen_version=seen_version)
    if message:
        raise ValidationError(message)
    obj = form.save(commit=False)
    obj.version = locked.version + 1
    obj.save()
    form.save_m2m()
    return obj


@transaction.atomic
def move(*, item, direction: str) -> None:
    """Swap a priority or action with its neighbour ("up" or "down") within its parent."""
    if isinstance(item, Priority):
        siblings = list(Priority.objects.filter(plan_id=item.plan_id).select_for_update())
    else:
        siblings = list(Action.objects.filter(priority_id=item.priority_id).select_for_update())
    siblings.sort(key=lambda s: (s.order, s.pk))
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        if sibling.order != position:
            sibling.order = position
            sibling.save(update_fields=["order"])


@transaction.atomic
def approve_plan(*, plan: BusinessPlan, by: User) -> BusinessPlan:
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(
            f"Only a draft plan can be approved; this one is {plan.get_status_display().lower()}."
        )
    if not plan.priorities.exists():
        raise ValidationError("Add at least one priority before approving the plan.")
    plan.status = PlanStatus.APPROVED
    plan.approved_on = timezone.localdate()
    plan.save(update_fields=["status", "approved_on"])
    return plan


def roll_forward_preview(*, plan: BusinessPlan) -> dict:
    """What rolling ``plan`` forward would carry and drop."""
    actions = list(
        Action.objects.filter(priority__plan=plan).select_related("priority", "lead_group")
    )
    finished = {Action.Status.COMPLETE, Action.Status.CANCELLED}
    return {
        "carried": [a for a in actions if a.status not in finished],
        "dropped": [a for a in actions if a.status in finished],
    }


@transaction.atomic
def roll_forward(
    *, plan: BusinessPlan, title: str, period: str, effective_from, by: User
) -> BusinessPlan:
    """Create next year's plan: every priority with unfinished actions, and those actions,
    each linked to its original (carried_forward_from). Completed and cancelled actions stay
    in the old plan only. The old plan is archived."""
    if BusinessPlan.objects.filter(board=plan.board, title=title).exists():
        raise ValidationError(
            {"title": f"{plan.board.short_name} already has a plan called {title}."}
        )
    new_plan = BusinessPlan(
        board=plan.board,
        strategic_plan=plan.strategic_plan,
        title=title,
        period=period,
        effective_from=effective_from,
        introduction=plan.introduction,
        rolled_forward_from=plan,
    )
    new_plan.full_clean()
    new_plan.save()
    carried = roll_forward_preview(plan=plan)["carried"]
    by_priority: dict[int, list[Action]] = {}
    for action in carried:
        by_priority.setdefault(action.priority_id, []).append(action)
    new_actions = []
    for old_priority in plan.priorities.prefetch_related("objectives", "joint_with"):
        if old_priority.pk not in by_priority:
            continue
        priority = Priority.objects.create(
            plan=new_plan,
            ref=old_priority.ref,
            title=old_priority.title,
            statement=old_priority.statement,
            rationale=old_priority.rationale,
            outcome=old_priority.outcome,
            partnership_lead=old_priority.partnership_lead,
            board_officer=old_priority.board_officer,
            delivery_group=old_priority.delivery_group,
            delivery_group_text=old_priority.delivery_group_text,
            strategic_priority=old_priority.strategic_priority,
            order=old_priority.order,
        )
        priority.joint_with.set(old_priority.joint_with.all())
        objectives = {
            old.pk: Objective.objects.create(priority=priority, text=old.text, order=old.order)
            for old in old_priority.objectives.all()
        }
        for old in by_priority[old_priority.pk]:
            new_actions.append(
                Action(
                    priority=priority,
                    objective=objectives.get(old.objective_id),
                    ref=old.ref,
                    description=old.description,
                    outcome_measure=old.outcome_measure,
                    lead_group=old.lead_group,
                    lead_text=old.lead_text,
                    lead_person=old.lead_person,
                    due_date=old.due_date,
                    timescale=old.timescale,
                    status=old.status,
                    carried_forward_from=old,
                    order=old.order,
                )
            )
    bulk_create_with_history(new_actions, Action, default_user=by)
    plan.status = PlanStatus.ARCHIVED
    plan.save(update_fields=["status"])
    return new_plan
