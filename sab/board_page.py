"""The board page's sections that only a higher app can fill (sab imports no app above it).

A higher app registers a function ``section(request, board) -> str | None`` that renders its
part of the page (or None to show nothing); the board page shows each in the order
registered. Example: ``priorities/attention.py`` adds what needs the reader's attention.
"""

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

Section = Callable[[HttpRequest, object], SafeString | None]

_sections: list[Section] = []


def add_section(section: Section) -> Section:
    """Register a section of the board page (usable as a decorator)."""
    if section not in _sections:
        _sections.append(section)
    return section


def sections(request: HttpRequest, board) -> list[SafeString]:
    """The registered sections' HTML for ``board``, skipping those with nothing to show."""
    return [html for section in _sections if (html := section(request, board))]
