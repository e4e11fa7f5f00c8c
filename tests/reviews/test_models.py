"""The rules of review records: where the section 44 answers point, which subject labels look
like real names, and the services that save referrals, reviews and recommendations."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from reviews import services
from reviews.models import (
    Answer,
    Recommendation,
    RecommendationAction,
    Referral,
    Review,
    looks_like_a_name,
    s44_pointer,
)
from tests.factories import ActionFactory, BusinessPlanFactory, PriorityFactory
from tests.reviews.conftest import RecommendationFactory

YES, NO, UNKNOWN = Answer.YES, Answer.NO, Answer.NOT_KNOWN
DIED, SERIOUS, NEITHER = Referral.Harm.DIED, Referral.Harm.SERIOUS, Referral.Harm.NEITHER
HARM_UNKNOWN = Referral.Harm.NOT_KNOWN
Pointer = Referral.Pointer


@pytest.mark.parametrize(
    ("needs", "concern", "harm", "abuse", "pointer"),
    [
        # s44(1) to (3): needs, concern about joint working, and died or serious harm, from
        # abuse or neglect known or suspected.
        (YES, YES, DIED, YES, Pointer.MANDATORY),
        (YES, YES, SERIOUS, YES, Pointer.MANDATORY),
        # s44(4): any other case of an adult with needs for care and support.
        (YES, NO, DIED, YES, Pointer.DISCRETIONARY),
        (YES, YES, NEITHER, YES, Pointer.DISCRETIONARY),
        (YES, YES, DIED, NO, Pointer.DISCRETIONARY),
        (YES, NO, NEITHER, NO, Pointer.DISCRETIONARY),
        (YES, NO, HARM_UNKNOWN, UNKNOWN, Pointer.DISCRETIONARY),  # one "no" settles it
        # No needs for care and support: no SAR, whatever else is known.
        (NO, YES, DIED, YES, Pointer.NOT_MET),
        (NO, UNKNOWN, HARM_UNKNOWN, UNKNOWN, Pointer.NOT_MET),
        # Not enough known yet.
        (UNKNOWN, YES, DIED, YES, Pointer.INCOMPLETE),
        (YES, UNKNOWN, DIED, YES, Pointer.INCOMPLETE),
        (YES, YES, HARM_UNKNOWN, YES, Pointer.INCOMPLETE),
        (YES, YES, DIED, UNKNOWN, Pointer.INCOMPLETE),
    ],
)
def test_where_the_section_44_answers_point(needs, concern, harm, abuse, pointer):
    assert s44_pointer(needs, concern, harm, abuse) == pointer
    referral = Referral(
        care_and_support_needs=needs,
        agencies_concern=concern,
        harm=harm,
        abuse_known_or_suspected=abuse,
    )
    assert referral.pointer() == pointer


@pytest.mark.parametrize(
    "label", ["Adult A", "Adult AB", "Adult A1", "Mrs A & Miss G", "Adults C and D", "J.S."]
)
def test_pseudonyms_are_fine(label):
    assert not looks_like_a_name(label)


@pytest.mark.parametrize("label", ["John Smith", "Adult Jane", "Mrs Patel"])
def test_names_get_a_warning(label):
    assert looks_like_a_name(label)


# --- Saving a referral ----------------------------------------------------------------------


def _referral(board, **values) -> Referral:
    return Referral(
        board=board,
        subject_label=values.pop("subject_label", "Adult A"),
        referring_organisation="Leicestershire Police",
        referrer_type=Referral.ReferrerType.PARTNER,
        referral_date=values.pop("referral_date", datetime.date(2017, 6, 12)),
        **values,
    )


MANDATORY_ANSWERS = {
    "care_and_support_needs": YES,
    "agencies_concern": YES,
    "harm": DIED,
    "abuse_known_or_suspected": YES,
}


def test_references_follow_the_boards_reporting_year(board, review_member):
    saved = [
        services.save_referral(_referral(board, referral_date=day), by=review_member)
        for day in [
            datetime.date(2017, 6, 12),
            datetime.date(2017, 9, 1),
            datetime.date(2018, 3, 31),
            datetime.date(2018, 4, 1),
        ]
    ]
    assert [r.reference for r in saved] == [
        "SAR-2017-01",
        "SAR-2017-02",
        "SAR-2017-03",
        "SAR-2018-01",
    ]
    assert saved[0].history.get().history_user == review_member


def test_a_decision_before_the_referral_is_refused_naming_both_dates(board, review_member):
    referral = _referral(
        board,
        **MANDATORY_ANSWERS,
        decision=Referral.Decision.MANDATORY,
        decided_by="Independent Chair",
        decided_on=datetime.date(2017, 6, 1),
        rationale="The criteria are met.",
    )
    with pytest.raises(ValidationError) as error:
        services.save_referral(referral, by=review_member)
    (message,) = error.value.message_dict["decided_on"]
    assert "1 June 2017" in message and "12 June 2017" in message
    assert not Referral.objects.exists()


def test_a_decision_before_the_first_consideration_is_refused(board, review_member):
    referral = _referral(
        board,
        **MANDATORY_ANSWERS,
        first_considered_on=datetime.date(2017, 7, 4),
        decision=Referral.Decision.MANDATORY,
        decided_by="Independent Chair",
        decided_on=datetime.date(2017, 7, 1),
        rationale="The criteria are met.",
    )
    with pytest.raises(ValidationError) as error:
        services.save_referral(referral, by=review_member)
    assert "4 July 2017" in error.value.message_dict["decided_on"][0]


def test_a_decision_needs_a_rationale(board, review_member):
    referral = _referral(
        board,
        **MANDATORY_ANSWERS,
        decision=Referral.Decision.MANDATORY,
        decided_by="Independent Chair",
        decided_on=datetime.date(2017, 7, 20),
    )
    with pytest.raises(ValidationError) as error:
        services.save_referral(referral, by=review_member)
    assert error.value.message_dict["rationale"] == ["Enter the rationale for the decision."]


def test_a_decision_away_from_the_pointer_names_the_pointer(board, review_member):
    referral = _referral(
        board,
        **MANDATORY_ANSWERS,
        decision=Referral.Decision.NO_FURTHER_ACTION,
        decided_by="Independent Chair",
        decided_on=datetime.date(2017, 7, 20),
    )
    with pytest.raises(ValidationError) as error:
        services.save_referral(referral, by=review_member)
    (message,) = error.value.message_dict["rationale"]
    assert Pointer.MANDATORY.label.lower() in message

    referral.rationale = "The family asked for a single-agency review instead."
    services.save_referral(referral, by=review_member)
    assert Referral.objects.get().decision == Referral.Decision.NO_FURTHER_ACTION


def test_a_label_like_a_name_needs_confirming_and_the_confirmation_is_kept(board, review_member):
    with pytest.raises(ValidationError) as error:
        services.save_referral(_referral(board, subject_label="John Smith"), by=review_member)
    assert "looks like a real name" in error.value.message_dict["subject_label"][0]
    assert not Referral.objects.exists()

    referral = services.save_referral(
        _referral(board, subject_label="John Smith"), by=review_member, confirm_label=True
    )
    referral.refresh_from_db()
    assert '"John Smith" looks like a real name' in referral.subject_label_warning
    assert referral.subject_label_confirmed_by == review_member
    assert referral.subject_label_confirmed_at is not None
    assert referral.history.get().subject_label_warning == referral.subject_label_warning

    # Saved again unchanged: no new confirmation needed. A new name needs one.
    referral.outcome = "Noted."
    services.save_referral(referral, by=review_member)
    referral.subject_label = "Jane Smith"
    with pytest.raises(ValidationError):
        services.save_referral(referral, by=review_member)
    # A pseudonym clears the warning.
    referral.subject_label = "Adult A"
    services.save_referral(referral, by=review_member)
    referral.refresh_from_db()
    assert referral.subject_label_warning == "" and referral.subject_label_confirmed_by is None


# --- Reviews and recommendations ------------------------------------------------------------


def test_a_review_does_not_close_while_actions_are_open(review, review_member):
    review.status = Review.Status.CLOSED
    review.concluded_on = datetime.date(2018, 3, 1)
    with pytest.raises(ValidationError) as error:
        services.save_review(review, by=review_member)
    (message,) = error.value.message_dict["status"]
    assert "1 action is open" in message
    assert "recommendation 1: Leicester City Council, due 31 March 2018 (in progress)" in message
    assert Review.objects.get(pk=review.pk).status == Review.Status.IN_PROGRESS

    for action in RecommendationAction.objects.filter(recommendation__review=review).open():
        action.status = RecommendationAction.Status.COMPLETE
        action.completed_on = datetime.date(2018, 3, 20)
        action.evidence_of_impact = "Practitioners use the protocol."
        services.save_action(action, by=review_member)
    services.save_review(review, by=review_member)
    review.refresh_from_db()
    assert review.status == Review.Status.CLOSED and review.closed_on is not None


def test_a_recommendation_not_accepted_needs_the_reasons(review, review_member):
    recommendation = Recommendation(
        review=review,
        text="Create a new panel.",
        scope=Recommendation.Scope.BOARD,
        response=Recommendation.Response.NOT_ACCEPTED,
        decided_on=datetime.date(2018, 2, 1),
    )
    with pytest.raises(ValidationError) as error:
        services.save_recommendation(recommendation, by=review_member)
    assert "reason_not_accepted" in error.value.message_dict
    assert review.recommendations.count() == 2

    recommendation.reason_not_accepted = "An existing panel already does this."
    services.save_recommendation(recommendation, by=review_member)
    assert recommendation.number == 3


def test_a_pending_referral_does_not_lead_to_a_review(pending_referral, review_member):
    review = Review(
        referral=pending_referral,
        methodology=Review.Methodology.HYBRID,
        reviewer="Independent reviewer",
        commissioned_on=datetime.date(2017, 8, 1),
        scope_start=datetime.date(2016, 1, 1),
        scope_end=datetime.date(2017, 5, 31),
        family_involvement=Review.Family.TOOK_PART,
    )
    with pytest.raises(ValidationError, match="record the decision first"):
        services.save_review(review, by=review_member)
    assert not Review.objects.exists()


def test_an_action_links_only_its_boards_plan(review, review_member, other_board):
    elsewhere = ActionFactory(priority=PriorityFactory(plan=BusinessPlanFactory(board=other_board)))
    action = RecommendationAction(
        recommendation=RecommendationFactory(review=review, number=9),
        description="Share the learning.",
        owner_organisation="Leicester City Council",
        due=datetime.date(2018, 6, 30),
        plan_action=elsewhere,
    )
    with pytest.raises(ValidationError) as error:
        services.save_action(action, by=review_member)
    assert "plan_action" in error.value.message_dict
