"""The plan import's bounds (priorities/plan_import/limits.py): a file that expands past what
the import reads is refused, with a message in the board manager's words, before anything is
built from it; nothing is saved. Issue 13: an 821 KB upload whose sheet was 255 MB took the
server from 80 MB to 1.26 GB.

The workbooks here are written part by part with zipfile, the big parts streamed in chunks,
so that the test itself stays small and quick.
"""

import io
import resource
import zipfile
from collections.abc import Callable

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from priorities.models import Action, BusinessPlan
from priorities.plan_import import limits
from priorities.plan_import.parse import ImportFileError, read_table
from priorities.plan_import.views import SESSION_KEY

MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHEET = "xl/worksheets/sheet1.xml"
NOT_SPREADSHEET = "This file is not a CSV or XLSX spreadsheet."
TOO_COMPLEX = "This workbook holds more than the import can read"

Writer = Callable[[io.BufferedIOBase], None]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _base_workbook() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Priority", "Action"])
    workbook.active.append(["Assurance", "Refresh the framework"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_with(parts: dict[str, Writer], *, stored: bool = False) -> bytes:
    """A real workbook (openpyxl's) with some parts replaced, each written by its writer in
    chunks. ``stored``: the replaced parts are not compressed."""
    base = zipfile.ZipFile(io.BytesIO(_base_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info in base.infolist():
            if info.filename in parts:
                part = zipfile.ZipInfo(info.filename)
                part.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                with archive.open(part, "w", force_zip64=True) as stream:
                    parts[info.filename](stream)
            else:
                archive.writestr(info, base.read(info.filename))
    return out.getvalue()


def repeated_rows(megabytes: int) -> Writer:
    """A sheet of ``megabytes`` MB: rows of ten numbers, over and over."""
    row = b"<row>" + b"<c><v>1</v></c>" * 10 + b"</row>"
    chunk = row * (1024 * 1024 // len(row))

    def write(stream):
        stream.write(b"<worksheet " + MAIN + b"><sheetData>")
        for _ in range(megabytes):
            stream.write(chunk)
        stream.write(b"</sheetData></worksheet>")

    return write


def sheet_xml(body: bytes) -> Writer:
    return lambda stream: stream.write(
        b"<worksheet " + MAIN + b"><sheetData>" + body + b"</sheetData></worksheet>"
    )


def upload_url(board) -> str:
    return reverse("priorities:plan-import", kwargs={"slug": board.slug})


def upload(client, board, content: bytes, name: str):
    file = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(upload_url(board), {"plan_title": "Business Plan 2026/27", "file": file})


def assert_refused(response, client, message: str) -> None:
    """The upload page again with the message beside the file field, and nothing kept."""
    assert response.status_code == 200
    assert response.templates[0].name == "priorities/import_upload.html"
    errors = response.context["form"].errors["file"]
    assert any(message in error for error in errors), errors
    assert not BusinessPlan.objects.exists()
    assert not Action.objects.exists()
    assert SESSION_KEY not in client.session
    assert not default_storage.exists("imports") or default_storage.listdir("imports") == ([], [])


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


# --------------------------------------------------------------------------------------------
# What a workbook expands to
# --------------------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_it_is_opened(client, board, manager):
    """A 60 MB sheet that compresses to well under 1 MB: refused on the sizes its zip
    declares, without inflating it, so the server's memory does not grow with it."""
    bomb = workbook_with({SHEET: repeated_rows(60)})
    assert len(bomb) < 1024 * 1024
    client.force_login(manager)
    before = peak_rss_mb()

    response = upload(client, board, bomb, "plan.xlsx")

    assert peak_rss_mb() - before < 100
    assert_refused(
        response,
        client,
        "The file expands to 60 MB when opened; the most a plan can be is 50 MB. Delete "
        "other worksheets, pictures and rows the plan does not use, or save the plan as CSV, "
        "and try again.",
    )


def test_a_part_that_expands_too_many_times_is_refused(client, board, manager):
    """10 MB is under the 50 MB cap, but a part that expands a thousand times is a bomb."""
    client.force_login(manager)

    response = upload(client, board, workbook_with({SHEET: repeated_rows(10)}), "plan.xlsx")

    assert_refused(response, client, "Part of the file expands")
    assert (
        "times when opened, far more than a spreadsheet does"
        in (response.context["form"].errors["file"][0])
    )


def test_a_long_row_of_empty_cells_is_refused(client, board, manager):
    """Uncompressed, so no ratio gives it away: 200,000 empty cells in one row, which
    openpyxl would build whole (about 60 MB), are refused before it reads the row."""
    client.force_login(manager)
    content = workbook_with(
        {SHEET: sheet_xml(b"<row>" + b"<c/>" * 200_000 + b"</row>")}, stored=True
    )

    response = upload(client, board, content, "plan.xlsx")

    assert_refused(response, client, TOO_COMPLEX)


def test_bloated_styles_are_refused(client, board, manager):
    """openpyxl builds the styles whole: 150,000 cell formats in a 13 KB upload cost it
    over 100 MB. Refused before it reads them."""

    def styles(stream):
        stream.write(b"<styleSheet " + MAIN + b"><cellXfs>")
        for _ in range(150):
            stream.write(b'<xf numFmtId="0"/>' * 1000)
        stream.write(b"</cellXfs></styleSheet>")

    client.force_login(manager)

    response = upload(client, board, workbook_with({"xl/styles.xml": styles}), "plan.xlsx")

    assert_refused(response, client, TOO_COMPLEX)


def test_too_many_cells_in_all_are_refused(client, board, manager):
    """Each row small, but 540,000 elements in all: more than a plan has (5,000 rows of 20
    full columns are about 400,000)."""
    body = b"".join(b"<row>" + b"<c/>" * 8 + b"</row>" for _ in range(60_000))
    client.force_login(manager)

    response = upload(client, board, workbook_with({SHEET: sheet_xml(body)}), "plan.xlsx")

    assert_refused(response, client, TOO_COMPLEX)


def test_too_many_formatted_rows_are_refused(client, board, manager):
    body = b"".join(b'<row r="%d" ht="20" customHeight="1"/>' % n for n in range(1, 100_002))
    client.force_login(manager)

    response = upload(client, board, workbook_with({SHEET: sheet_xml(body)}), "plan.xlsx")

    assert_refused(response, client, "A worksheet in the file has more than 100,000 rows")


def test_a_row_past_excels_last_row_is_refused(client, board, manager):
    """openpyxl would count every empty row up to it (2,000,000,000 of them)."""
    body = b'<row r="2000000000"><c t="inlineStr"><is><t>x</t></is></c></row>'
    client.force_login(manager)

    response = upload(client, board, workbook_with({SHEET: sheet_xml(body)}), "plan.xlsx")

    assert_refused(response, client, NOT_SPREADSHEET)


def test_a_document_type_declaration_is_refused(client, board, manager):
    """The way into entity expansion ("billion laughs"); no spreadsheet part has one."""
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b"<worksheet " + MAIN + b'><sheetData><row><c t="inlineStr"><is><t>&lol2;</t></is>'
        b"</c></row></sheetData></worksheet>"
    )
    client.force_login(manager)

    response = upload(client, board, workbook_with({SHEET: lambda s: s.write(laughs)}), "plan.xlsx")

    assert_refused(response, client, NOT_SPREADSHEET)


# --------------------------------------------------------------------------------------------
# Rows and columns
# --------------------------------------------------------------------------------------------


def _plan_rows(count: int) -> list[list[str]]:
    return [["Priority", "Action"]] + [["Assurance", f"Action {n}"] for n in range(1, count)]


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(rows: list[list[str]]) -> bytes:
    return "".join(",".join(row) + "\r\n" for row in rows).encode()


@pytest.mark.parametrize(("name", "write"), [("plan.xlsx", _xlsx), ("plan.csv", _csv)])
def test_more_than_5000_rows_are_refused(client, board, manager, name, write):
    client.force_login(manager)

    response = upload(client, board, write(_plan_rows(5_001)), name)

    assert_refused(
        response,
        client,
        "The plan has more than 5,000 rows: row 5,001 is not empty. The import reads at most "
        "5,000 rows. Delete the rows the plan does not need, or split it into two files, and "
        "try again.",
    )


@pytest.mark.parametrize(("name", "write"), [("plan.xlsx", _xlsx), ("plan.csv", _csv)])
def test_more_than_60_columns_are_refused(client, board, manager, name, write):
    rows = _plan_rows(3)
    rows[2] = rows[2] + [""] * 58 + ["A note in column 61"]
    client.force_login(manager)

    response = upload(client, board, write(rows), name)

    assert_refused(
        response,
        client,
        "The sheet has more than 60 columns: column BI (row 3) is not empty. The import reads "
        "at most 60 columns. Delete the columns the plan does not need and try again.",
    )


@pytest.mark.parametrize(("name", "write"), [("plan.xlsx", _xlsx), ("plan.csv", _csv)])
def test_5000_rows_and_60_columns_are_read(name, write):
    rows = _plan_rows(5_000)
    rows[1] = rows[1] + [""] * 57 + ["Column 60"]
    table = read_table(write(rows), name)
    assert len(table) == 5_000
    assert table[1][59] == "Column 60"


def test_empty_cells_past_the_caps_are_ignored():
    """A sheet formatted past the plan (empty cells with a style, empty rows with a height)
    is read: only a cell with something in it counts."""
    rows = b'<row r="1"><c t="inlineStr"><is><t>Action</t></is></c><c r="XFD1" s="0"/></row>'
    rows += b'<row r="2"><c t="inlineStr"><is><t>Refresh</t></is></c></row>'
    rows += b'<row r="90000" ht="20" customHeight="1"><c r="A90000" s="0"/></row>'
    table = read_table(workbook_with({SHEET: sheet_xml(rows)}), "plan.xlsx")
    assert table == [["Action"], ["Refresh"]]


def test_blank_lines_after_a_csv_plan_are_dropped():
    """Millions of blank lines would be millions of empty rows in memory."""
    data = _csv(_plan_rows(3)) + b"\r\n" * 2_000_000
    assert read_table(data, "plan.csv") == _plan_rows(3)


@pytest.mark.parametrize("name", ["plan.csv", "plan.xlsx"])
def test_a_file_over_5_mb_is_refused_by_the_parser_too(name):
    """The upload form refuses it first; the import command reads files from disk."""
    with pytest.raises(ImportFileError) as caught:
        read_table(b"Priority,Action\r\n" + b"x" * (limits.MAX_FILE_BYTES + 1), name)
    assert str(caught.value).startswith("The file is 5.1 MB; the most a plan can be is 5 MB.")


def test_column_letters():
    assert [limits.column_letter(n) for n in (1, 26, 27, 60, 61, 702, 703, 16_384)] == [
        "A", "Z", "AA", "BH", "BI", "ZZ", "AAA", "XFD",
    ]  # fmt: skip
