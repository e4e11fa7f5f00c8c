"""How much of a plan file the import reads: checked before anything is built from the file.

A spreadsheet can be small on disk and huge in memory. An XLSX file is a zip of XML parts,
and a sheet of a few hundred kilobytes can expand to hundreds of megabytes (an 821 KB upload
whose sheet was 255 MB took a server from 80 MB to 1.26 GB). openpyxl builds some parts
whole and reads a sheet a row at a time, building a whole row first; so the import bounds
what it may build before openpyxl opens the file:

1. The file: at most MAX_FILE_BYTES (the upload form's limit too).
2. The zip's parts, from the sizes the zip declares (zipfile never inflates a part past its
   declared size, so they bound what can be read): at most MAX_UNCOMPRESSED_BYTES in all,
   and a part over RATIO_CHECK_BYTES that expands more than MAX_RATIO times is a zip bomb.
3. One streaming pass over every part with expat, which keeps no tree, stopping at the first
   limit passed: at most MAX_XML_ELEMENTS elements in all; at most MAX_WHOLE_ELEMENTS in
   what openpyxl builds whole (styles, the workbook, relationships, and everything in a sheet
   but its rows); in a sheet at most MAX_SHEET_ROWS rows, none past Excel's last row, and
   at most MAX_RECORD_ELEMENTS elements in one row; at most MAX_STRING_ELEMENTS in one
   shared string. No document type declarations (the way into entity expansion).
4. Reading the first sheet (parse.py) stops at a value below row MAX_ROWS or right of column
   MAX_COLUMNS, and a CSV file's rows stop at the same caps.

What is left, a part crafted to be read whole although it looks like a sheet, is bounded by
MAX_XML_ELEMENTS (about 170 MB at worst). The messages say what to do in the board
manager's words; the numbers in them are the file's and these caps.
"""

from __future__ import annotations

import io
import math
import zipfile
import zlib
from xml.parsers import expat

__all__ = [
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_UNCOMPRESSED_BYTES",
    "NOT_SPREADSHEET",
    "ImportFileError",
    "check_file_size",
    "check_workbook",
    "column_letter",
    "too_many_columns",
    "too_many_rows",
]

MB = 1024 * 1024
MAX_FILE_BYTES = 5 * MB  # as the upload form (plan_import.views.MAX_UPLOAD_BYTES)
MAX_UNCOMPRESSED_BYTES = 50 * MB  # the workbook's parts, as they are once opened
MAX_RATIO = 100  # how many times a large part may expand; spreadsheets manage 5 to 20
RATIO_CHECK_BYTES = 4 * MB  # smaller parts may compress as well as they like
MAX_ROWS = 5_000
MAX_COLUMNS = 60
MAX_PARTS = 10_000
MAX_XML_ELEMENTS = 500_000  # 5,000 rows of 20 full columns: about 400,000
MAX_WHOLE_ELEMENTS = 100_000  # real workbooks: a few thousand (styles, merged cells...)
MAX_SHEET_ROWS = 100_000  # <row> elements, with empty rows that have formatting
MAX_RECORD_ELEMENTS = 50_000  # in one row of a sheet (Excel's widest row is 16,384 cells)
MAX_STRING_ELEMENTS = 10_000  # in one shared string (its formatted runs)
EXCEL_MAX_ROW = 1_048_576

NOT_SPREADSHEET = (
    "This file is not a CSV or XLSX spreadsheet. "
    "Save it as CSV or Excel Workbook (.xlsx) and try again."
)
_SMALLER = (
    "Delete other worksheets, pictures and rows the plan does not use, or save the plan as "
    "CSV, and try again."
)
TOO_COMPLEX = (
    "This workbook holds more than the import can read: too many cells, formats or other "
    "items for a plan. Copy the plan's rows into a new workbook, or save the plan as CSV, and "
    "try again."
)
_WHOLE_PARTS = frozenset({"[Content_Types].xml", "xl/workbook.xml", "xl/styles.xml"})


class ImportFileError(Exception):
    """A problem with the whole file. The message is shown to the user as it is."""


def _size(count: int) -> str:
    """In megabytes: "255 MB", "5.1 MB" (a tenth up, so that a file just over a cap does
    not read as the cap), "5 MB"."""
    megabytes = count / MB
    if megabytes >= 10:
        return f"{megabytes:,.0f} MB"
    return f"{math.ceil(megabytes * 10) / 10:.1f}".removesuffix(".0") + " MB"


def column_letter(number: int) -> str:
    """A column's letters as a spreadsheet shows them: 1 -> A, 61 -> BI."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def too_many_rows(row: int) -> str:
    return (
        f"The plan has more than {MAX_ROWS:,} rows: row {row:,} is not empty. The import "
        f"reads at most {MAX_ROWS:,} rows. Delete the rows the plan does not need, or split "
        "it into two files, and try again."
    )


def too_many_columns(column: int, row: int) -> str:
    return (
        f"The sheet has more than {MAX_COLUMNS} columns: column {column_letter(column)} (row "
        f"{row:,}) is not empty. The import reads at most {MAX_COLUMNS} columns. Delete the "
        "columns the plan does not need and try again."
    )


def check_file_size(data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            f"The file is {_size(len(data))}; the most a plan can be is "
            f"{_size(MAX_FILE_BYTES)}. {_SMALLER}"
        )


def check_workbook(data: bytes) -> None:
    """Raise ImportFileError unless the XLSX file's parts are within the limits above;
    nothing is kept in memory but counters."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise ImportFileError(NOT_SPREADSHEET) from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise ImportFileError(TOO_COMPLEX)
        total = sum(part.file_size for part in parts)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise ImportFileError(
                f"The file expands to {_size(total)} when opened; the most a plan can be is "
                f"{_size(MAX_UNCOMPRESSED_BYTES)}. {_SMALLER}"
            )
        for part in parts:
            if part.file_size > RATIO_CHECK_BYTES and (
                part.file_size > MAX_RATIO * part.compress_size
            ):
                ratio = part.file_size // max(part.compress_size, 1)
                raise ImportFileError(
                    f"Part of the file expands {ratio:,} times when opened, far more than a "
                    "spreadsheet does, so it was not read. Open the file in your spreadsheet "
                    "program, save it again as an Excel Workbook (.xlsx) or as CSV, and try "
                    "again."
                )
        counts = _Counts()
        for part in parts:
            _PartScan(counts, part.filename).read(archive, part)


class _Counts:
    """What the whole workbook holds so far."""

    def __init__(self) -> None:
        self.elements = 0
        self.whole = 0

    def element(self) -> None:
        self.elements += 1
        if self.elements > MAX_XML_ELEMENTS:
            raise ImportFileError(TOO_COMPLEX)

    def built_whole(self) -> None:
        self.whole += 1
        if self.whole > MAX_WHOLE_ELEMENTS:
            raise ImportFileError(TOO_COMPLEX)


class _PartScan:
    """One part's pass: counts what openpyxl would build from it, by what its root is."""

    def __init__(self, counts: _Counts, name: str) -> None:
        self.counts = counts
        self.name = name
        self.depth = 0
        self.kind = "whole"  # "sheet" (read a row at a time), "strings" or "whole"
        self.in_rows = False  # inside a sheet's <sheetData>
        self.record = 0  # elements in the current row or shared string
        self.rows = 0
        self.row = 0  # the current row's number, counted as openpyxl counts it

    def read(self, archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.StartDoctypeDeclHandler = self.doctype
        try:
            with archive.open(part) as stream:
                while chunk := stream.read(64 * 1024):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except expat.ExpatError:
            return  # not XML (a picture), or broken XML: openpyxl reads no further either
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, zlib.error, EOFError):
            raise ImportFileError(NOT_SPREADSHEET) from None  # damaged, encrypted...

    def doctype(self, *args) -> None:
        raise ImportFileError(NOT_SPREADSHEET)

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        self.counts.element()
        depth, local = self.depth, tag.rpartition(" ")[2]
        self.depth += 1
        if depth == 0 and not _built_whole(self.name):
            self.kind = {"worksheet": "sheet", "sst": "strings"}.get(local, "whole")
        if self.kind == "sheet":
            if depth == 1:
                self.in_rows = local == "sheetData"
            if depth and not self.in_rows:
                self.counts.built_whole()  # columns, merged cells, validations...
            elif depth == 2:
                self.start_row(attributes)
            elif depth > 2:
                self.in_record(MAX_RECORD_ELEMENTS)
        elif self.kind == "strings":
            if depth == 1:
                self.record = 0
            elif depth > 1:
                self.in_record(MAX_STRING_ELEMENTS)
        else:
            self.counts.built_whole()

    def end(self, tag: str) -> None:
        self.depth -= 1

    def start_row(self, attributes: dict[str, str]) -> None:
        self.rows += 1
        if self.rows > MAX_SHEET_ROWS:
            raise ImportFileError(
                f"A worksheet in the file has more than {MAX_SHEET_ROWS:,} rows, counting "
                f"empty rows that have formatting; the import reads at most {MAX_ROWS:,}. "
                "Delete the rows below the plan, or copy the plan into a new workbook, and "
                "try again."
            )
        self.row = _row_number(attributes.get("r"), self.row)
        if self.row > EXCEL_MAX_ROW:  # openpyxl would count every row up to it
            raise ImportFileError(NOT_SPREADSHEET)
        self.record = 0

    def in_record(self, limit: int) -> None:
        self.record += 1
        if self.record > limit:
            raise ImportFileError(TOO_COMPLEX)


def _built_whole(name: str) -> bool:
    """Parts openpyxl builds whole, whatever their root element."""
    return name in _WHOLE_PARTS or name.endswith(".rels") or name.startswith("docProps/")


def _row_number(text: str | None, previous: int) -> int:
    """A <row>'s number as openpyxl reads it: its r attribute, else the one after the last."""
    if text is None:
        return previous + 1
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        raise ImportFileError(NOT_SPREADSHEET) from None
    if not number.is_integer():
        raise ImportFileError(NOT_SPREADSHEET)
    return int(number)
