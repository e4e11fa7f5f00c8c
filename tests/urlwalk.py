"""Walking the URL resolver: every URL pattern the project answers, with its full route and its
namespaced name, for the tests that must cover every URL without anyone listing them
(tests/test_urls_require_login.py, tests/test_url_matrix.py)."""

import re
from collections.abc import Iterator
from typing import NamedTuple

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

SAMPLE_VALUES = {
    "slug": "lsab",
    "int": "1",
    "str": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "path": "x",
}


class Route(NamedTuple):
    route: str  # "boards/<slug:slug>/plans/", or a router's regex
    pattern: URLPattern
    namespace: str  # "priorities", or "" outside any namespace

    @property
    def name(self) -> str | None:
        """The name ``reverse()`` takes: "priorities:plan-list", "home", "api-plan-list"."""
        if self.pattern.name is None:
            return None
        return f"{self.namespace}:{self.pattern.name}" if self.namespace else self.pattern.name


def walk(patterns=None, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    """Every URL pattern under ``patterns`` (the project's URLconf by default), in order."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield Route(prefix + str(entry.pattern), entry, namespace)


def concrete(route: str) -> str:
    """A URL for the route, with sample values for its parameters."""
    route = route.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\.", ".")
    route = re.sub(r"\(\?P<slug>[^)]*\)", "lsab", route)  # regex routes (DRF routers)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    route = re.sub(
        r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_VALUES.get(m.group(1) or "str", "x"), route
    )
    return "/" + route


def is_api(view) -> bool:
    """A REST framework view (it authenticates requests itself)."""
    return getattr(view, "cls", None) is not None and issubclass(view.cls, APIView)
