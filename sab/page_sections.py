"""Sections of a page that only a higher app can fill: the way a lower app's page shows what
a higher app knows without importing it. A page keeps one ``PageSections``; a higher app
registers a function ``section(request, record) -> str | None`` that renders its part (or
None to show nothing); the page shows each in the order registered. Used by the board page
(sab/board_page.py) and the plan pages (priorities/plan_page.py)."""

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

Section = Callable[[HttpRequest, object], SafeString | None]


class PageSections:
    def __init__(self) -> None:
        self._sections: list[Section] = []

    def add_section(self, section: Section) -> Section:
        """Register a section (usable as a decorator)."""
        if section not in self._sections:
            self._sections.append(section)
        return section

    def sections(self, request: HttpRequest, record) -> list[SafeString]:
        """The registered sections' HTML for ``record``, skipping those with nothing to show."""
        return [html for section in self._sections if (html := section(request, record))]
