"""The API's published documents (/api/publications/): readable by anyone, without signing
in; each version's metadata and the links to read and download it; in the schema."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from reports import services
from reports.models import Kind
from sab.models import RoleAssignment
from tests.factories import BoardFactory, BusinessPlanFactory

Role = RoleAssignment.Role
LIST = "/api/publications/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def versions(publish, board, manager):
    plan = BusinessPlanFactory(board=board, title="Business Plan 2024/25")
    return publish(plan, by=manager), publish(plan, by=manager)


def test_anyone_lists_the_published_versions(api, versions, board):
    first, second = versions
    first.refresh_from_db()

    response = api.get(LIST)

    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["results"]}
    assert set(rows) == {first.pk, second.pk}
    row = rows[second.pk]
    assert row == {
        "id": second.pk,
        "board": {"slug": board.slug, "name": board.name},
        "kind": "business_plan",
        "title": "Business Plan 2024/25",
        "period": "2024/25",
        "year": 2024,
        "version": 2,
        "published_at": row["published_at"],
        "page_count": 3,
        "pdf_size": second.pdf_size,
        "pdf_sha256": second.pdf_sha256,
        "html_sha256": second.html_sha256,
        "is_current": True,
        "superseded_by": None,
        "withdrawn": False,
        "withdrawal_reason": "",
        "pdf_url": f"http://testserver{second.get_pdf_url()}",
        "html_url": f"http://testserver{second.get_html_url()}",
        "document_url": f"http://testserver{second.get_absolute_url()}",
    }
    assert rows[first.pk]["is_current"] is False
    assert rows[first.pk]["superseded_by"] == second.pk


def test_the_download_link_gives_the_file_the_hash_names(api, client, versions):
    row = api.get(f"{LIST}{versions[0].pk}/").json()
    response = client.get(row["pdf_url"].removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response["ETag"] == f'"{row["pdf_sha256"]}"'


def test_one_version_is_read_by_its_id(api, versions):
    assert api.get(f"{LIST}{versions[1].pk}/").json()["version"] == 2
    assert api.get(f"{LIST}{versions[1].pk + 100}/").status_code == 404


def test_a_withdrawn_version_says_why_and_has_no_download_links(api, versions, manager):
    services.withdraw(publication=versions[1], by=manager, reason="A name was left in.")
    row = api.get(f"{LIST}{versions[1].pk}/").json()
    assert row["withdrawn"] is True and row["withdrawal_reason"] == "A name was left in."
    assert row["is_current"] is False
    assert row["pdf_url"] is None and row["html_url"] is None
    assert row["document_url"].endswith(versions[1].get_absolute_url())


def test_filters_by_board_kind_year_and_current(api, publish, versions, other_board):
    elsewhere = publish(BusinessPlanFactory(board=other_board), year=2023)

    def ids(query: str) -> set[int]:
        return {row["id"] for row in api.get(f"{LIST}?{query}").json()["results"]}

    assert ids(f"board={other_board.slug}") == {elsewhere.pk}
    assert ids("board=lsab") == {v.pk for v in versions}
    assert ids(f"kind={Kind.BUSINESS_PLAN}") == {elsewhere.pk, *(v.pk for v in versions)}
    assert ids(f"kind={Kind.ANNUAL_REPORT}") == set()
    assert ids("year=2023") == {elsewhere.pk}
    assert ids("current=true") == {elsewhere.pk, versions[1].pk}
    assert ids("current=false") == {versions[0].pk}
    assert api.get(f"{LIST}?kind=not-a-kind").status_code == 400


def test_signed_in_callers_read_the_same(api, versions, board, make_user):
    anonymous = api.get(LIST).json()
    api.force_authenticate(make_user(Role.VIEWER, BoardFactory()))
    assert api.get(LIST).json() == anonymous


def test_a_bad_token_is_still_refused(api, versions):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api.get(LIST).status_code == 401


def test_the_api_is_read_only(api, versions):
    assert api.post(LIST, {}).status_code == 405
    assert api.delete(f"{LIST}{versions[0].pk}/").status_code == 405
    assert api.patch(f"{LIST}{versions[0].pk}/", {}).status_code == 405


def _queries(api) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get(LIST).status_code == 200
    return len(queries)


def test_the_lists_queries_do_not_grow_with_publications(api, publish, board):
    """The page count and one query for the page's versions with their boards."""
    publish(BusinessPlanFactory(board=board))
    few = _queries(api)
    for _ in range(3):
        plan = BusinessPlanFactory(board=BoardFactory())
        publish(plan)
        publish(plan)
    assert _queries(api) == few == 2


def test_the_publications_are_in_the_schema_open_to_anyone():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    listing = schema["paths"]["/api/publications/"]["get"]
    assert {"board", "kind", "year", "current"} <= {p["name"] for p in listing["parameters"]}
    assert listing["summary"] == "Published documents"
    # No security requirement left out: anonymous ({}) is one of the accepted ways in.
    assert {} in listing["security"]
    fields = schema["components"]["schemas"]["Publication"]["properties"]
    assert {"pdf_url", "html_url", "document_url", "pdf_sha256", "withdrawn"} <= set(fields)
    assert "/api/publications/{id}/" in schema["paths"]
