"""A board's Section 42 figures for a reporting year: its Safeguarding Adults Collection data
(reports/sac.py), imported from a CSV file (docs/section-42-csv.md) and read back as the
tables and bar charts the annual report prints.

- ``import_figures`` replaces a year's figures with a file's, all of them or none: every bad
  row is named in one ValidationError, keyed "file" (the argument it is about), and nothing
  changes. ``parse_figures`` reads the file and never touches the database.
- ``year_figures`` reads the year and the year before in one query and lays out a table and
  a chart per dimension, with exact numbers for the board office and, for anything public,
  counts from 1 to 4 as "fewer than 5" (``sac.public_count``), in the chart too.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from reports.models import SafeguardingFigure
from reports.sac import CATEGORIES, SMALL_NUMBER_LIMIT, Dimension, public_count
from reviews.summary import is_reportable_year
from sab.models import Board

# The file's columns, in the template's order, and the field each count column fills.
HEADER = ("dimension", "category", "concerns", "section_42_enquiries", "other_enquiries")
COUNT_FIELDS = {
    "concerns": "concerns",
    "section_42_enquiries": "section_42",
    "other_enquiries": "other_enquiries",
}
COUNTS = tuple(COUNT_FIELDS.values())
COUNT_LABELS = {
    "concerns": "Concerns",
    "section_42": "Section 42 enquiries",
    "other_enquiries": "Other enquiries",
}
# The same within a sentence.
COUNT_WORDS = {
    "concerns": "concerns",
    "section_42": "Section 42 enquiries",
    "other_enquiries": "other enquiries",
}
# A year has at most one row per category (73 of them); this many is a different file.
MAX_ROWS = 500
MAX_COUNT = 2_147_483_647  # the largest count the database holds
NOT_RECORDED = "Not recorded"


def dimension_name(dimension: str) -> str:
    """A dimension's label without its SAC table: "Gender" for "Gender (SG1b)"."""
    return re.sub(r"\s*\([^)]*\)$", "", Dimension(dimension).label)


def _key(text: str) -> str:
    """Text as the import compares it: any capitals, spacing, curly apostrophes or dashes."""
    text = text.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(text.split()).casefold()


# A dimension by its value ("gender"), its label ("Gender (SG1b)") or its name ("Gender").
DIMENSIONS = {
    _key(name): dimension
    for dimension in Dimension
    for name in (dimension.value, dimension.label, dimension_name(dimension))
}
CATEGORY_KEYS = {
    dimension: {_key(category): category for category in categories}
    for dimension, categories in CATEGORIES.items()
}


# --- The import ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedRow:
    row: int  # the row number a spreadsheet shows (the headings are row 1)
    dimension: str
    category: str
    counts: dict[str, int | None]  # field name -> count, None where blank


def _refuse(*errors: str) -> ValidationError:
    return ValidationError({"file": list(errors)})


def _records(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(
            "The file must be a CSV file saved as UTF-8 text: in Excel, use Save As and "
            "choose CSV UTF-8"
        ) from None
    if not text.strip():
        raise _refuse("The selected file is empty")
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise _refuse(f"The file could not be read as CSV: {error}") from None


def _columns(header: list[str]) -> dict[str, int]:
    """Where each column is, by its heading (any capitals and spacing); refused if one is
    missing or repeated. Other columns are ignored."""
    names = [re.sub(r"[\s-]+", "_", name.strip().casefold()) for name in header]
    repeated = sorted({name for name in names if name in HEADER and names.count(name) > 1})
    missing = [name for name in HEADER if name not in names]
    errors = []
    if missing:
        hint = " Separate the columns with commas." if ";" in ",".join(header) else ""
        errors.append(
            f"The file is missing the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}. The first row must be the headings "
            f"{','.join(HEADER)}.{hint}"
        )
    errors += [f"The column {name} appears more than once" for name in repeated]
    if errors:
        raise _refuse(*errors)
    return {name: names.index(name) for name in HEADER}


def _count(number: int, column: str, raw: str, errors: list[str]) -> int | None:
    if not raw:
        return None
    if re.fullmatch(r"\d+|\d{1,3}(,\d{3})+", raw) is None:
        errors.append(f"Row {number}: {column} must be a whole number of 0 or more, not {raw}")
        return None
    value = int(raw.replace(",", ""))
    if value > MAX_COUNT:
        errors.append(f"Row {number}: {column} is too large: {raw}")
        return None
    return value


def _what(number: int, raw_dimension: str, raw_category: str) -> tuple[str, str] | str:
    """The row's dimension and category as the national tables spell them, or the problem."""
    dimension = DIMENSIONS.get(_key(raw_dimension))
    if not raw_dimension:
        return f"Row {number}: enter the dimension, for example Gender"
    if dimension is None:
        names = "; ".join(dimension_name(choice) for choice in Dimension)
        return f"Row {number}: {raw_dimension!r} is not a dimension. Use one of: {names}."
    name = dimension_name(dimension)
    category = CATEGORY_KEYS[dimension].get(_key(raw_category))
    if not raw_category:
        return f"Row {number}: enter a category of {name}"
    if category is None:
        return (
            f"Row {number}: {raw_category!r} is not a category of {name}. "
            f"Use one of: {'; '.join(CATEGORIES[dimension])}."
        )
    return dimension, category


def _parse_row(number: int, cells: dict[str, str], errors: list[str]) -> ParsedRow | None:
    """One row, or None with its errors added (every problem in it, not just the first)."""
    what = _what(number, cells["dimension"], cells["category"])
    problems = [what] if isinstance(what, str) else []
    counts = {
        field: _count(number, column, cells[column], problems)
        for column, field in COUNT_FIELDS.items()
    }
    errors += problems
    if problems:
        return None
    return ParsedRow(number, *what, counts)


def parse_figures(data: bytes) -> list[ParsedRow]:
    """The file's rows of figures, in the file's order. Blank rows, and rows whose counts are
    all blank (the template's unfilled rows), are skipped. Refused (ValidationError keyed
    "file", listing every bad row) if the file is empty, not CSV, lacks a column, or has a
    bad row: an unknown dimension or category, a count that is not a whole number of 0 or
    more, or a category given twice."""
    records = _records(data)
    positions = _columns(records[0])
    if len(records) - 1 > MAX_ROWS:
        raise _refuse(f"The file has more than {MAX_ROWS} rows: a year's figures have fewer")
    errors: list[str] = []
    rows: list[ParsedRow] = []
    seen: dict[tuple[str, str], int] = {}
    filled = 0
    for number, record in enumerate(records[1:], start=2):
        cells = {
            name: record[at].strip() if at < len(record) else "" for name, at in positions.items()
        }
        if not any(cells.values()):
            continue
        filled += 1
        row = _parse_row(number, cells, errors)
        if row is None or all(count is None for count in row.counts.values()):
            continue
        first = seen.setdefault((row.dimension, row.category), number)
        if first != number:
            name = dimension_name(row.dimension)
            errors.append(f"Row {number} repeats {name}: {row.category} (row {first})")
            continue
        rows.append(row)
    if errors:
        raise _refuse(*errors)
    if not filled:
        raise _refuse("The file has its headings but no rows of figures")
    if not rows:
        raise _refuse("The file has no figures: every count is blank")
    return rows


def _read(file) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read()


def _changed(figure: SafeguardingFigure, counts: dict[str, int | None]) -> bool:
    changed = False
    for field, value in counts.items():
        if getattr(figure, field) != value:
            setattr(figure, field, value)
            changed = True
    return changed


def _cleaned(figure: SafeguardingFigure) -> SafeguardingFigure:
    # The board is the caller's; a category once per year is the parser's check, and the
    # year's other rows are replaced, so the model's own rules are what is left to check.
    figure.full_clean(exclude=["board"], validate_unique=False, validate_constraints=False)
    return figure


@transaction.atomic
def import_figures(*, board: Board, year: int, file, by) -> int:
    """Replace ``board``'s figures for ``year`` with the rows of ``file`` (an uploaded CSV,
    UTF-8 with or without a BOM): all of them, or nothing if any row is bad. A figure that
    is in the file again keeps its record (its history shows the change); one that is not is
    deleted. History records name ``by``. Returns the number of rows saved."""
    if not is_reportable_year(year):
        raise ValidationError({"year": f"{year} is not a reporting year figures can be kept for"})
    rows = parse_figures(_read(file))
    # One import of a board's figures at a time: the second waits, then replaces the first.
    list(Board.objects.select_for_update().filter(pk=board.pk).values_list("pk", flat=True))
    existing = {
        (figure.dimension, figure.category): figure
        for figure in SafeguardingFigure.objects.for_board(board).filter(year=year)
    }
    new, changed = [], []
    for row in rows:
        figure = existing.pop((row.dimension, row.category), None)
        if figure is None:
            new.append(
                _cleaned(
                    SafeguardingFigure(
                        board=board,
                        year=year,
                        dimension=row.dimension,
                        category=row.category,
                        **row.counts,
                    )
                )
            )
        elif _changed(figure, row.counts):
            changed.append(_cleaned(figure))
    for figure in existing.values():  # not in the file: gone, with who removed it
        figure._history_user = by
        figure.delete()
    if changed:
        bulk_update_with_history(changed, SafeguardingFigure, list(COUNTS), default_user=by)
    if new:
        bulk_create_with_history(new, SafeguardingFigure, default_user=by)
    return len(rows)


def template_csv() -> str:
    """The CSV a board office fills in: the headings and a row per dimension and category,
    in the national order, with the counts blank. With a BOM, so Excel reads it as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for dimension in Dimension:
        for category in CATEGORIES[dimension]:
            writer.writerow([dimension_name(dimension), category, "", "", ""])
    return "\ufeff" + out.getvalue()


# --- Reading a year --------------------------------------------------------------------------

# The totals table (SG1f) has a row per total: each row's count is in its own column (the
# one its name says), or, if that is blank, whichever column holds it.
TOTAL = "total"
TOTAL_COLUMNS = {
    "Total Safeguarding Concerns": "concerns",
    "Total Section 42 Enquiries": "section_42",
    "Total Other Enquiries": "other_enquiries",
}

# The bar chart: each category's name on a line, its bar below it with the count after it.
CHART_BAR_SPACE = 320  # the longest bar
CHART_WIDTH = CHART_BAR_SPACE + 120  # room for the count after a bar, and for long names
CHART_LABEL_HEIGHT = 16
CHART_BAR_HEIGHT = 14
CHART_ROW = CHART_LABEL_HEIGHT + CHART_BAR_HEIGHT + 10
CHART_SMALL_BAR = 4  # every bar of 1 to 4 in public, and the shortest bar drawn
CHART_FILL = "#1d70b8"


def _value(figure: SafeguardingFigure | None, column: str) -> int | None:
    if figure is None:
        return None
    if column != TOTAL:
        return getattr(figure, column)
    own = getattr(figure, TOTAL_COLUMNS[figure.category])
    if own is not None:
        return own
    return next((value for field in COUNTS if (value := getattr(figure, field)) is not None), None)


def _text(value: int | None) -> str:
    return NOT_RECORDED if value is None else f"{value:,}"


def _public(value: int | None) -> str:
    return NOT_RECORDED if value is None else public_count(value)


def _suppressed(value: int | None) -> bool:
    return value is not None and 0 < value < SMALL_NUMBER_LIMIT


@dataclass(frozen=True)
class Cell:
    header: str  # the column's heading, for a table stacked on a narrow screen
    value: int | None
    text: str  # exact, for the board office
    public: str  # as anything public shows it


def _cell(header: str, value: int | None) -> Cell:
    return Cell(header, value, _text(value), _public(value))


@dataclass(frozen=True)
class FigureRow:
    category: str
    counts: dict[str, int | None]  # this year's, by column
    previous: dict[str, int | None]  # the previous year's, by column
    cells: list[Cell]  # in the table's order: each column this year, then the year before


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the count as the chart prints it
    y: int  # top of the row
    width: int

    @property
    def label_y(self) -> int:
        return self.y + CHART_LABEL_HEIGHT - 4

    @property
    def bar_y(self) -> int:
        return self.y + CHART_LABEL_HEIGHT

    @property
    def value_y(self) -> int:
        return self.bar_y + CHART_BAR_HEIGHT - 3

    @property
    def value_x(self) -> int:
        return self.width + 6


@dataclass(frozen=True)
class FigureChart:
    """One table's main count as a horizontal bar chart
    (templates/reports/charts/_figure_bars.html): each category's name and count in text,
    the same numbers as the table beside it."""

    id: str
    title: str
    description: str
    bars: list[Bar]
    width: int = CHART_WIDTH
    bar_height: int = CHART_BAR_HEIGHT
    fill: str = CHART_FILL

    @property
    def height(self) -> int:
        return len(self.bars) * CHART_ROW + 4


def _bar_width(value: int | None, most: int, public: bool) -> int:
    if not value:
        return 0
    if public and _suppressed(value):
        return CHART_SMALL_BAR  # the same for 1 as for 4
    return max(CHART_SMALL_BAR, round(CHART_BAR_SPACE * value / most))


def _chart(
    *, id: str, title: str, subject: str, values: list[tuple[str, int | None]], public: bool
) -> FigureChart:
    shown = [value or 0 for _, value in values if not (public and _suppressed(value))]
    most = max(shown, default=0) or 1
    texts = [(label, _public(value) if public else _text(value)) for label, value in values]
    bars = [
        Bar(label=label, text=text, y=row * CHART_ROW + 2, width=_bar_width(value, most, public))
        for row, ((label, value), (_, text)) in enumerate(zip(values, texts, strict=True))
    ]
    parts = "; ".join(f"{label}: {text[:1].lower()}{text[1:]}" for label, text in texts)
    return FigureChart(
        id=f"{id}-{'public' if public else 'exact'}",
        title=title,
        description=f"Bar chart of {subject}: {parts}.",
        bars=bars,
    )


@dataclass(frozen=True)
class FigureTable:
    dimension: str
    label: str  # "Gender (SG1b)"
    name: str  # "Gender"
    caption: str
    columns: list[str]  # the count columns it has: fields, or TOTAL for the totals table
    headers: list[str]  # after the category: each column this year, then the year before
    rows: list[FigureRow]
    has_previous: bool
    main: str  # the column the chart draws
    chart: FigureChart  # exact
    public_chart: FigureChart  # 1 to 4 drawn alike, as "fewer than 5"


@dataclass(frozen=True)
class Rate:
    value: float | None  # (Section 42 + other enquiries) / concerns
    text: str
    public: str


def _rate(totals: dict[str, SafeguardingFigure]) -> Rate:
    concerns, section_42, other = (
        _value(totals.get(category), TOTAL) for category in TOTAL_COLUMNS
    )
    if not concerns or (section_42 is None and other is None):
        return Rate(None, "Not available", "Not available")
    value = ((section_42 or 0) + (other or 0)) / concerns
    text = f"{value:.1%}"
    # A rate worked out from a count of 1 to 4 would tell a reader something about it.
    small = any(_suppressed(count) for count in (concerns, section_42, other))
    return Rate(value, text, "Not published (fewer than 5)" if small else text)


@dataclass(frozen=True)
class YearFigures:
    board: Board
    year: int
    label: str  # "2024/25"
    previous_label: str
    tables: list[FigureTable]
    conversion: Rate
    previous_conversion: Rate
    rows: int  # this year's figures
    has_previous: bool  # the year before has figures

    @property
    def is_empty(self) -> bool:
        return not self.tables


def _table(dimension, this, previous, *, label: str, previous_label: str) -> FigureTable:
    """One dimension's table and charts: ``this`` and ``previous`` map each category to its
    figure in the year and the year before."""
    categories = [c for c in CATEGORIES[dimension] if c in this or c in previous]
    if dimension == Dimension.TOTALS:
        columns = [TOTAL]
    else:
        columns = [f for f in COUNTS if any(getattr(x, f) is not None for x in this.values())]
    has_previous = bool(previous)
    headings = {column: COUNT_LABELS.get(column, "Number") for column in columns}
    headers = []
    for column in columns:
        headers.append(f"{headings[column]} {label}")
        if has_previous:
            headers.append(f"{headings[column]} {previous_label}")
    rows = []
    for category in categories:
        counts = {column: _value(this.get(category), column) for column in columns}
        before = {column: _value(previous.get(category), column) for column in columns}
        cells = []
        for column in columns:
            cells.append(_cell(f"{headings[column]} {label}", counts[column]))
            if has_previous:
                cells.append(_cell(f"{headings[column]} {previous_label}", before[column]))
        rows.append(FigureRow(category, counts, before, cells))
    main = next(c for c in (TOTAL, "section_42", "concerns", "other_enquiries") if c in columns)
    name = dimension_name(dimension)
    what = "the totals" if main == TOTAL else f"{COUNT_WORDS[main]} by {name.lower()}"
    chart = {
        "id": f"figures-{dimension}",
        "title": f"{name}, {label}" if main == TOTAL else f"{name}, {label}: {COUNT_WORDS[main]}",
        "subject": f"{what} in {label}",
        "values": [(row.category, row.counts[main]) for row in rows],
    }
    years = f"{label} and {previous_label}" if has_previous else label
    return FigureTable(
        dimension=dimension,
        label=Dimension(dimension).label,
        name=name,
        caption=f"{Dimension(dimension).label}: {years}",
        columns=columns,
        headers=headers,
        rows=rows,
        has_previous=has_previous,
        main=main,
        chart=_chart(**chart, public=False),
        public_chart=_chart(**chart, public=True),
    )


def _by_dimension(
    figures: Iterable[SafeguardingFigure],
) -> dict[str, dict[str, SafeguardingFigure]]:
    grouped: dict[str, dict[str, SafeguardingFigure]] = {}
    for figure in figures:
        grouped.setdefault(figure.dimension, {})[figure.category] = figure
    return grouped


def year_figures(board: Board, year: int) -> YearFigures:
    """The board's figures for ``year`` with the year before's beside them, in one query: a
    table per dimension the year has figures for (in the national order), and the year's
    conversion rate and the year before's (from the totals)."""
    figures = list(SafeguardingFigure.objects.for_board(board).filter(year__in=(year, year - 1)))
    this = _by_dimension(figure for figure in figures if figure.year == year)
    previous = _by_dimension(figure for figure in figures if figure.year == year - 1)
    label, previous_label = board.financial_year_label(year), board.financial_year_label(year - 1)
    tables = [
        _table(
            dimension,
            this[dimension],
            previous.get(dimension, {}),
            label=label,
            previous_label=previous_label,
        )
        for dimension in Dimension
        if dimension in this
    ]
    return YearFigures(
        board=board,
        year=year,
        label=label,
        previous_label=previous_label,
        tables=tables,
        conversion=_rate(this.get(Dimension.TOTALS, {})),
        previous_conversion=_rate(previous.get(Dimension.TOTALS, {})),
        rows=sum(len(categories) for categories in this.values()),
        has_previous=bool(previous),
    )
