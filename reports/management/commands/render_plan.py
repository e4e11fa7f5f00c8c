"""Write a plan's document as HTML and PDF, without publishing it: for checks and benchmarks.

    python manage.py render_plan lrsab "Business Plan 2014/15" --html plan.html --pdf plan.pdf

The title names a business plan of the board, or else a strategic plan. ``--draft`` marks
it DRAFT on every page, as the draft download does.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from priorities.models import BusinessPlan, StrategicPlan
from reports import rendering
from sab.models import Board


def find_plan(board_slug: str, title: str):
    """The board's business plan called ``title``, else its strategic plan of that title."""
    board = Board.objects.filter(slug=board_slug).first()
    if board is None:
        raise CommandError(f'There is no board "{board_slug}".')
    for model in (BusinessPlan, StrategicPlan):
        plan = model.objects.filter(board=board, title=title).select_related("board").first()
        if plan is not None:
            return plan
    titles = sorted(
        [*BusinessPlan.objects.filter(board=board).values_list("title", flat=True),
         *StrategicPlan.objects.filter(board=board).values_list("title", flat=True)]
    )  # fmt: skip
    raise CommandError(
        f'{board.short_name} has no plan called "{title}". '
        f"Its plans: {', '.join(titles) or 'none'}."
    )


class Command(BaseCommand):
    help = "Render a business or strategic plan to HTML and PDF files without publishing it."

    def add_arguments(self, parser):
        parser.add_argument("board", help="The board's slug, e.g. lrsab.")
        parser.add_argument("title", help='The plan\'s title, e.g. "Business Plan 2014/15".')
        parser.add_argument("--html", type=Path, help="Write the HTML version to this file.")
        parser.add_argument("--pdf", type=Path, help="Write the PDF to this file.")
        parser.add_argument("--draft", action="store_true", help="Mark it DRAFT on every page.")

    def handle(self, *args, board, title, html=None, pdf=None, draft=False, **options):
        write_document(self, find_plan(board, title), html=html, pdf=pdf, draft=draft)


def write_document(command: BaseCommand, source, *, html, pdf, draft: bool) -> None:
    """Render ``source`` and write its HTML and PDF where asked (render_plan and
    render_report): the PDF only if a path for it is given, since it takes longer."""
    if html is None and pdf is None:
        raise CommandError("Say where to write it: --html FILE, --pdf FILE or both.")
    try:
        if pdf is None:
            document = rendering.render_html(source, draft=draft)
        else:
            rendered = rendering.render(source, draft=draft)
            document = rendered.html
    except rendering.RenderError as error:
        raise CommandError(f"{source} could not be rendered: {error}") from error
    if html is not None:
        html.write_text(document, encoding="utf-8")
        command.stdout.write(f"Wrote the HTML of {source} to {html}.")
    if pdf is not None:
        pdf.write_bytes(rendered.pdf)
        command.stdout.write(f"Wrote the PDF of {source} ({rendered.page_count} pages) to {pdf}.")
