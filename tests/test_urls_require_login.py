"""Every URL needs a signed-in user unless it is deliberately public.

The test walks the URL resolver, so a URL added later is covered without anyone
remembering to add it here. A new public page must be added to PUBLIC_URL_NAMES, which
makes going public a reviewed decision.
"""

import pytest

from tests.urlwalk import concrete, is_api, walk

# Pages anyone may open. Everything else must send anonymous visitors to sign in.
PUBLIC_URL_NAMES = {
    "accessibility",
    "healthz",
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    # The code step of signing in: the visitor is not signed in yet (sab/two_factor.py).
    "two-factor-verify",
    # The start page: for the public, the way to the published documents (sab/views.py).
    "home",
    # The public site: published plans and reports (reports/public_urls.py).
    "publications:index",
    "publications:board",
    "publications:accessibility",
    "publications:document",
    "publications:html",
    "publications:pdf",
}

# API routes anyone may read: the published documents (reports/api.py, AllowAny). Every
# other route answers an anonymous request with 401.
PUBLIC_API_ROUTE_NAMES = {
    "api-publication-list",
    "api-publication-detail",
}


def _all_urls():
    for route in walk():
        if route.route.startswith(("django-admin/", "static/", "media/")) or (
            "format>" in route.route
        ):
            continue  # the admin has its own sign-in; format suffixes duplicate a route
        yield pytest.param(
            concrete(route.route), route.pattern, route.name, id=route.name or route.route
        )


@pytest.mark.parametrize(("url", "pattern", "name"), list(_all_urls()))
def test_anonymous_visitors_are_sent_to_sign_in(client, db, url, pattern, name):
    """``name`` is the namespaced one ("publications:index"), so a public page's name
    does not make another app's page of the same name public ("reviews:home")."""
    view = pattern.callback
    api = is_api(view)
    response = client.get(url)
    if name in PUBLIC_URL_NAMES:
        assert getattr(view, "login_required", True) is False, f"{url} should be public"
        assert response.status_code != 302 or "/accounts/login/" not in response["Location"]
    elif api and name in PUBLIC_API_ROUTE_NAMES:
        # No publication 1 here: the list answers, the detail is not found; neither is 401.
        assert response.status_code in {200, 404}, f"{url} answered {response.status_code}"
    elif api:
        # API views authenticate requests themselves (session or token) and answer 401.
        assert response.status_code == 401, f"{url} answered {response.status_code}"
    else:
        assert response.status_code == 302, f"{url} answered {response.status_code}"
        assert response["Location"].startswith("/accounts/login/?next=")


def test_only_the_listed_pages_are_public():
    """REST framework views opt out of the middleware and answer 401 themselves (tested above)."""
    public = {
        route.name
        for route in walk()
        if getattr(route.pattern.callback, "login_required", True) is False
        and not is_api(route.pattern.callback)
    }
    assert public == PUBLIC_URL_NAMES


def _allows_anyone(view) -> bool:
    from rest_framework.permissions import AllowAny

    return any(
        isinstance(permission, type) and issubclass(permission, AllowAny)
        for permission in view.cls.permission_classes
    )


def test_only_the_listed_api_routes_are_public():
    """An API route opens to anonymous callers only by being listed above."""
    public = {
        route.name
        for route in walk()
        if is_api(route.pattern.callback)
        and "format>" not in route.route
        and _allows_anyone(route.pattern.callback)
    }
    assert public == PUBLIC_API_ROUTE_NAMES


def test_the_admin_is_for_superusers_only(client, manager, make_user):
    from tests.factories import UserFactory
    from tests.two_factor import verify

    client.force_login(manager)
    response = client.get("/django-admin/")
    assert response.status_code == 302 and "/django-admin/login/" in response["Location"]
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get("/django-admin/").status_code == 302
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    # A superuser reads restricted review records there too: only after the second factor.
    assert client.get("/django-admin/").status_code == 302
    verify(client, superuser)
    assert client.get("/django-admin/").status_code == 200
