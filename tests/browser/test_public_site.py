"""The public site in Chromium: an anonymous visitor finds a board's published plan from the
home page, reads it as a web page and downloads the PDF; every public page passes axe and
the Nu Html Checker, and works without JavaScript."""

import hashlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from reports.rendering import render
from reports.services import store_publication
from tests.browser.helpers import assert_no_axe_violations, html_errors
from tests.factories import (
    ActionFactory,
    BusinessPlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser]


@pytest.fixture
def publication(transactional_db, board):
    """The board's business plan, rendered for real and published."""
    board.alternative_formats_contact = "lsab@example.org"
    board.save()
    plan = BusinessPlanFactory(board=board, title="Business Plan 2024/25", status="approved")
    priority = PriorityFactory(plan=plan, ref="1", title="Making Safeguarding Personal")
    action = ActionFactory(priority=priority, ref="1.1", description="Audit MSP outcomes")
    ProgressUpdateFactory(action=action, text="Audit done in June", rag="green")
    return store_publication(source=plan, rendered=render(plan), by=UserFactory())


def _public_pages(publication) -> dict[str, str]:
    board = publication.board
    return {
        "home": "/",
        "publications": "/publications/",
        "board": f"/publications/{board.slug}/",
        "accessibility": f"/publications/{board.slug}/accessibility/",
        "document": publication.get_absolute_url(),
        "html-version": publication.get_html_url(),
    }


def test_a_visitor_finds_reads_and_downloads_a_published_plan(
    browser_available, axe_source, live_server, page, publication
):
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("plans and reports")
    expect(page.get_by_role("button", name="Leave this site quickly")).to_have_attribute(
        "href", "https://www.bbc.co.uk/weather"
    )
    assert_no_axe_violations(page, axe_source)

    page.get_by_role("button", name="Published plans and reports").click()
    expect(page).to_have_url(f"{live_server.url}/publications/")
    assert_no_axe_violations(page, axe_source)

    page.get_by_role("link", name=publication.board.name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Published plans and reports")
    assert_no_axe_violations(page, axe_source)

    page.get_by_role("link", name=publication.title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(publication.title)
    expect(page.get_by_text(publication.pdf_sha256)).to_be_visible()
    assert_no_axe_violations(page, axe_source)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Download PDF \(")).click()
    download = download_info.value
    body = Path(download.path()).read_bytes()
    assert download.suggested_filename == publication.pdf_filename
    assert hashlib.sha256(body).hexdigest() == publication.pdf_sha256

    page.get_by_role("link", name="Read it as a web page").click()
    expect(page).to_have_url(f"{live_server.url}{publication.get_html_url()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Business Plan 2024/25")
    expect(page.get_by_text("Audit MSP outcomes")).to_be_visible()
    assert_no_axe_violations(page, axe_source)

    page.goto(f"{live_server.url}/publications/{publication.board.slug}/accessibility/")
    assert_no_axe_violations(page, axe_source)


def test_the_public_pages_work_without_javascript(
    browser_available, browser, live_server, publication
):
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/publications/")
        exit_link = page.get_by_role("button", name="Leave this site quickly")
        expect(exit_link).to_be_visible()
        expect(exit_link).to_have_attribute("rel", "nofollow noreferrer")
        page.get_by_role("link", name=publication.title, exact=True).click()
        with page.expect_download() as download_info:
            page.get_by_role("link", name=re.compile(r"^Download PDF \(")).click()
        assert download_info.value.suggested_filename == publication.pdf_filename
    finally:
        context.close()


def test_the_public_pages_are_valid_html(vnu_jar, client, publication, tmp_path):
    """Read as an anonymous visitor, through the test client."""
    documents = {}
    for name, path in _public_pages(publication).items():
        response = client.get(path)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        documents[name] = body.decode("utf-8")
    assert html_errors(vnu_jar, documents, tmp_path) == []
