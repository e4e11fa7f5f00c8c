"""`manage.py import_plan FILE --board SLUG --plan TITLE`."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from priorities.models import Action, BusinessPlan, Priority
from tests.factories import GroupFactory

DATA = Path(__file__).resolve().parent.parent / "data"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_plan", *args, stdout=out)
    return out.getvalue()


def test_imports_a_file_and_says_what_it_created(board):
    GroupFactory(name="Procedures Subgroup", boards=[board])
    path = DATA / "lrsab-business-plan-2019-20.csv"

    output = run(str(path), "--board", "lsab", "--plan", "Business Plan 2019/20")

    plan = BusinessPlan.objects.get(board=board, title="Business Plan 2019/20")
    assert plan.status == "draft"
    assert Priority.objects.filter(plan=plan).count() == 4
    assert Action.objects.filter(priority__plan=plan).count() == 17
    assert "Imported 4 priorities, 9 objectives, 17 actions and 0 progress updates" in output
    assert "into a new draft plan Business Plan 2019/20 (LSAB)" in output
    assert 'Warning: Row 8: lead "Board Office" does not match' in output
    assert '"Procedures Subgroup" does not match' not in output


def test_a_second_run_adds_to_the_plan_or_reports_the_clash(board, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("Priority ref,Priority,Action\n1,Assurance,Audit\n")
    run(str(path), "--board", "lsab", "--plan", "Plan")

    with pytest.raises(CommandError) as caught:
        run(str(path), "--board", "lsab", "--plan", "Plan")

    assert "Row 2, priority_ref: 1 is already in this plan" in str(caught.value)
    assert Action.objects.count() == 1


def test_row_errors_fail_with_one_line_each_and_write_nothing(board, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text(
        "Priority,Action,Due date,Status\n"
        "Assurance,Audit,31/02/2027,\n"
        "Assurance,Survey,,Maybe\n"
        "Assurance,Report,30/06/2027,\n"
    )

    with pytest.raises(CommandError) as caught:
        run(str(path), "--board", "lsab", "--plan", "Business Plan 2026/27")

    lines = str(caught.value).splitlines()
    assert lines[0] == "Nothing was imported: 2 problems in plan.csv."
    assert lines[1] == "Row 2, due_date: 31/02/2027 is not a real date"
    assert lines[2].startswith('Row 3, status: "Maybe" is not a status')
    assert len(lines) == 3
    assert not BusinessPlan.objects.exists()
    assert not Action.objects.exists()


def test_unknown_board(board):
    with pytest.raises(CommandError, match=r'There is no board "nowhere"\. Boards: lsab\.'):
        run(str(DATA / "lr-business-plan-2014-15.csv"), "--board", "nowhere", "--plan", "Plan")
    assert not BusinessPlan.objects.exists()


def test_missing_file(board, tmp_path):
    with pytest.raises(CommandError, match="was not found"):
        run(str(tmp_path / "missing.csv"), "--board", "lsab", "--plan", "Plan")


def test_a_file_that_is_not_a_spreadsheet(board, tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"%PDF-1.4 not a plan")

    with pytest.raises(CommandError, match=r"plan\.pdf: This file is not a CSV or XLSX"):
        run(str(path), "--board", "lsab", "--plan", "Plan")
