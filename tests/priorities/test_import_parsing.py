"""The plan import parsing layer (priorities.plan_import.parse). Pure functions: no database."""

import csv
import datetime
import io
import os
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from priorities.plan_import.names import name_key, split_names
from priorities.plan_import.parse import (
    ImportFileError,
    ProgressEntry,
    RowError,
    normalise_name,
    parse_date,
    parse_plan,
    progress_period,
    read_table,
)

DATA = Path(__file__).resolve().parent.parent / "data"
NOT_SPREADSHEET = "not a CSV or XLSX spreadsheet"


def make_csv(*rows: list[str], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def make_xlsx(*rows: list[object]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def parse(*rows: list[str]):
    return parse_plan(make_csv(*rows), "plan.csv")


def only_error(result) -> RowError:
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


# --------------------------------------------------------------------------------------------
# Headers
# --------------------------------------------------------------------------------------------

SAMPLE_VALUES = {
    "priority_ref": ("7", "7"),
    "priority_title": ("Adults are safe", "Adults are safe"),
    "priority_statement": ("We will be assured", "We will be assured"),
    "priority_rationale": ("Because audits said so", "Because audits said so"),
    "priority_outcome": ("Practitioners are confident", "Practitioners are confident"),
    "partnership_lead": ("Police - TBC", "Police - TBC"),
    "board_officer": ("Board manager", "Board manager"),
    "delivery_group": ("Procedures Subgroup", "Procedures Subgroup"),
    "objective": ("Better meetings", "Better meetings"),
    "action_ref": ("9.9", "9.9"),
    "action": ("Run an audit", "Run an audit"),
    "outcome_measure": ("Audit report to Board", "Audit report to Board"),
    "lead": ("SEG", "SEG"),
    "lead_person": ("Jo Bloggs", "Jo Bloggs"),
    "due_date": ("31/03/2015", datetime.date(2015, 3, 31)),
    "timescale": ("Quarterly", "Quarterly"),
    "status": ("Complete", "complete"),
    "progress": ("Audit done", "Audit done"),
}

ALIASES = [
    ("Ref", "action_ref"),
    ("Ref.", "action_ref"),
    ("Ref. no.", "action_ref"),
    ("In 2014/5 we will", "action"),
    ("What are we going to do?", "action"),
    ("Key actions", "action"),
    ("Action", "action"),
    ("Actions", "action"),
    ("Outcome/Evidence Measure", "outcome_measure"),
    ("How will we measure progress and impact?", "outcome_measure"),
    ("Success measures", "outcome_measure"),
    ("Measure", "outcome_measure"),
    ("Who will lead?", "lead"),
    ("Who is responsible?", "lead"),
    ("Owner", "lead"),
    ("Lead", "lead"),
    ("Lead person", "lead_person"),
    ("Named lead", "lead_person"),
    ("Timescale", "timescale"),
    ("When is it going to be done by?", "timescale"),
    ("When", "timescale"),
    ("Due date", "due_date"),
    ("Deadline", "due_date"),
    ("Due", "due_date"),
    ("Progress", "progress"),
    ("2019 update", "progress"),
    ("Priority", "priority_title"),
    ("Priority title", "priority_title"),
    ("Priority ref", "priority_ref"),
    ("Priority no", "priority_ref"),
    ("Priority number", "priority_ref"),
    ("Objective", "objective"),
    ("Objectives", "objective"),
    ("Status", "status"),
    ("RAG status", "status"),
    ("Priority statement", "priority_statement"),
    ("Rationale", "priority_rationale"),
    ("What do we want to be different?", "priority_outcome"),
    ("Partnership lead", "partnership_lead"),
    ("Board officer", "board_officer"),
    ("Key delivery mechanism", "delivery_group"),
    ("Delivery group", "delivery_group"),
    # Canonical names match themselves.
    *((name, name) for name in SAMPLE_VALUES),
    # Case, spacing and punctuation do not matter.
    ("WHO WILL LEAD", "lead"),
    ("  outcome / evidence   measure ", "outcome_measure"),
    ("ref no", "action_ref"),
    ("Priority-Ref", "priority_ref"),
]

YEAR_VARIANTS = [
    ("In 2014/5 we will", "action"),
    ("In 2014/15 we will", "action"),
    ("In 2019/20 we will", "action"),
    ("In 2020-21 we will", "action"),
    ("In 2016 we will", "action"),
    ("In 2019/2020 we will:", "action"),
    ("2019 update", "progress"),
    ("2020 update", "progress"),
    ("Update 2021", "progress"),
    ("Q2 update", "progress"),
    ("2019/20 update", "progress"),
]


def _table_for(header: str, name: str) -> list[list[str]]:
    headers, values = [header], [SAMPLE_VALUES[name][0]]
    if name != "priority_title":
        headers.append("Priority")
        values.append("Adults are safe")
    if name != "action":
        headers.append("Action")
        values.append("Run an audit")
    return [headers, values]


@pytest.mark.parametrize(("header", "name"), ALIASES + YEAR_VARIANTS)
def test_header_aliases(header, name):
    result = parse(*_table_for(header, name))

    assert result.errors == []
    assert result.warnings == []
    assert result.columns[name] == " ".join(header.split())  # as found, on one line
    [row] = result.rows
    assert getattr(row, name) == SAMPLE_VALUES[name][1]


def test_unknown_headers_are_ignored_with_a_warning():
    result = parse(
        ["Priority", "Action", "Notes", "", "RAG"],
        ["Adults are safe", "Run an audit", "ignored", "also ignored", "Green"],
    )

    assert result.errors == []
    assert result.warnings == [
        'These columns were not recognised and will be ignored: "Notes", "RAG".'
    ]
    assert set(result.columns) == {"priority_title", "action"}
    assert result.rows[0].action == "Run an audit"


@pytest.mark.parametrize(
    ("rows", "fragments"),
    [
        pytest.param(
            [["Priority", "Lead"], ["Adults are safe", "SEG"]],
            ['"Action"', '"What are we going to do?"', "we will"],
            id="no-action-column-names-the-accepted-headers",
        ),
        pytest.param(
            [["Priority", "Action", "What are we going to do?"], ["A", "B", "C"]],
            ['"Action"', '"What are we going to do?"'],
            id="two-headers-for-the-same-field-names-both",
        ),
        pytest.param(
            [*([f"Title line {n}"] for n in range(10)), ["Priority", "Action"], ["A", "B"]],
            ["column headings could not be found"],
            id="header-further-down-than-ten-rows-is-not-found",
        ),
    ],
)
def test_header_problems_are_file_errors(rows, fragments):
    with pytest.raises(ImportFileError) as excinfo:
        parse(*rows)

    message = str(excinfo.value)
    for fragment in fragments:
        assert fragment in message


def test_title_rows_above_the_header_are_skipped_and_row_numbers_are_spreadsheet_rows():
    result = parse(
        ["Leicestershire and Rutland SAB Business Plan 2014-15"],
        [],
        ["Effective from: April 7th 2014", "", ""],
        ["Priority", "In 2014/5 we will", "Who will lead?"],
        ["Adults are safe", "Run an audit", "SEG"],
        ["", "", "Engagement group"],
    )

    assert result.columns["action"] == "In 2014/5 we will"
    assert [row.row for row in result.rows] == [5]
    assert result.errors == [
        RowError(6, "action", "Enter what will be done (the action) or delete the row")
    ]


# --------------------------------------------------------------------------------------------
# Priorities and objectives
# --------------------------------------------------------------------------------------------


def test_priority_title_on_first_row_only_is_carried_forward_like_a_repeated_title():
    first_only = parse(
        ["Priority ref", "Priority", "Ref", "Action"],
        ["2b", "Adults are safe", "2b.1", "Gain feedback"],
        ["", "", "2b.2", "Update procedures"],
        ["", "", "2b.3", "Evaluate thresholds"],
    )
    repeated = parse(
        ["Priority ref", "Priority", "Ref", "Action"],
        ["2b", "Adults are safe", "2b.1", "Gain feedback"],
        ["2b", "Adults are safe", "2b.2", "Update procedures"],
        ["", "Adults are safe", "2b.3", "Evaluate thresholds"],
    )

    assert first_only.errors == repeated.errors == []
    assert first_only.rows == repeated.rows
    assert {(row.priority_ref, row.priority_title) for row in first_only.rows} == {
        ("2b", "Adults are safe")
    }


def test_priority_header_rows_set_the_priority_for_the_rows_below():
    result = parse(
        ["Priority ref", "Priority", "Ref", "Action", "Who will lead?"],
        ["1", "Safeguarding is everyone's responsibility", "", "", ""],
        ["", "", "1.1", "Self-assessment audits", "SEG"],
        ["", "", "1.2", "Plan for the Care Act", "Executive"],
        ["2b", "Adults are safe", "", "", ""],
        ["", "", "2b.1", "Gain feedback", "Engagement group"],
    )

    assert result.errors == []
    assert [(row.row, row.priority_ref, row.action_ref) for row in result.rows] == [
        (3, "1", "1.1"),
        (4, "1", "1.2"),
        (6, "2b", "2b.1"),
    ]
    assert result.rows[2].priority_title == "Adults are safe"


def test_priority_without_ref_is_left_for_the_caller_to_number():
    result = parse(
        ["Priority", "Action"],
        ["Mental Capacity", "Keep informed"],
        ["", "Case file audit"],
    )

    assert result.errors == []
    assert [(row.priority_ref, row.action_ref, row.ref_generated) for row in result.rows] == [
        ("", "", True),
        ("", "", True),
    ]


def test_priority_level_fields_and_objectives_carry_forward():
    result = parse(
        [
            "Priority",
            "Priority statement",
            "Rationale",
            "What do we want to be different?",
            "Partnership lead",
            "Board officer",
            "Key delivery mechanism",
            "Objective",
            "What are we going to do?",
        ],
        [
            "Adult Exploitation",
            "Improve recognition",
            "- Growth\n- Hidden",
            "Confident",
            "Police",
            "To be allocated",
            "Procedures Subgroup",
            "",
            "",
        ],
        ["", "", "", "", "", "", "", "Practitioners are aware", "Review services"],
        ["", "", "", "", "", "", "", "", "Develop guidance"],
        ["", "", "", "", "", "", "", "Raise public awareness", "Public campaign"],
        ["Mental Capacity", "", "", "", "", "", "", "", "Case file audit"],
    )

    assert result.errors == []
    rows = result.rows
    assert [row.objective for row in rows] == [
        "Practitioners are aware",
        "Practitioners are aware",
        "Raise public awareness",
        "",  # a new priority starts without an objective
    ]
    for row in rows[:3]:
        assert row.priority_statement == "Improve recognition"
        assert row.priority_rationale == "- Growth\n- Hidden"  # newlines kept
        assert row.priority_outcome == "Confident"
        assert row.partnership_lead == "Police"
        assert row.board_officer == "To be allocated"
        assert row.delivery_group == "Procedures Subgroup"
    assert rows[3].priority_title == "Mental Capacity"
    assert rows[3].delivery_group == ""


def test_conflicting_priority_level_text_gives_a_warning_and_the_first_text_wins():
    result = parse(
        ["Priority", "Delivery group", "Action"],
        ["Adults are safe", "Procedures Subgroup", "One"],
        ["Adults are safe", "Audit Subgroup", "Two"],
    )

    assert result.errors == []
    assert len(result.warnings) == 1
    assert "Row 3" in result.warnings[0]
    assert {row.delivery_group for row in result.rows} == {"Procedures Subgroup"}


# --------------------------------------------------------------------------------------------
# Problems on a row
# --------------------------------------------------------------------------------------------

NO_ACTION = "Enter what will be done (the action) or delete the row"
NO_TITLE = "Give a priority title on this row or a row above it"


@pytest.mark.parametrize(
    ("rows", "error", "kept"),
    [
        pytest.param(
            [["Priority", "Action", "Lead"], ["Adults are safe", "", "SEG"]],
            RowError(2, "action", NO_ACTION),
            [],
            id="priority-header-row-with-action-fields-but-no-action",
        ),
        pytest.param(
            [["Priority", "Action"], ["", "Run an audit"], ["Adults are safe", "Gain feedback"]],
            RowError(2, "priority_title", NO_TITLE),
            [(3, "Gain feedback")],
            id="row-before-any-priority",
        ),
        pytest.param(
            [
                ["Priority ref", "Priority", "Action"],
                ["1", "Everyone's responsibility", "Audit"],
                ["2", "", "Feedback"],
            ],
            RowError(3, "priority_title", NO_TITLE),
            [(2, "Audit")],
            id="new-priority-ref-without-a-title",
        ),
        pytest.param(
            [
                ["Priority ref", "Priority", "Action"],
                ["1", "Everyone's responsibility", "Audit"],
                ["1", "Something else", "Feedback"],
            ],
            RowError(
                3,
                "priority_title",
                'Priority 1 is called "Everyone\'s responsibility" on row 2; '
                "use the same title or a different priority ref",
            ),
            [(2, "Audit")],
            id="same-priority-ref-with-a-different-title-names-the-earlier-row",
        ),
        pytest.param(
            [
                ["Priority ref", "Priority", "Ref", "Action"],
                ["2b", "Adults are safe", "2b.1", "Gain feedback"],
                ["", "", "2b.2", "Update procedures"],
                ["3b", "Registered providers", "3b.1", "Seek assurance"],
                ["", "", " 2B.1 ", "Evaluate thresholds"],
            ],
            RowError(5, "action_ref", "2B.1 is also used on row 2"),
            [(2, "Gain feedback"), (3, "Update procedures"), (4, "Seek assurance")],
            id="duplicate-ref-on-the-later-row-naming-the-earlier-row",
        ),
        pytest.param(
            [["Priority", "Action", "Status"], ["Adults are safe", "Audit", "Maybe"]],
            RowError(
                2,
                "status",
                '"Maybe" is not a status; use one of: '
                "Not started, In progress, Complete, Deferred, Cancelled",
            ),
            [],
            id="unknown-status",
        ),
        pytest.param(
            [
                ["Priority", "Action", "Outcome measure", "Lead"],
                ["Adults are safe", "Audit", "Report", "SEG"],
                ["", "", "", ""],
                [" ", "  ", "", ""],
                ["", "", "Survey results", "Engagement group"],
            ],
            RowError(5, "action", NO_ACTION),
            [(2, "Audit")],
            id="row-with-text-but-no-action-and-blank-rows-skipped",
        ),
    ],
)
def test_a_row_problem_is_one_error_on_that_row(rows, error, kept):
    """``kept`` is (spreadsheet row, action) of every row that is still imported."""
    result = parse(*rows)

    assert only_error(result) == error
    assert [(row.row, row.action) for row in result.rows] == kept


# --------------------------------------------------------------------------------------------
# Action refs
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "refs"),
    [
        pytest.param(
            [
                ["Priority ref", "Priority", "Ref", "Action"],
                ["2b", "Adults are safe", "", "Gain feedback"],
                ["", "", "", "Update procedures"],
                ["", "", "2b.2", "Evaluate thresholds"],
                ["", "", "", "Report to the Board"],
                ["3b", "Registered providers", "", "Seek assurance"],
            ],
            [("2b.1", True), ("2b.3", True), ("2b.2", False), ("2b.4", True), ("3b.1", True)],
            id="missing-refs-are-numbered-within-the-priority-skipping-used-refs",
        ),
        pytest.param(
            [
                ["Priority ref", "Priority", "Ref", "Action"],
                ["2b", "Adults are safe", "", "Gain feedback"],
                ["", "", "2b.2", "Update procedures"],
                ["", "", "", "Evaluate thresholds"],
            ],
            [("2b.1", True), ("2b.2", False), ("2b.3", True)],
            id="generated-ref-after-a-given-one",
        ),
        pytest.param(
            [
                ["Priority ref", "Priority", "Ref. no.", "Action"],
                ["2a", "Children are safe", "2a.\n1", "Audit programme"],
                ["", "", "2a. 2", "Co-located team"],
            ],
            [("2a.1", False), ("2a.2", False)],
            id="refs-have-internal-line-breaks-collapsed",
        ),
    ],
)
def test_action_refs(rows, refs):
    """``refs`` is (action ref, whether it was generated) for each row."""
    result = parse(*rows)

    assert result.errors == []
    assert [(row.action_ref, row.ref_generated) for row in result.rows] == refs


# --------------------------------------------------------------------------------------------
# Dates and timescales
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/03/2015", datetime.date(2015, 3, 31)),
        ("31/3/15", datetime.date(2015, 3, 31)),
        ("1/4/2015", datetime.date(2015, 4, 1)),
        ("31-03-2015", datetime.date(2015, 3, 31)),
        ("31.03.2015", datetime.date(2015, 3, 31)),
        ("2015-03-31", datetime.date(2015, 3, 31)),
        ("31 March 2015", datetime.date(2015, 3, 31)),
        ("31st March 2015", datetime.date(2015, 3, 31)),
        ("1st April 2015", datetime.date(2015, 4, 1)),
        ("31 Mar 2015", datetime.date(2015, 3, 31)),
        ("June 2014", datetime.date(2014, 6, 30)),
        ("Sept 2019", datetime.date(2019, 9, 30)),
        ("Sep 2019", datetime.date(2019, 9, 30)),
        ("Mar 2020", datetime.date(2020, 3, 31)),
        ("March-2020", datetime.date(2020, 3, 31)),
        ("February 2016", datetime.date(2016, 2, 29)),
        ("06/2014", datetime.date(2014, 6, 30)),
        ("By June 2014", datetime.date(2014, 6, 30)),
        ("By end of June 2014", datetime.date(2014, 6, 30)),
        ("by the end of March 2015", datetime.date(2015, 3, 31)),
    ],
)
def test_uk_dates_and_month_year_as_the_last_day_of_the_month(text, expected):
    assert parse_date(text) == ("date", expected)
    result = parse(["Priority", "Action", "Due date"], ["Adults are safe", "Audit", text])
    assert result.errors == []
    assert result.rows[0].due_date == expected
    assert result.rows[0].timescale == ""


@pytest.mark.parametrize("text", ["31/02/2020", "2020-13-01", "32 March 2020", "13/2014"])
def test_impossible_due_date_is_an_error(text):
    result = parse(["Priority", "Action", "Due date"], ["Adults are safe", "Audit", text])

    assert only_error(result) == RowError(2, "due_date", f"{text} is not a real date")
    assert result.rows == []


@pytest.mark.parametrize("text", ["Ongoing", "Q3", "2014/15", "As required"])
def test_free_text_in_due_date_moves_to_timescale(text):
    result = parse(["Priority", "Action", "Due date"], ["Adults are safe", "Audit", text])

    assert result.errors == []
    assert result.rows[0].due_date is None
    assert result.rows[0].timescale == text


def test_timescale_is_kept_as_text_and_gives_a_due_date_only_when_it_is_a_date():
    result = parse(
        ["Priority", "Action", "Timescale"],
        ["Adults are safe", "One", "Sept 2014"],
        ["", "Two", "Plan by June; implemented from October"],
        ["", "Three", "Audit Plan developed by June 2014 Implemented from October 2014"],
        ["", "Four", "Ongoing"],
        ["", "Five", "By March 2015"],
    )

    assert result.errors == []
    assert [(row.timescale, row.due_date) for row in result.rows] == [
        ("Sept 2014", datetime.date(2014, 9, 30)),
        ("Plan by June; implemented from October", None),
        ("Audit Plan developed by June 2014 Implemented from October 2014", None),
        ("Ongoing", None),
        ("By March 2015", datetime.date(2015, 3, 31)),
    ]


@pytest.mark.parametrize(
    ("due", "timescale", "expected"),
    [
        pytest.param(
            "15/07/2014",
            "June 2014",
            (datetime.date(2014, 7, 15), "June 2014"),
            id="due-date-column-wins-over-a-timescale-date",
        ),
        pytest.param(
            "Ongoing",
            "June 2014",
            (datetime.date(2014, 6, 30), "June 2014; Ongoing"),
            id="free-text-in-due-date-is-appended-to-an-existing-timescale",
        ),
    ],
)
def test_due_date_and_timescale_columns_together(due, timescale, expected):
    """``expected`` is (due date, timescale)."""
    result = parse(
        ["Priority", "Action", "Due date", "Timescale"],
        ["Adults are safe", "Audit", due, timescale],
    )

    assert result.errors == []
    row = result.rows[0]
    assert (row.due_date, row.timescale) == expected


# --------------------------------------------------------------------------------------------
# Status, missing action, text cleaning
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("", "not_started"),
        ("Not started", "not_started"),
        ("NOT STARTED", "not_started"),
        ("In progress", "in_progress"),
        ("in-progress", "in_progress"),
        ("Ongoing", "in_progress"),
        ("Started", "in_progress"),
        ("On track", "in_progress"),
        ("Complete", "complete"),
        ("Completed", "complete"),
        ("done", "complete"),
        ("Achieved", "complete"),
        ("Deferred", "deferred"),
        ("On hold", "deferred"),
        ("Postponed", "deferred"),
        ("Cancelled", "cancelled"),
        ("Canceled", "cancelled"),
        ("Withdrawn", "cancelled"),
        ("in_progress", "in_progress"),
    ],
)
def test_status_mapping(text, status):
    result = parse(["Priority", "Action", "Status"], ["Adults are safe", "Audit", text])

    assert result.errors == []
    assert result.rows[0].status == status


def test_cells_are_trimmed_and_long_text_keeps_line_breaks():
    result = parse(
        ["Priority", "Action", "Who will lead?", "Outcome measure"],
        ["  Adults are safe ", "  Do this\r\nthen that  ", " Procedures\nSubgroup ", "A\n\nB "],
    )

    row = result.rows[0]
    assert row.priority_title == "Adults are safe"
    assert row.action == "Do this\nthen that"
    assert row.lead == "Procedures Subgroup"
    assert row.outcome_measure == "A\n\nB"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Procedures Subgroup", "procedures subgroup"),
        ("  PROCEDURES   subgroup. ", "procedures subgroup"),
        ("Safeguarding effectiveness group.", "safeguarding effectiveness group"),
        ('"SEG";', "seg"),
        ("\u201cAudit Subgroup\u201d:", "audit subgroup"),
        ("Transitions Task\nand Finish Group", "transitions task and finish group"),
        ("EXEC?", "exec?"),
    ],
)
def test_normalise_name(text, expected):
    assert normalise_name(text) == expected


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        pytest.param(b"", "plan.csv", id="csv-no-bytes"),
        pytest.param(b"   \r\n\r\n", "plan.csv", id="csv-blank-lines"),
        pytest.param(b",,,\r\n,,\r\n", "plan.csv", id="csv-empty-cells"),
        pytest.param(b"\xef\xbb\xbf", "plan.csv", id="csv-byte-order-mark-only"),
        pytest.param(make_xlsx(), "plan.xlsx", id="xlsx-no-rows"),
    ],
)
def test_empty_file(data, filename):
    with pytest.raises(ImportFileError, match=r"^The file is empty\.$"):
        parse_plan(data, filename)


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (PDF, "plan.pdf"),
        (PDF, "plan.csv"),
        (os.urandom(4096), "plan.csv"),
        (b"\x01\x02\x03binary\xff\xfe\x05" * 50, "plan.csv"),
        (_docx_bytes(), "plan.docx"),
        (_docx_bytes(), "plan.xlsx"),
        (make_xlsx(["Priority", "Action"]), "plan.docx"),
        (make_xlsx(["Priority", "Action"]), "plan.csv"),
        (b"Priority,Action\r\nA,B\r\n", "plan.xlsx"),
        (b"Priority,Action\r\nA,B\r\n", "plan.txt"),
        (b"Priority,Action\r\nA,B\r\n", "plan"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "plan.xls"),
    ],
)
def test_files_that_are_not_csv_or_xlsx(data, filename):
    with pytest.raises(ImportFileError, match=NOT_SPREADSHEET):
        parse_plan(data, filename)


def test_xlsx_parses_the_same_as_csv_including_a_real_date_cell():
    header = ["Priority ref", "Priority", "Ref", "Action", "Lead", "Due date", "Timescale"]
    csv_rows = [
        header,
        ["1", "Everyone's responsibility", "1.1", "Audit", "SEG", "31/03/2015", ""],
        ["", "", "1.2", "Survey\nstaff", "Executive", "", "June 2014"],
        ["2", "Adults are safe", "", "Feedback", "Engagement group", "Ongoing", ""],
    ]
    xlsx_rows = [
        ["Business plan 2014-15"],  # a title row above the headings ...
        header,
        [1, "Everyone's responsibility", 1.1, "Audit", "SEG", datetime.date(2015, 3, 31)],
        [None, None, 1.2, "Survey\nstaff", "Executive", None, "June 2014"],
        [2, "Adults are safe", None, "Feedback", "Engagement group", "Ongoing", None],
    ]
    from_csv = parse_plan(make_csv(*csv_rows), "plan.csv")
    from_xlsx = parse_plan(make_xlsx(*xlsx_rows), "Plan.XLSX")

    assert from_csv.errors == from_xlsx.errors == []
    assert from_xlsx.rows[0].due_date == datetime.date(2015, 3, 31)
    for row in from_xlsx.rows:
        row.row -= 1  # ... so every XLSX row is one lower down
    assert from_xlsx.rows == from_csv.rows
    assert from_xlsx.columns == from_csv.columns


def test_xlsx_datetime_cell_becomes_a_date():
    data = make_xlsx(
        ["Priority", "Action", "Deadline"],
        ["Adults are safe", "Audit", datetime.datetime(2019, 9, 30, 0, 0)],
    )

    assert read_table(data, "plan.xlsx")[1] == ["Adults are safe", "Audit", "2019-09-30"]
    assert parse_plan(data, "plan.xlsx").rows[0].due_date == datetime.date(2019, 9, 30)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiters_are_sniffed(delimiter):
    data = make_csv(
        ["Priority", "Action", "Timescale"],
        ["Adults are safe", "Plan; then do, then review", "Plan by June; implemented from Oct"],
        ["", "Audit, survey; report", "Ongoing"],
        delimiter=delimiter,
    )

    result = parse_plan(data, "plan.csv")

    assert result.errors == []
    assert [row.action for row in result.rows] == [
        "Plan; then do, then review",
        "Audit, survey; report",
    ]


def test_csv_encodings_utf8_bom_and_windows_1252():
    rows = (["Priority", "Action"], ["Children\u2019s services", "Fund \u00a3500 \u2013 now"])
    utf8 = parse_plan(b"\xef\xbb\xbf" + make_csv(*rows), "plan.csv")
    cp1252 = parse_plan(make_csv(*rows, encoding="cp1252"), "plan.csv")

    assert utf8.columns["priority_title"] == "Priority"
    assert utf8.rows == cp1252.rows
    assert cp1252.rows[0].action == "Fund \u00a3500 \u2013 now"


def test_rows_with_errors_are_left_out_of_rows():
    result = parse(
        ["Priority", "Action", "Status", "Due date"],
        ["Adults are safe", "One", "Maybe", ""],
        ["", "Two", "", "31/02/2020"],
        ["", "Three", "", ""],
    )

    assert [error.row for error in result.errors] == [2, 3]
    assert [row.action for row in result.rows] == ["Three"]


def test_two_thousand_rows_parse_quickly():
    rows = [["Priority ref", "Priority", "Ref", "Action", "Who will lead?", "Timescale", "Status"]]
    for n in range(2000):
        priority = n // 100 + 1
        first = n % 100 == 0
        rows.append(
            [
                str(priority) if first else "",
                f"Priority number {priority}" if first else "",
                "" if n % 3 == 0 else f"{priority}.{n % 100 + 1}",
                f"Action {n}: do something useful, then report back to the Board",
                "Procedures Subgroup",
                ["June 2014", "31/03/2015", "Ongoing", "Sept 2019"][n % 4],
                ["", "In progress", "Complete"][n % 3],
            ]
        )
    data = make_csv(*rows)

    started = time.perf_counter()
    result = parse_plan(data, "big.csv")
    elapsed = time.perf_counter() - started

    assert result.errors == []
    assert len(result.rows) == 2000
    assert len({row.action_ref for row in result.rows}) == 2000
    assert elapsed < 1.0


# --------------------------------------------------------------------------------------------
# The real plans, transcribed
# --------------------------------------------------------------------------------------------


def _seed(name: str):
    path = DATA / name
    return parse_plan(path.read_bytes(), path.name)


def test_leicestershire_rutland_2014_15_plan():
    result = _seed("lr-business-plan-2014-15.csv")

    assert result.errors == []
    assert result.warnings == []
    assert result.columns == {
        "priority_ref": "Priority ref",
        "priority_title": "Priority",
        "action_ref": "Ref. no.",
        "action": "In 2014/5 we will",
        "outcome_measure": "Outcome/Evidence Measure",
        "lead": "Who will lead?",
        "timescale": "Timescale",
        "progress": "Progress",
    }
    rows = {row.action_ref: row for row in result.rows}
    assert len(result.rows) == 23
    assert list(dict.fromkeys(row.priority_ref for row in result.rows)) == [
        "1",
        "2a",
        "2b",
        "2c",
        "3a",
        "3b",
        "4",
        "5",
    ]
    assert list(rows) == [
        *("1.1", "1.2", "1.3", "2a.1", "2a.2", "2a.3", "2b.1", "2b.2", "2b.3"),
        *("2c.1", "2c.2", "2c.3", "3a.1", "3a.2", "3b.1", "3b.2", "3b.3", "4.1", "4.2"),
        *("5.1", "5.2", "5.3", "5.4"),
    ]
    assert not any(row.ref_generated for row in result.rows)
    assert {row.status for row in result.rows} == {"not_started"}

    assert (
        rows["2b.2"].priority_title == "To be assured that adults in need of safeguarding are safe"
    )
    assert rows["2b.2"].lead == "Procedures and development subgroup"
    assert rows["2b.2"].timescale == "October 2014"
    assert rows["2b.2"].due_date == datetime.date(2014, 10, 31)
    assert rows["2a.2"].action.startswith("Introduce a new co-located multi-agency response")
    assert rows["2a.3"].lead == "EXEC?"
    assert rows["3b.2"].lead == "Safeguarding effectiveness group."
    assert normalise_name(rows["3b.2"].lead) == normalise_name(rows["5.1"].lead)
    assert rows["3b.3"].due_date == datetime.date(2015, 3, 31)
    assert rows["5.4"].timescale == "June, September and December 2014"
    assert rows["5.4"].due_date is None
    assert rows["1.1"].timescale.startswith("Audit Plan developed by June 2014")
    assert rows["1.1"].due_date is None
    assert rows["4.1"].lead == "SCR sub group Training and Learning group"


def test_lrsab_2019_20_plan():
    result = _seed("lrsab-business-plan-2019-20.csv")

    assert result.errors == []
    assert result.warnings == []
    assert result.columns["action"] == "What are we going to do?"
    assert result.columns["timescale"] == "When is it going to be done by?"
    assert result.columns["lead"] == "Who is responsible?"
    assert result.columns["outcome_measure"] == "How will we measure progress and impact?"
    assert result.columns["delivery_group"] == "Key delivery mechanism"
    assert len(result.rows) == 17
    by_priority: dict[str, list] = {}
    for row in result.rows:
        by_priority.setdefault(row.priority_ref, []).append(row)
    assert {ref: len(rows) for ref, rows in by_priority.items()} == {
        "SAB1": 5,
        "SAB2": 4,
        "SAB3": 5,
        "SAB4": 3,
    }
    assert len({(row.priority_ref, row.objective) for row in result.rows}) == 9

    first = by_priority["SAB1"][0]
    assert first.priority_title == (
        "Effective Multi-Agency meetings / Effective Support Pathways (Joint with Leicester SAB)"
    )
    assert first.priority_statement.startswith("Multi-agency meetings regarding vulnerable adults")
    assert "JAGs" in first.priority_rationale
    assert first.priority_outcome.startswith("Practitioners are more confident")
    assert first.partnership_lead == "Local Authority - TBC"
    assert first.board_officer == "to be allocated"
    assert first.delivery_group == "Procedures Subgroup"
    assert first.objective.startswith("An effective structure is in place")
    assert first.action.startswith("Review and report on the current variety")
    assert first.lead == "Procedures Subgroup"
    assert (first.timescale, first.due_date) == ("Sept 2019", datetime.date(2019, 9, 30))
    assert (first.action_ref, first.ref_generated) == ("SAB1.1", True)
    # Priority-level text is on every row of the priority.
    assert {row.delivery_group for row in by_priority["SAB1"]} == {"Procedures Subgroup"}

    lps = by_priority["SAB2"][1]
    assert lps.timescale == "As required"
    assert lps.due_date is None
    assert lps.lead == "Executive / Local Improvement Network"
    assert by_priority["SAB2"][3].action == "Case file audit"
    assert by_priority["SAB2"][3].lead == "Audit Subgroup"
    assert by_priority["SAB4"][0].delivery_group == "LLR Transitions Subgroup"
    assert by_priority["SAB4"][1].due_date == datetime.date(2019, 6, 30)


def test_documented_sample_parses_cleanly():
    path = DATA.parent.parent / "docs" / "samples" / "plan-import-sample.csv"
    result = parse_plan(path.read_bytes(), path.name)

    assert result.errors == []
    assert result.warnings == []
    assert set(result.columns) == set(result.columns.values())  # canonical headings only
    assert len(result.rows) == 6
    assert [row.action_ref for row in result.rows] == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]


# --------------------------------------------------------------------------------------------
# Headings matched by what they mean
# --------------------------------------------------------------------------------------------

MEANING_HEADINGS = [
    # A heading naming the priority, a theme or an area is the priority's title.
    ("Strategic theme", "priority_title"),
    ("Priority area", "priority_title"),
    ("Area of focus", "priority_title"),
    ("Key priorities", "priority_title"),
    ("Theme", "priority_title"),
    ("Strategic priority / theme", "priority_title"),
    ("Board priority", "priority_title"),
    # ... with a numbering word, its ref.
    ("Priority area no.", "priority_ref"),
    ("Theme ref", "priority_ref"),
    ("Strategic priority number", "priority_ref"),
    ("Priority #", "priority_ref"),
    ("Action ref no.", "action_ref"),
    # Headings that start with the field's words and say more.
    ("Timescale / milestones", "timescale"),
    ("Timescales and milestones", "timescale"),
    ("Timeframe", "timescale"),
    ("Due date (dd/mm/yyyy)", "due_date"),
    ("How will we know we have made a difference?", "outcome_measure"),
    # Owners and leads.
    ("Lead agency", "lead"),
    ("Lead partner(s)", "lead"),
    ("Owners", "lead"),
    ("Action owner", "lead"),
    ("Lead officer", "lead_person"),
    ("Action status", "status"),
    ("Progress to date", "progress"),
    ("2024-25 progress", "progress"),
    ("Update 2024/25", "progress"),
    ("Q2 2024/25 update", "progress"),
    ("Progress March 2024", "progress"),
]


@pytest.mark.parametrize(("header", "name"), MEANING_HEADINGS)
def test_headings_are_matched_by_what_they_mean(header, name):
    value = "7" if name == "priority_ref" else SAMPLE_VALUES[name][0]
    headers, values = [header], [value]
    if name != "priority_title":
        headers.append("Priority")
        values.append("Adults are safe")
    headers.append("Action")
    values.append("Run an audit")

    result = parse(headers, values)

    assert result.errors == []
    assert result.warnings == []
    assert result.columns[name] == header
    [row] = result.rows
    expected = "7" if name == "priority_ref" else SAMPLE_VALUES[name][1]
    assert getattr(row, name) == expected


@pytest.mark.parametrize(
    "header",
    [
        "Priority outcomes",  # an outcome, not a title
        "Priority 1: To be assured that adults are safe",  # a sentence, not a heading
        "Safeguarding Adults Board action plan",
        "Notes",
    ],
)
def test_headings_that_only_mention_a_field_are_not_matched(header):
    result = parse([header, "Priority", "Action"], ["x", "Adults are safe", "Run an audit"])

    assert result.warnings == [
        f'These columns were not recognised and will be ignored: "{header}".'
    ]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [
                ["No.", "Priority", "Action"],
                ["1", "Prevention", "Awareness"],
                ["", "", "Procedure"],
                ["2", "Personalisation", "Audit"],
            ],
            [("1", "1.1"), ("1", "1.2"), ("2", "2.1")],
            id="a-number-where-each-priority-starts-is-the-priority-ref",
        ),
        pytest.param(
            [
                ["#", "Priority", "Action"],
                ["1", "Prevention", "Awareness"],
                ["1", "", "Procedure"],
                ["2", "Personalisation", "Audit"],
            ],
            [("1", "1.1"), ("1", "1.2"), ("2", "2.1")],
            id="a-number-repeated-on-the-priority-rows-is-the-priority-ref",
        ),
        pytest.param(
            [
                ["Number", "Priority", "Action"],
                ["1", "Prevention", "Awareness"],
                ["2", "", "Procedure"],
                ["3", "Personalisation", "Audit"],
            ],
            [("", "1"), ("", "2"), ("", "3")],
            id="numbers-changing-within-a-priority-are-action-refs",
        ),
        pytest.param(
            [
                ["Ref", "Priority", "Action"],
                ["", "Prevention", ""],
                ["1", "", "Awareness"],
                ["", "Personalisation", ""],
                ["2", "", "Audit"],
            ],
            [("", "1"), ("", "2")],
            id="numbers-below-a-priority-row-without-one-are-action-refs",
        ),
        pytest.param(
            [
                ["Ref", "Priority", "Action"],
                ["1.1", "Prevention", "Awareness"],
            ],
            [("", "1.1")],
            id="refs-like-1.1-are-action-refs",
        ),
        pytest.param(
            [
                ["Ref", "Priority", "Action ref", "Action"],
                ["1", "Prevention", "A", "Awareness"],
            ],
            [("1", "A")],
            id="beside-an-action-ref-column-it-is-the-priority-ref",
        ),
        pytest.param(
            [
                ["No.", "Priority", "Ref", "Action"],
                ["1", "Prevention", "1a", "Awareness"],
                ["", "", "1b", "Procedure"],
            ],
            [("1", "1a"), ("1", "1b")],
            id="two-numbering-columns-are-the-priority-ref-then-the-action-ref",
        ),
    ],
)
def test_a_numbering_column_is_read_as_the_priority_or_the_action_ref(rows, expected):
    """``expected`` is (priority ref, action ref) for each row."""
    result = parse(*rows)

    assert result.errors == []
    assert [(row.priority_ref, row.action_ref) for row in result.rows] == expected


def test_three_numbering_columns_are_an_error_naming_them():
    with pytest.raises(ImportFileError) as caught:
        parse(["No.", "Ref", "#", "Priority", "Action"], ["1", "1.1", "x", "A", "B"])

    assert str(caught.value) == (
        'The columns "Ref" and "#" are both read as the action ref. Keep one of them and '
        "rename or delete the other."
    )


def test_a_word_table_priority_given_once_is_inherited_by_the_rows_below():
    """Word tables pasted into Excel give the priority's number and title once, on its first
    row (merged cells); an XLSX of merged cells reads the same way."""
    rows = [
        ["No.", "Strategic theme", "Actions", "Lead agency"],
        [1, "Prevention", "Awareness raising", "Police"],
        [None, None, "Procedure", "ASC"],
        [None, None, "Audit", None],
        [2, "Making Safeguarding Personal", "Case file audit", "QA Subgroup"],
    ]
    workbook = Workbook()
    sheet = workbook.active
    for values in rows:
        sheet.append(values)
    sheet.merge_cells("A2:A4")
    sheet.merge_cells("B2:B4")
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = parse_plan(buffer.getvalue(), "plan.xlsx")

    assert result.errors == []
    assert [(r.priority_ref, r.priority_title, r.action_ref) for r in result.rows] == [
        ("1", "Prevention", "1.1"),
        ("1", "Prevention", "1.2"),
        ("1", "Prevention", "1.3"),
        ("2", "Making Safeguarding Personal", "2.1"),
    ]


# --------------------------------------------------------------------------------------------
# Progress columns for several years
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "period", "ends"),
    [
        ("2023 update", "2023", datetime.date(2023, 12, 31)),
        ("Update 2024/25", "2024/25", datetime.date(2025, 3, 31)),
        ("2024-25 progress", "2024/25", datetime.date(2025, 3, 31)),
        ("Progress 2019/2020", "2019/20", datetime.date(2020, 3, 31)),
        ("In 2014/5 progress", None, None),  # not a progress heading
        ("2014/5 update", "2014/15", datetime.date(2015, 3, 31)),
        ("Q2 2024/25 update", "Q2 2024/25", datetime.date(2024, 9, 30)),
        ("Q4 2024/25 update", "Q4 2024/25", datetime.date(2025, 3, 31)),
        ("Q2 2024 update", "Q2 2024", datetime.date(2024, 6, 30)),
        ("Update March 2024", "March 2024", datetime.date(2024, 3, 31)),
        ("Progress as at Sept 2024", "September 2024", datetime.date(2024, 9, 30)),
        ("Q2 update", "", None),  # no year: undated, like "Progress"
        ("Progress", None, None),  # a plain alias, not a period
    ],
)
def test_progress_period_dates_an_update_on_the_last_day_of_its_period(heading, period, ends):
    column = progress_period(heading)

    if period is None:
        assert column is None
    else:
        assert (column.period, column.ends) == (period, ends)


def test_several_year_update_columns_each_give_a_dated_update_oldest_first():
    result = parse(
        ["Priority", "Action", "Update 2024/25", "2023 update", "2024-25 progress x", "Notes"],
        ["Adults are safe", "Audit", "Audit done", "Audit planned", "", ""],
        ["", "Survey", "", "Survey sent", "", ""],
    )

    assert result.errors == []
    assert [(c.heading, c.ends) for c in result.progress_columns] == [
        ("Update 2024/25", datetime.date(2025, 3, 31)),
        ("2023 update", datetime.date(2023, 12, 31)),
    ]
    audit, survey = result.rows
    assert audit.updates == [
        ProgressEntry("Audit planned", datetime.date(2023, 12, 31), "2023 update"),
        ProgressEntry("Audit done", datetime.date(2025, 3, 31), "Update 2024/25"),
    ]
    assert audit.progress == "Audit done"  # the latest
    assert survey.updates == [
        ProgressEntry("Survey sent", datetime.date(2023, 12, 31), "2023 update")
    ]


def test_a_plain_progress_column_beside_year_columns_is_the_latest_and_undated():
    result = parse(
        ["Priority", "Action", "Progress", "2023/24 update"],
        ["Adults are safe", "Audit", "Report written", "Audit planned"],
    )

    [row] = result.rows
    assert [(entry.text, entry.ends) for entry in row.updates] == [
        ("Audit planned", datetime.date(2024, 3, 31)),
        ("Report written", None),
    ]
    assert row.progress == "Report written"


@pytest.mark.parametrize(
    ("headings", "message"),
    [
        pytest.param(
            ["Progress", "Update"],
            'The columns "Progress" and "Update" are both read as progress.',
            id="two-undated",
        ),
        pytest.param(
            ["2023/24 update", "Progress 2023-24"],
            'The columns "2023/24 update" and "Progress 2023-24" are both read as progress '
            "for 2023/24.",
            id="two-for-the-same-year",
        ),
    ],
)
def test_two_progress_columns_for_the_same_period_are_an_error(headings, message):
    with pytest.raises(ImportFileError) as caught:
        parse(["Priority", "Action", *headings], ["A", "B", "C", "D"])

    assert str(caught.value).startswith(message)


# --------------------------------------------------------------------------------------------
# Leads: what the parser keeps for matching
# --------------------------------------------------------------------------------------------


def test_the_lead_cell_keeps_its_line_breaks_for_splitting():
    result = parse(["Priority", "Action", "Lead"], ["Adults are safe", "Audit", " Police\r\nASC "])

    [row] = result.rows
    assert row.lead == "Police ASC"
    assert row.lead_cell == "Police\nASC"


def test_filled_names_the_action_fields_a_row_gives():
    result = parse(
        ["Priority", "Action", "Lead", "Due date", "Timescale", "Status"],
        ["Adults are safe", "Audit", "", "", "June 2024", ""],
        ["", "Survey", "SEG", "Ongoing", "", "Done"],
    )

    audit, survey = result.rows
    assert audit.filled == {"action", "timescale", "due_date"}  # the date read from the timescale
    assert survey.filled == {"action", "lead", "due_date", "timescale", "status"}


# --------------------------------------------------------------------------------------------
# Lead names (priorities.plan_import.names: pure, no database)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Performance & Quality Sub Group", "Performance and Quality Sub-Group"),
        ("performance  and quality subgroup.", "Performance and Quality Sub-Group"),
        ("S.E.G.", "SEG"),
        ("Learning & Development", "Learning&Development"),
        ("Transitions Task\nand Finish Group", "Transitions Task and Finish Group"),
    ],
)
def test_name_key_ignores_case_punctuation_and_spacing_inside_names(one, other):
    assert name_key(one) == name_key(other)


def test_name_key_keeps_different_names_apart():
    assert name_key("Police") != name_key("Police Scotland")
    assert name_key("SAB") != name_key("SAR")


KNOWN = {name_key(n) for n in ["Police", "ASC", "Health", "Executive / Local Network"]}


def known(text: str) -> bool:
    return name_key(text) in KNOWN


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Police / ASC", [("Police", True), ("ASC", True)]),
        ("Police, ASC and Health", [("Police", True), ("ASC", True), ("Health", True)]),
        ("Police\nASC & Health", [("Police", True), ("ASC", True), ("Health", True)]),
        ("Police; Trading Standards", [("Police", True), ("Trading Standards", False)]),
        ("Executive/Local Network", [("Executive/Local Network", True)]),  # the whole cell
        (
            "Executive / Local Network, Police",
            [("Executive / Local Network", True), ("Police", True)],
        ),
        ("Task and Finish Group", [("Task and Finish Group", False)]),  # not split at "and"
        ("Police and Fire", [("Police and Fire", False)]),  # "Fire" is unknown
        ("Procedures\nSubgroup", [("Procedures Subgroup", False)]),  # a wrapped name
        ("SEG / Executive", [("SEG", False), ("Executive", False)]),
        ("Police /\nCCG", [("Police", True), ("CCG", False)]),
        ("  ", []),
    ],
)
def test_split_names(cell, names):
    assert [(name.text, name.known) for name in split_names(cell, known)] == names
