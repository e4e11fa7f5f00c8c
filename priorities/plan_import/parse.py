"""Parse a business plan spreadsheet (CSV or XLSX) into priority/action rows.

This module is a pure parsing layer: it reads bytes and returns plain data. It never touches
the database; the caller matches leads to groups, numbers unnumbered priorities, shows the
preview and saves everything in one transaction.

Row numbers in errors are spreadsheet row numbers (the first row of the file is row 1), so a
board manager can find the row in Excel.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from calendar import month_name, monthrange
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from priorities.plan_import import limits
from priorities.plan_import.limits import NOT_SPREADSHEET, ImportFileError

__all__ = [
    "ACTION_HEADER_EXAMPLES",
    "FIELD_ALIASES",
    "NO_PRIORITY_TITLE",
    "NUMBERING",
    "STATUS_LABELS",
    "ImportFileError",
    "ParseResult",
    "PlanRow",
    "ProgressColumn",
    "ProgressEntry",
    "RowError",
    "header_field",
    "normalise_header",
    "normalise_name",
    "parse_date",
    "parse_plan",
    "parse_rows",
    "progress_period",
    "read_table",
]

EMPTY_FILE = "The file is empty."

# How many non-empty rows at the top of the sheet may be titles above the column headings.
HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number (the first row of the file is row 1)
    column: str  # canonical field name
    message: str


@dataclass
class PlanRow:
    row: int
    priority_ref: str
    priority_title: str
    priority_statement: str
    priority_rationale: str
    priority_outcome: str  # "What do we want to be different?"
    partnership_lead: str
    board_officer: str
    delivery_group: str
    objective: str
    action_ref: str
    action: str
    outcome_measure: str
    lead: str
    lead_person: str
    due_date: datetime.date | None
    timescale: str
    status: str  # not_started, in_progress, complete, deferred, cancelled
    progress: str  # the latest progress text (the last of ``updates``)
    ref_generated: bool  # True when action_ref was numbered by us (or is "" for the caller)
    lead_cell: str = ""  # the lead as written, line breaks kept (it may list several leads)
    updates: list[ProgressEntry] = field(default_factory=list)  # oldest first, undated last
    filled: frozenset[str] = frozenset()  # the action's fields this row gives (not blank)


@dataclass(frozen=True)
class ProgressEntry:
    """One progress cell of a row: its text, and the last day of the period its column
    reports on (None for a plain "Progress" column: the import dates it today)."""

    text: str
    ends: datetime.date | None = None
    column: str = ""  # the column's heading


@dataclass
class ParseResult:
    rows: list[PlanRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # canonical field -> header text
    progress_columns: list[ProgressColumn] = field(default_factory=list)  # in sheet order


# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------

_NON_ALNUM_RE = re.compile(r"[^0-9a-z]+")
_WS_RE = re.compile(r"\s+")
_REF_DOT_RE = re.compile(r"\s*\.\s*")
_QUOTES = "\"'\u2018\u2019\u201c\u201d`"
_TRAILING_PUNCT = ".,;:"


def normalise_header(text: str) -> str:
    """Casefold and turn every run of non-alphanumerics into one space: 'Ref. no.' -> 'ref no'."""
    return _NON_ALNUM_RE.sub(" ", text.casefold()).strip()


def normalise_name(text: str) -> str:
    """Key for matching lead text to group names.

    Casefolds, collapses whitespace, and strips trailing punctuation (. , ; :) and surrounding
    quotes: ' "Procedures  Subgroup." ' -> 'procedures subgroup'.
    """
    value = _WS_RE.sub(" ", text).strip()
    while True:
        before = value
        value = value.rstrip(_TRAILING_PUNCT).strip()
        if len(value) >= 2 and value[0] in _QUOTES and value[-1] in _QUOTES:
            value = value[1:-1].strip()
        if value == before:
            break
    return value.casefold()


def _one_line(text: str) -> str:
    """Collapse all whitespace (including newlines) to single spaces."""
    return _WS_RE.sub(" ", text).strip()


def _long_text(text: str) -> str:
    """Keep line breaks, but normalise them and trim each line's trailing spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _clean_ref(text: str) -> str:
    """'2a.\\n1' or '2a. 1' -> '2a.1'; other whitespace collapses to one space."""
    return _REF_DOT_RE.sub(".", _one_line(text))


# --------------------------------------------------------------------------------------------
# Headers
# --------------------------------------------------------------------------------------------

FIELDS: tuple[str, ...] = (
    "priority_ref",
    "priority_title",
    "priority_statement",
    "priority_rationale",
    "priority_outcome",
    "partnership_lead",
    "board_officer",
    "delivery_group",
    "objective",
    "action_ref",
    "action",
    "outcome_measure",
    "lead",
    "lead_person",
    "due_date",
    "timescale",
    "status",
    "progress",
)

PRIORITY_LEVEL_FIELDS: tuple[str, ...] = (
    "priority_statement",
    "priority_rationale",
    "priority_outcome",
    "partnership_lead",
    "board_officer",
    "delivery_group",
)

# Fields that belong to an action: a row with any of these but no action text is an error.
ACTION_LEVEL_FIELDS: tuple[str, ...] = (
    "action_ref",
    "outcome_measure",
    "lead",
    "lead_person",
    "due_date",
    "timescale",
    "status",
    "progress",
)

# Fields whose text is kept on one line (whitespace collapsed). Everything else keeps newlines.
# The lead keeps its line breaks (PlanRow.lead_cell) because a cell may list several leads
# one per line; PlanRow.lead is the same text on one line.
SHORT_FIELDS = frozenset(
    {
        "priority_title",
        "partnership_lead",
        "board_officer",
        "delivery_group",
        "lead_person",
        "status",
        "due_date",
    }
)
REF_FIELDS = frozenset({"priority_ref", "action_ref"})

# A column of refs whose heading does not say whose they are ("No.", "#", "Ref", "Number"):
# parse_rows reads it as the priorities' refs or the actions' (see _resolve_numbering).
NUMBERING = "numbering"

# Accepted headings for each field, word for word as people write them. Matching ignores
# case and punctuation, and every canonical name (e.g. "action_ref") also matches its own
# field. Headings that are not here may still match a rule (header_field).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "priority_ref": (
        "Priority ref",
        "Priority no",
        "Priority no.",
        "Priority number",
        "Priority reference",
    ),
    "priority_title": ("Priority", "Priority title", "Priority name"),
    "priority_statement": ("Priority statement", "Statement"),
    "priority_rationale": ("Rationale", "Priority rationale"),
    "priority_outcome": (
        "What do we want to be different?",
        "What we want to be different",
        "Priority outcome",
    ),
    "partnership_lead": ("Partnership lead",),
    "board_officer": ("Board officer",),
    "delivery_group": ("Key delivery mechanism", "Delivery mechanism", "Delivery group"),
    "objective": ("Objective", "Objectives"),
    "action_ref": ("Action ref", "Action no", "Action number"),
    "action": (
        "Action",
        "Actions",
        "Key actions",
        "Key action",
        "What are we going to do?",
        "What will we do?",
    ),
    "outcome_measure": (
        "Outcome/Evidence Measure",
        "Outcome measure",
        "Outcome measures",
        "How will we measure progress and impact?",
        "Success measures",
        "Success measure",
        "Measure",
        "Measures",
    ),
    "lead": ("Who will lead?", "Who is responsible?", "Owner", "Lead", "Lead group"),
    "lead_person": ("Lead person", "Named lead", "Lead officer"),
    "due_date": ("Due date", "Deadline", "Due", "Target date"),
    "timescale": ("Timescale", "Timescales", "When is it going to be done by?", "When"),
    "status": ("Status", "RAG status"),
    "progress": (
        "Progress",
        "Progress update",
        "Update",
        "Latest update",
        "Progress to date",
        "Progress so far",
        "Latest progress",
        "Current position",
    ),
}

# "In 2014/5 we will", with any year.
_YEAR = r"\d{4}(?: \d{1,4})?"
_ACTION_PATTERN = re.compile(rf"^in (?:{_YEAR} )?we will$")

# A progress column, possibly for a period: "2023 update", "Update 2024/25", "2024-25
# progress", "Q2 2024/25 update", "Progress March 2024", "Q2 update" (no year: undated).
_PERIOD = (
    r"(?:(?P<q>q[1-4]) )?(?:(?P<month>[a-z]+) )?(?P<start>\d{4})(?: (?P<end>\d{1,4}))?"
    r"(?: (?P<q_after>q[1-4]))?|(?P<q_only>q[1-4])"
)
_PROGRESS_WORDS = r"(?:latest |current )?(?:progress(?: updates?)?|updates?|position)"
_PROGRESS_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"^(?:{_PERIOD}) {_PROGRESS_WORDS}$"),
    re.compile(rf"^{_PROGRESS_WORDS}(?: as at| at| for| in| to)? (?:{_PERIOD})$"),
)

# Headings that start with a field's words and say more: "Timescale / milestones".
_PREFIX_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("timescale", ("timescale", "timescales", "timeframe", "timeframes", "timeline", "timelines")),
    ("due_date", ("due date", "due by", "target date", "deadline", "completion date")),
    (
        "outcome_measure",
        (
            "outcome measure",
            "outcome evidence measure",
            "success measure",
            "how will we measure",
            "how we will measure",
            "how will we know",
            "how we will know",
        ),
    ),
)

# Words for the rules below.
_NUMBER_WORDS = frozenset({"no", "nos", "number", "numbers", "num", "ref", "refs", "reference"})
_TITLE_WORDS = frozenset(
    {"priority", "priorities", "theme", "themes", "area", "areas", "focus", "workstream"}
)
_TITLE_QUALIFIERS = frozenset(
    {"strategic", "key", "board", "sab", "our", "the", "of", "for", "and", "or", "s", "main"}
    | {"overarching", "business", "plan", "title", "name", "cross", "cutting"}
)
_LEAD_WORDS = frozenset({"lead", "leads", "owner", "owners", "responsible"})
_LEAD_QUALIFIERS = frozenset(
    {"agency", "agencies", "partner", "partners", "organisation", "organisations", "group"}
    | {"groups", "subgroup", "subgroups", "sub", "body", "who", "is", "will", "by", "s"}
    | {"the", "and", "or", "action"}
)


@dataclass(frozen=True)
class _WordRule:
    """A heading made only of these words: one from each of ``needs``, any of ``may``."""

    field: str
    needs: tuple[frozenset[str], ...]
    may: frozenset[str] = frozenset()

    def matches(self, words: set[str]) -> bool:
        allowed = self.may.union(*self.needs)
        return words <= allowed and all(words & need for need in self.needs)


# In this order: the first rule that matches wins.
_WORD_RULES: tuple[_WordRule, ...] = (
    # "Priority area no.", "Theme ref", "Strategic priority number"
    _WordRule("priority_ref", (_NUMBER_WORDS, _TITLE_WORDS), _TITLE_QUALIFIERS),
    # "Action ref no."
    _WordRule("action_ref", (_NUMBER_WORDS, frozenset({"action", "actions"})), frozenset({"s"})),
    # "No.", "#", "Ref", "Ref. no.", "Number", "Reference"
    _WordRule(NUMBERING, (_NUMBER_WORDS,), frozenset({"s"})),
    # "Lead agency", "Lead partner(s)", "Owners", "Action owner", "Responsible lead"
    _WordRule("lead", (_LEAD_WORDS,), _LEAD_QUALIFIERS),
    # "Action status", "Current RAG status"
    _WordRule(
        "status", (frozenset({"status"}),), frozenset({"rag", "action", "current", "overall"})
    ),
    # "Strategic theme", "Priority area", "Area of focus", "Key priorities", "Theme"
    _WordRule("priority_title", (_TITLE_WORDS,), _TITLE_QUALIFIERS),
)

ACTION_HEADER_EXAMPLES: tuple[str, ...] = (
    "Action",
    "Actions",
    "Key actions",
    "What are we going to do?",
)


def _heading_key(text: str) -> str:
    """A heading, normalised for matching: "Ref #" -> "ref number", "Ref. no." -> "ref no"."""
    return normalise_header(text.replace("#", " number "))


def _build_alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for name in FIELDS:
        index[normalise_header(name)] = name
    for name, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            index[normalise_header(alias)] = name
    return index


_ALIAS_INDEX = _build_alias_index()


def header_field(text: str) -> str | None:
    """The canonical field a column heading stands for, NUMBERING, or None.

    The heading is normalised (case, punctuation and spacing ignored; "#" read as "number"),
    then tried against these in order, the first match winning:

    1. FIELD_ALIASES, the headings people write word for word ("Who will lead?");
    2. a progress column, for a period or not ("2023 update", "Update 2024/25", "Q2 update");
    3. "In 2014/15 we will", with any year, for the action;
    4. _PREFIX_RULES: a heading that starts with a field's words ("Timescale / milestones");
    5. _WORD_RULES: a heading made only of a field's words ("Strategic theme", "Area of
       focus", "Priority area no.", "Lead agency"), or only of numbering words ("No.", "#",
       "Ref"), which is NUMBERING: whose refs they are is decided from the sheet.
    """
    key = _heading_key(text)
    if not key:
        return None
    if key in _ALIAS_INDEX:
        return _ALIAS_INDEX[key]
    if progress_period(text) is not None:
        return "progress"
    if _ACTION_PATTERN.match(key):
        return "action"
    for name, prefixes in _PREFIX_RULES:
        if any(key == prefix or key.startswith(prefix + " ") for prefix in prefixes):
            return name
    words = set(key.split())
    for rule in _WORD_RULES:
        if rule.matches(words):
            return rule.field
    return None


# -- Progress columns for a period -----------------------------------------------------------


@dataclass(frozen=True)
class ProgressColumn:
    """A progress column: its heading, and the period it reports on, if the heading names
    one (``period`` "2024/25", ``ends`` 31 March 2025); "" and None for a plain "Progress"."""

    heading: str
    period: str = ""
    ends: datetime.date | None = None


_QUARTER_ENDS = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}  # calendar quarters


def progress_period(text: str) -> ProgressColumn | None:
    """The progress column a heading names, or None if it is not a dated or quarterly
    progress heading ("Progress" itself is a plain alias: see FIELD_ALIASES).

    An update headed with a period reports on that period, so it is dated on the period's
    last day: the day the board would write it up, and an order that keeps several columns
    in sequence (2023 update < 2023/24 update < 2024 update). So:

    - a financial year ("2024/25", "2024-25", "2024/2025") ends on 31 March of its second
      year (the end of the reporting year every SAB annual report covers);
    - a calendar year ("2023 update") ends on 31 December;
    - a quarter of a financial year ("Q2 2024/25") ends with that quarter (Q1 in June, Q4 in
      March); a quarter of a calendar year ("Q2 2024") with the calendar quarter;
    - a month ("Update March 2024") on the month's last day;
    - a quarter without a year ("Q2 update") is not a date: it stays undated, like
      "Progress".

    The import dates such an update no later than the day it is imported (a period that
    has not ended yet), never in the future.
    """
    key = _heading_key(text)
    for pattern in _PROGRESS_PATTERNS:
        match = pattern.match(key)
        if match:
            break
    else:
        return None
    heading = _one_line(text)
    groups = match.groupdict()
    if groups["q_only"]:
        return ProgressColumn(heading)
    quarter_text = groups["q"] or groups["q_after"]
    quarter = int(quarter_text[1]) if quarter_text else None
    month_name = groups["month"]
    if month_name and (month_name not in _MONTHS or quarter):
        return None
    start = int(groups["start"])
    end = _end_year(groups["start"], groups["end"]) if groups["end"] else None
    if groups["end"] and end is None:
        return None
    if end is not None:  # a financial year (or a plan's years, "2019-21": its last March)
        period = f"{start}/{str(end)[2:]}"
        if quarter is None:
            return ProgressColumn(heading, period, datetime.date(end, 3, 31))
        # Financial quarters: Q1 April to June ... Q4 January to March of the second year.
        ends = _month_end(end, 3) if quarter == 4 else _month_end(start, 3 + 3 * quarter)
        return ProgressColumn(heading, f"Q{quarter} {period}", ends)
    if quarter is not None:
        month, day = _QUARTER_ENDS[quarter]
        return ProgressColumn(heading, f"Q{quarter} {start}", datetime.date(start, month, day))
    if month_name:
        month = _MONTHS[month_name]
        return ProgressColumn(
            heading, f"{_MONTH_NAMES[month - 1]} {start}", _month_end(start, month)
        )
    return ProgressColumn(heading, str(start), datetime.date(start, 12, 31))


def _end_year(start: str, end: str) -> int | None:
    """The second year of "2014/5", "2019/20", "2019/2020", "2019-21"; None if it is not
    one to five years after the first."""
    year = int(start[: 4 - len(end)] + end) if len(end) < 4 else int(end)
    if len(end) < 4 and year <= int(start):
        year += 10 ** len(end)
    return year if 1 <= year - int(start) <= 5 else None


# -- The heading row --------------------------------------------------------------------------


def _quoted_list(items: Iterable[str]) -> str:
    return ", ".join(f'"{item}"' for item in items)


@dataclass
class _Header:
    """What one heading row says: field -> column, and the columns read specially."""

    indexes: dict[str, int] = field(default_factory=dict)  # field -> column index
    headings: dict[str, str] = field(default_factory=dict)  # field -> heading text
    unknown: list[str] = field(default_factory=list)
    numbering: list[tuple[int, str]] = field(default_factory=list)  # (index, heading)
    progress: list[tuple[int, ProgressColumn]] = field(default_factory=list)

    def add(self, name: str, index: int, text: str) -> None:
        if name in self.indexes:
            raise ImportFileError(
                f'The columns "{self.headings[name]}" and "{text}" are both read as '
                f"{_FIELD_LABELS[name]}. Keep one of them and rename or delete the other."
            )
        self.indexes[name] = index
        self.headings[name] = text

    def add_progress(self, index: int, text: str) -> None:
        column = progress_period(text) or ProgressColumn(text)
        for _, other in self.progress:
            if other.period == column.period:
                label = "progress" + (f" for {column.period}" if column.period else "")
                raise ImportFileError(
                    f'The columns "{other.heading}" and "{text}" are both read as {label}. '
                    "Keep one of them and rename or delete the other."
                )
        self.progress.append((index, column))
        self.headings.setdefault("progress", text)


def _map_header(cells: Sequence[str]) -> _Header:
    """What each heading in one row stands for. Raises ImportFileError for two columns read
    as the same field."""
    header = _Header()
    for index, cell in enumerate(cells):
        text = _one_line(cell)
        if not text:
            continue
        name = header_field(text)
        if name is None:
            header.unknown.append(text)
        elif name == NUMBERING:
            header.numbering.append((index, text))
        elif name == "progress":
            header.add_progress(index, text)
        else:
            header.add(name, index, text)
    return header


_SUB_REF_RE = re.compile(r"[0-9a-z]\.[0-9a-z]", re.IGNORECASE)  # "1.1", "2b.3", "SAB1.2"


def _resolve_numbering(header: _Header, rows: Sequence[Sequence[str]]) -> None:
    """Decide whose refs the numbering columns ("No.", "#", "Ref") hold, from the rest of the
    heading row and, for one column alone, from its values (the rows below the headings):

    1. with a "Priority ref" column, they are the actions' refs;
    2. with an "Action ref" column, the priorities';
    3. two of them: the left one the priorities', the right one the actions';
    4. one alone: the actions' if the sheet has no priority column, if a ref looks like an
       action's ("1.1", "2b.3") or if the numbers change within a priority; otherwise (the
       number given where each priority starts, or repeated on its rows) the priorities'.
    """
    columns = header.numbering
    if not columns:
        return
    if "priority_ref" in header.indexes:
        names = ["action_ref"] * len(columns)
    elif "action_ref" in header.indexes:
        names = ["priority_ref"] * len(columns)
    elif len(columns) > 1:
        names = ["priority_ref"] + ["action_ref"] * (len(columns) - 1)
    else:
        title = header.indexes.get("priority_title")
        numbers_actions = title is None or _numbers_actions(rows, columns[0][0], title)
        names = ["action_ref" if numbers_actions else "priority_ref"]
    for (index, text), name in zip(columns, names, strict=True):
        header.add(name, index, text)


def _numbers_actions(rows: Sequence[Sequence[str]], column: int, title_column: int) -> bool:
    """Whether a lone numbering column numbers the actions rather than the priorities."""

    def cell(cells: Sequence[str], index: int) -> str:
        return cells[index].strip() if index < len(cells) else ""

    title: str | None = None  # the priority the rows are in
    number: str | None = None  # its number, if it has one
    for cells in rows:
        value = _clean_ref(cell(cells, column)).casefold()
        row_title = _one_line(cell(cells, title_column)).casefold()
        if _SUB_REF_RE.search(value):
            return True
        if row_title and row_title != title:  # a new priority starts on this row
            title, number = row_title, value or None
            continue
        if not value:
            continue
        if number is None:
            if title is not None:
                return True  # the priority's first row had no number; its actions do
            number = value
        elif value != number:
            return True  # the number changes within the priority
    return False


_FIELD_LABELS: dict[str, str] = {
    "priority_ref": "the priority ref",
    "priority_title": "the priority",
    "priority_statement": "the priority statement",
    "priority_rationale": "the rationale",
    "priority_outcome": "what we want to be different",
    "partnership_lead": "the partnership lead",
    "board_officer": "the board officer",
    "delivery_group": "the key delivery mechanism",
    "objective": "the objective",
    "action_ref": "the action ref",
    "action": "the action",
    "outcome_measure": "the outcome measure",
    "lead": "the lead",
    "lead_person": "the lead person",
    "due_date": "the due date",
    "timescale": "the timescale",
    "status": "the status",
    "progress": "progress",
}


def _find_header(table: Sequence[Sequence[str]]) -> int | None:
    """Index of the heading row: the first non-empty row (of the first few) naming an action."""
    seen = 0
    for index, cells in enumerate(table):
        if not any(cells):
            continue
        seen += 1
        if seen > HEADER_SEARCH_ROWS:
            break
        try:
            header = _map_header(cells)
        except ImportFileError:
            # A row naming a field twice is still the heading row; report that problem.
            if any(header_field(cell) == "action" for cell in cells if cell):
                return index
            continue
        if "action" in header.indexes:
            return index
    return None


def _header_score(table: Sequence[Sequence[str]]) -> int:
    """How many recognised headings the best heading candidate has (to choose a delimiter)."""
    best = 0
    seen = 0
    for cells in table:
        if not any(cells):
            continue
        seen += 1
        if seen > HEADER_SEARCH_ROWS:
            break
        names = {header_field(cell) for cell in cells if cell} - {None}
        score = len(names) + (100 if "action" in names else 0)
        best = max(best, score)
    return best


# --------------------------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------------------------

_BINARY_SIGNATURES = (
    b"%PDF",
    b"PK\x03\x04",  # zip: xlsx, docx, odt...
    b"\xd0\xcf\x11\xe0",  # old Office (.xls, .doc)
    b"{\\rtf",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f]")
_SEP_LINE_RE = re.compile(r"^sep=(.)\r?\n", re.IGNORECASE)


def _extension(filename: str) -> str:
    name = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return name.rsplit(".", 1)[-1].casefold() if "." in name else ""


def read_table(data: bytes, filename: str) -> list[list[str]]:
    """Read a CSV or XLSX file into rows of stripped cell strings.

    Blank rows are kept (as empty lists) so that list index + 1 is the spreadsheet row number;
    blank rows below the last row with something in it are dropped, and so are trailing empty
    cells. XLSX date cells become ISO dates ("2015-03-31"). A file
    past the limits of limits.py (its size, what an XLSX file expands to, a value below row
    5,000 or right of column 60) raises ImportFileError before its rows are built.
    """
    extension = _extension(filename)
    if extension in {"csv", "xlsx"}:
        limits.check_file_size(data)
    if extension == "csv":
        table = _read_csv(data)
    elif extension == "xlsx":
        table = _read_xlsx(data)
    else:
        raise ImportFileError(NOT_SPREADSHEET)
    while table and not table[-1]:  # blank rows below the plan
        table.pop()
    if not table:
        raise ImportFileError(EMPTY_FILE)
    return table


def _trim(cells: Iterable[str]) -> list[str]:
    row = [cell.strip() for cell in cells]
    while row and not row[-1]:
        row.pop()
    return row


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode Text" is UTF-16
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFileError(NOT_SPREADSHEET) from None
    if b"\x00" in data or data.startswith(_BINARY_SIGNATURES):
        raise ImportFileError(NOT_SPREADSHEET)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFileError(NOT_SPREADSHEET) from None


def _read_csv(data: bytes) -> list[list[str]]:
    if not data.strip():
        raise ImportFileError(EMPTY_FILE)
    text = _decode(data)
    text = text.rstrip("\x1a")  # DOS end-of-file marker
    if _CONTROL_RE.search(text):
        raise ImportFileError(NOT_SPREADSHEET)
    sep = _SEP_LINE_RE.match(text)  # Excel's "sep=;" hint line
    if sep and sep.group(1) in ",;\t|":
        return _columns_checked(_parse_csv(text[sep.end() :], sep.group(1)))
    if not text.strip():
        raise ImportFileError(EMPTY_FILE)

    sniffed = _sniff_delimiter(text)
    table = _parse_csv(text, sniffed)
    # csv.Sniffer can be fooled by commas or semicolons in long text; prefer the delimiter
    # that reveals more recognisable column headings.
    best_score = _header_score(table[: HEADER_SEARCH_ROWS * 3])
    for delimiter in ",;\t":
        if delimiter == sniffed:
            continue
        head = _parse_csv(text, delimiter, limit=HEADER_SEARCH_ROWS * 3)
        score = _header_score(head)
        if score > best_score:
            best_score = score
            table = _parse_csv(text, delimiter)
    return _columns_checked(table)


def _columns_checked(table: list[list[str]]) -> list[list[str]]:
    """The table, if no row has a value right of the column cap. Checked once the delimiter
    is chosen: a wrong one can split long text into many cells."""
    for number, row in enumerate(table, start=1):
        _check_columns(row, number)
    return table


def _sniff_delimiter(text: str) -> str:
    sample = text[:65536]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {d: sample.split("\n", 1)[0].count(d) for d in ",;\t"}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _parse_csv(text: str, delimiter: str, limit: int | None = None) -> list[list[str]]:
    """The rows, up to the row cap: blank rows below it are dropped, a row with something in
    it refuses the file. (The caller checks the columns of the table it keeps.)"""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table: list[list[str]] = []
    try:
        for number, cells in enumerate(reader, start=1):
            row = _trim(cells)
            if number > limits.MAX_ROWS:
                if row:
                    raise ImportFileError(limits.too_many_rows(number))
                continue
            table.append(row)
            if limit is not None and len(table) >= limit:
                break
    except csv.Error as exc:
        raise ImportFileError(
            f"This CSV file could not be read (row {reader.line_num}: {exc}). "
            "Save it again from your spreadsheet program as CSV and try again."
        ) from None
    return table


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _check_columns(values: Sequence[object], row: int) -> None:
    """Refuse the file if a cell right of the column cap has something in it."""
    beyond = values[limits.MAX_COLUMNS :]
    if not beyond or beyond.count(None) == len(beyond):  # a sheet's empty cells are None
        return
    for column, value in enumerate(beyond, start=limits.MAX_COLUMNS + 1):
        if _cell_text(value).strip():
            raise ImportFileError(limits.too_many_columns(column, row))


def _read_xlsx(data: bytes) -> list[list[str]]:
    if not data:
        raise ImportFileError(EMPTY_FILE)
    if not data.startswith(b"PK\x03\x04") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportFileError(NOT_SPREADSHEET)
    limits.check_workbook(data)  # what it expands to, before openpyxl builds anything
    from openpyxl import load_workbook  # imported lazily: only XLSX imports need it

    try:
        # keep_links=False: links to other workbooks carry copies of their sheets.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception:  # openpyxl raises many kinds of error for a zip that is not a workbook
        raise ImportFileError(NOT_SPREADSHEET) from None
    try:
        if not workbook.worksheets:
            raise ImportFileError(EMPTY_FILE)
        sheet = workbook.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # some writers record wrong dimensions; read every cell
        try:
            return _sheet_table(sheet.iter_rows(values_only=True))
        except ImportFileError:
            raise
        except Exception:
            raise ImportFileError(NOT_SPREADSHEET) from None
    finally:
        workbook.close()


def _sheet_table(rows: Iterable[tuple[object, ...]]) -> list[list[str]]:
    """A sheet's rows as text, stopping at the first value past the row or column cap. Rows
    below the row cap are read (limits.py bounds how many there can be) but not kept."""
    table: list[list[str]] = []
    for number, values in enumerate(rows, start=1):
        _check_columns(values, number)
        if number <= limits.MAX_ROWS:
            table.append(_trim(_cell_text(value) for value in values[: limits.MAX_COLUMNS]))
        elif values.count(None) != len(values) and any(_cell_text(v).strip() for v in values):
            raise ImportFileError(limits.too_many_rows(number))
    return table


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
_MONTH_NAMES = tuple(month_name[1:])

_DATE_PREFIX_RE = re.compile(
    r"^(?:(?:no later than|by the end of|by end of|by the end|by end|end of|by|before|"
    r"due|deadline|target)\b[\s:,-]*)+",
    re.IGNORECASE,
)
_DMY_RE = re.compile(r"^(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})$")
_YMD_RE = re.compile(
    r"^(\d{4})([/.-])(\d{1,2})\2(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_TEXT_DMY_RE = re.compile(
    r"^(\d{1,2})\s*(?:st|nd|rd|th)?(?:\s+of)?[\s-]*([a-z]+)\.?,?[\s-]*(\d{4})$", re.IGNORECASE
)
_TEXT_MDY_RE = re.compile(
    r"^([a-z]+)\.?\s+(\d{1,2})\s*(?:st|nd|rd|th)?,?\s+(\d{4})$", re.IGNORECASE
)
_TEXT_MY_RE = re.compile(r"^([a-z]+)\.?(?:\s*[,/-]\s*|\s+)(\d{4})$", re.IGNORECASE)
_TEXT_MY_SHORT_RE = re.compile(r"^([a-z]+)\.?\s*(?:-|\s'|')\s*(\d{2})$", re.IGNORECASE)
_NUM_MY_RE = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{4})$")

DateKind = Literal["date", "invalid", "none"]


def _full_year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def _make_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> datetime.date | None:
    if not 1 <= month <= 12 or not 1 <= year <= 9999:
        return None
    return datetime.date(year, month, monthrange(year, month)[1])


def parse_date(text: str) -> tuple[DateKind, datetime.date | None]:
    """Read a UK date or a month and year (-> the last day of that month).

    Returns ("date", date), ("invalid", None) for something shaped like a date that cannot
    exist (31/02/2020, 2020-13-01, 32 March 2020), or ("none", None) for any other text.
    """
    value = _one_line(text).rstrip(".")
    value = _DATE_PREFIX_RE.sub("", value).strip()
    if not value or len(value) > 40:
        return "none", None

    match = _DMY_RE.match(value)
    if match:
        day, _, month, year = match.groups()
        return _result(_make_date(_full_year(year), int(month), int(day)))
    match = _YMD_RE.match(value)
    if match:
        year, _, month, day = match.groups()
        return _result(_make_date(int(year), int(month), int(day)))
    match = _NUM_MY_RE.match(value)
    if match:
        month, year = match.groups()
        return _result(_month_end(int(year), int(month)))

    match = _TEXT_DMY_RE.match(value)
    if match and match.group(2).casefold() in _MONTHS:
        day, month_name, year = match.groups()
        return _result(_make_date(int(year), _MONTHS[month_name.casefold()], int(day)))
    match = _TEXT_MDY_RE.match(value)
    if match and match.group(1).casefold() in _MONTHS:
        month_name, day, year = match.groups()
        return _result(_make_date(int(year), _MONTHS[month_name.casefold()], int(day)))
    match = _TEXT_MY_RE.match(value) or _TEXT_MY_SHORT_RE.match(value)
    if match and match.group(1).casefold() in _MONTHS:
        month_name, year = match.groups()
        return _result(_month_end(_full_year(year), _MONTHS[month_name.casefold()]))
    return "none", None


def _result(value: datetime.date | None) -> tuple[DateKind, datetime.date | None]:
    return ("date", value) if value is not None else ("invalid", None)


# --------------------------------------------------------------------------------------------
# Statuses
# --------------------------------------------------------------------------------------------

STATUS_LABELS: dict[str, str] = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "complete": "Complete",
    "deferred": "Deferred",
    "cancelled": "Cancelled",
}
_STATUS_WORDS: dict[str, str] = {
    "not started": "not_started",
    "in progress": "in_progress",
    "ongoing": "in_progress",
    "on going": "in_progress",
    "started": "in_progress",
    "on track": "in_progress",
    "complete": "complete",
    "completed": "complete",
    "done": "complete",
    "achieved": "complete",
    "deferred": "deferred",
    "on hold": "deferred",
    "postponed": "deferred",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "withdrawn": "cancelled",
}
_STATUS_WORDS.update({normalise_header(key): key for key in STATUS_LABELS})


def _parse_status(text: str) -> str | None:
    if not text:
        return "not_started"
    return _STATUS_WORDS.get(normalise_header(text))


# --------------------------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------------------------


@dataclass
class _Priority:
    ref: str
    title: str
    row: int
    fields: dict[str, str] = field(default_factory=dict)
    field_rows: dict[str, int] = field(default_factory=dict)
    next_number: int = 1


@dataclass
class _Pending:
    plan_row: PlanRow
    priority: _Priority
    given_ref: str


NO_PRIORITY_TITLE = "Give a priority title on this row or a row above it"


def parse_plan(data: bytes, filename: str, *, priorities_required: bool = True) -> ParseResult:
    """Read a business plan spreadsheet and parse its rows. Raises ImportFileError."""
    return parse_rows(read_table(data, filename), priorities_required=priorities_required)


def parse_rows(table: Sequence[Sequence[str]], *, priorities_required: bool = True) -> ParseResult:
    """Find the heading row in a table (from read_table) and parse the rows below it.

    With ``priorities_required`` False (a re-import, which finds each action's priority in
    the plan), a row need not have a priority, nor a priority ref a title: its priority ref
    and title are then blank, and the caller decides."""
    if not any(any(cells) for cells in table):
        raise ImportFileError(EMPTY_FILE)
    header_index = _find_header(table)
    if header_index is None:
        raise ImportFileError(
            "The column headings could not be found. The heading row must include a column "
            f"for the action, headed {_quoted_list(ACTION_HEADER_EXAMPLES)} "
            '(or "In 2014/15 we will" with any year).'
        )
    header = _map_header(table[header_index])
    _resolve_numbering(header, table[header_index + 1 :])
    result = ParseResult(
        columns=header.headings, progress_columns=[column for _, column in header.progress]
    )
    if header.unknown:
        result.warnings.append(
            "These columns were not recognised and will be ignored: "
            f"{_quoted_list(header.unknown)}."
        )
    _Parser(header, result, priorities_required=priorities_required).run(table, header_index)
    if not result.rows and not result.errors:
        result.warnings.append("No actions were found below the column headings.")
    return result


class _Parser:
    def __init__(
        self, header: _Header, result: ParseResult, *, priorities_required: bool = True
    ) -> None:
        self.priorities_required = priorities_required
        self.no_priority = _Priority(ref="", title="", row=0)  # rows before any priority
        self.indexes = header.indexes
        # Oldest first, a plain (undated) column last: the last is the latest progress.
        self.progress = sorted(
            header.progress, key=lambda item: (item[1].ends is None, item[1].ends, item[0])
        )
        self.result = result
        self.priorities: list[_Priority] = []
        self.by_ref: dict[str, _Priority] = {}
        self.by_title: dict[str, _Priority] = {}
        self.current: _Priority | None = None
        self.objective = ""
        self.pending: list[_Pending] = []

    def error(self, row: int, column: str, message: str) -> None:
        self.result.errors.append(RowError(row=row, column=column, message=message))

    def cells(self, cells: Sequence[str]) -> tuple[dict[str, str], list[ProgressEntry]]:
        """The row's text by field, and its progress cells (oldest first). The "progress"
        value is the latest progress text."""
        values: dict[str, str] = {}
        width = len(cells)
        for name, index in self.indexes.items():
            raw = cells[index] if index < width else ""
            if not raw:
                values[name] = ""
            elif name in REF_FIELDS:
                values[name] = _clean_ref(raw)
            elif name in SHORT_FIELDS:
                values[name] = _one_line(raw)
            else:
                values[name] = _long_text(raw)
        entries = []
        for index, column in self.progress:
            text = _long_text(cells[index]) if index < width else ""
            if text:
                entries.append(ProgressEntry(text=text, ends=column.ends, column=column.heading))
        values["progress"] = entries[-1].text if entries else ""
        for name in FIELDS:
            values.setdefault(name, "")
        return values, entries

    def run(self, table: Sequence[Sequence[str]], header_index: int) -> None:
        for index in range(header_index + 1, len(table)):
            cells = table[index]
            if not any(cells):
                continue
            self.row(index + 1, *self.cells(cells))
        self.finish()

    # -- one row ---------------------------------------------------------------------------

    def row(self, number: int, values: dict[str, str], entries: list[ProgressEntry]) -> None:
        if not any(values.values()):
            return  # text only in ignored columns
        has_priority = bool(values["priority_ref"] or values["priority_title"])
        if has_priority:
            self.switch_priority(number, values["priority_ref"], values["priority_title"])
        if values["objective"]:
            self.objective = values["objective"]
        if self.current is not None:
            self.record_priority_fields(number, values)

        if not values["action"]:
            action_level = any(values[name] for name in ACTION_LEVEL_FIELDS)
            if has_priority and not action_level:
                return  # a priority heading row
            self.error(number, "action", "Enter what will be done (the action) or delete the row")
            return

        priority = self.current
        if priority is None and not self.priorities_required:
            priority = self.no_priority
        if priority is None:
            self.error(number, "priority_title", NO_PRIORITY_TITLE)
            return

        filled = {name for name in ("action", *ACTION_LEVEL_FIELDS) if values[name]}
        due_date, timescale = self.dates(number, values["due_date"], values["timescale"])
        if due_date is not None:
            filled.add("due_date")  # read from the timescale
        if timescale:
            filled.add("timescale")  # or free text from the due date column
        status = _parse_status(values["status"])
        if status is None:
            self.error(
                number,
                "status",
                f'"{values["status"]}" is not a status; use one of: '
                + ", ".join(STATUS_LABELS.values()),
            )
            status = "not_started"

        plan_row = PlanRow(
            row=number,
            priority_ref=priority.ref,
            priority_title=priority.title,
            priority_statement="",
            priority_rationale="",
            priority_outcome="",
            partnership_lead="",
            board_officer="",
            delivery_group="",
            objective=self.objective,
            action_ref=values["action_ref"],
            action=values["action"],
            outcome_measure=values["outcome_measure"],
            lead=_one_line(values["lead"]),
            lead_person=values["lead_person"],
            due_date=due_date,
            timescale=timescale,
            status=status,
            progress=values["progress"],
            ref_generated=False,
            lead_cell=values["lead"],
            updates=entries,
            filled=frozenset(filled),
        )
        self.pending.append(_Pending(plan_row, priority, values["action_ref"]))

    def switch_priority(self, number: int, ref: str, title: str) -> None:
        priority: _Priority | None = None
        if ref:
            priority = self.by_ref.get(ref.casefold())
            if priority is None:
                priority = self.new_priority(number, ref, title)
            elif title and title.casefold() != priority.title.casefold():
                if priority.title:
                    self.error(
                        number,
                        "priority_title",
                        f'Priority {ref} is called "{priority.title}" on row {priority.row}; '
                        "use the same title or a different priority ref",
                    )
                else:
                    priority.title = title
                    self.by_title.setdefault(title.casefold(), priority)
        else:
            current = self.current
            if current is not None and current.title.casefold() == title.casefold():
                priority = current
            else:
                priority = self.by_title.get(title.casefold())
                if priority is None:
                    priority = self.new_priority(number, "", title)
        if priority is not self.current:
            self.objective = ""
        self.current = priority

    def new_priority(self, number: int, ref: str, title: str) -> _Priority:
        priority = _Priority(ref=ref, title=title, row=number)
        self.priorities.append(priority)
        if ref:
            self.by_ref[ref.casefold()] = priority
        if title:
            self.by_title.setdefault(title.casefold(), priority)
        return priority

    def record_priority_fields(self, number: int, values: dict[str, str]) -> None:
        priority = self.current
        assert priority is not None
        for name in PRIORITY_LEVEL_FIELDS:
            value = values[name]
            if not value:
                continue
            existing = priority.fields.get(name)
            if existing is None:
                priority.fields[name] = value
                priority.field_rows[name] = number
            elif _one_line(existing).casefold() != _one_line(value).casefold():
                label = _FIELD_LABELS[name]
                self.result.warnings.append(
                    f"Row {number}: {label} for priority {_priority_name(priority)} differs "
                    f"from row {priority.field_rows[name]}; the text on row "
                    f"{priority.field_rows[name]} will be used."
                )

    def dates(self, number: int, due_text: str, timescale: str) -> tuple[datetime.date | None, str]:
        """The due date, and the timescale text (with unreadable due-date text moved into it)."""
        due_date: datetime.date | None = None
        kind: DateKind = "none"
        if due_text:
            kind, due_date = parse_date(due_text)
            if kind == "invalid":
                self.error(number, "due_date", f"{due_text} is not a real date")
        if timescale and due_date is None and kind != "invalid":
            timescale_kind, timescale_date = parse_date(timescale)
            if timescale_kind == "date":
                due_date = timescale_date
        if due_text and kind == "none":
            # Free text such as "Ongoing" or "Q3" in the due date column: keep it as timescale.
            if not timescale:
                timescale = due_text
            elif due_text.casefold() not in timescale.casefold():
                timescale = f"{timescale}; {due_text}"
        return due_date, timescale

    # -- after the last row ----------------------------------------------------------------

    def finish(self) -> None:
        for priority in self.priorities:
            if not priority.title and self.priorities_required:
                self.error(priority.row, "priority_title", NO_PRIORITY_TITLE)

        used: dict[str, int] = {}
        for item in self.pending:
            ref = item.given_ref
            if not ref:
                continue
            key = ref.casefold()
            if key in used:
                self.error(
                    item.plan_row.row, "action_ref", f"{ref} is also used on row {used[key]}"
                )
            else:
                used[key] = item.plan_row.row

        for item in self.pending:
            plan_row = item.plan_row
            priority = item.priority
            if not item.given_ref:
                plan_row.ref_generated = True
                if priority.ref:
                    number = priority.next_number
                    while f"{priority.ref}.{number}".casefold() in used:
                        number += 1
                    plan_row.action_ref = f"{priority.ref}.{number}"
                    used[plan_row.action_ref.casefold()] = plan_row.row
                    priority.next_number = number + 1
            plan_row.priority_ref = priority.ref
            plan_row.priority_title = priority.title
            for name in PRIORITY_LEVEL_FIELDS:
                setattr(plan_row, name, priority.fields.get(name, ""))

        # Only rows without errors are returned, so every PlanRow can be trusted as it is.
        error_rows = {error.row for error in self.result.errors}
        self.result.rows.extend(
            item.plan_row for item in self.pending if item.plan_row.row not in error_rows
        )
        self.result.errors.sort(key=lambda error: error.row)


def _priority_name(priority: _Priority) -> str:
    return priority.ref or f'"{priority.title}"'
