"""The demo's reviews (reviews/demo.py) say what Leicester SAB's 2017/18 annual report says:
its referrals table row for row (tests/data/lsab-sar-referrals-2017-18.tsv, copied from the
report), the two SARs ongoing at the year end, and a concluded review whose learning feeds the
business plan."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from reviews import demo as reviews_demo
from reviews.models import (
    Finding,
    InformationRequest,
    Recommendation,
    RecommendationAction,
    Referral,
    Review,
)
from reviews.summary import decision_made, year_summary
from sab.models import Board, User

TABLE = Path(__file__).resolve().parent.parent / "data" / "lsab-sar-referrals-2017-18.tsv"
MODELS = (Referral, InformationRequest, Review, Finding, Recommendation, RecommendationAction)


def _table() -> list[list[str]]:
    with TABLE.open(newline="", encoding="utf-8") as file:
        header, *rows = csv.reader(file, delimiter="\t")
    assert header == ["Referral Date", "Date Case First Heard", "Decision Made", "Outcome"]
    return rows


@pytest.fixture
def lsab(db, settings) -> Board:
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    return Board.objects.get(slug="lsab")


def test_the_table_is_the_annual_reports():
    rows = _table()
    assert len(rows) == 5 and all(len(row) == 4 for row in rows)
    assert rows[2][2].startswith("Mandatory SAR criteria met.")


def test_the_2017_18_referrals_match_the_annual_report_row_for_row(lsab):
    summary = year_summary(lsab, 2017)
    shown = [
        [
            f"{referral.referral_date:%m/%Y}",
            f"{referral.first_considered_on:%m/%Y}",
            decision_made(referral),
            referral.outcome,
        ]
        for referral in summary.referrals
    ]
    assert shown == _table()
    assert [r.subject_label for r in summary.referrals] == [f"Adult {x}" for x in "ABCDE"]
    assert [r.reference for r in summary.referrals] == [f"SAR-2017-0{n}" for n in range(1, 6)]
    assert [r.decision for r in summary.referrals] == [
        Referral.Decision.NO_FURTHER_ACTION,
        Referral.Decision.PENDING,
        Referral.Decision.MANDATORY,
        Referral.Decision.OTHER_PROCESS,
        Referral.Decision.NO_FURTHER_ACTION,
    ]
    pending = summary.referrals[1]
    assert pending.rationale == "" and pending.decided_on is None
    assert "Independent Chair requested additional information" in pending.panel_recommendation
    assert summary.referrals[3].other_process == Referral.OtherProcess.SERIOUS_INCIDENT
    for referral in summary.referrals:
        assert referral.referring_organisation and referral.referrer_type
        # The section 44 answers agree with the decision: only the mandatory SAR meets them.
        meets = referral.pointer() == Referral.Pointer.MANDATORY
        assert meets is (referral.decision == Referral.Decision.MANDATORY), referral
        if referral.is_decided:
            assert referral.decided_by == "LSAB Independent Chair"
            assert referral.first_considered_on <= referral.decided_on


def test_the_mandatory_sar_and_the_2016_17_sar_are_ongoing_at_the_year_end(lsab):
    summary = year_summary(lsab, 2017)
    ongoing = {review.referral.subject_label: review for review in summary.ongoing}
    assert set(ongoing) == {"Adult C", "Adult F"}
    assert summary.concluded == []

    january = ongoing["Adult C"]
    assert january.referral.decision == Referral.Decision.MANDATORY
    assert (january.commissioned_on.year, january.commissioned_on.month) == (2018, 1)
    assert january.methodology == Review.Methodology.HYBRID
    assert "a learning event has been arranged for July 2018" in january.family_note
    assert january.family_involvement == Review.Family.TOOK_PART
    assert january.scope_start < january.scope_end
    assert january.concluded_on is None

    earlier = ongoing["Adult F"]
    assert earlier.referral.referral_date.year == 2016
    assert earlier.referral.decision == Referral.Decision.MANDATORY
    assert lsab.financial_year_of(earlier.commissioned_on) == 2016
    assert earlier.concluded_on is None or earlier.concluded_on > datetime.date(2018, 3, 31)
    assert earlier in year_summary(lsab, 2016).ongoing


def test_the_concluded_review_and_its_action_plan(lsab):
    (concluded,) = year_summary(lsab, 2016).concluded
    assert concluded.referral.subject_label == "Adult G"
    assert concluded.referral.referral_date.year == 2015
    assert len(concluded.findings.all()) == 3
    assert len(concluded.recommendations.all()) == 3

    summary = year_summary(lsab, 2017)
    (refused,) = summary.not_accepted
    assert refused.review == concluded
    assert refused.reason_not_accepted.strip()
    assert lsab.financial_year_of(refused.decided_on) == 2017
    assert year_summary(lsab, 2016).not_accepted == []

    completed = summary.actions_completed
    assert len(completed) == 2
    assert all(a.recommendation.review == concluded and a.evidence_of_impact for a in completed)

    (linked,) = RecommendationAction.objects.filter(plan_action__isnull=False)
    assert linked.recommendation.review == concluded
    assert linked.plan_action.board_id == lsab.pk
    assert linked.plan_action.priority.plan.is_current
    assert linked in summary.actions_open


def test_information_requests_one_returned_one_overdue(lsab):
    requests = InformationRequest.objects.for_board(lsab)
    assert any(r.returned_on for r in requests)
    assert any(r.is_overdue() for r in requests)


def test_only_review_members_and_managers_see_the_demo_reviews(lsab):
    for email, count in [
        ("review@example.org", 7),
        ("manager@example.org", 7),
        ("viewer@example.org", 0),
        ("exec@example.org", 0),
        ("lrsab.manager@example.org", 0),
    ]:
        user = User.objects.get(email=email)
        assert Referral.objects.visible_to(user).count() == count, email


def _counts():
    return {model.__name__: (model.objects.count(), model.history.count()) for model in MODELS}


def test_seeding_twice_changes_nothing(lsab, settings):
    before = _counts()
    assert before["Referral"][0] == 7
    call_command("seed_demo", stdout=io.StringIO())
    reviews_demo.seed()
    assert _counts() == before


def test_the_demo_history_is_dated_as_it_happened(lsab):
    referral = Referral.objects.get(board=lsab, subject_label="Adult C")
    days = [row.history_date.date() for row in referral.history.order_by("history_id")]
    assert days == [datetime.date(2017, 12, 8), datetime.date(2018, 1, 16)]
    assert referral.history.first().history_user.email == "review@example.org"
