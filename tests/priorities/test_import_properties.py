"""Properties of the plan import (priorities.plan_import), over generated files.

- Whatever bytes are uploaded, as CSV, XLSX or anything else, the parser returns rows or
  raises its one declared error, ImportFileError; so do damaged workbooks and any text in
  any encoding.
- A plan reads the same whatever the order of its columns, its encoding (UTF-8, with or
  without a byte order mark, UTF-16) and delimiter, and as CSV or XLSX.
- Any text in a date or timescale cell is read as a date, an impossible date or free text;
  real dates in the formats board staff type come back as themselves.
- A file reaches the row and column caps exactly where they are.
- An import or re-import writes the whole plan or nothing: on any refusal the plan's
  records are as they were.

Hypothesis runs each property on a fixed set of examples (``derandomize``), so a failure in
CI is a failure on every run; no example database is kept.
"""

from __future__ import annotations

import csv
import datetime
import io
import string
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from priorities.models import Action, BusinessPlan, Objective, PlanStatus, Priority, ProgressUpdate
from priorities.plan_import import limits
from priorities.plan_import.parse import ImportFileError, parse_date, parse_plan
from priorities.plan_import.stage import PlanImportError, import_plan, preview_plan_import
from priorities.plan_import.update import preview_plan_update, update_plan
from tests.factories import ActionFactory, BusinessPlanFactory, PriorityFactory

PROPERTY = settings(max_examples=60, deadline=None, database=None, derandomize=True)
# The database tests use the ``board`` fixture once for all examples: each example runs in a
# savepoint that is rolled back, so none sees another's records.
WITH_DB = settings(
    PROPERTY,
    max_examples=50,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --------------------------------------------------------------------------------------------
# Generated plans
# --------------------------------------------------------------------------------------------

# Headings a field may have (each matches its field only), and the statuses people write.
HEADINGS = {
    "priority_ref": ["Priority ref", "Priority no."],
    "priority_title": ["Priority", "Priority title"],
    "objective": ["Objective"],
    "action_ref": ["Action ref", "Action no"],
    "action": ["Action", "Key actions", "What are we going to do?"],
    "outcome_measure": ["Outcome measure", "Success measures"],
    "lead": ["Who will lead?", "Lead"],
    "lead_person": ["Lead person"],
    "due_date": ["Due date", "Deadline"],
    "timescale": ["Timescale"],
    "status": ["Status"],
    "progress": ["Progress"],
}
STATUSES = ["", "Not started", "In progress", "Complete", "Deferred", "Cancelled", "on hold"]
DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y"]
# Two-digit years are this century's ("31/3/25" is 2025), so dates are kept to years that
# every format writes unambiguously.

# Text as typed in a cell: letters of any script, digits, punctuation, spaces and line
# breaks; no control characters (neither CSV nor XLSX can hold them as text), no unassigned
# code points.
TEXT = st.text(
    st.characters(
        exclude_categories=("Cs", "Cc", "Cn"), include_characters="\n", max_codepoint=0x2FFFF
    ),
    max_size=30,
)
WORDS = st.text(string.ascii_letters + string.digits + " .-/&'", max_size=30)
DATES = st.dates(datetime.date(2000, 1, 1), datetime.date(2099, 12, 31))


@st.composite
def due_cells(draw):
    """A due date cell: a real date (kept as a date, with the format to type it in), text
    that looks like a date and cannot be one, or any text."""
    return draw(
        st.one_of(
            st.tuples(st.just("date"), DATES, st.sampled_from(DATE_FORMATS)),
            st.tuples(
                st.just("text"),
                st.sampled_from(["31/02/2020", "2020-13-01", "32 March 2020", "0/0/0000"]),
            ),
            st.tuples(st.just("text"), st.one_of(WORDS, TEXT)),
        )
    )


def cell_text(value) -> str:
    """A generated cell as typed in a CSV file."""
    if isinstance(value, tuple):
        if value[0] == "date":
            return value[1].strftime(value[2])
        return value[1]
    return value


def around(length: int):
    """Text just short of, at and just past a field's length (a ref's 20, a lead's 300)."""
    return st.integers(length - 2, length + 2).map(lambda size: "x" * size)


CELLS = {
    "priority_ref": st.one_of(
        st.from_regex(r"[1-9][0-9]?[a-c]?", fullmatch=True), WORDS, around(20)
    ),
    "priority_title": st.one_of(
        st.sampled_from(["Prevention", "Assurance", ""]), TEXT, around(200)
    ),
    "objective": st.one_of(st.just(""), TEXT),
    "action_ref": st.one_of(
        st.just(""), st.from_regex(r"[1-9]\.[1-9][0-9]?", fullmatch=True), WORDS, around(20)
    ),
    "action": st.one_of(st.just("Run an audit"), TEXT, around(2000)),
    "outcome_measure": TEXT,
    "lead": st.one_of(
        st.sampled_from(["Performance Sub-Group", "SEG; Police", ""]), TEXT, around(300)
    ),
    "lead_person": st.one_of(st.just(""), WORDS),
    "due_date": due_cells(),
    "timescale": st.one_of(
        st.sampled_from(["Ongoing", "Q3 2025", "March 2026", "By end of June 2025", ""]),
        TEXT,
        around(300),
    ),
    # Mostly statuses as people write them, sometimes anything.
    "status": st.one_of(*[st.sampled_from(STATUSES)] * 3, TEXT),
    "progress": st.one_of(st.just(""), TEXT),
}


@st.composite
def plans(draw, max_rows: int = 6):
    """(fields in the file's column order, headings, rows of generated cells)."""
    others = draw(st.lists(st.sampled_from(sorted(set(HEADINGS) - {"action"})), unique=True))
    fields = draw(st.permutations(["action", *others]))
    headings = [draw(st.sampled_from(HEADINGS[name])) for name in fields]
    rows = draw(
        st.lists(
            st.fixed_dictionaries({name: CELLS[name] for name in fields}),
            max_size=max_rows,
        )
    )
    return fields, headings, rows


def csv_bytes(table: list[list[str]], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(table)
    return buffer.getvalue().encode(encoding, errors="replace")


def xlsx_bytes(table: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in table:
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text typed with "=" first, not a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_of(fields, headings, rows, order=None, *, xlsx=False) -> list[list[object]]:
    """The plan as a table, its columns in ``order`` (indexes into ``fields``). In a
    workbook, real dates are date cells and small whole numbers number cells."""
    order = list(range(len(fields))) if order is None else order

    def value(name, cell):
        if xlsx and isinstance(cell, tuple) and cell[0] == "date":
            return cell[1]
        text = cell_text(cell)
        if xlsx and name == "priority_ref" and text.isdigit() and not text.startswith("0"):
            return int(text)
        return text

    return [
        [headings[index] for index in order],
        *([value(fields[index], row[fields[index]]) for index in order] for row in rows),
    ]


def outcome(data: bytes, filename: str):
    """What the parser makes of a file: its rows, errors and warnings as plain values, or the
    declared error's message. Any other exception fails the test."""
    try:
        result = parse_plan(data, filename)
    except ImportFileError as error:
        return ("refused", str(error))
    rows = [
        (
            row.row,
            row.priority_ref,
            row.priority_title,
            row.objective,
            row.action_ref,
            row.action,
            row.outcome_measure,
            row.lead,
            row.lead_person,
            row.due_date,
            row.timescale,
            row.status,
            row.progress,
        )
        for row in result.rows
    ]
    errors = [(error.row, error.column, error.message) for error in result.errors]
    return ("read", rows, errors, result.warnings)


# --------------------------------------------------------------------------------------------
# The parser: never anything but rows or ImportFileError
# --------------------------------------------------------------------------------------------

FILENAMES = st.sampled_from(["plan.csv", "plan.xlsx", "PLAN.CSV", "plan.txt", "plan", ".csv"])
PREFIXES = st.sampled_from([b"", b"PK\x03\x04", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf"])


@PROPERTY
@given(prefix=PREFIXES, data=st.binary(max_size=3000), filename=FILENAMES)
def test_any_bytes_give_rows_or_the_declared_error(prefix, data, filename):
    outcome(prefix + data, filename)


@PROPERTY
@given(
    text=st.text(max_size=400),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]),
)
def test_any_text_in_any_encoding_gives_rows_or_the_declared_error(text, encoding):
    outcome(("Priority,Action\r\n" + text).encode(encoding, errors="replace"), "plan.csv")
    outcome(text.encode(encoding, errors="replace"), "plan.csv")


def _workbook() -> bytes:
    rows = [["Priority", "Action", "Due date", "Status"]]
    rows += [
        ["Prevention", f"Action {n}", datetime.date(2026, 3, n + 1), "Complete"] for n in range(9)
    ]
    return xlsx_bytes(rows)


WORKBOOK = _workbook()
with zipfile.ZipFile(io.BytesIO(WORKBOOK)) as _archive:
    PARTS = {name: _archive.read(name) for name in _archive.namelist()}


@PROPERTY
@given(
    changes=st.lists(
        st.tuples(st.integers(0, len(WORKBOOK) - 1), st.integers(0, 255)), min_size=1, max_size=8
    ),
    cut=st.one_of(st.none(), st.integers(0, len(WORKBOOK))),
)
def test_a_damaged_workbook_gives_rows_or_the_declared_error(changes, cut):
    data = bytearray(WORKBOOK)
    for position, byte in changes:
        data[position] = byte
    outcome(bytes(data[:cut] if cut is not None else data), "plan.xlsx")


XML_BITS = st.sampled_from(
    [
        *(b"<", b">", b"/>", b"</", b'"', b"=", b"&", b"&amp;", b" ", b"\x00", b"\xff"),
        *(b"<!DOCTYPE x>", b'<c r="ZZZ99">', b'<row r="1048577">', b'<row r="1e9">'),
        *(b"<v>1e308</v>", b'<c t="d"><v>x</v></c>', b'<c t="s"><v>999</v></c>'),
        b'<c t="b"><v>2</v></c>',
    ]
)


@PROPERTY
@given(
    part=st.sampled_from(sorted(PARTS)),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 40), st.one_of(XML_BITS, st.binary(max_size=12))),
        min_size=1,
        max_size=6,
    ),
)
def test_a_workbook_with_broken_xml_gives_rows_or_the_declared_error(part, edits):
    """Each edit replaces a few bytes of one part with XML punctuation, a tag openpyxl reads
    specially or junk; the zip itself stays sound, so openpyxl reads the part."""
    xml = bytearray(PARTS[part])
    for where, length, bit in edits:
        start = int(where * len(xml))
        xml[start : start + length] = bit
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in PARTS.items():
            archive.writestr(name, bytes(xml) if name == part else content)
    outcome(buffer.getvalue(), "plan.xlsx")


# --------------------------------------------------------------------------------------------
# The same plan, however it is saved
# --------------------------------------------------------------------------------------------


@PROPERTY
@given(
    plan=plans(),
    data=st.data(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_a_plan_reads_the_same_in_any_column_order_encoding_and_delimiter(
    plan, data, encoding, delimiter
):
    fields, headings, rows = plan
    order = data.draw(st.permutations(range(len(fields))))
    expected = outcome(csv_bytes(table_of(fields, headings, rows)), "plan.csv")
    saved = csv_bytes(
        table_of(fields, headings, rows, order), encoding=encoding, delimiter=delimiter
    )

    assert outcome(saved, "plan.csv") == expected


@settings(PROPERTY, max_examples=40)
@given(plan=plans(), data=st.data())
def test_a_plan_reads_the_same_from_a_workbook(plan, data):
    fields, headings, rows = plan
    order = data.draw(st.permutations(range(len(fields))))
    expected = outcome(csv_bytes(table_of(fields, headings, rows)), "plan.csv")

    assert outcome(xlsx_bytes(table_of(fields, headings, rows, order, xlsx=True)), "plan.xlsx") == (
        expected
    )


# --------------------------------------------------------------------------------------------
# Dates and timescales
# --------------------------------------------------------------------------------------------


@settings(PROPERTY, max_examples=200)
@given(text=st.one_of(TEXT, WORDS, st.from_regex(r"[0-9]{1,5}[/.\- ][0-9]{1,5}[/.\- ][0-9]{1,5}")))
def test_any_text_is_a_date_an_impossible_date_or_free_text(text):
    kind, value = parse_date(text)

    assert kind in {"date", "invalid", "none"}
    assert isinstance(value, datetime.date) is (kind == "date")


@settings(PROPERTY, max_examples=200)
@given(
    day=DATES, format=st.sampled_from(DATE_FORMATS), prefix=st.sampled_from(["", "By ", "Due: "])
)
def test_a_typed_date_reads_as_itself(day, format, prefix):
    assert parse_date(prefix + day.strftime(format)) == ("date", day)


@settings(PROPERTY, max_examples=100)
@given(
    month=st.integers(1, 12),
    year=st.integers(2000, 2099),
    format=st.sampled_from(["%B %Y", "%b %Y", "%m/%Y", "%b-%y"]),
)
def test_a_month_reads_as_its_last_day(month, year, format):
    day = datetime.date(year, month, 1)
    kind, value = parse_date(day.strftime(format))

    assert kind == "date"
    assert (value.year, value.month) == (year, month)
    assert (value + datetime.timedelta(days=1)).day == 1


# --------------------------------------------------------------------------------------------
# Sizes
# --------------------------------------------------------------------------------------------


@settings(PROPERTY, max_examples=12)
@given(
    actions=st.one_of(
        st.integers(0, 30),
        st.sampled_from([limits.MAX_ROWS - 2, limits.MAX_ROWS - 1, limits.MAX_ROWS]),
    ),
    blank_rows_below=st.integers(0, 3),
)
def test_a_csv_file_is_read_up_to_the_row_cap(actions, blank_rows_below):
    table = [["Priority", "Action"], *(["Prevention", f"Action {n}"] for n in range(actions))]
    table += [[""]] * blank_rows_below
    result = outcome(csv_bytes(table), "plan.csv")

    if actions + 1 > limits.MAX_ROWS:
        assert result[0] == "refused" and f"{limits.MAX_ROWS:,} rows" in result[1]
    else:
        assert result[0] == "read" and len(result[1]) == actions


@settings(PROPERTY, max_examples=16)
@given(
    columns=st.one_of(
        st.integers(2, 10),
        st.sampled_from([limits.MAX_COLUMNS - 1, limits.MAX_COLUMNS, limits.MAX_COLUMNS + 1]),
    ),
    as_xlsx=st.booleans(),
)
def test_a_file_is_read_up_to_the_column_cap(columns, as_xlsx):
    extra = [f"Note {n}" for n in range(columns - 2)]
    table = [["Priority", "Action", *extra], ["Prevention", "Run an audit", *extra]]
    result = (
        outcome(xlsx_bytes(table), "plan.xlsx")
        if as_xlsx
        else outcome(csv_bytes(table), "plan.csv")
    )

    if columns > limits.MAX_COLUMNS:
        assert result[0] == "refused" and f"{limits.MAX_COLUMNS} columns" in result[1]
    else:
        assert result[0] == "read" and len(result[1]) == 1


# --------------------------------------------------------------------------------------------
# Writing: the whole plan or nothing
# --------------------------------------------------------------------------------------------


class _RolledBack(Exception):
    """Raised to roll back one example's savepoint."""


def _records() -> tuple:
    """Every row the import may write, and the existing plan's actions as they are."""
    return (
        BusinessPlan.objects.count(),
        Priority.objects.count(),
        Objective.objects.count(),
        Action.objects.count(),
        ProgressUpdate.objects.count(),
        list(
            Action.objects.order_by("pk").values_list(
                "pk", "ref", "description", "status", "due_date", "timescale", "version"
            )
        ),
    )


@pytest.fixture
def existing_plans(board):
    """A plan with a priority and two actions (refs to clash with), and an archived plan."""
    plan = BusinessPlanFactory(board=board, title="Business Plan 2025/26", status="approved")
    priority = PriorityFactory(plan=plan, ref="1", title="Prevention")
    ActionFactory(priority=priority, ref="1.1", description="Run an audit")
    ActionFactory(priority=priority, ref="1.2", description="Train the staff")
    BusinessPlanFactory(board=board, title="Business Plan 2014/15", status=PlanStatus.ARCHIVED)
    return plan


def _attempt(call, **kwargs):
    """What a preview or a write answered: ("done", preview), or the declared error's kind
    and messages. Any other exception fails the test."""
    try:
        return ("done", call(**kwargs))
    except ImportFileError as error:
        return ("file refused", [str(error)])
    except PlanImportError as error:
        return ("rows refused", error.messages)
    except ValidationError as error:
        return ("refused", error.messages)


@WITH_DB
@given(
    plan=plans(),
    as_xlsx=st.booleans(),
    title=st.one_of(
        st.sampled_from(
            ["Business Plan 2026/27", "Business Plan 2025/26", "Business Plan 2014/15"]
        ),
        TEXT,
    ),
    re_import=st.booleans(),
)
def test_an_import_writes_the_whole_plan_or_nothing(
    board, existing_plans, plan, as_xlsx, title, re_import
):
    """The preview writes nothing; the import then writes exactly what the preview counted,
    or refuses for the reasons the preview gave and writes nothing at all."""
    fields, headings, rows = plan
    table = table_of(fields, headings, rows, xlsx=as_xlsx)
    data, filename = (xlsx_bytes(table), "plan.xlsx") if as_xlsx else (csv_bytes(table), "plan.csv")
    preview, write = (
        (preview_plan_update, update_plan) if re_import else (preview_plan_import, import_plan)
    )
    upload = {"board": board, "plan_title": title, "data": data, "filename": filename}
    try:
        with transaction.atomic():
            before = _records()
            previewed = _attempt(preview, **upload)
            assert _records() == before
            written = _attempt(write, **upload)
            after = _records()
            if previewed[0] != "done":
                assert written == previewed
            elif not previewed[1].is_valid:
                assert written == ("rows refused", previewed[1].error_messages())
            else:
                assert written[0] == "done", written
                counts = previewed[1].counts
                assert counts == written[1].counts
                new_plan = 0 if previewed[1].plan_exists else 1
                assert after[:5] == (
                    before[0] + new_plan,
                    before[1] + counts["priorities"],
                    before[2] + counts["objectives"],
                    before[3] + counts["actions"],
                    before[4] + counts["progress_updates"],
                )
            if written[0] != "done":
                assert after == before  # refused: nothing written, nothing changed
            raise _RolledBack
    except _RolledBack:
        pass
