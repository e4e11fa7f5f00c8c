"""The review pages cost the same number of queries whatever the number of records: every
list is fetched with its related rows (select_related / prefetch_related), and the
histories read each model's historical rows once. Each test runs with 1 and with 30 of
everything and asserts the same bound."""

import datetime

import pytest
from django.urls import reverse

from reviews import services
from reviews.models import Recommendation, RecommendationAction, Review
from tests.reviews.conftest import (
    DecidedReferralFactory,
    FindingFactory,
    InformationRequestFactory,
    RecommendationActionFactory,
    RecommendationFactory,
    ReviewFactory,
)

# Every page: the session, the user, the second factor's device and the user's role rows
# (read once per request); then what the page itself reads.
BASE = 4


def _referrals_with_reviews(board, n: int) -> list[Review]:
    """n referrals of 2017/18, each decided and with its review (half concluded in the year)."""
    reviews = []
    for i in range(n):
        referral = DecidedReferralFactory(
            board=board,
            referral_date=datetime.date(2017, 4, 1) + datetime.timedelta(days=i * 5),
            first_considered_on=None,
            decided_on=datetime.date(2017, 4, 1) + datetime.timedelta(days=i * 5 + 20),
        )
        concluded = i % 2 == 0
        reviews.append(
            ReviewFactory(
                referral=referral,
                commissioned_on=referral.decided_on,
                status=Review.Status.REPORT_TO_BOARD if concluded else Review.Status.IN_PROGRESS,
                concluded_on=datetime.date(2018, 3, 31) if concluded else None,
            )
        )
    return reviews


def _fill(review: Review, n: int, plan_action) -> None:
    """n findings and n recommendations with 3 actions each (one linked to the plan)."""
    for number in range(1, n + 1):
        finding = FindingFactory(review=review, number=number)
        recommendation = RecommendationFactory(
            review=review,
            finding=finding,
            number=number,
            response=Recommendation.Response.NOT_ACCEPTED if number % 3 == 0 else "accepted",
            reason_not_accepted="Covered elsewhere." if number % 3 == 0 else "",
        )
        for due in range(3):
            RecommendationActionFactory(
                recommendation=recommendation,
                due=datetime.date(2018, 1, 1) + datetime.timedelta(days=due * 30),
                status=RecommendationAction.Status.COMPLETE if due == 0 else "in_progress",
                completed_on=datetime.date(2018, 2, 1) if due == 0 else None,
                plan_action=plan_action if due == 1 else None,
            )


def _count(client, url, django_assert_max_num_queries, bound):
    client.get(url)  # warm-up: the first request after sign-in may write the session
    with django_assert_max_num_queries(bound):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("n", [1, 30])
def test_the_register(review_client, board, n, django_assert_max_num_queries):
    """BASE + the board, the page's count, its rows with their reviews, the year choices."""
    _referrals_with_reviews(board, n)
    url = reverse("reviews:referral-list", kwargs={"slug": board.slug})
    response = _count(review_client, url, django_assert_max_num_queries, BASE + 4)
    assert len(response.context["rows"]) == n


@pytest.mark.parametrize("n", [1, 30])
def test_the_register_export(review_client, board, n, django_assert_max_num_queries):
    """BASE + the board, the rows with their reviews."""
    _referrals_with_reviews(board, n)
    url = reverse("reviews:referral-export", kwargs={"slug": board.slug})
    response = _count(review_client, url, django_assert_max_num_queries, BASE + 2)
    assert response.content.decode().count("\n") == n + 1


@pytest.mark.parametrize("n", [1, 30])
def test_the_referral_page(review_client, board, review_member, n, django_assert_max_num_queries):
    """BASE + the referral (with its board, review and who confirmed its label), its
    information requests, and the timeline: the referral's history and the requests' (each
    with the users who made the changes), and the name of who confirmed the label."""
    referral = _referrals_with_reviews(board, 1)[0].referral
    referral.subject_label = "John Smith"
    services.save_referral(referral, by=review_member, confirm_label=True)
    for i in range(n):
        InformationRequestFactory(referral=referral, agency=f"Agency {i}")
        referral.outcome = f"Outcome, version {i}"
        services.save_referral(referral, by=review_member)
    response = _count(
        review_client, referral.get_absolute_url(), django_assert_max_num_queries, BASE + 5
    )
    assert len(response.context["information_requests"]) == n


@pytest.mark.parametrize("n", [1, 30])
def test_the_review_page(review_client, board, plan_action, n, django_assert_max_num_queries):
    """BASE + the review (with its referral and board), its findings, recommendations
    (with their findings), their actions (with the business-plan actions), and the
    timeline: the review's, the findings', recommendations' and actions' histories (with
    the findings and business-plan actions they name)."""
    review = _referrals_with_reviews(board, 1)[0]
    _fill(review, n, plan_action)
    response = _count(
        review_client, review.get_absolute_url(), django_assert_max_num_queries, BASE + 10
    )
    assert len(response.context["recommendations"]) == n


@pytest.mark.parametrize("n", [1, 30])
def test_the_year_summary(review_client, board, plan_action, n, django_assert_max_num_queries):
    """BASE + the board, the year's referrals (with reviews), the reviews concluded and
    those ongoing (each with findings and recommendations: 3 queries a list), the actions
    completed and those open, and the recommendations not accepted."""
    for review in _referrals_with_reviews(board, n):
        _fill(review, 3, plan_action)
    url = reverse("reviews:year-summary", kwargs={"slug": board.slug, "year": 2017})
    response = _count(review_client, url, django_assert_max_num_queries, BASE + 11)
    assert len(response.context["summary"].referrals) == n
