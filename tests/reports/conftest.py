"""Publications for tests: ``publish(plan)`` stores a version through the real service
(``reports.services.store_publication``) with small fixed files, so the public pages and
downloads are tested without rendering each time."""

from __future__ import annotations

import pytest

from reports.models import Publication
from reports.rendering import Rendered
from reports.services import store_publication
from sab.models import RoleAssignment
from tests.factories import (
    BoardMembershipFactory,
    BusinessPlanFactory,
    OrganisationFactory,
    UserFactory,
)

# A stand-in for tests that only need bytes: it starts as a PDF does.
FIXED_PDF = b"%PDF-1.7\n% a stand-in for a published PDF, 64 bytes long.............\n"
FIXED_HTML = (
    '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8"><title>{title}</title>'
    "</head><body><main><h1>{title}</h1><p>Published £ and “quotes”.</p></main></body></html>\n"
)


def publish_plan(
    plan=None,
    *,
    board=None,
    by=None,
    title: str | None = None,
    period: str = "2024/25",
    year: int = 2024,
    pdf: bytes = FIXED_PDF,
    html: str | None = None,
    page_count: int = 3,
) -> Publication:
    """Publish ``plan`` (an approved business plan of ``board``, made if not given) as its
    next version, with the given files."""
    if plan is None:
        board_kwargs = {"board": board} if board is not None else {}
        plan = BusinessPlanFactory(status="approved", period=period, **board_kwargs)
    title = title or plan.title
    if by is None:
        by = UserFactory()
    rendered = Rendered(
        title=title,
        period=period,
        year=year,
        html=html if html is not None else FIXED_HTML.format(title=title),
        pdf=pdf,
        page_count=page_count,
    )
    return store_publication(source=plan, rendered=rendered, by=by)


@pytest.fixture(scope="session")
def tiny_pdf() -> bytes:
    """A real PDF from the renderer, made once: a few kilobytes, one page."""
    from reports.rendering import html_to_pdf

    pdf, _ = html_to_pdf("<html lang='en-GB'><title>x</title><p>x</p></html>")
    return pdf


@pytest.fixture
def publish(db, tiny_pdf):
    """publish(plan=None, board=..., **files) -> the next published version of the plan,
    its PDF the real tiny one unless given."""

    def _publish(plan=None, **kwargs) -> Publication:
        kwargs.setdefault("pdf", tiny_pdf)
        return publish_plan(plan, **kwargs)

    return _publish


# --- Partner statements: a statutory member organisation, another member, their partner
# leads (tests/reports/test_statements.py, test_statement_reminders.py, test_annual_api.py).


@pytest.fixture
def organisation(board):
    organisation = OrganisationFactory(name="Leicester City Council")
    BoardMembershipFactory(board=board, organisation=organisation, statutory=True)
    return organisation


@pytest.fixture
def other_organisation(board):
    organisation = OrganisationFactory(name="Age UK Leicester")
    BoardMembershipFactory(board=board, organisation=organisation)
    return organisation


@pytest.fixture
def lead(make_user, board, organisation):
    return make_user(RoleAssignment.Role.PARTNER_LEAD, board, organisation=organisation)


@pytest.fixture
def other_lead(make_user, board, other_organisation):
    return make_user(RoleAssignment.Role.PARTNER_LEAD, board, organisation=other_organisation)
