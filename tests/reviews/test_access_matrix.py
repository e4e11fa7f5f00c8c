"""Who may know that review records exist: every reviews page (the referral and review pages
carry their history timelines; the register has its CSV export) and every reviews API route,
read from the URL resolver and the API router, so a new URL cannot miss the matrix.

- Nobody but the board's review members and board managers learns anything: 404 for the
  board's other roles and for another board's review member and manager (second factor
  verified, so it is the scope that answers, not the second factor).
- The board's review member and manager, verified, get their pages (200, or 302 onwards).
- A review member not yet verified is sent to verify (pages) or refused (API, 403).
- A verified review member still finds nothing of another board's.
- Nothing of the reviews app shows through search or the board page either.
"""

import pytest
from django.urls import reverse

from reviews import urls as review_urls
from reviews.models import (
    Finding,
    InformationRequest,
    Recommendation,
    RecommendationAction,
    Referral,
    Review,
)
from sab.api_urls import router
from sab.models import RoleAssignment
from tests.matrix import POSITIONS
from tests.reviews.conftest import (
    DecidedReferralFactory,
    FindingFactory,
    InformationRequestFactory,
    RecommendationActionFactory,
    RecommendationFactory,
    ReviewFactory,
)
from tests.two_factor import verify

Role = RoleAssignment.Role
RECORD_OF_MODEL = {
    Referral: "referral",
    InformationRequest: "information_request",
    Review: "review",
    Finding: "finding",
    Recommendation: "recommendation",
    RecommendationAction: "action",
}
# The record a page's ``pk`` names: a page under a parent takes the parent's (a new finding's
# page takes its review). Every reviews URL with a pk must be here (tested below).
PAGE_PK = {
    "referral-detail": "referral",
    "referral-edit": "referral",
    "referral-decision": "referral",
    "information-request-create": "referral",
    "information-request-edit": "information_request",
    "review-create": "referral",
    "review-detail": "review",
    "review-edit": "review",
    "finding-create": "review",
    "finding-edit": "finding",
    "recommendation-create": "review",
    "recommendation-edit": "recommendation",
    "action-create": "recommendation",
    "action-edit": "action",
}
OTHER_KWARGS = {"slug": lambda records: records["board"].slug, "year": lambda records: 2017}
# Pages that take a form (the rest answer GET only).
POSTED = ("-create", "-edit", "-decision")
DENIED = [p for p in POSITIONS if p not in {"manager", "review"}] + ["other_board_review"]


def _kwarg_names(pattern) -> set[str]:
    return set(pattern.pattern.regex.groupindex)


def _page_kwargs(pattern, records) -> dict:
    kwargs = {}
    for name in _kwarg_names(pattern):
        if name == "pk":
            kwargs[name] = records[PAGE_PK[pattern.name]].pk
        else:
            kwargs[name] = OTHER_KWARGS[name](records)
    return kwargs


def pages(records) -> list[tuple[str, str]]:
    """(URL name, URL) of every reviews page, for ``records``' board."""
    return [
        (pattern.name, reverse(f"reviews:{pattern.name}", kwargs=_page_kwargs(pattern, records)))
        for pattern in review_urls.urlpatterns
    ]


def _review_viewsets():
    return [
        (basename, viewset)
        for _, viewset, basename in router.registry
        if viewset.__module__ == "reviews.api"
    ]


def api_routes(records) -> list[tuple[str, str]]:
    """(route name, URL) of every route of the reviews viewsets, for ``records``' board."""
    routes = []
    for basename, viewset in _review_viewsets():
        record = RECORD_OF_MODEL[viewset.serializer_class.Meta.model]
        for pattern in router.urls:
            names = _kwarg_names(pattern)
            if not (pattern.name or "").startswith(f"{basename}-") or "format" in names:
                continue
            kwargs = {
                name: records[record].pk if name == "pk" else OTHER_KWARGS[name](records)
                for name in names
            }
            routes.append((pattern.name, reverse(pattern.name, kwargs=kwargs)))
    return routes


def _records(board, review) -> dict:
    referral = review.referral
    recommendation = review.recommendations.order_by("number").first()
    return {
        "board": board,
        "referral": referral,
        "information_request": referral.information_requests.first(),
        "review": review,
        "finding": review.findings.first(),
        "recommendation": recommendation,
        "action": RecommendationAction.objects.filter(recommendation=recommendation).first(),
    }


@pytest.fixture
def records(board, review):
    return _records(board, review)


@pytest.fixture
def other_records(other_board):
    review = ReviewFactory(referral=DecidedReferralFactory(board=other_board))
    InformationRequestFactory(referral=review.referral)
    FindingFactory(review=review, number=1)
    recommendation = RecommendationFactory(review=review, number=1)
    RecommendationActionFactory(recommendation=recommendation)
    return _records(other_board, review)


@pytest.fixture
def person(user_as, make_user, other_board):
    def _person(position: str):
        if position == "other_board_review":
            return make_user(Role.REVIEW_MEMBER, other_board)
        return user_as(position)

    return _person


# --- The matrix is complete -----------------------------------------------------------------


def test_every_reviews_url_has_a_recipe_for_its_kwargs():
    """A new reviews URL with a pk (or another kwarg) fails here until the matrix knows what
    to fill in, so it cannot skip the matrix."""
    missing = []
    for pattern in review_urls.urlpatterns:
        for name in _kwarg_names(pattern):
            known = pattern.name in PAGE_PK if name == "pk" else name in OTHER_KWARGS
            if not known:
                missing.append((pattern.name, name))
    assert missing == []
    assert set(PAGE_PK) <= {pattern.name for pattern in review_urls.urlpatterns}
    for _, viewset in _review_viewsets():
        assert viewset.serializer_class.Meta.model in RECORD_OF_MODEL


def test_the_matrix_covers_the_pages_the_export_the_history_and_the_api(records):
    names = {name for name, _ in pages(records)}
    assert {"referral-list", "referral-export", "referral-detail", "review-detail"} <= names
    assert len(names) == len(review_urls.urlpatterns)
    routes = {name for name, _ in api_routes(records)}
    for basename in [
        "api-referral",
        "api-information-request",
        "api-review",
        "api-finding",
        "api-recommendation",
        "api-recommendation-action",
    ]:
        assert {f"{basename}-list", f"{basename}-detail"} <= routes
    assert "api-referral-year-summary" in routes


def test_the_history_is_on_the_referral_and_review_pages(review_client, records):
    for name in ["referral-detail", "review-detail"]:
        url = reverse(f"reviews:{name}", kwargs={"pk": records[PAGE_PK[name]].pk})
        response = review_client.get(url)
        assert response.status_code == 200
        assert "reviews/_history.html" in {t.name for t in response.templates}, name


# --- Who gets what --------------------------------------------------------------------------


@pytest.mark.parametrize("position", DENIED)
def test_nobody_else_learns_that_review_records_exist(client, person, records, position):
    verify(client, person(position))  # so the scope answers, not the second factor
    other_boards_reviewer = position in {"other_board_review", "other_board_manager"}
    answers, shown = {}, []
    for name, url in pages(records) + api_routes(records):
        response = client.get(url)
        if other_boards_reviewer and _not_about_a_board(name):
            # Their own board's reviews (the home page, the API lists): none of this board's.
            shown.append((name, response.content.decode()))
            continue
        answers[("GET", name)] = response.status_code
        if not name.startswith("api-"):
            if name.endswith(POSTED):
                answers[("POST", name)] = client.post(url, {}).status_code
        elif name.endswith("-detail"):
            answers[("PATCH", name)] = client.patch(url, {}, "application/json").status_code
        elif name.endswith("-list"):
            answers[("POST", name)] = client.post(url, {}, "application/json").status_code
    assert {key: code for key, code in answers.items() if code != 404} == {}
    secrets = _secrets(records)
    assert [(name, s) for name, content in shown for s in secrets if s in content] == []


def _not_about_a_board(name: str) -> bool:
    """The reviews home page and the API lists answer with the reader's own boards."""
    return name == "home" or name.endswith("-list")


def _secrets(records) -> list[str]:
    referral = records["referral"]
    return [
        referral.subject_label,
        referral.reference,
        referral.referring_organisation,
        records["finding"].text,
        records["recommendation"].text,
        f"/reviews/referrals/{referral.pk}/",
    ]


@pytest.mark.parametrize("position", ["other_board_review", "other_board_manager"])
def test_another_boards_reviewers_cannot_create_here(client, person, board, position):
    """They may create in their own board: here the board is unknown, as if it did not exist."""
    verify(client, person(position))
    response = client.post(
        "/api/referrals/",
        {"board": board.slug, "subject_label": "Adult Q", "referral_date": "2017-06-01"},
        "application/json",
    )
    assert response.status_code == 400
    assert response.json()["board"] == ["Unknown board."]


@pytest.mark.parametrize("position", ["review", "manager"])
def test_the_boards_review_members_and_managers_get_everything(client, user_as, records, position):
    verify(client, user_as(position))
    answers = {}
    for name, url in pages(records):
        answers[("GET", name)] = client.get(url).status_code
        if name.endswith(POSTED):
            answers[("POST", name)] = client.post(url, {}).status_code
    for name, url in api_routes(records):
        answers[("GET", name)] = client.get(url).status_code
    assert {key: code for key, code in answers.items() if code not in {200, 302}} == {}


def test_pages_that_take_no_form_answer_get_only(review_client, records):
    for name, url in pages(records):
        if not name.endswith(POSTED):
            assert review_client.post(url, {}).status_code == 405, name


def test_a_review_member_without_a_verified_second_factor_is_sent_to_verify(
    client, review_member, records
):
    client.force_login(review_member)
    wrong = {}
    for name, url in pages(records):
        response = client.get(url)
        if response.status_code != 302 or "two-factor" not in response["Location"]:
            wrong[name] = (response.status_code, response.get("Location"))
    for name, url in api_routes(records):
        response = client.get(url)
        if response.status_code != 403:
            wrong[name] = response.status_code
    assert wrong == {}


def test_a_verified_review_member_finds_nothing_of_another_boards(
    review_client, records, other_records
):
    answers = {
        name: review_client.get(url).status_code
        for name, url in pages(other_records) + api_routes(other_records)
        if not _not_about_a_board(name)
    }
    assert {name: code for name, code in answers.items() if code != 404} == {}
    # Lists carry only the member's own board.
    listed = review_client.get("/api/referrals/").json()["results"]
    assert {row["board"] for row in listed} == {records["board"].slug}


# --- Nothing shows through other pages ------------------------------------------------------


@pytest.mark.parametrize("position", DENIED)
def test_search_and_the_board_page_show_nothing_of_reviews(
    client, person, records, board, position
):
    verify(client, person(position))
    secrets = _secrets(records)
    referral, finding = records["referral"], records["finding"]
    for query in [referral.subject_label, referral.reference, "capacity", finding.text]:
        response = client.get(reverse("sab:search"), {"q": query})
        assert response.status_code == 200
        hits = [hit for kind in response.context["kinds"] for hit in kind.hits]
        assert [hit.url for hit in hits if "/reviews/" in hit.url] == []
        # The page repeats the query; nothing else of the record may appear.
        page = response.content.decode()
        assert [s for s in secrets if s != query and s in page] == [], query
    response = client.get(reverse("sab:board-detail", kwargs={"slug": board.slug}))
    assert response.status_code == (404 if position.startswith("other_board") else 200)
    page = response.content.decode()
    assert [s for s in [*secrets, "/reviews/"] if s in page] == []


def test_the_api_root_may_name_the_endpoints_but_they_answer_404(client, user_as, records):
    verify(client, user_as("viewer"))
    root = client.get("/api/")
    assert root.status_code == 200 and "referrals" in root.json()
    for url in root.json().values():
        if "/api/referrals" in url or "/api/reviews" in url or "/api/findings" in url:
            assert client.get(url).status_code == 404, url
