"""The pages shown when something goes wrong (503 with the database down, 500) are pages too:
axe-core and the Nu Html Checker on each, as Django's error handlers render them."""

import pytest
from django.template import loader

from tests.browser.helpers import assert_no_axe_violations, html_errors

pytestmark = [pytest.mark.browser]

# sab.views.server_error renders these without a request, as it must with the database down.
ERROR_PAGES = {"unavailable": "503.html", "server-error": "500.html"}


def test_the_error_pages_are_accessible(
    browser_available, axe_source, vnu_jar, live_server, page, tmp_path
):
    documents = {}
    for name, template in ERROR_PAGES.items():
        html = loader.get_template(template).render()
        documents[name] = html
        # Served at the live server's address, so the page's stylesheet loads as it would.
        url = f"{live_server.url}/{name}-page"
        page.route(
            url, lambda route, *_, body=html: route.fulfill(body=body, content_type="text/html")
        )
        page.goto(url)
        assert page.get_by_role("heading", level=1).is_visible()
        assert_no_axe_violations(page, axe_source)
    assert html_errors(vnu_jar, documents, tmp_path) == []
