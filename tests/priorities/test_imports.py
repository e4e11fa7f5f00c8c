"""The plan import service (priorities.plan_import.stage): checks against the database, then writes
everything or nothing, with history."""

import csv
import io
import math
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import AutoField
from openpyxl import Workbook

from priorities.models import Action, BusinessPlan, Objective, PlanStatus, Priority, ProgressUpdate
from priorities.plan_import.parse import ImportFileError, parse_plan
from priorities.plan_import.stage import PlanImportError, import_plan, preview_plan_import
from tests.factories import (
    ActionFactory,
    BusinessPlanFactory,
    GroupFactory,
    PersonFactory,
    PriorityFactory,
)

DATA = Path(__file__).resolve().parent.parent / "data"
SEED_FILES = ["lr-business-plan-2014-15.csv", "lrsab-business-plan-2019-20.csv"]
HEADER = ["Priority ref", "Priority", "Objective", "Ref", "Action", "Measure", "Who will lead?"]
HEADER += ["Due date", "Timescale", "Status", "Progress"]


def make_csv(*rows: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode()


def row(
    action: str,
    *,
    priority_ref: str = "",
    priority: str = "",
    objective: str = "",
    ref: str = "",
    measure: str = "",
    lead: str = "",
    due: str = "",
    timescale: str = "",
    status: str = "",
    progress: str = "",
) -> list[str]:
    values = [priority_ref, priority, objective, ref, action, measure, lead, due, timescale]
    return [*values, status, progress]


def run_import(board, *rows, title="Business Plan 2026/27", by=None):
    return import_plan(
        board=board, plan_title=title, data=make_csv(HEADER, *rows), filename="plan.csv", by=by
    )


def counts() -> tuple[int, int, int, int, int]:
    return (
        BusinessPlan.objects.count(),
        Priority.objects.count(),
        Objective.objects.count(),
        Action.objects.count(),
        ProgressUpdate.objects.count(),
    )


# --------------------------------------------------------------------------------------------
# The real plans
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_plans_import_every_priority_and_action(board, manager, name):
    data = (DATA / name).read_bytes()
    parsed = parse_plan(data, name)
    assert parsed.rows and not parsed.errors

    result = import_plan(board=board, plan_title="Imported", data=data, filename=name, by=manager)

    plan = BusinessPlan.objects.get(board=board, title="Imported")
    assert result.plan == plan
    assert plan.status == PlanStatus.DRAFT
    refs = {(r.priority_ref, r.priority_title) for r in parsed.rows}
    assert plan.priorities.count() == len(refs) == result.counts["priorities"]
    actions = {a.description: a for a in Action.objects.filter(priority__plan=plan)}
    assert len(actions) == len(parsed.rows) == result.counts["actions"]
    for parsed_row in parsed.rows:
        action = actions[parsed_row.action]
        assert action.timescale == parsed_row.timescale
        assert action.outcome_measure == parsed_row.outcome_measure
        assert action.due_date == parsed_row.due_date
        if parsed_row.lead:  # one action in the 2019/20 plan names no lead
            assert action.lead_group_id or action.lead_text == parsed_row.lead
        assert action.timescale and action.outcome_measure


def test_seed_plan_leads_match_the_boards_groups(board):
    procedures = GroupFactory(name="Procedures Subgroup", boards=[board])
    GroupFactory(name="Procedures Subgroup", boards=[BusinessPlanFactory().board])  # elsewhere
    name = "lrsab-business-plan-2019-20.csv"

    result = import_plan(
        board=board, plan_title="2019/20", data=(DATA / name).read_bytes(), filename=name
    )

    plan = result.plan
    led = Action.objects.filter(priority__plan=plan, lead_group=procedures)
    assert led.count() == 8
    assert not led.exclude(lead_text="").exists()
    assert Priority.objects.get(plan=plan, ref="SAB1").delivery_group == procedures
    transitions = Priority.objects.get(plan=plan, ref="SAB4")
    assert transitions.delivery_group is None
    assert transitions.delivery_group_text == "LLR Transitions Subgroup"
    assert any('"LLR Transitions Subgroup" does not match' in w for w in result.warnings)
    parsed = parse_plan((DATA / name).read_bytes(), name).rows
    distinct = {(r.priority_ref, r.objective) for r in parsed if r.objective}
    assert Objective.objects.filter(priority__plan=plan).count() == len(distinct) == 9
    for action in Action.objects.filter(priority__plan=plan).select_related("objective"):
        source = next(r for r in parsed if r.action == action.description)
        assert action.objective.text == source.objective


# --------------------------------------------------------------------------------------------
# Leads
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lead",
    [
        "Performance Sub-Group",
        "performance  sub-group.",
        " PERFORMANCE SUB-GROUP; ",
        '"Performance sub-group"',
    ],
)
def test_lead_matches_a_group_ignoring_case_spacing_and_punctuation(board, lead):
    group = GroupFactory(name="Performance Sub-Group", boards=[board])

    result = run_import(board, row("Audit", priority="Assurance", lead=lead))

    action = Action.objects.get()
    assert action.lead_group == group
    assert action.lead_text == ""
    assert result.warnings == []
    assert result.priorities[0].actions[0].lead_matched


def test_unknown_lead_is_kept_as_text_with_a_warning(board):
    GroupFactory(name="Executive Group", boards=[board])

    result = run_import(
        board,
        row("Audit", priority="Assurance", lead="Executive grp"),
        row("Survey", lead="Executive grp"),
    )

    assert [a.lead_text for a in Action.objects.order_by("order")] == ["Executive grp"] * 2
    assert not Action.objects.filter(lead_group__isnull=False).exists()
    assert result.warnings == [
        'Rows 2 and 3: lead "Executive grp" does not match any of LSAB\'s groups; '
        "it is kept as text."
    ]
    assert not result.priorities[0].actions[0].lead_matched


def test_a_group_of_another_board_is_not_matched(board, other_board):
    GroupFactory(name="Executive Group", boards=[other_board])

    run_import(board, row("Audit", priority="Assurance", lead="Executive Group"))

    action = Action.objects.get()
    assert action.lead_group is None
    assert action.lead_text == "Executive Group"


def test_lead_person_matches_the_boards_people(board):
    person = PersonFactory(name="Jo Bloggs")
    person.boards.add(board)
    header = ["Priority", "Action", "Lead person"]
    data = make_csv(header, ["Assurance", "Audit", "jo  bloggs"], ["", "Survey", "Sam Smith"])

    result = import_plan(board=board, plan_title="Plan", data=data, filename="plan.csv")

    audit, survey = Action.objects.order_by("order")
    assert audit.lead_person == person
    assert survey.lead_person is None
    assert survey.lead_text == "Sam Smith"
    assert any('lead person "Sam Smith" does not match' in w for w in result.warnings)


# --------------------------------------------------------------------------------------------
# All or nothing
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "messages"),
    [
        pytest.param(
            [
                row("Audit", priority="Assurance", due="31/03/2027"),
                row("Survey", due="31/02/2027"),
            ],
            ["Row 3, due_date: 31/02/2027 is not a real date"],
            id="a-bad-date-writes-nothing-not-even-the-plan",
        ),
        pytest.param(
            [row("Audit", priority="Assurance", ref="1.1"), row("Survey", ref="1.1")],
            ["Row 3, action_ref: 1.1 is also used on row 2"],
            id="duplicate-refs",
        ),
        pytest.param(
            [row("Audit", priority="Assurance", ref="x" * 21)],
            ["Row 2, action_ref: Ensure this value has at most 20 characters (it has 21)."],
            id="model-validation-errors-are-row-errors",
        ),
    ],
)
def test_a_row_problem_writes_nothing(board, rows, messages):
    with pytest.raises(PlanImportError) as caught:
        run_import(board, *rows)

    assert caught.value.messages == messages
    assert counts() == (0, 0, 0, 0, 0)


def test_preview_writes_nothing_and_shows_the_same_errors(board, django_assert_max_num_queries):
    data = make_csv(HEADER, row("Audit", priority="Assurance"), row("Survey", status="Maybe"))

    with django_assert_max_num_queries(4):
        preview = preview_plan_import(board=board, plan_title="Plan", data=data, filename="a.csv")

    assert not preview.is_valid
    assert preview.error_messages()[0].startswith('Row 3, status: "Maybe" is not a status')
    assert preview.error_table()[0][:2] == (3, "Status")
    assert preview.counts == {"priorities": 1, "objectives": 0, "actions": 1, "progress_updates": 0}
    assert not preview.plan_exists
    assert counts() == (0, 0, 0, 0, 0)


def test_whole_file_problems_raise_import_file_error(board):
    with pytest.raises(ImportFileError):
        import_plan(board=board, plan_title="Plan", data=b"%PDF-1.4", filename="plan.pdf")
    assert counts() == (0, 0, 0, 0, 0)


def test_an_archived_plan_takes_no_import(board):
    BusinessPlanFactory(board=board, title="Business Plan 2014/15", status=PlanStatus.ARCHIVED)
    with pytest.raises(ValidationError) as caught:
        run_import(board, row("Audit", priority="Assurance"), title="Business Plan 2014/15")
    assert caught.value.message_dict["plan_title"] == [
        "Business Plan 2014/15 is archived and cannot change: import into a new plan."
    ]
    assert Priority.objects.count() == 0


def test_a_plan_title_is_required(board):
    with pytest.raises(ValidationError) as caught:
        run_import(board, row("Audit", priority="Assurance"), title="  ")
    assert "plan_title" in caught.value.message_dict
    assert counts() == (0, 0, 0, 0, 0)


# --------------------------------------------------------------------------------------------
# Adding to an existing plan
# --------------------------------------------------------------------------------------------


def test_existing_plan_gains_the_new_priorities_after_its_own(board):
    plan = BusinessPlanFactory(board=board, title="Business Plan 2026/27", status="approved")
    PriorityFactory(plan=plan, ref="1", order=0)
    PriorityFactory(plan=plan, ref="2", order=1)

    result = run_import(board, row("Audit", priority="Assurance"), title="business plan 2026/27")

    assert result.plan_exists
    assert result.plan == plan
    assert BusinessPlan.objects.count() == 1
    new = Priority.objects.get(plan=plan, title="Assurance")
    assert new.ref == "3"  # numbered after the plan's own refs
    assert new.order == 2
    assert plan.status == "approved"


def test_existing_plan_clashing_refs_are_row_errors(board):
    plan = BusinessPlanFactory(board=board, title="Business Plan 2026/27")
    ActionFactory(priority=PriorityFactory(plan=plan, ref="2b"), ref="2b.1")
    before = counts()

    with pytest.raises(PlanImportError) as caught:
        run_import(
            board,
            row("Audit", priority_ref="2b", priority="Assurance"),
            row("Survey", priority_ref="3", priority="Engagement", ref="2b.1"),
        )

    assert caught.value.messages == [
        "Row 2, priority_ref: 2b is already in this plan",
        "Row 3, action_ref: 2b.1 is already in this plan",
    ]
    assert counts() == before


# --------------------------------------------------------------------------------------------
# Refs, objectives, progress, order
# --------------------------------------------------------------------------------------------


def test_generated_refs(board):
    result = run_import(
        board,
        row("Audit", priority="Assurance"),
        row("Survey"),
        row("Campaign", priority="Engagement"),
        row("Guides", priority_ref="1", priority="Prevention"),  # "1" is taken: numbering skips it
        row("Training", priority_ref="4b", priority="Learning"),
        row("Events", ref="4b.1"),
        row("Competencies"),
    )

    refs = list(Action.objects.order_by("priority__order", "order").values_list("ref", flat=True))
    assert list(Priority.objects.order_by("order").values_list("ref", flat=True)) == [
        "2",
        "3",
        "1",
        "4b",
    ]
    assert refs == ["2.1", "2.2", "3.1", "1.1", "4b.2", "4b.1", "4b.3"]
    assert [p.ref_generated for p in result.priorities] == [True, True, False, False]
    assert [a.ref for a in result.priorities[0].actions] == ["2.1", "2.2"]


def test_objectives_are_created_once_and_linked(board):
    run_import(
        board,
        row("Audit", priority="Assurance", objective="Know how well we do"),
        row("Survey", objective="Hear from people"),
        row("Dataset"),  # the objective carries down
        row("Report", objective="know how  well we do"),  # the first objective again
        row("Campaign", priority="Engagement"),  # a new priority: no objective
    )

    assurance = Priority.objects.get(title="Assurance")
    first, second = assurance.objectives.order_by("order")
    assert (first.text, first.order, second.text, second.order) == (
        "Know how well we do",
        0,
        "Hear from people",
        1,
    )
    by_description = {a.description: a for a in Action.objects.all()}
    assert by_description["Audit"].objective == first
    assert by_description["Survey"].objective == second
    assert by_description["Dataset"].objective == second
    assert by_description["Report"].objective == first
    assert by_description["Campaign"].objective is None
    assert Objective.objects.count() == 2


def test_progress_becomes_an_update_without_a_rating(board, manager):
    run_import(
        board,
        row("Audit", priority="Assurance", status="Ongoing", progress="Audit tool agreed"),
        row("Survey"),
        by=manager,
    )

    update = ProgressUpdate.objects.get()
    assert update.action.description == "Audit"
    assert (update.text, update.status, update.rag) == ("Audit tool agreed", "in_progress", "")
    assert update.author == manager
    assert update.period is None
    assert update.action.status == "in_progress"
    assert Action.objects.get(description="Survey").status == "not_started"


def test_priority_fields_and_order_follow_the_file(board):
    header = ["Priority", "Priority statement", "Rationale", "What do we want to be different?"]
    header += ["Partnership lead", "Board officer", "Key delivery mechanism", "Action"]
    data = make_csv(
        header,
        ["Assurance", "We know", "Audits", "Confidence", "Police", "Manager", "Nobody", "Audit"],
        ["", "", "", "", "", "", "", "Survey"],
        ["Engagement", "", "", "", "", "", "", "Campaign"],
    )

    import_plan(board=board, plan_title="Plan", data=data, filename="plan.csv")

    assurance, engagement = Priority.objects.order_by("order")
    assert (assurance.title, assurance.order, engagement.title, engagement.order) == (
        "Assurance",
        0,
        "Engagement",
        1,
    )
    assert assurance.statement == "We know"
    assert assurance.rationale == "Audits"
    assert assurance.outcome == "Confidence"
    assert assurance.partnership_lead == "Police"
    assert assurance.board_officer == "Manager"
    assert assurance.delivery_group is None
    assert assurance.delivery_group_text == "Nobody"
    assert [(a.description, a.order) for a in assurance.actions.order_by("order")] == [
        ("Audit", 0),
        ("Survey", 1),
    ]


# --------------------------------------------------------------------------------------------
# History and scale
# --------------------------------------------------------------------------------------------


def test_history_rows_are_written_for_everything(board, manager):
    run_import(
        board,
        row("Audit", priority="Assurance", objective="Know", progress="Started"),
        row("Survey"),
        by=manager,
    )

    assert Action.history.count() == 2
    assert set(Action.history.values_list("history_type", flat=True)) == {"+"}
    assert set(Action.history.values_list("history_user", flat=True)) == {manager.pk}
    assert Priority.history.count() == 1
    assert Objective.history.count() == 1
    assert ProgressUpdate.history.count() == 1
    assert BusinessPlan.history.get().history_user == manager


def big_plan(actions: int) -> bytes:
    rows = []
    for n in range(actions):
        priority = n // (actions // 10)  # always ten priorities
        rows.append(
            row(
                f"Action number {n}",
                priority=f"Priority {priority}" if n % (actions // 10) == 0 else "",
                objective=f"Objective {priority}",
                lead="Performance Sub-Group" if n % 2 else "Somebody else",
                due="31/03/2027",
                status="In progress",
                progress="Going well" if n % 3 == 0 else "",
            )
        )
    return make_csv(HEADER, *rows)


def insert_batches(model, count: int) -> int:
    """How many INSERT statements bulk_create needs for ``count`` new rows of ``model``: one
    on PostgreSQL; on SQLite, Django caps each statement at 999 parameters."""
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, AutoField)]
    size = max(connection.ops.bulk_batch_size(fields, [None] * count), 1)
    return math.ceil(count / size)


@pytest.mark.parametrize("size", [200, 2000])
def test_large_imports_take_a_constant_number_of_queries(
    board, manager, size, django_assert_max_num_queries
):
    """A 2,000-row plan must not cost a query per row: the reads happen once and records and
    their history are bulk created. The only growth allowed is the database's own limit on
    one INSERT statement (none on PostgreSQL, so the bound is constant there)."""
    GroupFactory(name="Performance Sub-Group", boards=[board])
    data = big_plan(size)
    updates = len(range(0, size, 3))
    batches = sum(
        insert_batches(model, count)
        for model, count in [
            (Action, size),
            (Action.history.model, size),
            (ProgressUpdate, updates),
            (ProgressUpdate.history.model, updates),
        ]
    )

    with django_assert_max_num_queries(15 + batches):
        result = import_plan(
            board=board, plan_title="Big plan", data=data, filename="big.csv", by=manager
        )

    assert result.counts["actions"] == size
    assert Action.objects.filter(priority__plan=result.plan).count() == size
    assert Action.history.count() == size
    assert Priority.objects.count() == 10
    assert ProgressUpdate.objects.count() == ProgressUpdate.history.count() == updates
    assert Action.objects.filter(lead_group__isnull=False).count() == size // 2


def test_an_xlsx_file_imports(board):
    group = GroupFactory(name="Training Sub-Group", boards=[board])
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Leicester SAB Business Plan"])  # a title row above the headings
    sheet.append(["Priority ref", "Priority", "Action", "Who will lead?", "Due date", "Status"])
    sheet.append(["1", "Learning", "Run VARM workshops", "Training Sub-Group", None, "Done"])
    sheet.append([None, None, "Review competencies", "training sub-group", "30/09/2026", None])
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = import_plan(
        board=board, plan_title="Plan", data=buffer.getvalue(), filename="Plan.XLSX"
    )

    assert result.counts["actions"] == 2
    workshops, competencies = Action.objects.order_by("order")
    assert (workshops.ref, workshops.status, workshops.lead_group) == ("1.1", "complete", group)
    assert competencies.lead_group == group
    assert str(competencies.due_date) == "2026-09-30"
