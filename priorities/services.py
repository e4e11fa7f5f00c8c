"""Writes for plans and actions that change several rows, a workflow, or must be audited."""

from __future__ import annotations

import datetime
import itertools
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from priorities.models import (
    Action,
    BusinessPlan,
    Measure,
    Objective,
    PlanStatus,
    Priority,
    ProgressUpdate,
    ReportingPeriod,
    next_ref,
)
from sab.history import changes_between, label, shown_fields
from sab.models import Board, User


def check_can_change(record) -> None:
    """Refuse (ValidationError) a change to a record of an archived plan (is_read_only)."""
    if record.is_read_only:
        raise ValidationError(
            "This plan is archived: it is the record of its year and cannot change."
        )


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
    check_can_change(action)
    if period is None:
        period = ReportingPeriod.current_for(action.priority.plan.board)
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


def _status_from_latest_update(action: Action, *, withdrawn: ProgressUpdate | None = None) -> None:
    """After an update is changed or withdrawn, the action takes the status its latest
    remaining update reports; with none left, the status it had before the withdrawn update
    (from the action's history)."""
    latest = action.updates.order_by("-created_at", "-pk").first()
    status = latest.status if latest is not None else None
    if latest is None and withdrawn is not None:
        before = (
            action.history.filter(history_date__lt=withdrawn.created_at)
            .order_by("-history_date", "-history_id")
            .values_list("status", flat=True)
            .first()
        )
        status = before
    if status is not None and status != action.status:
        locked = Action.objects.select_for_update().get(pk=action.pk)
        locked.status = status
        locked.version += 1
        locked.save(update_fields=["status", "version"])
        action.status, action.version = locked.status, locked.version


@transaction.atomic
def change_update(*, update: ProgressUpdate, by: User, **fields) -> ProgressUpdate:
    """Correct one's own update while its period is current (history keeps both versions)."""
    check_can_change(update)
    if update.author_id != by.pk or not update.is_still_open():
        raise ValidationError("Only its author can change an update, and only in its period.")
    for name, value in fields.items():
        setattr(update, name, value)
    update.full_clean()
    update.save()
    _status_from_latest_update(update.action)
    return update


@transaction.atomic
def withdraw_update(*, update: ProgressUpdate, by: User) -> None:
    """Withdraw one's own update while its period is current. It leaves the action's page
    and the counts; its history (and so the timeline) keeps it, marked withdrawn."""
    check_can_change(update)
    if update.author_id != by.pk or not update.is_still_open():
        raise ValidationError("Only its author can withdraw an update, and only in its period.")
    action = update.action
    update._change_reason = "Withdrawn by its author"
    update.delete()
    _status_from_latest_update(action, withdrawn=update)


ONE_OF = {
    "priorities": "priority",
    "actions": "action",
    "progress updates": "progress update",
    "measures": "measure",
    "milestones": "milestone",
}


def what_goes(record) -> dict[str, int]:
    """What deleting a draft plan or an action of one takes with it, counted for its
    confirmation page."""
    if isinstance(record, BusinessPlan):
        actions = Action.objects.filter(priority__plan=record)
        return {
            "priorities": record.priorities.count(),
            "actions": actions.count(),
            "progress updates": ProgressUpdate.objects.filter(action__in=actions).count(),
            "measures": Measure.objects.filter(priority__plan=record).count(),
        }
    return {"progress updates": record.updates.count(), "milestones": record.milestones.count()}


@transaction.atomic
def delete_draft(*, record: BusinessPlan | Action, by: User) -> None:
    """Delete a draft plan, or an action of a draft plan, with everything in it. History
    keeps each deleted record. A plan once approved is never deleted."""
    if not record.can_be_deleted:
        raise ValidationError(
            "Only a draft plan, or an action of one, can be deleted. Cancel the action or "
            "reopen the plan instead."
        )
    record.delete()


@transaction.atomic
def reopen_plan(*, plan: BusinessPlan, by: User, reason: str) -> BusinessPlan | None:
    """Take an approved plan back to draft, with the reason in its history. If approving it
    archived the plan it was rolled forward from, that plan comes back into use (it is
    returned), so the board is never left without its plan."""
    plan = BusinessPlan.objects.select_for_update().get(pk=plan.pk)
    if not plan.can_be_reopened:
        raise ValidationError(
            f"Only an approved plan can be reopened; this one is "
            f"{plan.get_status_display().lower()}."
        )
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the plan is being reopened"})
    previous = plan.rolled_forward_from
    restored = None
    if (
        previous is not None
        and previous.status == PlanStatus.ARCHIVED
        and previous.archived_on == plan.approved_on
    ):
        previous.status, previous.archived_on = PlanStatus.APPROVED, None
        previous._change_reason = f"Back in use: {plan.title} was reopened"
        previous.save(update_fields=["status", "archived_on"])
        restored = previous
    plan.status, plan.approved_on = PlanStatus.DRAFT, None
    plan._change_reason = f"Reopened: {reason.strip()}"
    plan.save(update_fields=["status", "approved_on"])
    return restored


@transaction.atomic
def record_return(*, updates: list[tuple[Action, dict]], by: User) -> list[ProgressUpdate]:
    """A group's quarterly return: every update saved, or (one refused) none."""
    return [record_progress(action=action, by=by, **fields) for action, fields in updates]


# --- Reporting periods --------------------------------------------------------------------------


def quarter_bounds(board: Board, year: int) -> list[tuple[datetime.date, datetime.date]]:
    """The first and last day of each quarter of the board's reporting year ``year``."""
    first, _ = board.financial_year_bounds(year)
    starts = [_add_months(first, 3 * quarter) for quarter in range(5)]
    return [(start, end - datetime.timedelta(days=1)) for start, end in itertools.pairwise(starts)]


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1)


@transaction.atomic
def set_up_year(
    *, board: Board, year: int, updates_due_days_before_end: int | None, by: User
) -> list[ReportingPeriod]:
    """Create the four quarters of the board's reporting year ``year`` ("Q1 2026/27"...),
    with updates due that many days before each quarter ends. All four or none: a quarter
    that overlaps a period the board has, or whose label it uses, is refused by name."""
    label = board.financial_year_label(year)
    periods, problems = [], []
    for number, (start, end) in enumerate(quarter_bounds(board, year), start=1):
        deadline = None
        if updates_due_days_before_end is not None:
            deadline = end - datetime.timedelta(days=updates_due_days_before_end)
        period = ReportingPeriod(
            board=board, label=f"Q{number} {label}", start=start, end=end, update_deadline=deadline
        )
        try:
            period.full_clean()
        except ValidationError as error:
            problems += [
                f"Q{number} ({start:%-d %B} to {end:%-d %B %Y}): {m}" for m in error.messages
            ]
        periods.append(period)
    if problems:
        raise ValidationError(problems)
    for period in periods:
        period.save()
    file_updates_into_periods(board=board, by=by)
    return periods


@transaction.atomic
def save_period(*, period: ReportingPeriod, by: User) -> ReportingPeriod:
    """Save a new or changed (validated) period, and refile the board's updates by date."""
    period.save()
    file_updates_into_periods(board=period.board, by=by)
    return period


def file_updates_into_periods(*, board: Board, by: User | None = None) -> int:
    """Put each of the board's progress updates in the period its date falls in (none when no
    period covers that day). Run whenever periods change, so an update saved before its
    period existed, or whose period moved, is never lost from the count. Returns how many
    updates moved; each move is kept in the update's history."""
    periods = list(ReportingPeriod.objects.for_board(board))
    wrong = Q(period__isnull=False) & ~Q(
        created_at__date__gte=F("period__start"), created_at__date__lte=F("period__end")
    )
    for period in periods:
        wrong |= Q(created_at__date__range=(period.start, period.end)) & ~Q(period=period)
    moved = []
    for update in ProgressUpdate.objects.for_board(board).filter(wrong):
        day = timezone.localdate(update.created_at)
        covering = next((p for p in periods if p.start <= day <= p.end), None)
        update.period = covering
        moved.append(update)
    bulk_update_with_history(moved, ProgressUpdate, ["period"], default_user=by)
    return len(moved)


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
    if seen is not None and latest is not None:
        fields = shown_fields(instance, hide=("version",))
        for field, before, after in changes_between(seen, latest, fields):
            changes.append(f"{label(field)}: “{_short(before)}” is now “{_short(after)}”")
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
    check_can_change(instance)
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
    check_can_change(item)
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
    """Approve a draft. A plan rolled forward from one still in use replaces it: that plan
    is archived on the same day, and its actions leave the tracker and the chairs' lists."""
    plan = BusinessPlan.objects.select_for_update().get(pk=plan.pk)
    if not plan.can_be_approved:
        raise ValidationError(
            f"Only a draft plan can be approved; this one is {plan.get_status_display().lower()}."
        )
    if not plan.priorities.exists():
        raise ValidationError("Add at least one priority before approving the plan.")
    today = timezone.localdate()
    replaced = plan.replaces
    plan.status = PlanStatus.APPROVED
    plan.approved_on = today
    plan.save(update_fields=["status", "approved_on"])
    if replaced is not None:
        replaced.status = PlanStatus.ARCHIVED
        replaced.archived_on = today
        replaced.save(update_fields=["status", "archived_on"])
    return plan


def check_can_roll_forward(plan: BusinessPlan) -> None:
    """Refuse (ValidationError) a plan that cannot be rolled forward (can_roll_forward)."""
    if plan.is_read_only:
        raise ValidationError(
            f"{plan.title} is {plan.get_status_display().lower()}, so it cannot be rolled "
            "forward. Roll forward the plan that replaced it instead."
        )
    if not plan.can_roll_forward:
        raise ValidationError(f"{plan.title} has no priorities yet: there is nothing to carry.")


def roll_forward_preview(*, plan: BusinessPlan, starts: datetime.date | None = None) -> dict:
    """What rolling ``plan`` forward would carry (its open actions, each with its latest
    rating and progress, those due before ``starts`` flagged) and leave (finished ones)."""
    actions = Action.objects.filter(priority__plan=plan).for_tracker()
    carried = list(actions.open())
    starts = starts or timezone.localdate()
    return {
        "carried": carried,
        "dropped": list(actions.finished()),
        "past_due": [action for action in carried if action.is_overdue(on=starts)],
    }


def next_years(text: str) -> str:
    """The same words a year on: "Business Plan 2026/27" -> "Business Plan 2027/28",
    "2019-21" -> "2020-22". Text without a year is returned as it is."""

    def later(match: re.Match) -> str:
        first, separator, second = match.group(1), match.group(2), match.group(3)
        if second is None:
            return str(int(first) + 1)
        width = len(second)
        return f"{int(first) + 1}{separator}{(int(second) + 1) % 10**width:0{width}d}"

    return re.sub(r"\b(\d{4})(?:([/-])(\d{2}|\d{4}))?\b", later, text)


def _copy(record, fields) -> dict:
    """The values of ``fields`` that are columns (many-to-many ones: _copy_many)."""
    concrete = {f.name for f in record._meta.concrete_fields}
    return {name: getattr(record, name) for name in fields if name in concrete}


def _copy_many(source, target, fields) -> None:
    """Give ``target`` the same many-to-many values as ``source`` for those of ``fields``."""
    for field in source._meta.many_to_many:
        if field.name in fields:
            getattr(target, field.name).set(getattr(source, field.name).all())


@dataclass
class RollForwardResult:
    plan: BusinessPlan
    carried: int
    already_there: int


@transaction.atomic
def roll_forward(
    *,
    plan: BusinessPlan,
    by: User,
    title: str = "",
    period: str = "",
    effective_from: datetime.date | None = None,
    into: BusinessPlan | None = None,
) -> RollForwardResult:
    """Carry ``plan``'s unfinished actions into next year's draft: a new draft plan (``title``
    ...) or a draft the board already started (``into``). Each priority with unfinished
    actions goes with them (into the draft's priority with the same ref, if it has one), and
    each carried action is linked to its original (carried_forward_from). An action carried
    into that draft before is not carried twice; a ref the draft already uses gets the next
    free one. Completed and cancelled actions stay in ``plan``, which stays in use until the
    draft is approved (approve_plan archives it then)."""
    plan = BusinessPlan.objects.select_for_update().get(pk=plan.pk)
    check_can_roll_forward(plan)
    if into is None:
        into = BusinessPlan(
            board=plan.board,
            strategic_plan=plan.strategic_plan,
            title=title,
            period=period,
            effective_from=effective_from,
            introduction=plan.introduction,
            rolled_forward_from=plan,
        )
        into.full_clean()  # a title the board already uses is refused here (the constraint)
        into.save()
    else:
        into = BusinessPlan.objects.select_for_update().get(pk=into.pk)
        if into.board_id != plan.board_id or not into.can_be_approved or into.pk == plan.pk:
            raise ValidationError({"into": "Choose one of the board's other draft plans."})
        if into.rolled_forward_from_id is None:
            into.rolled_forward_from = plan
            into.save(update_fields=["rolled_forward_from"])
    open_actions: dict[int, list[Action]] = {}
    for action in Action.objects.filter(priority__plan=plan).open().select_related("objective"):
        open_actions.setdefault(action.priority_id, []).append(action)
    already = set(
        Action.objects.filter(priority__plan=into, carried_forward_from__isnull=False).values_list(
            "carried_forward_from_id", flat=True
        )
    )
    targets = {p.ref.casefold(): p for p in into.priorities.prefetch_related("actions")}
    new_actions, skipped = [], 0
    for old_priority in plan.priorities.prefetch_related("objectives", "joint_with"):
        to_carry = [a for a in open_actions.get(old_priority.pk, []) if a.pk not in already]
        skipped += len(open_actions.get(old_priority.pk, [])) - len(to_carry)
        if not to_carry:
            continue
        priority = targets.get(old_priority.ref.casefold())
        if priority is None:
            fields = _copy(old_priority, Priority.CARRIED_FIELDS)
            fields["order"] = into.priorities.next_order()
            priority = Priority.objects.create(plan=into, **fields)
            _copy_many(old_priority, priority, Priority.CARRIED_FIELDS)
            targets[priority.ref.casefold()] = priority
        objectives = {o.text: o for o in priority.objectives.all()}
        for old in old_priority.objectives.all():
            if old.text not in objectives:
                objectives[old.text] = Objective.objects.create(
                    priority=priority, **_copy(old, Objective.CARRIED_FIELDS)
                )
        taken = {action.ref.casefold() for action in priority.actions.all()}
        order = priority.actions.next_order()
        for old in to_carry:
            fields = _copy(old, Action.CARRIED_FIELDS)
            if old.ref.casefold() in taken:
                fields["ref"] = next_ref(taken, prefix=f"{priority.ref}.")
            fields["order"] = order
            order += 1
            taken.add(fields["ref"].casefold())
            objective = objectives.get(old.objective.text) if old.objective_id else None
            new_actions.append(
                Action(priority=priority, objective=objective, carried_forward_from=old, **fields)
            )
    bulk_create_with_history(new_actions, Action, default_user=by)
    return RollForwardResult(plan=into, carried=len(new_actions), already_there=skipped)
