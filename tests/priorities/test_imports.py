"""The plan import service (priorities.plan_import.stage): checks against the database, then writes
everything or nothing, with history."""

import csv
import datetime
import io
import math
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import AutoField
from django.utils import timezone
from openpyxl import Workbook

from priorities.models import (
    Action,
    BusinessPlan,
    LeadNameMapping,
    Objective,
    PlanStatus,
    Priority,
    ProgressUpdate,
)
from priorities.plan_import.parse import ImportFileError, parse_plan
from priorities.plan_import.stage import (
    PlanImportError,
    UnmatchedName,
    import_plan,
    preview_plan_import,
)
from priorities.plan_import.update import FieldChange, preview_plan_update, update_plan
from tests.factories import (
    ActionFactory,
    BusinessPlanFactory,
    GroupFactory,
    PersonFactory,
    PriorityFactory,
    ProgressUpdateFactory,
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


def run_import(board, *rows, title="Business Plan 2026/27", by=None, lead_mappings=None):
    return import_plan(
        board=board,
        plan_title=title,
        data=make_csv(HEADER, *rows),
        filename="plan.csv",
        by=by,
        lead_mappings=lead_mappings,
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


# --------------------------------------------------------------------------------------------
# Plans as boards write them: a Word table pasted into a sheet
# --------------------------------------------------------------------------------------------

WORD_TABLE = "word-table-business-plan-2023-24.csv"


@pytest.fixture
def partner_groups(board):
    names = [
        "Police",
        "ASC",
        "Health",
        "Performance and Quality Sub-Group",
        "Quality Assurance Subgroup",
        "Learning and Development Subgroup",
    ]
    return {name: GroupFactory(name=name, boards=[board]) for name in names}


def test_a_word_table_plan_imports_with_its_leads_and_each_years_progress(
    board, manager, partner_groups
):
    data = (DATA / WORD_TABLE).read_bytes()

    result = import_plan(
        board=board, plan_title="2023/24", data=data, filename=WORD_TABLE, by=manager
    )

    assert result.errors == []
    plan = result.plan
    assert list(plan.priorities.order_by("order").values_list("ref", "title")) == [
        ("1", "Prevention"),
        ("2", "Making Safeguarding Personal"),
    ]
    actions = {a.ref: a for a in Action.objects.filter(priority__plan=plan)}
    assert sorted(actions) == ["1.1", "1.2", "1.3", "2.1", "2.2"]
    leads = {ref: (a.lead_group and a.lead_group.name, a.lead_text) for ref, a in actions.items()}
    assert leads == {
        "1.1": ("Police", "ASC"),
        "1.2": ("Performance and Quality Sub-Group", ""),  # "&" and "Sub Group" still match
        "1.3": ("Police", "ASC; Health"),
        "2.1": ("Quality Assurance Subgroup", "Learning and Development Subgroup"),
        "2.2": (None, "Comms group"),
    }
    assert (actions["1.2"].due_date, actions["1.2"].timescale) == (
        datetime.date(2024, 3, 31),
        "March 2024",
    )
    updates = actions["1.1"].updates.order_by("created_at")
    assert [(timezone.localdate(u.created_at), u.text) for u in updates] == [
        (datetime.date(2023, 3, 31), "Briefings drafted with partners"),
        (datetime.date(2024, 3, 31), "Briefing published; 120 practitioners attended"),
    ]
    assert {u.author for u in updates} == {manager}
    assert result.counts["progress_updates"] == ProgressUpdate.objects.count() == 6
    assert result.warnings == [
        'Row 8: lead "Comms group" does not match any of LSAB\'s groups; it is kept as text.'
    ]
    assert result.unmatched_names == [UnmatchedName("Comms group", "Row 8")]


def test_several_owners_the_first_matched_leads_and_the_rest_are_kept_as_text(board):
    police = GroupFactory(name="Police", boards=[board])
    health = GroupFactory(name="Health", boards=[board])

    result = run_import(
        board,
        row("Audit", priority="Assurance", lead="Trading Standards / Police, Health"),
        row("Survey", lead="Nobody / Somebody"),
        row("Report", lead="Health\nPolice\nHealth"),
    )

    audit, survey, report = Action.objects.order_by("order")
    assert (audit.lead_group, audit.lead_text) == (police, "Trading Standards; Health")
    assert audit.lead_display == "Police"
    assert (survey.lead_group, survey.lead_text) == (None, "Nobody / Somebody")  # as written
    assert (report.lead_group, report.lead_text) == (health, "Police")  # each group once
    first = result.priorities[0].actions[0]
    assert first.leads == [("Trading Standards", False), ("Police", True), ("Health", True)]
    assert not first.lead_matched
    assert [name.name for name in result.unmatched_names] == [
        "Trading Standards",
        "Nobody",
        "Somebody",
    ]


def test_lead_names_match_ignoring_punctuation_and_spacing_inside_them(board):
    group = GroupFactory(name="Performance and Quality Sub-Group", boards=[board])

    run_import(board, row("Audit", priority="Assurance", lead="Performance & Quality Sub Group"))

    assert Action.objects.get().lead_group == group


def test_an_update_for_a_period_not_over_yet_is_dated_today(board):
    next_year = timezone.localdate().year + 1
    header = ["Priority", "Action", f"{next_year} update", "Progress"]
    data = make_csv(header, ["Assurance", "Audit", "Planned", "Started"])

    before = timezone.now()
    import_plan(board=board, plan_title="Plan", data=data, filename="plan.csv")

    planned, started = ProgressUpdate.objects.order_by("pk")
    assert planned.text == "Planned" and started.text == "Started"
    assert planned.created_at >= before  # never dated in the future
    assert started.created_at >= before
    assert ProgressUpdate.objects.order_by("-created_at", "-pk").first() == started


# --------------------------------------------------------------------------------------------
# Names matched to groups by hand, remembered for the board
# --------------------------------------------------------------------------------------------


def test_chosen_groups_are_used_and_remembered_for_the_next_import(board, manager):
    group = GroupFactory(name="Communications and Engagement Subgroup", boards=[board])

    preview = preview_plan_import(
        board=board,
        plan_title="Plan",
        data=make_csv(HEADER, row("Audit", priority="Assurance", lead="Comms group")),
        filename="plan.csv",
        lead_mappings={"Comms group": group},
    )
    assert preview.unmatched_names == []
    assert not LeadNameMapping.objects.exists()  # a preview saves nothing

    run_import(
        board,
        row("Audit", priority="Assurance", lead="Comms group"),
        lead_mappings={"Comms group": group},
        by=manager,
    )

    mapping = LeadNameMapping.objects.get()
    assert (mapping.board, mapping.name, mapping.group) == (board, "commsgroup", group)
    assert mapping.history.get().history_user == manager
    assert Action.objects.get().lead_group == group

    later = run_import(
        board, row("Survey", priority="Engagement", lead="COMMS GROUP."), title="Next plan"
    )
    assert later.warnings == []
    assert Action.objects.get(description="Survey").lead_group == group


def test_a_remembered_name_can_be_matched_to_another_group(board):
    old = GroupFactory(name="Old Group", boards=[board])
    new = GroupFactory(name="New Group", boards=[board])
    LeadNameMapping.objects.create(board=board, name="comms", group=old)

    run_import(
        board, row("Audit", priority="Assurance", lead="Comms"), lead_mappings={"Comms": new}
    )

    assert LeadNameMapping.objects.get().group == new
    assert Action.objects.get().lead_group == new


def test_mappings_and_groups_of_another_board_are_never_used(board, other_board):
    elsewhere = GroupFactory(name="Elsewhere", boards=[other_board])
    LeadNameMapping.objects.create(board=other_board, name="comms", group=elsewhere)
    mine = GroupFactory(name="Mine", boards=[board])
    LeadNameMapping.objects.create(board=board, name="left", group=elsewhere)  # left the board

    result = run_import(
        board,
        row("Audit", priority="Assurance", lead="Comms"),
        row("Survey", lead="Left"),
        row("Report", lead="Chosen"),
        lead_mappings={"Chosen": elsewhere},  # not one of this board's groups
    )

    assert not Action.objects.filter(lead_group__isnull=False).exists()
    assert [name.name for name in result.unmatched_names] == ["Comms", "Left", "Chosen"]
    assert set(LeadNameMapping.objects.values_list("board", "name")) == {
        (other_board.pk, "comms"),
        (board.pk, "left"),
    }
    assert mine.actions_led.count() == 0


def test_lead_name_mappings_are_scoped_to_their_board(board, other_board, manager):
    group = GroupFactory(boards=[board])
    mine = LeadNameMapping.objects.create(board=board, name="comms", group=group)
    LeadNameMapping.objects.create(board=other_board, name="comms", group=group)

    assert list(LeadNameMapping.objects.for_board(board)) == [mine]
    assert list(LeadNameMapping.objects.visible_to(manager)) == [mine]
    clash = LeadNameMapping(board=board, name="comms", group=group)
    with pytest.raises(ValidationError) as caught:
        clash.full_clean()
    assert caught.value.message_dict == {"name": ["comms is already matched to a group."]}


# --------------------------------------------------------------------------------------------
# Re-importing a sheet into an existing plan: update actions by ref
# --------------------------------------------------------------------------------------------


@pytest.fixture
def existing_plan(board):
    """A plan with priority 1 (actions 1.1 and 1.2) and priority 2 (action 2.1)."""
    plan = BusinessPlanFactory(board=board, title="Business Plan 2026/27", status="approved")
    first = PriorityFactory(plan=plan, ref="1", title="Assurance", order=0)
    second = PriorityFactory(plan=plan, ref="2", title="Engagement", order=1)
    ActionFactory(
        priority=first,
        ref="1.1",
        description="Audit",
        timescale="June",
        due_date=datetime.date(2026, 6, 30),
        status="not_started",
        order=0,
    )
    ActionFactory(priority=first, ref="1.2", description="Survey", order=1)
    ActionFactory(priority=second, ref="2.1", description="Campaign", order=0)
    return plan


def run_update(board, *rows, title="Business Plan 2026/27", by=None, preview=False, **kwargs):
    function = preview_plan_update if preview else update_plan
    extra = {} if preview else {"by": by}
    return function(
        board=board,
        plan_title=title,
        data=make_csv(HEADER, *rows),
        filename="plan.csv",
        **extra,
        **kwargs,
    )


def test_the_update_preview_lists_each_change_field_by_field_and_writes_nothing(
    board, existing_plan
):
    group = GroupFactory(name="Quality Subgroup", boards=[board])
    before = counts()

    preview = run_update(
        board,
        row("Audit (multi-agency)", priority_ref="1", ref="1.1", lead="Quality Subgroup",
            due="30/09/2026", status="In progress", progress="Tool agreed"),
        row("Survey", ref="1.2"),  # the same as the plan: unchanged
        row("Newsletter", ref="1.3"),  # a new action in priority 1
        row("Training", priority_ref="3", priority="Learning"),  # a new priority
        preview=True,
    )  # fmt: skip

    assert preview.is_valid
    [change] = preview.changed
    assert (change.row, change.ref) == (2, "1.1")
    assert change.changes == [
        FieldChange("Action", "Audit", "Audit (multi-agency)"),
        FieldChange("Lead group", "", group.name),
        FieldChange("Due date", "30 June 2026", "30 September 2026"),
        FieldChange("Status", "Not started", "In progress"),
    ]
    assert change.updates == [(None, "Tool agreed")]
    assert preview.unchanged == 1
    assert [(p.ref, p.is_new, [a.ref for a in p.actions]) for p in preview.priorities] == [
        ("1", False, ["1.3"]),
        ("3", True, ["3.1"]),
    ]
    assert preview.counts == {
        "priorities": 1,
        "objectives": 0,
        "actions": 2,
        "progress_updates": 1,
        "changed_actions": 1,
        "unchanged_actions": 1,
    }
    assert preview.summary() == (
        "1 action changed; 2 actions, 1 priority, 0 objectives and 1 progress update added"
    )
    assert counts() == before
    assert Action.objects.get(ref="1.1").description == "Audit"


def test_update_plan_saves_the_changes_with_history_and_a_new_version(
    board, manager, existing_plan
):
    audit = Action.objects.get(ref="1.1")
    version = audit.version

    result = run_update(
        board,
        row("Audit", ref="1.1", status="Complete", timescale="Done in May", progress="Finished"),
        row("Newsletter", priority_ref="1", priority="Assurance", ref="1.3"),
        by=manager,
    )

    audit.refresh_from_db()
    assert (audit.status, audit.timescale, audit.version) == (
        "complete",
        "Done in May",
        version + 1,
    )
    assert audit.due_date == datetime.date(2026, 6, 30)  # no due date given: left as it is
    latest = audit.history.first()
    assert (latest.history_type, latest.history_user, latest.status) == ("~", manager, "complete")
    assert audit.updates.get().text == "Finished"
    newsletter = Action.objects.get(ref="1.3")
    assert (newsletter.priority.ref, newsletter.order) == ("1", 2)
    assert result.plan == existing_plan
    assert Priority.objects.filter(plan=existing_plan).count() == 2


def test_blank_cells_leave_the_action_as_it_is(board, existing_plan):
    Action.objects.filter(ref="1.2").update(outcome_measure="Survey report", status="in_progress")

    result = run_update(board, row("Survey", ref="1.2"))

    survey = Action.objects.get(ref="1.2")
    assert (survey.outcome_measure, survey.status) == ("Survey report", "in_progress")
    assert result.changed == [] and result.unchanged == 1
    assert survey.history.count() == 1  # nothing saved


def test_a_row_without_a_ref_updates_the_action_with_the_same_text(board, existing_plan):
    result = run_update(board, row("  campaign ", priority="Engagement", status="Done"))

    assert [change.ref for change in result.changed] == ["2.1"]
    assert Action.objects.get(ref="2.1").status == "complete"
    assert result.counts["actions"] == 0


def test_progress_already_recorded_is_not_added_again(board, existing_plan):
    ProgressUpdateFactory(action=Action.objects.get(ref="1.1"), text="Tool  agreed")

    result = run_update(board, row("Audit", ref="1.1", progress="tool agreed"))

    assert result.counts["progress_updates"] == 0
    assert ProgressUpdate.objects.count() == 1


def test_an_action_moved_to_another_priority_in_the_sheet_stays_and_is_warned(board, existing_plan):
    result = run_update(board, row("Campaign", priority_ref="1", ref="2.1", status="Done"))

    campaign = Action.objects.get(ref="2.1")
    assert (campaign.priority.ref, campaign.status) == ("2", "complete")
    assert result.warnings == [
        "Row 2: action 2.1 is in priority 2 of the plan, not 1; it stays there (a re-import "
        "does not move actions)."
    ]


def test_two_rows_for_the_same_action_are_an_error_and_nothing_is_saved(board, existing_plan):
    before = counts()

    with pytest.raises(PlanImportError) as caught:
        run_update(
            board,
            row("Audit", ref="1.1", status="Done"),
            row("Audit", status="Deferred"),  # no ref: the same text as 1.1
            row("Newsletter", priority_ref="1", ref="1.3"),
        )

    assert caught.value.messages == ["Row 3, action_ref: Action 1.1 is also updated on row 2"]
    assert counts() == before
    assert Action.objects.get(ref="1.1").status == "not_started"


def test_a_bad_row_in_an_update_writes_nothing(board, existing_plan):
    with pytest.raises(PlanImportError):
        run_update(
            board,
            row("Audit", ref="1.1", status="Done"),
            row("Newsletter", priority_ref="1", ref="1.3", due="31/02/2027"),
        )

    assert Action.objects.get(ref="1.1").status == "not_started"
    assert not Action.objects.filter(ref="1.3").exists()


@pytest.mark.parametrize(
    ("title", "message"),
    [
        pytest.param(
            "Business Plan 2014/15",
            "Business Plan 2014/15 is archived and cannot change: import into a new plan.",
            id="archived",
        ),
        pytest.param(
            "No such plan",
            "LSAB has no plan called No such plan: enter the title of the plan to update",
            id="missing",
        ),
    ],
)
def test_only_an_existing_plan_that_is_not_archived_can_be_updated(board, title, message):
    BusinessPlanFactory(board=board, title="Business Plan 2014/15", status=PlanStatus.ARCHIVED)

    for preview in (True, False):
        with pytest.raises(ValidationError) as caught:
            run_update(board, row("Audit", priority="Assurance"), title=title, preview=preview)
        assert caught.value.message_dict == {"plan_title": [message]}
    assert Priority.objects.count() == 0


def test_reimporting_the_seed_plan_changes_nothing(board, manager):
    """A plan imported from a sheet without refs is matched by the actions' text."""
    name = "lrsab-business-plan-2019-20.csv"
    data = (DATA / name).read_bytes()
    import_plan(board=board, plan_title="2019/20", data=data, filename=name)
    before = counts()

    result = update_plan(board=board, plan_title="2019/20", data=data, filename=name, by=manager)

    assert result.changed == []
    assert result.unchanged == 17
    assert counts() == before


def test_an_update_takes_a_constant_number_of_queries(
    board, manager, existing_plan, django_assert_max_num_queries
):
    """Reads happen once; changed actions are bulk updated with their history."""
    rows = [row(f"Action {n}", priority_ref="1", ref=f"1.{n}", status="Done") for n in range(1, 60)]

    with django_assert_max_num_queries(20):
        result = run_update(board, *rows, by=manager)

    assert result.counts["changed_actions"] == 2
    assert result.counts["actions"] == 57


def test_a_blank_lead_cell_keeps_the_lead_and_a_new_lead_person_is_added_to_its_text(
    board, existing_plan
):
    group = GroupFactory(name="Quality Subgroup", boards=[board])
    Action.objects.filter(ref="1.1").update(lead_group=group, lead_text="Police")
    header = ["Action ref", "Action", "Lead person"]
    data = make_csv(header, ["1.1", "Audit", "Sam Smith"])

    result = update_plan(
        board=board, plan_title=existing_plan.title, data=data, filename="plan.csv"
    )

    audit = Action.objects.get(ref="1.1")
    assert (audit.lead_group, audit.lead_text) == (group, "Police; Sam Smith")
    assert result.changed[0].changes == [
        FieldChange("Lead (as written)", "Police", "Police; Sam Smith")
    ]
