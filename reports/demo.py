"""Demo data for publishing (seed_demo runs this last): the boards' logos, accessibility
statements and where to ask for other formats, the Leicestershire & Rutland 2014/15
business plan published once, with the ratings the executive decided while it was in use,
and Leicester SAB's 2017/18 annual report approved, published and sent
(reports/demo_annual.py). Safe to run again: it never publishes a second version."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw

from priorities.models import BusinessPlan, PlanStatus
from reports import demo_annual, rendering, services
from reports.models import Publication
from sab.models import Board, User

# (slug, colour of the logo, where to ask for another format)
BOARDS = [
    ("lsab", (0, 94, 165), "lsab@example.org or 0116 000 0000"),
    ("lrsab", (79, 42, 110), "lrsab@example.org or 0116 000 0001"),
]
STATEMENT = """\
{name} wants everyone to be able to read its plans and reports.

Each document is published as a web page and as a PDF. The PDFs are tagged to the PDF/UA
standard: they have headings you can move between, a contents page, a document title and
language, table headers, and text descriptions of every chart, whose figures are also given
in a table.

What is not yet fully accessible:

- page numbers and the running header in the PDFs are read out by some screen readers as
  part of the text;
- a long table that runs over several pages is announced as several tables.

If you need a document in another format, such as large print, easy read, audio or braille,
contact the board office. We will reply within 10 working days.

This statement was prepared on 1 December 2026.
"""


def _logo(short_name: str, colour: tuple[int, int, int]) -> bytes:
    """A plain demo logo: the board's short name on its colour (real boards upload theirs)."""
    image = Image.new("RGB", (480, 160), colour)
    draw = ImageDraw.Draw(image)
    draw.text((40, 40), short_name, fill="white", font_size=72)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _set_up_board(stdout, board: Board, colour, contact: str) -> None:
    changed = []
    if not board.logo:
        board.logo.save(
            f"{board.slug}.png", ContentFile(_logo(board.short_name, colour)), save=False
        )
        changed.append("logo")
    if not board.alternative_formats_contact:
        board.alternative_formats_contact = contact
        changed.append("alternative_formats_contact")
    if not board.accessibility_statement:
        board.accessibility_statement = STATEMENT.format(name=board.name)
        changed.append("accessibility_statement")
    if changed:
        board.save(update_fields=changed)
        _say(stdout, f"Set up {board.short_name}'s logo and accessibility statement.")


def _publish_archived_plan(stdout, plan: BusinessPlan, by: User | None) -> None:
    """The 2014/15 plan, archived when 2019/20 replaced it, published as it stood at the end
    (with the ratings decided while it was in use), then put back in the archive. Published
    today: the document's cover and the record say the same date."""
    if Publication.objects.of(plan).exists():
        return
    rendered = rendering.render(plan)
    with transaction.atomic():
        status, archived_on = plan.status, plan.archived_on
        plan.status = PlanStatus.APPROVED
        plan.save(update_fields=["status"])
        publication = services.store_publication(source=plan, rendered=rendered, by=by)
        plan.status, plan.archived_on = status, archived_on
        plan.save(update_fields=["status", "archived_on"])
    _say(
        stdout,
        f"Published {plan.title} ({publication.page_count} pages, {publication.pdf_size} bytes).",
    )


def seed(stdout=None) -> dict:
    for slug, colour, contact in BOARDS:
        board = Board.objects.filter(slug=slug).first()
        if board is not None:
            _set_up_board(stdout, board, colour, contact)
    plan = BusinessPlan.objects.filter(board__slug="lrsab", period="2014/15").first()
    if plan is not None:
        manager = User.objects.filter(email="lrsab.manager@example.org").first()
        _publish_archived_plan(stdout, plan, manager)
    # After the boards' set-up: the report prints where to ask for another format.
    demo_annual.seed(stdout)
    return {}
