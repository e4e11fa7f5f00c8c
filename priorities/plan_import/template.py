"""The spreadsheet template board managers download from the upload page.

One worksheet with the headings the import reads best and one example row (the import reads
only the first worksheet), and a second with what each column holds. A test imports the
template, so it always parses cleanly.
"""

from __future__ import annotations

import datetime
import io

__all__ = ["TEMPLATE_COLUMNS", "TEMPLATE_FILENAME", "XLSX_CONTENT_TYPE", "build_template"]

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_FILENAME = "business-plan-import-template.xlsx"

# (heading, example, what it holds). Every heading is the field's own FIELD_ALIASES entry.
TEMPLATE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("Priority ref", "1", "The priority's number, e.g. 1 or 2b. Give it on the priority's first "
     "row; rows below with it blank belong to the same priority."),
    ("Priority", "Making Safeguarding Personal", "The priority's title, on its first row."),
    ("Priority statement", "People are asked what outcomes they want from a safeguarding "
     "enquiry, and those outcomes are recorded and reviewed.", "Optional, once per priority."),
    ("Key delivery mechanism", "Quality Assurance Subgroup",
     "The group that delivers the priority, as the board names it. Optional."),
    ("Objective", "Practitioners are confident to apply MSP",
     "Optional. It applies to the rows below until the next objective or priority."),
    ("Action ref", "1.1", "The action's ref, e.g. 1.1. Leave it blank to number the actions "
     "1.1, 1.2... Re-importing the sheet updates the action with the same ref."),
    ("Action", "Run a multi-agency case file audit of MSP in safeguarding enquiries",
     "Required: what will be done."),
    ("Outcome measure", "Audit report to the Board; action plan agreed",
     "How we will know it worked."),
    ("Lead", "Quality Assurance Subgroup", "The group leading the action. Separate several with "
     '"/" or ",": the first the board knows is the lead group.'),
    ("Lead person", "", "A named person, if there is one."),
    ("Due date", "", "A date such as 31/03/2027, or a month such as March 2027."),
    ("Timescale", "Audit by December; report to the Board in March",
     'In words, e.g. "Quarterly" or "Ongoing".'),
    ("Status", "Not started", "Not started, In progress, Complete, Deferred or Cancelled."),
    ("Progress", "", 'Progress so far. Add a column for each year, such as "2025/26 update", '
     "to import earlier years' progress with their dates."),
)  # fmt: skip

_STATUSES = "Not started,In progress,Complete,Deferred,Cancelled"


def _example_due_date(today: datetime.date) -> datetime.date:
    """The end of the current financial year: 31 March."""
    return datetime.date(today.year + 1 if today.month > 3 else today.year, 3, 31)


def build_template(today: datetime.date | None = None) -> bytes:
    """The template workbook's bytes."""
    from openpyxl import Workbook  # imported lazily, as the parser does
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    today = today or datetime.date.today()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Plan"
    headings = [heading for heading, _, _ in TEMPLATE_COLUMNS]
    sheet.append(headings)
    example: list[object] = [value for _, value, _ in TEMPLATE_COLUMNS]
    due_column = headings.index("Due date")
    example[due_column] = _example_due_date(today)
    sheet.append(example)
    sheet.cell(row=2, column=due_column + 1).number_format = "dd/mm/yyyy"
    for index, cell in enumerate(sheet[1], start=1):
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = 40 if index in (3, 7, 8) else 22
    for cell in sheet[2]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"

    status_column = sheet.cell(row=1, column=headings.index("Status") + 1).column_letter
    statuses = DataValidation(
        type="list",
        formula1=f'"{_STATUSES}"',
        allow_blank=True,
        showErrorMessage=True,
        error="Choose a status from the list.",
    )
    statuses.add(f"{status_column}2:{status_column}1000")
    sheet.add_data_validation(statuses)

    guide = workbook.create_sheet("How to fill it in")
    guide.append(["Column", "What it holds"])
    for heading, _, note in TEMPLATE_COLUMNS:
        guide.append([heading, note])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 100

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
