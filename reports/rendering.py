"""The one pipeline every printed or published document goes through: a Django template
renders the document's HTML (a real, accessible web page, with a small print stylesheet),
and WeasyPrint turns that same HTML into a tagged PDF/UA-1 file.

- ``render(source, draft=...)`` gives both, with the page count (what publishing stores);
- ``render_html`` alone is what the draft web page and the checks use;
- WeasyPrint is imported only when a PDF is made (about 0.9 s and 54 MB), so web processes
  that never render do not pay for it; the task worker preloads it (reports/apps.py).

While rendering, WeasyPrint may read only our own files: the static files (the print
stylesheet) and media files (a board's logo), and ``data:`` URLs (``OurFilesOnly``). A
document that refers to anything else fails to render, rather than printing without it.
"""

from __future__ import annotations

import gc
import mimetypes
from dataclasses import dataclass

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

from reports import documents

# What a document's site-relative links ("/static/css/document.css") resolve against while
# WeasyPrint renders it: a name that is never looked up, only mapped to our files.
RENDER_BASE_URL = "https://documents.sab.invalid/"
PDF_VARIANT = "pdf/ua-1"


class RenderError(Exception):
    """A document could not be rendered: the message says why, in words for its publisher."""


@dataclass(frozen=True)
class Rendered:
    title: str
    period: str
    year: int
    html: str
    pdf: bytes
    page_count: int


def _static_file(name: str) -> str | None:
    """The file on disk behind a static URL's name: collected (STATIC_ROOT, where the
    manifest's hashed names live) or, in development and tests, found by the finders."""
    if staticfiles_storage.exists(name):
        return staticfiles_storage.path(name)
    return finders.find(name)


def url_fetcher():
    """A WeasyPrint URL fetcher that reads only our static and media files and data: URLs
    (STACK.md section 1, security). Built on first use, as WeasyPrint is imported lazily."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class OurFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            static = RENDER_BASE_URL + settings.STATIC_URL.lstrip("/")
            media = RENDER_BASE_URL + settings.MEDIA_URL.lstrip("/")
            name = url.split("?")[0].split("#")[0]
            if name.startswith(static):
                path = _static_file(name.removeprefix(static))
                if path is None:
                    raise ValueError(f"No static file at {url}")
                with open(path, "rb") as file:
                    body = file.read()
            elif name.startswith(media):
                with default_storage.open(name.removeprefix(media), "rb") as file:
                    body = file.read()
            else:
                raise ValueError(f"Documents may use only this site's own files, not {url}")
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    # A missing stylesheet or logo stops the render: a document is never published without.
    return OurFilesOnly(fail_on_errors=True)


def render_html(source, *, draft: bool = False) -> str:
    document = documents.document_for(source, draft=draft)
    return render_to_string(document.template, document.context)


def html_to_pdf(html: str) -> tuple[bytes, int]:
    """The tagged PDF (PDF/UA-1) of a document's HTML, and its number of pages."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    options = {"pdf_variant": PDF_VARIANT}
    # WeasyPrint builds many small objects and frees them all at the end; the cyclic garbage
    # collector's passes over them took about a fifth of a render (make bench), for no gain.
    collecting = gc.isenabled()
    gc.disable()
    try:
        rendered = HTML(string=html, base_url=RENDER_BASE_URL, url_fetcher=url_fetcher()).render(
            **options
        )
        return rendered.write_pdf(**options), len(rendered.pages)
    except FatalURLFetchingError as error:
        # A BaseException in WeasyPrint (it must stop the render); an ordinary error here.
        raise RenderError(f"{error}: {error.__cause__}") from error
    finally:
        if collecting:
            gc.enable()


def render(source, *, draft: bool = False) -> Rendered:
    """The document's HTML and PDF. Any failure (a template error, a file it refers to that
    is missing, WeasyPrint failing) is a RenderError saying what went wrong."""
    document = documents.document_for(source, draft=draft)
    try:
        html = render_to_string(document.template, document.context)
        pdf, pages = html_to_pdf(html)
    except Exception as error:  # what went wrong is told to the publisher, then logged
        raise RenderError(f"{type(error).__name__}: {error}") from error
    return Rendered(
        title=document.title,
        period=document.period,
        year=document.year,
        html=html,
        pdf=pdf,
        page_count=pages,
    )
