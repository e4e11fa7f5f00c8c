"""Re-import a spreadsheet into an existing plan: update its actions by ref, add the rest.

The plan's board manager exports or keeps the plan as a sheet, edits it (a new due date, a
status, this year's progress) and imports it again. ``preview_plan_update`` shows, for each
action the file changes, every field with its value now and in the file, and the actions,
priorities and progress updates it adds; it writes nothing. ``update_plan`` runs the same
checks and writes everything or nothing, saving the changed actions with their history.

How a row is read:

- A row whose action ref the plan has is that action (refs compared ignoring case). A row
  without a ref is the plan's action with the same text, if there is exactly one.
- Only what the row gives is compared: a blank cell leaves the action's value as it is (a
  sheet pasted together from several people's returns often has gaps). The fields compared
  are in ``UPDATABLE``; a re-import never moves an action to another priority, nor changes
  its objective or order.
- Progress text the action already has (ignoring case and spacing) is not added again.
- Any other row is a new action, in the plan's priority with the same ref (or title), or in
  a new priority, exactly as an import adds it (priorities.plan_import.stage). A row that
  names no priority goes in the one its ref starts with ("2b.4" in priority 2b).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from priorities.models import Action, BusinessPlan, Objective, Priority, ProgressUpdate, free_refs
from priorities.plan_import.parse import (
    NO_PRIORITY_TITLE,
    STATUS_LABELS,
    PlanRow,
    RowError,
    parse_plan,
)
from priorities.plan_import.stage import (
    ImportPlanPreview,
    PlanImportError,
    PriorityPreview,
    _action_preview,
    _build_action,
    _build_objective,
    _build_priority,
    _build_progress_updates,
    _find_plan,
    _given_on,
    _group_rows,
    _Matcher,
    _plural,
    _PriorityRows,
    _Staged,
    _text_key,
    _Unmatched,
    create_staged,
)
from sab.models import Board, User
from subgroups.models import Group

__all__ = [
    "UPDATABLE",
    "ActionChange",
    "FieldChange",
    "ImportUpdatePreview",
    "preview_plan_update",
    "update_plan",
]

# What a re-import may change on an existing action: (model field, what the preview calls
# it, the columns that give it). A field is compared only when the row gives one of them.
UPDATABLE: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("description", "Action", frozenset({"action"})),
    ("outcome_measure", "Outcome measure", frozenset({"outcome_measure"})),
    ("lead_group", "Lead group", frozenset({"lead"})),
    ("lead_text", "Lead (as written)", frozenset({"lead", "lead_person"})),
    ("lead_person", "Lead person", frozenset({"lead_person"})),
    ("due_date", "Due date", frozenset({"due_date"})),
    ("timescale", "Timescale", frozenset({"timescale"})),
    ("status", "Status", frozenset({"status"})),
)


@dataclass(frozen=True)
class FieldChange:
    label: str  # "Due date"
    old: str  # as the page shows it; "" for blank
    new: str


@dataclass
class ActionChange:
    """An existing action the file changes, or adds progress to."""

    row: int
    ref: str
    description: str  # the action's text now
    changes: list[FieldChange] = field(default_factory=list)
    # New progress updates: (the date given, or None for the day of the import, text).
    updates: list[tuple[datetime.date | None, str]] = field(default_factory=list)


@dataclass
class ImportUpdatePreview(ImportPlanPreview):
    """What a re-import changes: ``changed`` actions field by field; ``priorities`` holds
    the actions it adds (a priority the plan has already has ``is_new`` False)."""

    changed: list[ActionChange] = field(default_factory=list)
    unchanged: int = 0  # actions in the file that are the same in the plan

    def summary(self) -> str:
        """ "2 actions changed; 3 actions, 1 priority, 0 objectives and 4 progress updates
        added"."""
        added = [
            _plural(self.counts.get("actions", 0), "action", "actions"),
            _plural(self.counts.get("priorities", 0), "priority", "priorities"),
            _plural(self.counts.get("objectives", 0), "objective", "objectives"),
        ]
        updates = _plural(
            self.counts.get("progress_updates", 0), "progress update", "progress updates"
        )
        changed = _plural(self.counts.get("changed_actions", 0), "action", "actions")
        return f"{changed} changed; {', '.join(added)} and {updates} added"


@dataclass
class _StagedUpdate(_Staged):
    changed: list[Action] = field(default_factory=list)
    changed_fields: set[str] = field(default_factory=set)


class _PlanContents:
    """What the plan holds, read once (four queries), to match the file's rows against."""

    def __init__(self, plan: BusinessPlan, *, lock: bool) -> None:
        self.priorities = list(
            plan.priorities.select_related("delivery_group").order_by("order", "pk")
        )
        self.priority_by_ref = {p.ref.casefold(): p for p in self.priorities}
        self.priority_by_title: dict[str, Priority] = {}
        for priority in self.priorities:
            self.priority_by_title.setdefault(priority.title.casefold(), priority)
        actions = Action.objects.filter(priority__plan=plan).select_related(
            "priority", "lead_group", "lead_person", "objective"
        )
        if lock:
            actions = actions.select_for_update(of=("self",))
        self.actions = list(actions.order_by("priority__order", "order", "pk"))
        self.action_by_ref = {a.ref.casefold(): a for a in self.actions}
        by_text: dict[str, list[Action]] = {}
        for action in self.actions:
            by_text.setdefault(_text_key(action.description), []).append(action)
        self.action_by_text = {key: found[0] for key, found in by_text.items() if len(found) == 1}
        self.next_action_order: dict[int, int] = {}
        for action in self.actions:
            order = self.next_action_order.get(action.priority_id, 0)
            self.next_action_order[action.priority_id] = max(order, action.order + 1)
        self.objectives: dict[int, dict[str, Objective]] = {}
        for objective in Objective.objects.filter(priority__plan=plan).order_by("order", "pk"):
            texts = self.objectives.setdefault(objective.priority_id, {})
            texts.setdefault(" ".join(objective.text.split()).casefold(), objective)
        self.update_texts: dict[int, set[str]] = {}
        updates = ProgressUpdate.objects.filter(action__priority__plan=plan)
        for action_id, text in updates.values_list("action_id", "text"):
            self.update_texts.setdefault(action_id, set()).add(_text_key(text))
        self.next_priority_order = max((p.order + 1 for p in self.priorities), default=0)

    def match(self, row: PlanRow) -> Action | None:
        if not row.ref_generated:
            return self.action_by_ref.get(row.action_ref.casefold())
        return self.action_by_text.get(_text_key(row.action))

    def priority_for(self, group: _PriorityRows) -> Priority | None:
        if group.ref:
            return self.priority_by_ref.get(group.ref.casefold())
        return self.priority_by_title.get(group.title.casefold())


def _existing_plan(board: Board, title: str, *, lock: bool) -> BusinessPlan:
    """The board's plan with this title; it must exist and not be archived."""
    plan = _find_plan(board, title, lock=lock) if title else None
    if plan is None:
        message = f"{board.short_name} has no plan called {title}: enter the title of the plan"
        raise ValidationError({"plan_title": f"{message} to update"})
    if plan.is_read_only:
        raise ValidationError(
            {"plan_title": f"{plan.title} is archived and cannot change: import into a new plan."}
        )
    return plan


def _shown(action: Action, name: str) -> str:
    """A field's value as the preview shows it."""
    value = getattr(action, name)
    if value is None or value == "":
        return ""
    if name in ("lead_group", "lead_person"):
        return value.name
    if name == "due_date":
        return f"{value:%-d %B %Y}"
    if name == "status":
        return STATUS_LABELS.get(value, value)
    return str(value)


def _same(old: object, new: object) -> bool:
    if isinstance(old, str) and isinstance(new, str):
        return old.replace("\r\n", "\n").strip() == new.strip()
    return old == new


class _Updater:
    """Builds the changes and additions for one file into ``staged`` and ``preview``."""

    def __init__(
        self,
        *,
        contents: _PlanContents,
        staged: _StagedUpdate,
        preview: ImportUpdatePreview,
        matcher: _Matcher,
        unmatched: _Unmatched,
        by: User | None,
    ) -> None:
        self.contents = contents
        self.staged = staged
        self.preview = preview
        self.matcher = matcher
        self.unmatched = unmatched
        self.by = by
        self.now = timezone.now()
        self.errors = preview.errors

    def run(self, rows: list[PlanRow]) -> None:
        new_rows: list[PlanRow] = []
        seen: dict[int, int] = {}  # action pk -> the row that updates it
        for row in rows:
            action = self.contents.match(row)
            if action is None:
                new_rows.append(row)
            elif action.pk in seen:
                self.errors.append(
                    RowError(
                        row.row,
                        "action_ref",
                        f"Action {action.ref} is also updated on row {seen[action.pk]}",
                    )
                )
            else:
                seen[action.pk] = row.row
                self.change(row, action)
        self.add(new_rows)

    # -- an existing action ----------------------------------------------------------------

    def change(self, row: PlanRow, action: Action) -> None:
        candidate, _ = _build_action(
            row,
            ref=action.ref,
            priority=action.priority,
            objective=action.objective,
            order=action.order,
            matcher=self.matcher,
            unmatched=self.unmatched,
            errors=self.errors,
        )
        if "lead" not in row.filled:
            self.keep_lead(row, action, candidate)
        changes = []
        for name, label, sources in UPDATABLE:
            if not row.filled & sources:
                continue
            if _same(getattr(action, name), getattr(candidate, name)):
                continue
            changes.append(FieldChange(label, _shown(action, name), _shown(candidate, name)))
            setattr(action, name, getattr(candidate, name))
            self.staged.changed_fields.add(name)
        if changes:
            self.staged.changed.append(action)
        self.warn_if_moved(row, action)

        known = frozenset(self.contents.update_texts.get(action.pk, set()))
        updates = _build_progress_updates(
            row, action=action, by=self.by, now=self.now, errors=self.errors, skip=known
        )
        self.staged.updates.extend(updates)
        if changes or updates:
            self.preview.changed.append(
                ActionChange(
                    row=row.row,
                    ref=action.ref,
                    description=candidate.description,
                    changes=changes,
                    updates=[(_given_on(u, self.now), u.text) for u in updates],
                )
            )
        else:
            self.preview.unchanged += 1

    def keep_lead(self, row: PlanRow, action: Action, candidate: Action) -> None:
        """A blank lead cell leaves the lead group and text as they are; a lead person that
        matches nobody is added to the text, as an import keeps it."""
        candidate.lead_group = action.lead_group
        candidate.lead_text = action.lead_text
        person = row.lead_person
        if person and candidate.lead_person is None and person not in action.lead_text:
            candidate.lead_text = "; ".join(filter(None, [action.lead_text, person]))
            try:
                Action._meta.get_field("lead_text").clean(candidate.lead_text, candidate)
            except ValidationError as exc:
                self.errors.extend(RowError(row.row, "lead_person", m) for m in exc.messages)

    def warn_if_moved(self, row: PlanRow, action: Action) -> None:
        priority = action.priority
        given = row.priority_ref or row.priority_title
        if not given:
            return
        same = (
            row.priority_ref.casefold() == priority.ref.casefold()
            if row.priority_ref
            else row.priority_title.casefold() == priority.title.casefold()
        )
        if not same:
            self.preview.warnings.append(
                f"Row {row.row}: action {action.ref} is in priority {priority.ref} of the "
                f"plan, not {given}; it stays there (a re-import does not move actions)."
            )

    # -- new actions -------------------------------------------------------------------------

    def infer_priority(self, row: PlanRow) -> None:
        """A new action the file gives no priority: the plan's priority its ref starts with
        ("2b.4" in priority 2b), if there is one."""
        if row.priority_ref or row.priority_title or row.ref_generated or "." not in row.action_ref:
            return
        priority = self.contents.priority_by_ref.get(row.action_ref.rsplit(".", 1)[0].casefold())
        if priority is not None:
            row.priority_ref, row.priority_title = priority.ref, priority.title

    def no_priority(self, group: _PriorityRows) -> None:
        """New actions need a priority: one the plan has, or a new one with a title."""
        if group.ref:
            message = f"Priority {group.ref} is not in the plan: give its title to add it"
            self.errors.append(RowError(group.rows[0].row, "priority_title", message))
            return
        for row in group.rows:
            self.errors.append(RowError(row.row, "priority_title", NO_PRIORITY_TITLE))

    def add(self, rows: list[PlanRow]) -> None:
        for row in rows:
            self.infer_priority(row)
        groups = _group_rows(rows)
        plan_refs = {p.ref for p in self.contents.priorities}
        fresh = free_refs(plan_refs | {g.ref for g in groups if g.ref})
        used = {a.ref for a in self.contents.actions}
        used.update(row.action_ref for row in rows if not row.ref_generated)
        for group in groups:
            priority = self.contents.priority_for(group)
            is_new = priority is None
            if priority is None and not group.title:
                self.no_priority(group)
                continue
            if priority is None:
                if not group.ref:
                    group.ref, group.ref_generated = next(fresh), True
                priority = _build_priority(
                    group,
                    plan=self.staged.plan,
                    order=self.contents.next_priority_order,
                    matcher=self.matcher,
                    unmatched=self.unmatched,
                    errors=self.errors,
                )
                self.contents.next_priority_order += 1
                self.staged.priorities.append(priority)
                objectives: dict[str, Objective] = {}
            else:
                objectives = dict(self.contents.objectives.get(priority.pk, {}))
            preview = PriorityPreview(
                row=group.rows[0].row,
                ref=priority.ref,
                ref_generated=group.ref_generated,
                title=priority.title,
                delivery_group=priority.delivery_group.name
                if priority.delivery_group
                else priority.delivery_group_text,
                delivery_group_matched=priority.delivery_group is not None
                or not priority.delivery_group_text,
                is_new=is_new,
            )
            self.preview.priorities.append(preview)
            refs = free_refs(used, prefix=f"{priority.ref}.")
            order = self.contents.next_action_order.get(priority.pk, 0) if priority.pk else 0
            for row in group.rows:
                ref = row.action_ref if not row.ref_generated else next(refs)
                used.add(ref)
                objective = _build_objective(
                    row, priority=priority, objectives=objectives, errors=self.errors
                )
                action, names = _build_action(
                    row,
                    ref=ref,
                    priority=priority,
                    objective=objective,
                    order=order,
                    matcher=self.matcher,
                    unmatched=self.unmatched,
                    errors=self.errors,
                )
                order += 1
                self.staged.actions.append(action)
                updates = _build_progress_updates(
                    row, action=action, by=self.by, now=self.now, errors=self.errors
                )
                self.staged.updates.extend(updates)
                preview.actions.append(_action_preview(row, action, names, updates, self.now))
            self.staged.objectives.extend(o for o in objectives.values() if o.pk is None)


def _stage_update(
    *,
    board: Board,
    plan_title: str,
    data: bytes,
    filename: str,
    by: User | None = None,
    lock: bool = False,
    lead_mappings: dict[str, Group] | None = None,
) -> tuple[ImportUpdatePreview, _StagedUpdate]:
    plan_title = " ".join(plan_title.split())
    # The plan has the priorities: a row may give only the action's ref.
    parsed = parse_plan(data, filename, priorities_required=False)  # ImportFileError propagates
    plan = _existing_plan(board, plan_title, lock=lock)
    contents = _PlanContents(plan, lock=lock)
    preview = ImportUpdatePreview(
        plan_title=plan.title,
        plan_exists=True,
        errors=list(parsed.errors),
        warnings=list(parsed.warnings),
        columns=dict(parsed.columns),
        progress_columns=list(parsed.progress_columns),
        plan=plan,
    )
    matcher = _Matcher(board, lead_mappings)
    staged = _StagedUpdate(plan=plan, chosen=matcher.chosen)
    unmatched = _Unmatched()
    _Updater(
        contents=contents,
        staged=staged,
        preview=preview,
        matcher=matcher,
        unmatched=unmatched,
        by=by,
    ).run(parsed.rows)
    preview.warnings.extend(unmatched.warnings(board))
    preview.unmatched_names = unmatched.group_names()
    preview.errors.sort(key=lambda error: error.row)
    preview.counts = {
        "priorities": len(staged.priorities),
        "objectives": len(staged.objectives),
        "actions": len(staged.actions),
        "progress_updates": len(staged.updates),
        "changed_actions": len(staged.changed),
        "unchanged_actions": preview.unchanged,
    }
    return preview, staged


def preview_plan_update(
    *,
    board: Board,
    plan_title: str,
    data: bytes,
    filename: str,
    lead_mappings: dict[str, Group] | None = None,
) -> ImportUpdatePreview:
    """What re-importing the file into the board's plan ``plan_title`` would change and add,
    and every problem and warning. Writes nothing.

    Raises ImportFileError for a problem with the whole file, and ValidationError (keyed
    "plan_title") if the board has no such plan or it is archived.
    """
    preview, _ = _stage_update(
        board=board,
        plan_title=plan_title,
        data=data,
        filename=filename,
        lead_mappings=lead_mappings,
    )
    return preview


@transaction.atomic
def update_plan(
    *,
    board: Board,
    plan_title: str,
    data: bytes,
    filename: str,
    by: User | None = None,
    lead_mappings: dict[str, Group] | None = None,
) -> ImportUpdatePreview:
    """Re-import the file into the board's plan ``plan_title``: change its actions by ref and
    add the rest, all of it or nothing. Changed actions are saved with a new version and a
    history row each; chosen ``lead_mappings`` are remembered for the board.

    Raises as preview_plan_update, and PlanImportError if any row has a problem.
    """
    preview, staged = _stage_update(
        board=board,
        plan_title=plan_title,
        data=data,
        filename=filename,
        by=by,
        lock=True,
        lead_mappings=lead_mappings,
    )
    if preview.errors:
        raise PlanImportError(preview)
    try:
        with transaction.atomic():
            if staged.changed:
                for action in staged.changed:
                    action.version += 1  # editors with the old version are told it moved on
                fields = sorted(staged.changed_fields | {"version"})
                bulk_update_with_history(staged.changed, Action, fields, default_user=by)
            create_staged(staged, board=board, by=by)
    except IntegrityError:
        raise ValidationError(
            f"{staged.plan.title} was changed while the file was being imported. Nothing was "
            "imported; try again."
        ) from None
    return preview
