"""Write a board's annual report as HTML and PDF, without publishing it: for checks and
benchmarks.

    python manage.py render_report lsab 2017-18 --html report.html --pdf report.pdf

YEAR is the reporting year as "2017-18" (or "2017/18", or just "2017"). ``--draft`` marks it
DRAFT on every page, as the draft download does.
"""

import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.management.commands.render_plan import write_document
from reports.models import AnnualReport
from sab.models import Board

YEAR = re.compile(r"^\s*(\d{4})(?:\s*[-/]\s*(\d{2}|\d{4}))?\s*$")


def parse_year(text: str) -> int:
    """2017 from "2017-18", "2017/18", "2017-2018" or "2017"; the second year must follow."""
    match = YEAR.match(text)
    if match is None:
        raise CommandError(f'"{text}" is not a reporting year: write it like 2017-18.')
    year = int(match[1])
    if match[2] is not None and int(match[2]) % 100 != (year + 1) % 100:
        raise CommandError(f'"{text}" is not a reporting year: the second year must follow.')
    return year


def find_report(board_slug: str, year: int) -> AnnualReport:
    board = Board.objects.filter(slug=board_slug).first()
    if board is None:
        raise CommandError(f'There is no board "{board_slug}".')
    report = AnnualReport.objects.filter(board=board, year=year).select_related("board").first()
    if report is None:
        years = [
            board.financial_year_label(y)
            for y in board.annual_reports.values_list("year", flat=True)
        ]
        raise CommandError(
            f"{board.short_name} has no annual report for {board.financial_year_label(year)}. "
            f"Its reports: {', '.join(years) or 'none'}."
        )
    return report


class Command(BaseCommand):
    help = "Render a board's annual report to HTML and PDF files without publishing it."

    def add_arguments(self, parser):
        parser.add_argument("board", help="The board's slug, e.g. lsab.")
        parser.add_argument("year", help="The reporting year, e.g. 2017-18.")
        parser.add_argument("--html", type=Path, help="Write the HTML version to this file.")
        parser.add_argument("--pdf", type=Path, help="Write the PDF to this file.")
        parser.add_argument("--draft", action="store_true", help="Mark it DRAFT on every page.")

    def handle(self, *args, board, year, html=None, pdf=None, draft=False, **options):
        report = find_report(board, parse_year(year))
        write_document(self, report, html=html, pdf=pdf, draft=draft)
