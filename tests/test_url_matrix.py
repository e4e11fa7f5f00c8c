"""Every URL x every position x every method answers as tests/url_matrix.py declares.

The cells come from the URL resolver (the API router's routes included), not from a list, so
a new page or endpoint is in the matrix the day it is added, and fails until its row says who
gets what; so does a new method on an API route (HEAD and OPTIONS are left to Django and REST
framework: a GET without its body, and the endpoint's description). Anonymous visitors are
tests/test_urls_require_login.py's job: here every position is signed in with a verified
second factor, so the answers measure roles and scoping, not the second factor (tests/reviews
covers that).

The records are made once for the module, inside a transaction rolled back at its end; each
cell runs in a savepoint inside it (pytest-django's ``db``), so a POST that deletes or changes
a record leaves it as it was for the next cell.
"""

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import path, reverse

from tests.matrix import POSITIONS
from tests.url_matrix import (
    EXCLUDED_NAMES,
    EXCLUDED_PREFIXES,
    NONE,
    TABLE,
    Bug,
    Row,
    build_world,
    everyone,
    fill,
    get_only,
)
from tests.urlwalk import Route, is_api, walk

# Where a 302 must not go: there, the matrix would be measuring a lost session or an
# unverified second factor instead of the role.
SIGN_IN_PAGES = ("/accounts/login/", "/accounts/two-factor/verify/", "/accounts/two-factor/set-up/")


def matrix_routes(routes) -> list[Route]:
    """The routes the matrix requests: all but the excluded ones and the router's format
    suffixes (tests/url_matrix.py says why)."""
    return [
        route
        for route in routes
        if not route.route.startswith(EXCLUDED_PREFIXES)
        and route.name not in EXCLUDED_NAMES
        and "format" not in route.pattern.pattern.regex.groupindex
    ]


def route_methods(route: Route) -> set[str]:
    """GET and POST for every URL; for an API route, also the changes it takes."""
    view = route.pattern.callback
    methods = {"GET", "POST"}
    if is_api(view):
        taken = set(getattr(view, "actions", None) or {}) & set(view.cls.http_method_names)
        methods |= {method.upper() for method in taken & {"put", "patch", "delete"}}
    return methods


def coverage_problems(routes, table) -> dict[str, list[str]]:
    """What is wrong between the resolver's routes and the table: URLs without a name (no row
    can take them), URLs without a row, rows for URLs that are gone, and rows whose methods
    are not the URL's."""
    routes = matrix_routes(routes)
    names = {route.name for route in routes}
    methods: dict[str, set[str]] = {}
    for route in routes:
        methods.setdefault(route.name, set()).update(route_methods(route))
    return {
        "unnamed": sorted(route.route for route in routes if route.name is None),
        "undeclared": sorted(name for name in names - set(table) if name),
        "gone": sorted(set(table) - names),
        "methods": sorted(
            f"{name}: takes {sorted(methods[name])}, declared {sorted(row.answers)}"
            for name, row in table.items()
            if name in methods and methods[name] != set(row.answers)
        ),
    }


ROUTES = matrix_routes(walk())
API_NAMES = {route.name for route in ROUTES if is_api(route.pattern.callback)}


def _cells():
    for name in dict.fromkeys(route.name for route in ROUTES if route.name):
        row = TABLE.get(name)
        if row is None:
            yield pytest.param(name, None, None, id=f"{name}-undeclared")
            continue
        for method, answers in row.answers.items():
            for position in POSITIONS:
                expected = answers[position]
                marks = ()
                if isinstance(expected, Bug):
                    marks = pytest.mark.xfail(strict=True, reason=expected.reason)
                yield pytest.param(
                    name, method, position, marks=marks, id=f"{name}-{method}-{position}"
                )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, _media_root):
    """The matrix's records and signed-in sessions, made once, gone after the module. Files
    (a published version's) go to the tests' media folder, where every cell reads them."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=_media_root),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


def request(world: dict, name: str, method: str, position: str):
    """``method`` on the URL as ``position``: a page's POST carries no data; the API's
    methods send JSON, empty unless the row gives a body for POST."""
    row = TABLE[name]
    client = Client()  # CSRF checks off, as in every Django test client
    client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][position]
    url = reverse(name, kwargs=fill(row.kwargs, world))
    if method == "GET":
        return client.get(url)
    if name not in API_NAMES:
        return client.post(url)
    data = row.data(world) if method == "POST" and row.data else {}
    send = {
        "POST": client.post,
        "PUT": client.put,
        "PATCH": client.patch,
        "DELETE": client.delete,
    }[method]
    return send(url, data, content_type="application/json")


@pytest.mark.parametrize(("name", "method", "position"), list(_cells()))
def test_every_url_answers_every_position_as_declared(db, world, name, method, position):
    if name not in TABLE:
        pytest.fail(f"{name} has no row in tests/url_matrix.py: declare who gets what")
    expected = TABLE[name].answers[method][position]
    if isinstance(expected, Bug):
        expected = expected.status
    response = request(world, name, method, position)
    got = response.status_code
    location = response.get("Location", "")
    where = f" -> {location}" if location else ""
    said = f" {response.content[:300]!r}" if name in API_NAMES and got >= 400 else ""
    assert got == expected, f"{method} {name} as {position}: {got}{where}{said}, not {expected}"
    if got == 302 and name != "logout":
        assert not location.startswith(SIGN_IN_PAGES), f"{name}: the session was lost{where}"


# --- The matrix is complete, and stays so ----------------------------------------------------


def test_every_url_pattern_and_api_route_has_a_row():
    problems = coverage_problems(walk(), TABLE)
    assert problems == {"unnamed": [], "undeclared": [], "gone": [], "methods": []}
    assert {"api-meeting-detail", "api-referral-year-summary", "sab:board-detail"} <= set(TABLE)


def _a_view(request):  # never requested
    raise AssertionError


def test_a_new_url_without_a_row_fails():
    """A URL added to the project tomorrow is found by the walk and fails until declared."""
    patterns = [path("boards/<slug:slug>/new-page/", _a_view, name="new-page")]
    routes = [*walk(), *walk(patterns, namespace="priorities")]
    assert coverage_problems(routes, TABLE)["undeclared"] == ["priorities:new-page"]
    nameless = [*walk(), *walk([path("nameless/", _a_view)])]
    assert coverage_problems(nameless, TABLE)["unnamed"] == ["nameless/"]


def test_a_row_for_a_url_that_is_gone_fails():
    table = {**TABLE, "priorities:old-page": get_only(NONE, everyone(200))}
    assert coverage_problems(walk(), table)["gone"] == ["priorities:old-page"]


def test_a_method_an_api_route_takes_without_an_answer_fails():
    """Allowing PATCH or DELETE on an endpoint later needs its answers declared."""
    row = TABLE["api-meeting-detail"]
    without_patch = {method: a for method, a in row.answers.items() if method != "PATCH"}
    table = {**TABLE, "api-meeting-detail": Row(row.kwargs, without_patch)}
    assert coverage_problems(walk(), table)["methods"] == [
        "api-meeting-detail: takes ['GET', 'PATCH', 'POST', 'PUT'], declared ['GET', 'POST', 'PUT']"
    ]


def test_a_row_declares_every_position_for_get_and_post():
    with pytest.raises(AssertionError):
        Row(NONE, {"GET": everyone(200)})
    with pytest.raises(AssertionError):
        Row(NONE, {"GET": everyone(200), "POST": {"manager": 200}})
