"""The public site: every board's published plans and reports, for anyone, signed in or not.

Only what was published is here: a draft or an unpublished record has no page (404). The
pages read stored records and the files are served from storage as they were published
(reports/downloads.py); nothing on this path renders a document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from reports.downloads import serve_stored_file
from reports.models import Publication, PublicationQuerySet
from sab.models import Board


@dataclass
class Document:
    """One document as the lists show it: its latest version, and the versions before."""

    latest: Publication
    older: list[Publication] = field(default_factory=list)


@dataclass
class Year:
    label: str
    documents: list[Document] = field(default_factory=list)


@dataclass
class BoardDocuments:
    board: Board
    years: list[Year] = field(default_factory=list)


def _published() -> PublicationQuerySet:
    """Every published version with what the lists show of it, in one query: its board and
    the version that superseded it ("Superseded by version 2")."""
    return Publication.objects.public().select_related("board", "superseded_by")


def _document_key(publication: Publication) -> tuple:
    # The versions of one document share their source; an annual report has none yet, so
    # its year stands in.
    return (publication.kind, publication.source_id or publication.year)


def by_board(publications) -> list[BoardDocuments]:
    """Publications grouped by board, then by year (newest first), then by document: each
    document's latest version, with its older versions under it."""
    boards: dict[int, BoardDocuments] = {}
    documents: dict[tuple, Document] = {}
    years: dict[tuple, Year] = {}
    ordered = sorted(
        publications,
        key=lambda p: (p.board.name, p.board_id, -p.year, p.kind, p.title, -p.version),
    )
    for publication in ordered:
        board = boards.setdefault(publication.board_id, BoardDocuments(publication.board))
        key = (publication.board_id, *_document_key(publication))
        document = documents.get(key)
        if document is not None:
            document.older.append(publication)
            continue
        documents[key] = document = Document(latest=publication)
        year_key = (publication.board_id, publication.year)
        if year_key not in years:
            years[year_key] = Year(publication.board.financial_year_label(publication.year))
            board.years.append(years[year_key])
        years[year_key].documents.append(document)
    return list(boards.values())


def _board_with_publications(slug: str) -> tuple[Board, BoardDocuments]:
    """A board's published documents; a board that has published nothing has no public
    page (404)."""
    grouped = by_board(_published().filter(board__slug=slug))
    if not grouped:
        raise Http404("This board has not published anything.")
    return grouped[0].board, grouped[0]


def _publication(slug: str, pk: int) -> Publication:
    """A published version, by its board's slug and its id: any other pair is a 404."""
    return get_object_or_404(_published(), pk=pk, board__slug=slug)


def _gone(request: HttpRequest, publication: Publication) -> HttpResponse:
    return render(request, "reports/public/gone.html", {"publication": publication}, status=410)


@login_not_required
@require_safe
def publication_index(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/public/index.html", {"boards": by_board(_published())})


@login_not_required
@require_safe
def board_publications(request: HttpRequest, slug: str) -> HttpResponse:
    board, documents = _board_with_publications(slug)
    return render(request, "reports/public/board.html", {"board": board, "years": documents.years})


@login_not_required
@require_safe
def board_accessibility(request: HttpRequest, slug: str) -> HttpResponse:
    board, _ = _board_with_publications(slug)
    return render(request, "reports/public/accessibility.html", {"board": board})


@login_not_required
@require_safe
def publication_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    publication = _publication(slug, pk)
    versions = list(
        _published()
        .filter(
            board=publication.board,
            kind=publication.kind,
            business_plan_id=publication.business_plan_id,
            strategic_plan_id=publication.strategic_plan_id,
        )
        .order_by("-version")
    )
    # The version readers should use instead of a superseded one: the latest.
    latest = versions[0] if versions else publication
    return render(
        request,
        "reports/public/document.html",
        {
            "publication": publication,
            "board": publication.board,
            "versions": versions,
            "latest": latest,
        },
    )


@login_not_required
@require_safe
def publication_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    publication = _publication(slug, pk)
    if publication.is_withdrawn:
        return _gone(request, publication)
    return serve_stored_file(
        request,
        publication.pdf,
        etag=publication.etag,
        size=publication.pdf_size,
        content_type="application/pdf",
        # Saved rather than opened in the browser's viewer, so the reader keeps the tagged
        # file itself (a screen reader's own PDF reader) under a name that says what it is.
        filename=publication.pdf_filename,
        as_attachment=True,
    )


@login_not_required
@require_safe
def publication_html(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The web page version, exactly as it was published (a standalone page)."""
    publication = _publication(slug, pk)
    if publication.is_withdrawn:
        return _gone(request, publication)
    return serve_stored_file(
        request,
        publication.html,
        etag=f'"{publication.html_sha256}"',
        size=publication.html_size,
        content_type="text/html; charset=utf-8",
    )
