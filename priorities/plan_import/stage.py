"""Import a business plan spreadsheet into the database.

The parser (priorities.plan_import.parse) reads the file into rows; this module checks those
rows against the database (refs already in the plan, leads matched to the board's groups and
people, model validation) and writes the plan, its priorities, objectives, actions and
progress in one transaction. ``preview_plan_import`` runs every check and writes nothing;
``import_plan`` runs the same checks and writes everything or nothing.

Actions and progress updates are bulk created with their history rows, so a 2,000-row plan
takes a handful of queries whatever its size.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from priorities.models import (
    Action,
    BusinessPlan,
    LeadNameMapping,
    Objective,
    PlanStatus,
    Priority,
    ProgressUpdate,
    free_refs,
)
from priorities.plan_import.names import name_key, split_names
from priorities.plan_import.parse import (
    STATUS_LABELS,
    ImportFileError,
    PlanRow,
    ProgressColumn,
    ProgressEntry,
    RowError,
    parse_plan,
)
from sab.models import Board, Person, User
from subgroups.models import Group

__all__ = [
    "ActionPreview",
    "ImportFileError",
    "ImportPlanPreview",
    "PlanImportError",
    "PriorityPreview",
    "UnmatchedName",
    "import_plan",
    "preview_plan_import",
]

# Model field -> spreadsheet column (canonical name), to report validation errors by column.
_PRIORITY_COLUMNS = {
    "ref": "priority_ref",
    "title": "priority_title",
    "statement": "priority_statement",
    "rationale": "priority_rationale",
    "outcome": "priority_outcome",
    "partnership_lead": "partnership_lead",
    "board_officer": "board_officer",
    "delivery_group_text": "delivery_group",
}
_ACTION_COLUMNS = {
    "ref": "action_ref",
    "description": "action",
    "outcome_measure": "outcome_measure",
    "lead_text": "lead",
    "due_date": "due_date",
    "timescale": "timescale",
    "status": "status",
}
_OBJECTIVE_COLUMNS = {"text": "objective"}
_PROGRESS_COLUMNS = {"text": "progress", "status": "status"}

# Every field a priority or action carries (Model.CARRIED_FIELDS) is filled from its column
# above, worked out by the import (a lead matched to a group, the order of the rows), or
# named here as one a spreadsheet does not hold. A test keeps the three complete.
WORKED_OUT = {
    Priority: {"delivery_group", "order"},
    Action: {"lead_group", "lead_person", "order"},
    Objective: {"order"},
}
NOT_IN_SPREADSHEETS = {
    Priority: {"strategic_priority", "joint_with"},
    Action: set(),
    Objective: set(),
}
COLUMNS = {Priority: _PRIORITY_COLUMNS, Action: _ACTION_COLUMNS, Objective: _OBJECTIVE_COLUMNS}

# Foreign keys are set from records just read or about to be created: validating them again
# would cost one query per row.
_PRIORITY_FKS = ["plan", "delivery_group", "strategic_priority"]
_ACTION_FKS = ["priority", "objective", "lead_group", "lead_person", "carried_forward_from"]
_OBJECTIVE_FKS = ["priority"]
_PROGRESS_FKS = ["action", "period", "author"]


# --------------------------------------------------------------------------------------------
# What the preview page and the command show
# --------------------------------------------------------------------------------------------


@dataclass
class ActionPreview:
    row: int
    ref: str
    description: str
    outcome_measure: str
    lead: str  # the matched group's name, or the lead as written
    lead_matched: bool  # False when a non-empty lead (or one of its names) is kept as text
    lead_person: str  # the matched person's name, or the text as written
    lead_person_matched: bool
    due_date: datetime.date | None
    timescale: str
    status: str
    objective: str
    progress: str
    # Every name in the lead cell: (the group's name or the name as written, matched).
    leads: list[tuple[str, bool]] = field(default_factory=list)
    # Every progress update: (the date it is given, or None for the day of the import, text).
    updates: list[tuple[datetime.date | None, str]] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass
class PriorityPreview:
    row: int  # the first row of the priority
    ref: str
    ref_generated: bool
    title: str
    delivery_group: str  # the matched group's name, or the text as written
    delivery_group_matched: bool
    actions: list[ActionPreview] = field(default_factory=list)
    is_new: bool = True  # False for a priority the plan has (a re-import adding to it)


@dataclass(frozen=True)
class UnmatchedName:
    """A lead or delivery group name that matches none of the board's groups: the preview
    asks which group it is."""

    name: str  # as written (the first time)
    rows: str  # "Row 3", "Rows 3 and 5"


@dataclass
class ImportPlanPreview:
    plan_title: str
    plan_exists: bool
    priorities: list[PriorityPreview] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)  # canonical field -> heading in file
    progress_columns: list[ProgressColumn] = field(default_factory=list)
    unmatched_names: list[UnmatchedName] = field(default_factory=list)
    plan: BusinessPlan | None = None  # the plan written, after import_plan

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def error_messages(self) -> list[str]:
        """One line per problem: "Row 5, due_date: 31/02/2020 is not a real date"."""
        return [f"Row {error.row}, {error.column}: {error.message}" for error in self.errors]

    def error_table(self) -> list[tuple[int, str, str]]:
        """(row, column heading as written in the file, problem) for the preview table."""
        return [
            (error.row, self.columns.get(error.column, error.column), error.message)
            for error in self.errors
        ]

    def summary(self) -> str:
        """ "4 priorities, 9 objectives, 17 actions and 2 progress updates"."""
        parts = [
            _plural(self.counts.get("priorities", 0), "priority", "priorities"),
            _plural(self.counts.get("objectives", 0), "objective", "objectives"),
            _plural(self.counts.get("actions", 0), "action", "actions"),
            _plural(self.counts.get("progress_updates", 0), "progress update", "progress updates"),
        ]
        return f"{', '.join(parts[:-1])} and {parts[-1]}"


class PlanImportError(ValidationError):
    """The file has row errors; nothing was written. ``preview`` holds them all."""

    def __init__(self, preview: ImportPlanPreview) -> None:
        super().__init__(preview.error_messages())
        self.preview = preview


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


# --------------------------------------------------------------------------------------------
# Checking the rows against the database (shared by preview and import)
# --------------------------------------------------------------------------------------------


@dataclass
class _Staged:
    """Unsaved model instances, linked to each other, ready to bulk create in this order."""

    plan: BusinessPlan
    priorities: list[Priority] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    updates: list[ProgressUpdate] = field(default_factory=list)
    chosen: dict[str, Group] = field(default_factory=dict)  # name key -> group, to remember


@dataclass
class _PriorityRows:
    """One priority's rows in the file; its refs are filled in by the numbering steps."""

    ref: str
    title: str
    rows: list[PlanRow] = field(default_factory=list)
    ref_generated: bool = False
    action_refs: list[str] = field(default_factory=list)  # one per row, in row order


class _Matcher:
    """Match names to the board's groups and people, by ``name_key`` (case, punctuation and
    spacing ignored): a group by its own name first, then by a name the board matched to it
    before (LeadNameMapping) or chose for this import (``chosen``, by name as written)."""

    def __init__(self, board: Board, chosen: dict[str, Group] | None = None) -> None:
        groups = list(Group.objects.for_board(board).order_by("name", "pk"))
        self.groups: dict[str, Group] = {}
        for group in groups:
            self.groups.setdefault(name_key(group.name), group)
        by_pk = {group.pk: group for group in groups}
        self.mapped: dict[str, Group] = {}
        for mapping in LeadNameMapping.objects.for_board(board).only("name", "group_id"):
            if mapping.group_id in by_pk:  # a group that has left the board is not used
                self.mapped[mapping.name] = by_pk[mapping.group_id]
        self.chosen: dict[str, Group] = {}
        for text, group in (chosen or {}).items():
            key = name_key(text)
            if key and group.pk in by_pk:  # only the board's own groups can be chosen
                self.chosen[key] = self.mapped[key] = by_pk[group.pk]
        self.people: dict[str, Person] = {}
        for person in board.people.order_by("name", "pk"):
            self.people.setdefault(name_key(person.name), person)

    def group(self, text: str) -> Group | None:
        if not text:
            return None
        key = name_key(text)
        return self.groups.get(key) or self.mapped.get(key)

    def leads(self, cell: str) -> list[tuple[str, Group | None]]:
        """Each name in a lead cell (names.split_names) with its group, or None."""
        names = split_names(cell, lambda text: self.group(text) is not None)
        return [(name.text, self.group(name.text)) for name in names]

    def person(self, text: str) -> Person | None:
        return self.people.get(name_key(text)) if text else None


class _Unmatched:
    """Unmatched names, collected so one warning lists every row that uses the same name."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], list[int]] = {}

    def add(self, what: str, text: str, row: int) -> None:
        self.rows.setdefault((what, text), []).append(row)

    def group_names(self) -> list[UnmatchedName]:
        """The names that could be one of the board's groups, each once (by name_key), in
        the order of their first row."""
        found: dict[str, tuple[str, list[int]]] = {}
        for (what, text), rows in self.rows.items():
            if what == "lead person":
                continue
            key = name_key(text)
            if not key:
                continue
            if key in found:
                found[key][1].extend(rows)
            else:
                found[key] = (text, list(rows))
        items = sorted(found.values(), key=lambda item: min(item[1]))
        return [UnmatchedName(text, _rows_text(sorted(set(rows)))) for text, rows in items]

    def warnings(self, board: Board) -> list[str]:
        where = {
            "lead": f"any of {board.short_name}'s groups",
            "key delivery mechanism": f"any of {board.short_name}'s groups",
            "lead person": f"anyone in {board.short_name}'s people",
        }
        return [
            f'{_rows_text(rows)}: {what} "{text}" does not match {where[what]}; it is kept as text.'
            for (what, text), rows in sorted(self.rows.items(), key=lambda item: item[1][0])
        ]


def _rows_text(rows: list[int], limit: int = 8) -> str:
    if len(rows) == 1:
        return f"Row {rows[0]}"
    if len(rows) > limit:
        shown = ", ".join(str(row) for row in rows[:limit])
        return f"Rows {shown} and {len(rows) - limit} more"
    return f"Rows {', '.join(str(row) for row in rows[:-1])} and {rows[-1]}"


def _validate(
    obj: Model, *, exclude: list[str], columns: dict[str, str], row: int, errors: list[RowError]
) -> None:
    """full_clean without per-row queries; problems become row errors by column."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        default = next(iter(columns.values()))
        for name, messages in exc.message_dict.items():
            column = columns.get(name, default) if name != NON_FIELD_ERRORS else default
            for message in messages:
                errors.append(RowError(row=row, column=column, message=message))


def _find_plan(board: Board, title: str, *, lock: bool = False) -> BusinessPlan | None:
    plans = BusinessPlan.objects.filter(board=board, title__iexact=title)
    if lock:
        plans = plans.select_for_update()
    return plans.order_by("pk").first()


def _new_plan(board: Board, title: str) -> BusinessPlan:
    plan = BusinessPlan(board=board, title=title, status=PlanStatus.DRAFT)
    try:
        plan.full_clean(
            exclude=["board", "strategic_plan", "rolled_forward_from"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        messages = exc.message_dict.get("title") or exc.messages
        raise ValidationError({"plan_title": messages}) from None
    return plan


def _group_rows(rows: list[PlanRow]) -> list[_PriorityRows]:
    """The file's priorities in file order, each with its rows."""
    found: dict[tuple[str, str], _PriorityRows] = {}
    for row in rows:
        if row.priority_ref:
            key = ("ref", row.priority_ref.casefold())
        else:
            key = ("title", row.priority_title.casefold())
        if key not in found:
            found[key] = _PriorityRows(ref=row.priority_ref, title=row.priority_title)
        found[key].rows.append(row)
    return list(found.values())


@dataclass
class _PlanHolds:
    """What the plan already has, in casefolded refs, and the order for its next priority."""

    priority_refs: set[str] = field(default_factory=set)
    action_refs: set[str] = field(default_factory=set)
    first_order: int = 0


def _find_or_new_plan(board: Board, title: str, *, lock: bool) -> BusinessPlan:
    """The board's plan with this title, or a new unsaved draft plan (pk None) if none.
    An archived plan is refused: it is the record of its year."""
    plan = _find_plan(board, title, lock=lock) if title else None
    if plan is None:
        plan = _new_plan(board, title)
    elif plan.is_read_only:
        raise ValidationError(
            {"plan_title": f"{plan.title} is archived and cannot change: import into a new plan."}
        )
    return plan


def _plan_holds(plan: BusinessPlan) -> _PlanHolds:
    """The refs an existing plan already uses and where its new priorities start; a new plan
    holds nothing."""
    if plan.pk is None:
        return _PlanHolds()
    priority_refs = {ref.casefold() for ref in plan.priorities.values_list("ref", flat=True)}
    action_refs = {
        ref.casefold()
        for ref in Action.objects.filter(priority__plan=plan).values_list("ref", flat=True)
    }
    return _PlanHolds(
        priority_refs=priority_refs,
        action_refs=action_refs,
        first_order=plan.priorities.next_order(),
    )


def _check_priority_refs(
    groups: list[_PriorityRows], *, taken: set[str], errors: list[RowError]
) -> None:
    """A priority ref given in the file that the plan already has is an error on its first row."""
    for group in groups:
        if group.ref and group.ref.casefold() in taken:
            errors.append(
                RowError(group.rows[0].row, "priority_ref", f"{group.ref} is already in this plan")
            )


def _number_priority_refs(groups: list[_PriorityRows], *, taken: set[str]) -> None:
    """Number the priorities without a ref 1, 2, ..., skipping refs the plan or the file uses."""
    fresh = free_refs(taken | {group.ref for group in groups if group.ref})
    for group in groups:
        if not group.ref:
            group.ref = next(fresh)
            group.ref_generated = True


def _check_action_refs(rows: list[PlanRow], *, taken: set[str], errors: list[RowError]) -> None:
    """An action ref given in the file that the plan already has is an error on its row."""
    for row in rows:
        if not row.ref_generated and row.action_ref.casefold() in taken:
            errors.append(
                RowError(row.row, "action_ref", f"{row.action_ref} is already in this plan")
            )


def _number_action_refs(groups: list[_PriorityRows], *, taken: set[str]) -> None:
    """Give every row its action ref: the ref as given, or the next "<priority ref>.<n>" that
    neither the plan nor the file uses."""
    used = set(taken)
    for group in groups:
        used.update(row.action_ref for row in group.rows if not row.ref_generated)
    for group in groups:
        fresh = free_refs(used, prefix=f"{group.ref}.")
        for row in group.rows:
            ref = row.action_ref if not row.ref_generated else next(fresh)
            used.add(ref)
            group.action_refs.append(ref)


def _build_priority(
    group: _PriorityRows,
    *,
    plan: BusinessPlan,
    order: int,
    matcher: _Matcher,
    unmatched: _Unmatched,
    errors: list[RowError],
) -> Priority:
    """The unsaved priority, from its first row, with its delivery group matched if it can be."""
    first = group.rows[0]
    delivery_group = matcher.group(first.delivery_group)
    if first.delivery_group and delivery_group is None:
        unmatched.add("key delivery mechanism", first.delivery_group, first.row)
    priority = Priority(
        plan=plan,
        ref=group.ref,
        title=group.title,
        statement=first.priority_statement,
        rationale=first.priority_rationale,
        outcome=first.priority_outcome,
        partnership_lead=first.partnership_lead,
        board_officer=first.board_officer,
        delivery_group=delivery_group,
        delivery_group_text="" if delivery_group else first.delivery_group,
        order=order,
    )
    _validate(
        priority, exclude=_PRIORITY_FKS, columns=_PRIORITY_COLUMNS, row=first.row, errors=errors
    )
    return priority


def _build_objective(
    row: PlanRow,
    *,
    priority: Priority,
    objectives: dict[str, Objective],
    errors: list[RowError],
) -> Objective | None:
    """The row's objective: one already built for this priority with the same text (ignoring
    case and spacing), else a new one added to ``objectives``; None if the row has none."""
    if not row.objective:
        return None
    key = " ".join(row.objective.split()).casefold()
    objective = objectives.get(key)
    if objective is None:
        objective = Objective(priority=priority, text=row.objective, order=len(objectives))
        _validate(
            objective,
            exclude=_OBJECTIVE_FKS,
            columns=_OBJECTIVE_COLUMNS,
            row=row.row,
            errors=errors,
        )
        objectives[key] = objective
    return objective


def _build_action(
    row: PlanRow,
    *,
    ref: str,
    priority: Priority,
    objective: Objective | None,
    order: int,
    matcher: _Matcher,
    unmatched: _Unmatched,
    errors: list[RowError],
) -> tuple[Action, list[tuple[str, Group | None]]]:
    """The unsaved action, its lead and lead person matched, and the names in its lead cell
    with their groups.

    The action has one lead group: the first name in the cell that matches a group. The
    others (other groups, by their names, and names that match nobody) are kept as its lead
    text, the "lead (as written)", with a lead person that matches nobody. When no name
    matches, the lead text is the cell as written."""
    names = matcher.leads(row.lead_cell or row.lead)
    lead_group = next((group for _, group in names if group is not None), None)
    for text, group in names:
        if group is None:
            unmatched.add("lead", text, row.row)
    lead_text = []
    if lead_group is None:
        if row.lead:
            lead_text.append(row.lead)
    else:
        seen = {lead_group.pk}
        for text, group in names:
            if group is None:
                lead_text.append(text)
            elif group.pk not in seen:
                seen.add(group.pk)
                lead_text.append(group.name)
    lead_person = matcher.person(row.lead_person)
    if row.lead_person and lead_person is None:
        unmatched.add("lead person", row.lead_person, row.row)
        lead_text.append(row.lead_person)
    action = Action(
        priority=priority,
        objective=objective,
        ref=ref,
        description=row.action,
        outcome_measure=row.outcome_measure,
        lead_group=lead_group,
        lead_text="; ".join(lead_text),
        lead_person=lead_person,
        due_date=row.due_date,
        timescale=row.timescale,
        status=row.status,
        order=order,
    )
    _validate(action, exclude=_ACTION_FKS, columns=_ACTION_COLUMNS, row=row.row, errors=errors)
    return action, names


def _progress_entries(row: PlanRow) -> list[ProgressEntry]:
    if row.updates:
        return row.updates
    return [ProgressEntry(row.progress)] if row.progress else []


def _update_time(entry: ProgressEntry, now: datetime.datetime) -> datetime.datetime:
    """When an imported update was given: noon on the last day of the period its column
    names (parse.progress_period says why), or now for a plain "Progress" column or a
    period that has not ended yet (an update is never dated in the future)."""
    if entry.ends is None or entry.ends >= timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.datetime.combine(entry.ends, datetime.time(12)))


def _build_progress_updates(
    row: PlanRow,
    *,
    action: Action,
    by: User | None,
    now: datetime.datetime,
    errors: list[RowError],
    skip: frozenset[str] = frozenset(),
) -> list[ProgressUpdate]:
    """The row's progress cells as unrated updates on the action, oldest first; none if it
    has none. ``skip`` holds texts (by _text_key) the action already has."""
    updates = []
    for entry in _progress_entries(row):
        if _text_key(entry.text) in skip:
            continue
        update = ProgressUpdate(
            action=action,
            period=None,
            text=entry.text,
            status=row.status,
            rag="",
            author=by,
            created_at=_update_time(entry, now),
        )
        _validate(
            update, exclude=_PROGRESS_FKS, columns=_PROGRESS_COLUMNS, row=row.row, errors=errors
        )
        updates.append(update)
    return updates


def _text_key(text: str) -> str:
    """Progress text compared ignoring case and spacing."""
    return " ".join(text.split()).casefold()


def _priority_preview(group: _PriorityRows, priority: Priority) -> PriorityPreview:
    """The preview of a priority, its actions still to add."""
    first = group.rows[0]
    delivery_group = priority.delivery_group
    return PriorityPreview(
        row=first.row,
        ref=priority.ref,
        ref_generated=group.ref_generated,
        title=priority.title,
        delivery_group=delivery_group.name if delivery_group else first.delivery_group,
        delivery_group_matched=delivery_group is not None or not first.delivery_group,
    )


def _action_preview(
    row: PlanRow,
    action: Action,
    names: list[tuple[str, Group | None]],
    updates: list[ProgressUpdate],
    now: datetime.datetime,
) -> ActionPreview:
    """The preview of one action row: matched names as the board has them, others as
    written; updates dated ``now`` are shown as given on the day of the import."""
    lead_group = action.lead_group
    lead_person = action.lead_person
    return ActionPreview(
        row=row.row,
        ref=action.ref,
        description=row.action,
        outcome_measure=row.outcome_measure,
        lead=lead_group.name if lead_group else row.lead,
        lead_matched=all(group is not None for _, group in names),
        leads=[(group.name if group else text, group is not None) for text, group in names],
        updates=[(_given_on(update, now), update.text) for update in updates],
        lead_person=lead_person.name if lead_person else row.lead_person,
        lead_person_matched=lead_person is not None or not row.lead_person,
        due_date=row.due_date,
        timescale=row.timescale,
        status=row.status,
        objective=row.objective,
        progress=row.progress,
    )


def _given_on(update: ProgressUpdate, now: datetime.datetime) -> datetime.date | None:
    """The day an update is dated, or None for one given on the day of the import."""
    return None if update.created_at == now else timezone.localdate(update.created_at)


def _build_records(
    groups: list[_PriorityRows],
    *,
    staged: _Staged,
    preview: ImportPlanPreview,
    first_order: int,
    matcher: _Matcher,
    unmatched: _Unmatched,
    by: User | None,
) -> None:
    """Build every priority with its objectives, actions and progress updates into ``staged``,
    and its preview rows into ``preview``, in file order."""
    errors = preview.errors
    now = timezone.now()
    for index, group in enumerate(groups):
        priority = _build_priority(
            group,
            plan=staged.plan,
            order=first_order + index,
            matcher=matcher,
            unmatched=unmatched,
            errors=errors,
        )
        staged.priorities.append(priority)
        priority_preview = _priority_preview(group, priority)
        preview.priorities.append(priority_preview)
        objectives: dict[str, Objective] = {}
        for position, (row, ref) in enumerate(zip(group.rows, group.action_refs, strict=True)):
            objective = _build_objective(
                row, priority=priority, objectives=objectives, errors=errors
            )
            action, names = _build_action(
                row,
                ref=ref,
                priority=priority,
                objective=objective,
                order=position,
                matcher=matcher,
                unmatched=unmatched,
                errors=errors,
            )
            staged.actions.append(action)
            updates = _build_progress_updates(row, action=action, by=by, now=now, errors=errors)
            staged.updates.extend(updates)
            priority_preview.actions.append(_action_preview(row, action, names, updates, now))
        staged.objectives.extend(objectives.values())


def _counts(staged: _Staged) -> dict[str, int]:
    """How many records of each kind the import creates (the plan itself not counted)."""
    return {
        "priorities": len(staged.priorities),
        "objectives": len(staged.objectives),
        "actions": len(staged.actions),
        "progress_updates": len(staged.updates),
    }


def _stage(
    *,
    board: Board,
    plan_title: str,
    data: bytes,
    filename: str,
    by: User | None = None,
    lock: bool = False,
    lead_mappings: dict[str, Group] | None = None,
) -> tuple[ImportPlanPreview, _Staged]:
    """Parse the file and build every record unsaved, with all problems as row errors."""
    plan_title = " ".join(plan_title.split())
    parsed = parse_plan(data, filename)  # ImportFileError propagates
    plan = _find_or_new_plan(board, plan_title, lock=lock)
    holds = _plan_holds(plan)
    preview = ImportPlanPreview(
        plan_title=plan.title,
        plan_exists=plan.pk is not None,
        errors=list(parsed.errors),
        warnings=list(parsed.warnings),
        columns=dict(parsed.columns),
        progress_columns=list(parsed.progress_columns),
    )
    matcher = _Matcher(board, lead_mappings)
    staged = _Staged(plan=plan, chosen=matcher.chosen)
    unmatched = _Unmatched()

    groups = _group_rows(parsed.rows)
    _check_priority_refs(groups, taken=holds.priority_refs, errors=preview.errors)
    _number_priority_refs(groups, taken=holds.priority_refs)
    _check_action_refs(parsed.rows, taken=holds.action_refs, errors=preview.errors)
    _number_action_refs(groups, taken=holds.action_refs)
    _build_records(
        groups,
        staged=staged,
        preview=preview,
        first_order=holds.first_order,
        matcher=matcher,
        unmatched=unmatched,
        by=by,
    )

    preview.warnings.extend(unmatched.warnings(board))
    preview.unmatched_names = unmatched.group_names()
    preview.errors.sort(key=lambda error: error.row)
    preview.counts = _counts(staged)
    return preview, staged


def _remember_mappings(board: Board, chosen: dict[str, Group], by: User | None) -> None:
    """Keep the groups chosen in the preview for names that matched none (by name key), so
    the board's later imports match those names by themselves."""
    if not chosen:
        return
    existing = {
        mapping.name: mapping
        for mapping in LeadNameMapping.objects.filter(board=board, name__in=list(chosen))
    }
    for key, group in chosen.items():
        mapping = existing.get(key) or LeadNameMapping(board=board, name=key)
        if mapping.pk is not None and mapping.group_id == group.pk:
            continue
        mapping.group = group
        if by is not None:
            mapping._history_user = by
        mapping.full_clean(exclude=["board", "group"], validate_constraints=False)
        mapping.save()


# --------------------------------------------------------------------------------------------
# The two entry points
# --------------------------------------------------------------------------------------------


def preview_plan_import(
    *,
    board: Board,
    plan_title: str,
    data: bytes,
    filename: str,
    lead_mappings: dict[str, Group] | None = None,
) -> ImportPlanPreview:
    """What importing the file would create, and every problem and warning. Writes nothing.

    ``lead_mappings`` maps names as written in the file to the board's groups chosen for
    them (names that match no group by themselves).

    Raises ImportFileError for a problem with the whole file, and ValidationError (keyed
    "plan_title") for an unusable plan title. Row problems are in ``preview.errors``.
    """
    preview, _ = _stage(
        board=board,
        plan_title=plan_title,
        data=data,
        filename=filename,
        lead_mappings=lead_mappings,
    )
    return preview


def create_staged(staged, *, board: Board, by: User | None) -> None:
    """Write what a staged file adds, parents first and each with its history, and remember
    the groups chosen for unmatched names: the last step of an import and of an update."""
    bulk_create_with_history(staged.priorities, Priority, default_user=by)
    bulk_create_with_history(staged.objectives, Objective, default_user=by)
    bulk_create_with_history(staged.actions, Action, default_user=by)
    bulk_create_with_history(staged.updates, ProgressUpdate, default_user=by)
    _remember_mappings(board, staged.chosen, by)


@transaction.atomic
def import_plan(
    *,
    board: Board,
    plan_title: str,
    data: bytes,
    filename: str,
    by: User | None = None,
    lead_mappings: dict[str, Group] | None = None,
) -> ImportPlanPreview:
    """Import the file into the board's plan called ``plan_title`` (a new draft plan if there
    is none): all of it, or nothing. The groups chosen in ``lead_mappings`` (as for
    preview_plan_import) are remembered for the board's later imports.

    Raises ImportFileError for a problem with the whole file, PlanImportError (a
    ValidationError whose messages are "Row 5, due_date: ...") if any row has a problem, and
    ValidationError for an unusable plan title. Returns the preview with ``plan`` set.
    """
    preview, staged = _stage(
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
    plan = staged.plan
    try:
        with transaction.atomic():
            if plan.pk is None:
                if by is not None:
                    plan._history_user = by
                plan.save()
            create_staged(staged, board=board, by=by)
    except IntegrityError:
        # Someone added the same refs (or created the plan) while this import was checked.
        raise ValidationError(
            f"{plan.title} was changed while the file was being imported. Nothing was "
            "imported; try again."
        ) from None
    preview.plan = plan
    return preview
