"""A review's record holds together whichever way it is changed (pages, API, admin): a closed
review keeps its findings, recommendations and action plan as they were; a referral that led to
a review keeps a decision and dates that fit it; a review's dates follow its referral's."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reviews import services
from reviews.models import Finding, Recommendation, RecommendationAction, Referral, Review
from reviews.summary import year_summary
from tests.reviews.conftest import (
    DecidedReferralFactory,
    RecommendationActionFactory,
    ReviewFactory,
)

D = datetime.date


@pytest.fixture
def closed_review(review):
    RecommendationAction.objects.filter(recommendation__review=review).update(
        status=RecommendationAction.Status.COMPLETE, completed_on=D(2018, 3, 1)
    )
    review.status = Review.Status.CLOSED
    review.concluded_on = D(2018, 2, 1)
    return services.save_review(review, by=None)


def test_nothing_is_added_to_a_closed_review(closed_review):
    recommendation = closed_review.recommendations.first()
    with pytest.raises(ValidationError, match=r"is closed\. Reopen it"):
        services.save_finding(Finding(review=closed_review, text="Late."), by=None)
    with pytest.raises(ValidationError, match="is closed"):
        services.save_recommendation(
            Recommendation(review=closed_review, text="Late.", scope="board"), by=None
        )
    with pytest.raises(ValidationError, match="is closed"):
        services.save_action(
            RecommendationAction(
                recommendation=recommendation,
                description="Late.",
                owner_organisation="Police",
                due=D(2019, 1, 1),
            ),
            by=None,
        )
    action = RecommendationAction.objects.filter(recommendation=recommendation).first()
    action.status, action.completed_on = RecommendationAction.Status.IN_PROGRESS, None
    with pytest.raises(ValidationError, match="is closed"):
        services.save_action(action, by=None)


def test_a_closed_review_reopened_takes_changes_again(closed_review):
    closed_review.status = Review.Status.MONITORING
    services.save_review(closed_review, by=None)
    finding = services.save_finding(Finding(review=closed_review, text="Late."), by=None)
    assert finding.number == 3


def test_the_api_refuses_an_action_on_a_closed_review(review_client, closed_review):
    recommendation = closed_review.recommendations.first()
    response = review_client.post(
        "/api/recommendation-actions/",
        {
            "recommendation": recommendation.pk,
            "description": "x",
            "owner_organisation": "o",
            "due": "2019-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "is closed" in response.content.decode()


def test_a_referral_with_a_review_keeps_a_decision_that_leads_to_one(review):
    referral = review.referral
    referral.decision = Referral.Decision.NO_FURTHER_ACTION
    with pytest.raises(ValidationError) as caught:
        services.save_referral(referral, by=None)
    assert "decision" in caught.value.message_dict
    assert "1 August 2017" in caught.value.message_dict["decision"][0]


def test_a_referral_with_a_review_keeps_its_dates_before_the_commissioning(review):
    referral = Referral.objects.get(pk=review.referral_id)
    referral.referral_date = D(2017, 9, 1)
    referral.first_considered_on = None
    referral.decided_on = D(2017, 9, 2)
    with pytest.raises(ValidationError) as caught:
        services.save_referral(referral, by=None)
    assert set(caught.value.message_dict) >= {"referral_date", "decided_on"}


def test_a_review_is_not_commissioned_before_the_decision(board):
    referral = DecidedReferralFactory(board=board, decided_on=D(2017, 7, 20))
    review = ReviewFactory.build(referral=referral, commissioned_on=D(2017, 7, 1))
    with pytest.raises(ValidationError) as caught:
        services.save_review(review, by=None)
    assert "20 July 2017" in caught.value.message_dict["commissioned_on"][0]


def test_a_date_concluded_needs_a_concluded_status(review):
    review.concluded_on = D(2018, 1, 5)
    review.status = Review.Status.IN_PROGRESS
    with pytest.raises(ValidationError) as caught:
        services.save_review(review, by=None)
    assert "status" in caught.value.message_dict


def test_the_year_summary_counts_only_section_44_reviews(board):
    sar = ReviewFactory(referral=DecidedReferralFactory(board=board), concluded_on=D(2018, 1, 9),
                        status=Review.Status.REPORT_TO_BOARD)  # fmt: skip
    dhr_referral = DecidedReferralFactory(
        board=board, kind=Referral.Kind.DHR, decision=Referral.Decision.OTHER_REVIEW
    )
    dhr = ReviewFactory(referral=dhr_referral, concluded_on=D(2018, 1, 10),
                        status=Review.Status.REPORT_TO_BOARD)  # fmt: skip
    RecommendationActionFactory(
        recommendation__review=dhr, status="complete", completed_on=D(2018, 2, 1)
    )
    summary = year_summary(board, 2017)
    assert summary.concluded == [sar]
    assert summary.other_concluded == [dhr]
    assert summary.referrals == [sar.referral]
    assert summary.other_referrals == [dhr_referral]
    assert summary.actions_completed == []


@pytest.mark.parametrize("year", [0, 1, 9999])
def test_a_year_no_board_reports_on_is_not_found(review_client, board, year):
    url = reverse("reviews:year-summary", kwargs={"slug": board.slug, "year": year})
    assert review_client.get(url).status_code == 404
    api = reverse("api-referral-year-summary", kwargs={"slug": board.slug, "year": str(year)})
    assert review_client.get(api).status_code == 404
