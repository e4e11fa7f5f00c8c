"""The plan pages' sections that only a higher app can fill (priorities imports no app above
it; sab/page_sections.py), for business plans and strategic plans alike. Example:
``reports/plan_section.py`` adds printing and publishing with ``add_section``; the plan pages
show ``sections(request, plan)``."""

from sab.page_sections import PageSections

_page = PageSections()
add_section = _page.add_section
sections = _page.sections
