"""The year summary (reviews/summary.py) counts by the board's reporting year: what the annual
report must say (Care Act Schedule 2, paragraph 4(1)(d) to (g)), on the right side of each
year's first and last day."""

import datetime

import pytest

from reviews.models import Recommendation, RecommendationAction, Review
from reviews.summary import year_summary
from tests.factories import BoardFactory
from tests.reviews.conftest import (
    DecidedReferralFactory,
    RecommendationActionFactory,
    RecommendationFactory,
    ReferralFactory,
    ReviewFactory,
)

D = datetime.date
DAY = datetime.timedelta(days=1)


def _review(board, commissioned: datetime.date, concluded: datetime.date | None = None):
    referral = DecidedReferralFactory(
        board=board,
        referral_date=commissioned - 60 * DAY,
        first_considered_on=commissioned - 30 * DAY,
        decided_on=commissioned - 20 * DAY,
    )
    return ReviewFactory(
        referral=referral,
        commissioned_on=commissioned,
        concluded_on=concluded,
        status=Review.Status.REPORT_TO_BOARD if concluded else Review.Status.IN_PROGRESS,
    )


def test_a_review_concluded_on_31_march_counts_in_that_year_only(board):
    review = _review(board, D(2017, 8, 1), concluded=D(2018, 3, 31))
    assert year_summary(board, 2017).concluded == [review]
    assert review not in year_summary(board, 2017).ongoing
    assert year_summary(board, 2018).concluded == []
    assert year_summary(board, 2018).ongoing == []


def test_a_review_concluded_on_1_april_counts_in_the_next_year(board):
    review = _review(board, D(2017, 8, 1), concluded=D(2018, 4, 1))
    assert year_summary(board, 2017).concluded == []
    assert year_summary(board, 2017).ongoing == [review]  # still open on 31 March
    assert year_summary(board, 2018).concluded == [review]
    assert year_summary(board, 2018).ongoing == []


def test_a_review_never_concluded_is_ongoing_every_year_end_since_it_began(board):
    review = _review(board, D(2016, 11, 8))
    assert year_summary(board, 2015).ongoing == []
    assert year_summary(board, 2016).ongoing == [review]
    assert year_summary(board, 2017).ongoing == [review]


def test_a_review_commissioned_after_the_year_end_is_not_ongoing_in_it(board):
    _review(board, D(2018, 4, 1))
    assert year_summary(board, 2017).ongoing == []


def test_referrals_are_counted_by_the_day_received(board):
    last_day = ReferralFactory(board=board, referral_date=D(2018, 3, 31), first_considered_on=None)
    first_day = ReferralFactory(board=board, referral_date=D(2018, 4, 1), first_considered_on=None)
    opening = ReferralFactory(board=board, referral_date=D(2017, 4, 1), first_considered_on=None)
    assert year_summary(board, 2017).referrals == [opening, last_day]
    assert year_summary(board, 2018).referrals == [first_day]


def test_a_board_whose_year_starts_in_january_uses_calendar_years(db):
    board = BoardFactory(financial_year_start_month=1)
    december = ReferralFactory(board=board, referral_date=D(2017, 12, 31), first_considered_on=None)
    january = ReferralFactory(board=board, referral_date=D(2018, 1, 1), first_considered_on=None)
    review = _review(board, D(2017, 3, 1), concluded=D(2017, 12, 31))
    summary = year_summary(board, 2017)
    assert (summary.start, summary.end, summary.label) == (D(2017, 1, 1), D(2017, 12, 31), "2017")
    assert december in summary.referrals and january not in summary.referrals
    assert summary.concluded == [review]
    assert january in year_summary(board, 2018).referrals


def test_actions_completed_in_the_year_are_listed_whatever_year_the_review_concluded(board):
    old = _review(board, D(2013, 3, 1), concluded=D(2014, 10, 1))
    recommendation = RecommendationFactory(review=old, decided_on=D(2014, 10, 1))
    done = RecommendationActionFactory(
        recommendation=recommendation,
        status=RecommendationAction.Status.COMPLETE,
        completed_on=D(2017, 9, 1),
        evidence_of_impact="Audit shows the change.",
    )
    earlier = RecommendationActionFactory(
        recommendation=recommendation,
        status=RecommendationAction.Status.COMPLETE,
        completed_on=D(2017, 3, 31),
    )
    running = RecommendationActionFactory(recommendation=recommendation)
    summary = year_summary(board, 2017)
    assert summary.actions_completed == [done]
    assert earlier not in summary.actions_open and done not in summary.actions_open
    assert running in summary.actions_open
    assert year_summary(board, 2016).actions_completed == [earlier]
    assert done in year_summary(board, 2016).actions_open  # not yet done on 31 March 2017


def test_recommendations_not_accepted_are_listed_in_the_year_decided(board):
    review = _review(board, D(2016, 5, 1), concluded=D(2017, 2, 1))

    def refused(number, day):
        return RecommendationFactory(
            review=review,
            number=number,
            response=Recommendation.Response.NOT_ACCEPTED,
            reason_not_accepted=f"Reason {number}.",
            decided_on=day,
        )

    year_before = refused(1, D(2017, 3, 31))
    this_year = refused(2, D(2017, 4, 1))
    RecommendationFactory(review=review, number=3, decided_on=D(2017, 6, 1))  # accepted
    summary = year_summary(board, 2017)
    assert summary.not_accepted == [this_year]
    assert summary.not_accepted[0].reason_not_accepted == "Reason 2."
    assert year_summary(board, 2016).not_accepted == [year_before]


def test_another_boards_records_stay_out(board, other_board):
    _review(other_board, D(2017, 8, 1), concluded=D(2018, 2, 1))
    ReferralFactory(board=other_board, referral_date=D(2017, 9, 1), first_considered_on=None)
    summary = year_summary(board, 2017)
    assert summary.referrals == summary.concluded == summary.ongoing == []


@pytest.mark.parametrize("n", [1, 20])
def test_the_summary_costs_the_same_whatever_the_number_of_reviews(
    board, django_assert_num_queries, n
):
    """The annual report reads this for every board: a query per review would grow with the
    board's history."""
    for _ in range(n):
        review = _review(board, D(2017, 5, 1), concluded=D(2018, 1, 10))
        _review(board, D(2017, 6, 1))
        recommendation = RecommendationFactory(
            review=review,
            response=Recommendation.Response.NOT_ACCEPTED,
            reason_not_accepted="No.",
        )
        RecommendationActionFactory(
            recommendation=recommendation, status="complete", completed_on=D(2018, 2, 1)
        )
    with django_assert_num_queries(10):
        summary = year_summary(board, 2017)
        for review in summary.concluded + summary.ongoing:
            list(review.findings.all()), list(review.recommendations.all())
            str(review)
        for action in summary.actions_completed:
            str(action.recommendation.review.referral)
    assert len(summary.concluded) == len(summary.ongoing) == n
