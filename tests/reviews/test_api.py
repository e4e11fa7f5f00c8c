"""The reviews API (reviews/api.py): the pages' services and rules behind every write, the
user's own scope behind every related id, a second factor behind everything, and lists whose
cost does not grow with their length."""

import datetime

import pytest
from rest_framework.authtoken.models import Token

from reviews import summary as summaries
from reviews.models import Finding, Recommendation, RecommendationAction, Referral, Review
from sab.models import RoleAssignment
from tests.factories import (
    ActionFactory,
    BusinessPlanFactory,
    PriorityFactory,
    RoleAssignmentFactory,
)
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
NEW_REFERRAL = {
    "board": "lsab",
    "subject_label": "Adult H",
    "referring_organisation": "Leicestershire Police",
    "referrer_type": "partner",
    "referral_date": "2017-06-12",
}


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def _patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


# --- Referrals ------------------------------------------------------------------------------


def test_a_referral_is_recorded_through_the_service(review_client, review_member, board):
    response = _post(review_client, "/api/referrals/", NEW_REFERRAL)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["reference"] == "SAR-2017-01"
    assert data["board"] == "lsab"
    assert data["decision"] == "pending" and data["pointer"] == "incomplete"
    referral = Referral.objects.get(pk=data["id"])
    assert referral.history.get().history_user == review_member

    second = _post(review_client, "/api/referrals/", {**NEW_REFERRAL, "subject_label": "Adult I"})
    assert second.json()["reference"] == "SAR-2017-02"


@pytest.mark.parametrize("slug", ["esab", "no-such-board"])
def test_a_board_outside_my_review_boards_is_unknown(review_client, other_board, slug):
    response = _post(review_client, "/api/referrals/", {**NEW_REFERRAL, "board": slug})
    assert response.status_code == 400
    assert response.json() == {"board": ["Unknown board."]}
    assert not Referral.objects.exists()


def test_a_label_like_a_name_is_refused_until_confirmed(review_client, review_member, board):
    named = {**NEW_REFERRAL, "subject_label": "John Smith"}
    response = _post(review_client, "/api/referrals/", named)
    assert response.status_code == 400
    errors = response.json()
    assert '"John Smith" looks like a real name' in errors["subject_label"][0]
    assert "confirm_label" in errors["confirm_label"][0]
    assert not Referral.objects.exists()

    response = _post(review_client, "/api/referrals/", {**named, "confirm_label": True})
    assert response.status_code == 201, response.json()
    data = response.json()
    assert "looks like a real name" in data["subject_label_warning"]
    assert data["subject_label_confirmed_by"] == review_member.pk
    assert data["subject_label_confirmed_at"]

    # Confirmed once is enough; a different name needs confirming again.
    url = f"/api/referrals/{data['id']}/"
    assert _patch(review_client, url, {"outcome": "Noted."}).status_code == 200
    response = _patch(review_client, url, {"subject_label": "Jane Smith"})
    assert response.status_code == 400 and "confirm_label" in response.json()


def test_a_decision_dated_before_the_referral_is_refused_naming_both(
    review_client, pending_referral
):
    decision = {
        "care_and_support_needs": "yes",
        "agencies_concern": "yes",
        "harm": "died",
        "abuse_known_or_suspected": "yes",
        "decision": "mandatory",
        "decided_by": "Independent Chair",
        "decided_on": "2017-06-01",
        "rationale": "The criteria are met.",
    }
    url = f"/api/referrals/{pending_referral.pk}/"
    response = _patch(review_client, url, decision)
    assert response.status_code == 400
    (message,) = response.json()["decided_on"]
    assert "1 June 2017" in message and "12 June 2017" in message
    pending_referral.refresh_from_db()
    assert pending_referral.decision == "pending"

    response = _patch(review_client, url, {**decision, "decided_on": "2017-07-20"})
    assert response.status_code == 200, response.json()
    assert response.json()["pointer"] == "mandatory"
    assert response.json()["days_to_decision"] == 38


def test_a_decision_away_from_the_pointer_needs_a_rationale(review_client, pending_referral):
    response = _patch(
        review_client,
        f"/api/referrals/{pending_referral.pk}/",
        {
            "care_and_support_needs": "yes",
            "agencies_concern": "yes",
            "harm": "died",
            "abuse_known_or_suspected": "yes",
            "decision": "no_further_action",
            "decided_by": "Independent Chair",
            "decided_on": "2017-07-20",
        },
    )
    assert response.status_code == 400
    assert "mandatory sar" in response.json()["rationale"][0]


def test_a_referral_stays_in_its_board(client, make_user, board, other_board):
    """Even for someone who keeps the reviews of both boards."""
    user = make_user(Role.REVIEW_MEMBER, board)
    RoleAssignmentFactory(user=user, board=other_board, role=Role.REVIEW_MEMBER)
    verify(client, user)
    referral = DecidedReferralFactory(board=board)
    response = _patch(client, f"/api/referrals/{referral.pk}/", {"board": "esab"})
    assert response.status_code == 400
    assert response.json() == {"board": ["This cannot be changed once the record exists."]}
    referral.refresh_from_db()
    assert referral.board == board


def test_information_requests(review_client, pending_referral, other_board_referral):
    url = "/api/information-requests/"
    data = {
        "referral": pending_referral.pk,
        "agency": "Leicestershire Police",
        "requested_on": "2017-06-14",
        "due_on": "2017-06-01",
    }
    response = _post(review_client, url, data)
    assert response.status_code == 400 and "due_on" in response.json()
    response = _post(review_client, url, {**data, "due_on": "2017-06-28"})
    assert response.status_code == 201, response.json()
    assert response.json()["is_overdue"] is True
    assert _post(review_client, url, {**data, "referral": other_board_referral.pk}).json() == {
        "referral": [f'Invalid pk "{other_board_referral.pk}" - object does not exist.']
    }


# --- Reviews and what is inside them --------------------------------------------------------


REVIEW = {
    "methodology": "hybrid",
    "reviewer": "Independent reviewer",
    "commissioned_on": "2017-08-01",
    "scope_start": "2016-01-01",
    "scope_end": "2017-05-31",
    "family_involvement": "took_part",
    "parallel_processes": ["inquest"],
}


def test_a_review_is_commissioned_from_a_decided_referral(
    review_client, referral, pending_referral
):
    response = _post(review_client, "/api/reviews/", {**REVIEW, "referral": referral.pk})
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["reference"], data["board"], data["status"]) == (
        "SAR-2017-02",
        "lsab",
        "commissioned",
    )
    assert data["parallel_processes"] == ["inquest"]

    response = _post(review_client, "/api/reviews/", {**REVIEW, "referral": pending_referral.pk})
    assert response.status_code == 400
    assert "record the decision first" in response.json()["non_field_errors"][0]
    assert not Review.objects.filter(referral=pending_referral).exists()


def test_closing_a_review_with_open_actions_is_refused(review_client, review):
    response = _patch(
        review_client,
        f"/api/reviews/{review.pk}/",
        {"status": "closed", "concluded_on": "2018-03-01"},
    )
    assert response.status_code == 400
    message = response.json()["status"][0]
    assert "1 action is open" in message and "due 31 March 2018" in message


def test_findings_and_recommendations(review_client, review):
    response = _post(review_client, "/api/findings/", {"review": review.pk, "text": "No lead."})
    assert response.status_code == 201, response.json()
    assert response.json()["number"] == 3  # after the review's two
    finding = Finding.objects.get(pk=response.json()["id"])

    new = {"review": review.pk, "finding": finding.pk, "text": "Name a lead.", "scope": "board"}
    response = _post(
        review_client,
        "/api/recommendations/",
        {**new, "response": "not_accepted", "decided_on": "2018-02-01"},
    )
    assert response.status_code == 400
    assert "reason_not_accepted" in response.json()
    response = _post(
        review_client,
        "/api/recommendations/",
        {
            **new,
            "response": "not_accepted",
            "decided_on": "2018-02-01",
            "reason_not_accepted": "The VARM process already names a lead.",
        },
    )
    assert response.status_code == 201, response.json()
    assert Recommendation.objects.get(pk=response.json()["id"]).number == 3


def test_related_ids_from_another_board_are_unknown(review_client, review, other_board):
    elsewhere = ReviewFactory(referral=DecidedReferralFactory(board=other_board))
    missing = 10**9

    def refused(review_id):
        response = _post(review_client, "/api/findings/", {"review": review_id, "text": "x"})
        assert response.status_code == 400
        return response.json()["review"][0].replace(str(review_id), "ID")

    assert refused(elsewhere.pk) == refused(missing)
    assert not Finding.objects.filter(review=elsewhere).exists()


def test_an_action_links_a_plan_action_of_this_board_only(
    review_client, review, plan_action, other_board
):
    recommendation = review.recommendations.get(number=1)
    new = {
        "recommendation": recommendation.pk,
        "description": "Run two learning events.",
        "owner_organisation": "Leicester Safeguarding Adults Board",
        "due": "2018-09-30",
    }
    response = _post(
        review_client, "/api/recommendation-actions/", {**new, "plan_action": plan_action.pk}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["plan_action"] == plan_action.pk
    assert response.json()["review"] == review.pk

    elsewhere = ActionFactory(priority=PriorityFactory(plan=BusinessPlanFactory(board=other_board)))
    response = _post(
        review_client, "/api/recommendation-actions/", {**new, "plan_action": elsewhere.pk}
    )
    assert response.status_code == 400
    assert response.json() == {
        "plan_action": [f'Invalid pk "{elsewhere.pk}" - object does not exist.']
    }
    assert RecommendationAction.objects.filter(plan_action=elsewhere).count() == 0


def test_nothing_is_deleted_through_the_api(review_client, review):
    assert review_client.delete(f"/api/reviews/{review.pk}/").status_code == 405
    assert review_client.delete(f"/api/referrals/{review.referral_id}/").status_code == 405


def test_another_boards_records_are_not_found(review_client, other_board_referral):
    url = f"/api/referrals/{other_board_referral.pk}/"
    assert review_client.get(url).status_code == 404
    assert _patch(review_client, url, {"outcome": "x"}).status_code == 404
    assert review_client.get("/api/referrals/").json()["count"] == 0


# --- The year summary -----------------------------------------------------------------------


def test_the_year_summary_is_the_annual_reports(review_client, board, review, other_board):
    review.status = Review.Status.REPORT_TO_BOARD
    review.concluded_on = datetime.date(2018, 2, 1)
    review.save()
    ReviewFactory(referral=DecidedReferralFactory(board=board, subject_label="Adult Z"))
    response = review_client.get("/api/referrals/year-summary/lsab/2017/")
    assert response.status_code == 200
    data = response.json()
    expected = summaries.year_summary(board, 2017)
    assert (data["label"], data["start"], data["end"]) == ("2017/18", "2017-04-01", "2018-03-31")
    assert [r["id"] for r in data["referrals"]] == [r.pk for r in expected.referrals]
    assert [r["decision_made"] for r in data["referrals"]] == [
        summaries.decision_made(r) for r in expected.referrals
    ]
    assert [r["id"] for r in data["concluded"]] == [r.pk for r in expected.concluded] == [review.pk]
    assert [f["number"] for f in data["concluded"][0]["findings"]] == [1, 2]
    assert [r["id"] for r in data["ongoing"]] == [r.pk for r in expected.ongoing]
    assert [a["id"] for a in data["actions_completed"]] == [
        a.pk for a in expected.actions_completed
    ]
    assert [a["id"] for a in data["actions_open"]] == [a.pk for a in expected.actions_open]
    assert data["actions_open"][0]["plan_action_ref"] == "2b.1"
    (refused,) = data["not_accepted"]
    assert refused["reason_not_accepted"] == expected.not_accepted[0].reason_not_accepted
    assert data["decision_counts"] == [
        {"decision": "Mandatory SAR (section 44(1) to (3))", "count": 2}
    ]

    assert review_client.get("/api/referrals/year-summary/esab/2017/").status_code == 404
    assert review_client.get("/api/referrals/year-summary/nowhere/2017/").status_code == 404
    for year in ["0", "9999", "123456789012345678901234567890"]:
        url = f"/api/referrals/year-summary/lsab/{year}/"
        assert review_client.get(url).status_code == 404, year


# --- Second factor --------------------------------------------------------------------------


def test_a_token_cannot_carry_a_second_factor(client, review_member, referral):
    token = Token.objects.create(user=review_member)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    for url in ["/api/referrals/", f"/api/referrals/{referral.pk}/", "/api/reviews/"]:
        response = client.get(url, **auth)
        assert response.status_code == 403, url
        assert "authenticator app" in response.json()["detail"]


def test_a_token_without_review_access_finds_nothing(client, make_user, board):
    token = Token.objects.create(user=make_user("viewer", board))
    response = client.get("/api/referrals/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 404


def test_the_schema_lists_the_review_endpoints(manager_client):
    schema = manager_client.get("/api/schema/")
    assert schema.status_code == 200
    for path in [
        "/api/referrals/",
        "/api/referrals/{id}/",
        "/api/referrals/year-summary/{slug}/{year}/",
        "/api/information-requests/",
        "/api/reviews/{id}/",
        "/api/findings/",
        "/api/recommendations/",
        "/api/recommendation-actions/",
    ]:
        assert path.encode() in schema.content, path
    assert b"confirm_label" in schema.content


# --- Query counts ---------------------------------------------------------------------------


def _reviews(board, plan_action, n: int) -> None:
    """``n`` referrals, each with an information request and a review (concluded in 2017/18)
    carrying a finding, a recommendation and an action linked to the business plan: a
    realistic register, and a year summary with every list filled."""
    for _ in range(n):
        review = ReviewFactory(
            referral=DecidedReferralFactory(board=board),
            status=Review.Status.REPORT_TO_BOARD,
            concluded_on=datetime.date(2018, 2, 1),
        )
        InformationRequestFactory(referral=review.referral)
        finding = FindingFactory(review=review, number=1)
        recommendation = RecommendationFactory(
            review=review,
            finding=finding,
            number=1,
            response=Recommendation.Response.NOT_ACCEPTED,
            reason_not_accepted="Covered by the VARM process.",
        )
        RecommendationActionFactory(
            recommendation=recommendation,
            status="complete",
            completed_on=datetime.date(2018, 1, 31),
            plan_action=plan_action,
        )
        RecommendationActionFactory(recommendation=recommendation, plan_action=plan_action)


# (url, the most queries it may take, rows per referral)
LISTS = [
    ("/api/referrals/", 6, 1),
    ("/api/information-requests/", 6, 1),
    ("/api/reviews/", 6, 1),
    ("/api/findings/", 6, 1),
    ("/api/recommendations/", 6, 1),
    ("/api/recommendation-actions/", 6, 2),
    ("/api/referrals/year-summary/lsab/2017/", 15, 1),
]


@pytest.mark.parametrize("n", [1, 30])
@pytest.mark.parametrize(("url", "queries", "per_referral"), LISTS)
def test_lists_cost_the_same_whatever_their_length(
    review_client, board, plan_action, django_assert_max_num_queries, n, url, queries,
    per_referral,
):  # fmt: skip
    """A register of many referrals (and the annual report's summary of them) must not cost a
    query per row: every related record a row shows is joined or prefetched. Each request
    reads the session, the user, their authenticator device and their roles first."""
    _reviews(board, plan_action, n)
    review_client.get(url)  # the first request of a test also fills per-process caches
    with django_assert_max_num_queries(queries):
        response = review_client.get(url)
    assert response.status_code == 200
    rows = response.json()
    shown = rows["results"] if "results" in rows else rows["referrals"]
    assert len(shown) == min(n * per_referral, 50)  # 50 a page
    if "referrals" in rows:
        assert len(rows["concluded"]) == len(rows["not_accepted"]) == n
        assert len(rows["actions_completed"]) == len(rows["actions_open"]) == n
