"""The tracker's exports: the same columns as CSV and as an XLSX workbook formatted for people.

The view (priorities.views.tracker_export) calls these with the tracker's filtered rows.
Both writers take actions from ``Action.objects....for_tracker()`` (its latest-update
annotations) and read them with ``iterator(chunk_size=500)``: one query, whatever the number of
rows, and memory stays flat. Every value passes through ``safe_cell`` on its way to a cell,
so text typed into the site never reaches a spreadsheet as a formula.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from priorities.models import Action, ActionQuerySet, Rag, ReportingPeriod
from sab.markdown import plain_text

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

NOT_RATED = "Not rated"


def rag_word(rag: str | None) -> str:
    """The rating as its word ("Red", "Complete"), or "Not rated"."""
    return Rag(rag).label if rag in Rag.values else NOT_RATED


# --- The columns ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Action], object]
    width: int  # in Excel's characters
    wrap: bool = False  # long text: wrapped in the workbook
    rag: bool = False  # a RAG word: coloured in the workbook


def _last_updated(action: Action) -> datetime.date | None:
    at = action.latest_update_at
    return timezone.localtime(at).date() if at else None


COLUMNS = (
    Column("Plan", lambda a: a.priority.plan.title, 24, wrap=True),
    Column("Priority", lambda a: f"{a.priority.ref} {a.priority.title}", 30, wrap=True),
    Column("Ref", lambda a: a.ref, 8),
    Column("Action", lambda a: a.description, 50, wrap=True),
    Column("Outcome measure", lambda a: a.outcome_measure, 40, wrap=True),
    Column("Lead", lambda a: a.lead_display, 24, wrap=True),
    Column("Lead person", lambda a: a.lead_person.name if a.lead_person else "", 20, wrap=True),
    Column("Due date", lambda a: a.due_date, 12),
    Column("Timescale", lambda a: a.timescale, 22, wrap=True),
    Column("Status", lambda a: a.get_status_display(), 13),
    Column("Latest RAG", lambda a: rag_word(a.latest_rag), 11, rag=True),
    Column("Last updated", _last_updated, 13),
    Column("Period", lambda a: a.latest_period_label or "", 14),
    Column("Latest progress", lambda a: plain_text(a.latest_text), 70, wrap=True),
)
HEADERS = [column.header for column in COLUMNS]


def _rows(actions: ActionQuerySet):
    """Each action's values, column by column. ``actions`` come from for_tracker(); the label
    of the latest update's period is read in the same query."""
    labelled = actions.annotate(
        latest_period_label=Subquery(
            ReportingPeriod.objects.filter(pk=OuterRef("latest_update_period")).values("label")
        )
    )
    for action in labelled.iterator(chunk_size=500):
        yield [column.value(action) for column in COLUMNS]


# --- Cells -----------------------------------------------------------------------------------

# A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV injection").
FORMULA_STARTS = frozenset("=+-@\t\r")
XLSX_MAX_TEXT = 32_767  # characters in a cell


def looks_like_formula(text: str) -> bool:
    return text[:1] in FORMULA_STARTS


def safe_cell(value: object, *, workbook: bool = False) -> object:
    """A value as the exports write it to a cell: the one rule for the CSV and XLSX exports,
    so that no text from the database reaches a spreadsheet as a formula.

    For CSV (the default) the value becomes text: a date as dd/mm/yyyy, None as "", and text
    a spreadsheet would run as a formula gets a leading apostrophe, which spreadsheets read
    as "this is text" (OWASP's advice). For a workbook (``workbook=True``) a date stays a
    date and a number a number; text loses the characters a workbook cannot hold and is cut
    to what a cell holds, and keeps its first character: the writer stores every text as a
    text cell (_xlsx_cell), where an apostrophe would show."""
    if value is None:
        return None if workbook else ""
    if isinstance(value, datetime.date):
        return value if workbook else value.strftime("%d/%m/%Y")
    if workbook and isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value)
    if workbook:
        return ILLEGAL_CHARACTERS_RE.sub("", text)[:XLSX_MAX_TEXT]
    return "'" + text if looks_like_formula(text) else text


csv_cell = safe_cell  # the CSV rule by its older name (reviews.views imports it)


# --- CSV ------------------------------------------------------------------------------------


def write_csv(actions: ActionQuerySet, stream: IO[str]) -> None:
    """The actions as CSV on ``stream`` (a text stream, or an HttpResponse), with a byte order
    mark so that Excel reads it as UTF-8."""
    stream.write("\ufeff")
    writer = csv.writer(stream)
    writer.writerow(HEADERS)
    for values in _rows(actions):
        writer.writerow([safe_cell(value) for value in values])


# --- XLSX -----------------------------------------------------------------------------------

DATE_FORMAT = "dd/mm/yyyy"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E5E6E7")
TOP = Alignment(vertical="top")
TOP_WRAPPED = Alignment(vertical="top", wrap_text=True)
# The site's RAG tag colours (frontend/brand.scss); the word is always in the cell too.
RAG_STYLES = {
    word: (Font(color=text), PatternFill("solid", fgColor=fill))
    for word, text, fill in [
        ("Red", "651B1B", "F4D7D7"),
        ("Amber", "7A3C1C", "FFEE80"),
        ("Green", "083D29", "CFE4DC"),
        ("Complete", "0F385C", "D2E2F1"),
        (NOT_RATED, "0B0C0C", "E5E6E7"),
    ]
}


def _sheet_title(title: str) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "-", title)[:31].strip() or "Actions"


def _xlsx_cell(sheet, value: object, column: Column) -> WriteOnlyCell:
    value = safe_cell(value, workbook=True)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # Every text is a text cell, never a formula (openpyxl would store "=..." as one).
        # The quote prefix keeps a formula-like text as text when someone edits the cell.
        cell.data_type = "s"
        cell.quotePrefix = looks_like_formula(value)
    if isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    cell.alignment = TOP_WRAPPED if column.wrap else TOP
    if column.rag and value in RAG_STYLES:
        cell.font, cell.fill = RAG_STYLES[value]
    return cell


def xlsx_bytes(actions: ActionQuerySet, *, title: str) -> bytes:
    """The actions as an XLSX workbook for reading: a bold, frozen header row with a filter,
    column widths, long text wrapped, dates as dates (dd/mm/yyyy), the RAG as a word (and its
    colour). ``title`` is the workbook's title and, cut to Excel's 31 characters, its sheet's
    name. Printed, it is landscape, one page wide, with the header on every page."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    sheet = workbook.create_sheet(_sheet_title(title))
    # Set before the first row: a write-only sheet writes these ahead of its rows.
    sheet.freeze_panes = "A2"
    for number, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    header = []
    for name in HEADERS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, TOP_WRAPPED
        header.append(cell)
    sheet.append(header)
    count = 0
    for values in _rows(actions):
        sheet.append(
            [
                _xlsx_cell(sheet, value, column)
                for value, column in zip(values, COLUMNS, strict=True)
            ]
        )
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
