"""The board page's sections that only a higher app can fill (sab imports no app above it;
sab/page_sections.py). Example: ``priorities/attention.py`` adds what needs the reader's
attention with ``add_section``; the board page shows ``sections(request, board)``."""

from sab.page_sections import PageSections

_page = PageSections()
add_section = _page.add_section
sections = _page.sections
