"""The fast path for the public's PDF downloads, answered right after WhiteNoise (the same
place static files are served from) instead of going through sessions, authentication and
the rest of the middleware, which a public, immutable file does not need.

A published PDF never changes (reports/models.py), so what answering needs (its stored
name, SHA-256, size and download name) is kept in memory for a minute after one query.
Only withdrawal changes whether a version is served: this process forgets the version at
once (``forget``, called when it is withdrawn); another worker process may serve it for up
to ``PUBLICATION_DOWNLOAD_CACHE_SECONDS`` more, well inside the hour that the download's
``Cache-Control: public, max-age=3600`` already lets any browser or proxy keep it. Anything
not in the cache and published (a withdrawn version's 410 page, an unknown one's 404) goes
on to the view, reports.public_views.publication_pdf, which answers exactly as this does.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from reports.downloads import serve_stored_file
from reports.models import Publication, pdf_filename

PDF_PATH = re.compile(r"^/publications/(?P<slug>[-\w]+)/(?P<pk>\d+)/pdf/$")
# Enough for every board's documents; when full, the cache starts again.
MAX_ENTRIES = 2000


@dataclass(frozen=True)
class _Entry:
    name: str
    etag: str
    size: int
    filename: str
    expires: float


_entries: dict[tuple[str, int], _Entry] = {}


class _StoredFile:
    """What serve_stored_file opens: the stored PDF by its name, through the storage the
    Publication's field uses (a FieldFile without loading the record)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def open(self, mode: str = "rb"):
        return Publication._meta.get_field("pdf").storage.open(self.name, mode)


def forget(pk: int) -> None:
    """Drop a version from this process's cache (when it is withdrawn)."""
    for key in [key for key in _entries if key[1] == pk]:
        _entries.pop(key, None)


def _entry(slug: str, pk: int) -> _Entry | None:
    key = (slug, pk)
    now = time.monotonic()
    entry = _entries.get(key)
    if entry is not None and entry.expires > now:
        return entry
    row = (
        Publication.objects.public()
        .filter(pk=pk, board__slug=slug, withdrawn_at=None)
        .values_list("pdf", "pdf_sha256", "pdf_size", "board__short_name", "title", "version")
        .first()
    )
    if row is None:
        _entries.pop(key, None)
        return None
    name, sha256, size, short_name, title, version = row
    if len(_entries) >= MAX_ENTRIES:
        _entries.clear()
    expires = now + settings.PUBLICATION_DOWNLOAD_CACHE_SECONDS
    entry = _Entry(name, f'"{sha256}"', size, pdf_filename(short_name, title, version), expires)
    _entries[key] = entry
    return entry


class PublishedPdfMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD") and (match := PDF_PATH.match(request.path_info)):
            entry = _entry(match["slug"], int(match["pk"]))
            if entry is not None:
                return serve_stored_file(
                    request,
                    _StoredFile(entry.name),
                    etag=entry.etag,
                    size=entry.size,
                    content_type="application/pdf",
                    filename=entry.filename,
                    as_attachment=True,
                )
        return self.get_response(request)
