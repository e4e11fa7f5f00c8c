"""Shared fixtures for the reviews tests: factories for every review record, a decided
referral with its review (findings, recommendations, an action plan), and review members
signed in with a verified second factor.

Fixture names are stable: the page, query, model, API and access tests all use them.

- ``review_member``: a review subgroup member of ``board`` (no second factor yet);
- ``review_client``: a test client signed in as ``review_member``, second factor verified;
- ``manager_client``: the same for the board's ``manager`` (board managers see reviews too);
- ``pending_referral``: a referral of ``board`` with no decision yet;
- ``referral``: a referral decided as a mandatory SAR, with one information request;
- ``review``: the review commissioned on ``referral``, with two findings, two recommendations
  (one accepted, one not accepted with reasons) and their actions (one complete, one open and
  overdue, linked to a business-plan action of ``board``);
- ``other_board_referral``: a referral of ``other_board``.
"""

import datetime

import factory
import pytest
from factory.django import DjangoModelFactory

from reviews.models import (
    Answer,
    Finding,
    InformationRequest,
    Recommendation,
    RecommendationAction,
    Referral,
    Review,
)
from sab.models import RoleAssignment
from tests.factories import ActionFactory, BoardFactory, BusinessPlanFactory, PriorityFactory

Role = RoleAssignment.Role


class ReferralFactory(DjangoModelFactory):
    """A pending SAR referral. ``reference`` follows a sequence (the service numbers real ones)."""

    class Meta:
        model = Referral

    board = factory.SubFactory(BoardFactory)
    reference = factory.Sequence(lambda n: f"SAR-2017-{n + 1:02d}")
    kind = Referral.Kind.SAR
    subject_label = factory.Sequence(lambda n: f"Adult {chr(65 + n % 26)}{n // 26 or ''}")
    referring_organisation = "Leicestershire Police"
    referrer_type = Referral.ReferrerType.PARTNER
    referral_date = datetime.date(2017, 6, 12)
    first_considered_on = datetime.date(2017, 7, 4)


class DecidedReferralFactory(ReferralFactory):
    """A referral whose s44 answers point to a mandatory SAR, decided so."""

    care_and_support_needs = Answer.YES
    agencies_concern = Answer.YES
    harm = Referral.Harm.DIED
    abuse_known_or_suspected = Answer.YES
    decision = Referral.Decision.MANDATORY
    decided_by = "Independent Chair"
    decided_on = datetime.date(2017, 7, 20)
    rationale = "The criteria for a mandatory SAR are met."
    outcome = "A SAR was commissioned."


class InformationRequestFactory(DjangoModelFactory):
    class Meta:
        model = InformationRequest

    referral = factory.SubFactory(ReferralFactory)
    agency = "Leicester City Council Adult Social Care"
    requested_on = datetime.date(2017, 6, 14)
    due_on = datetime.date(2017, 6, 28)


class ReviewFactory(DjangoModelFactory):
    class Meta:
        model = Review

    referral = factory.SubFactory(DecidedReferralFactory)
    methodology = Review.Methodology.LEARNING_TOGETHER
    reviewer = "Independent reviewer"
    reviewer_is_independent = True
    commissioned_on = datetime.date(2017, 8, 1)
    scope_start = datetime.date(2015, 1, 1)
    scope_end = datetime.date(2017, 5, 31)
    family_involvement = Review.Family.TOOK_PART
    status = Review.Status.IN_PROGRESS
    summary = "How agencies worked together with an adult who self-neglected."


class FindingFactory(DjangoModelFactory):
    class Meta:
        model = Finding

    review = factory.SubFactory(ReviewFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Faker("sentence", nb_words=12)
    theme = "Self-neglect"


class RecommendationFactory(DjangoModelFactory):
    class Meta:
        model = Recommendation

    review = factory.SubFactory(ReviewFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Faker("sentence", nb_words=12)
    scope = Recommendation.Scope.MULTI_AGENCY
    response = Recommendation.Response.ACCEPTED
    decided_on = datetime.date(2018, 2, 1)


class RecommendationActionFactory(DjangoModelFactory):
    class Meta:
        model = RecommendationAction

    recommendation = factory.SubFactory(RecommendationFactory)
    description = factory.Faker("sentence", nb_words=10)
    owner_organisation = "Leicester City Council"
    owner = "Head of Adult Safeguarding"
    due = datetime.date(2018, 6, 30)
    status = RecommendationAction.Status.IN_PROGRESS


@pytest.fixture
def review_member(make_user, board):
    return make_user(Role.REVIEW_MEMBER, board)


def verified_client(user):
    """A test client signed in as ``user`` with the second factor verified."""
    from django.test import Client

    from tests.two_factor import verify

    client = Client()
    verify(client, user)
    return client


@pytest.fixture
def review_client(review_member):
    return verified_client(review_member)


@pytest.fixture
def manager_client(manager):
    return verified_client(manager)


@pytest.fixture
def pending_referral(board):
    return ReferralFactory(
        board=board,
        reference="SAR-2017-01",
        subject_label="Adult A",
        referral_date=datetime.date(2017, 6, 12),
        first_considered_on=None,
    )


@pytest.fixture
def referral(board):
    referral = DecidedReferralFactory(board=board, reference="SAR-2017-02", subject_label="Adult B")
    InformationRequestFactory(referral=referral)
    return referral


@pytest.fixture
def plan_action(board):
    plan = BusinessPlanFactory(board=board, title="Business Plan 2017/18", period="2017/18")
    priority = PriorityFactory(plan=plan, ref="2", title="Learning from reviews", order=1)
    return ActionFactory(
        priority=priority, ref="2b.1", description="Share learning from SARs with practitioners"
    )


@pytest.fixture
def review(referral, plan_action):
    review = ReviewFactory(referral=referral)
    first = FindingFactory(review=review, number=1, text="Agencies did not share information.")
    FindingFactory(review=review, number=2, text="Mental capacity was assumed, not assessed.")
    accepted = RecommendationFactory(
        review=review, finding=first, number=1, text="Agree an information-sharing protocol."
    )
    not_accepted = RecommendationFactory(
        review=review,
        number=2,
        text="Create a new self-neglect panel.",
        response=Recommendation.Response.NOT_ACCEPTED,
        reason_not_accepted="The existing high-risk panel already covers self-neglect.",
    )
    RecommendationActionFactory(
        recommendation=accepted,
        description="Publish the protocol.",
        status=RecommendationAction.Status.COMPLETE,
        completed_on=datetime.date(2018, 3, 1),
        evidence_of_impact="Referrals now include shared chronologies.",
    )
    RecommendationActionFactory(
        recommendation=accepted,
        description="Train practitioners on the protocol.",
        due=datetime.date(2018, 3, 31),
        plan_action=plan_action,
    )
    assert not_accepted.pk
    return review


@pytest.fixture
def other_board_referral(other_board):
    return DecidedReferralFactory(board=other_board, reference="SAR-2017-01")
