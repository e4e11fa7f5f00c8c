"""The Section 42 figures pages for the board office: a year's figures as the annual report
prints them (with exact numbers: these pages are not public), importing a year's figures
from a CSV file, and the CSV template to fill in (reports/figures.py does the work).

Anyone with a role in the board reads the figures; importing needs
"reports.keep_annual_report" (a board manager); another board's pages are a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from reports.figures import import_figures, template_csv, year_figures
from reports.figures_forms import FiguresImportForm
from reports.models import SafeguardingFigure
from reviews.summary import is_reportable_year
from sab.forms import add_service_errors, submitted
from sab.models import Board
from sab.permissions import get_visible_or_404, require_perm

KEEP = "reports.keep_annual_report"


def _board(request: HttpRequest, slug: str, year: int | None = None) -> Board:
    board = get_visible_or_404(request.user, Board.objects.all(), slug=slug)
    if year is not None and not is_reportable_year(year):
        raise Http404("No such reporting year.")
    return board


def _year(board: Board, year: int) -> tuple[int, str] | None:
    return (year, board.financial_year_label(year)) if is_reportable_year(year) else None


@require_GET
def figures(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    board = _board(request, slug, year)
    start, end = board.financial_year_bounds(year)
    return render(
        request,
        "reports/figures/figures.html",
        {
            "board": board,
            "figures": year_figures(board, year),
            "start": start,
            "end": end,
            "can_import": request.user.has_perm(KEEP, board),
            "previous": _year(board, year - 1),
            "next": _year(board, year + 1) if year < board.current_financial_year() else None,
        },
    )


@require_http_methods(["GET", "POST"])
def figures_import(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    board = _board(request, slug, year)
    require_perm(request.user, KEEP, board)
    form = FiguresImportForm(submitted(request), request.FILES or None)
    label = board.financial_year_label(year)
    if request.method == "POST" and form.is_valid():
        try:
            saved = import_figures(
                board=board, year=year, file=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            rows = f"{saved} row{'s' if saved != 1 else ''}"
            messages.success(request, f"The {label} figures have been replaced by {rows}.")
            return redirect("reports:figures", slug=board.slug, year=year)
    existing = SafeguardingFigure.objects.for_board(board).filter(year=year).count()
    return render(
        request,
        "reports/figures/import.html",
        {"board": board, "form": form, "year": year, "label": label, "existing": existing},
    )


@require_GET
def figures_template(request: HttpRequest, slug: str) -> HttpResponse:
    """The CSV to fill in: the headings and a row per category, the counts blank."""
    board = _board(request, slug)
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    filename = f"{board.slug}-section-42-figures.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
