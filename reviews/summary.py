"""A board's reviews in one reporting year: what the annual report must say about them
(Care Act Schedule 2, paragraph 4(1)(d) to (g); DOMAIN.md 2.5).

- referrals received in the year, with their decisions and outcomes (the seed report's table:
  referral date, date first considered, decision made, outcome);
- reviews concluded in the year (``concluded_on`` within it), with their findings;
- reviews ongoing at the year end (commissioned by then and not concluded by then);
- actions taken in the year on any review's recommendations, whatever year it concluded;
- recommendations the board decided in the year not to accept, with the reasons.

Those duties are about reviews under section 44: the lists count referrals for a SAR and the
SARs the board arranged (mandatory or discretionary). Other case reviews the review subgroup
keeps (domestic homicide reviews, other learning reviews) are listed apart.

The year follows the board's reporting year start (Board.financial_year_bounds): a review
concluded on its last day counts in that year; one still open on its last day is ongoing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from reviews.models import Finding, Recommendation, RecommendationAction, Referral, Review
from sab.models import Board

# The decisions that arrange a SAR (section 44(1) to (4)).
SAR_DECISIONS = (Referral.Decision.MANDATORY, Referral.Decision.DISCRETIONARY)
# Years whose reporting year can be written down (and is worth a page).
REPORTABLE_YEARS = range(1990, 2200)


def is_reportable_year(year: int) -> bool:
    return year in REPORTABLE_YEARS


@dataclass
class YearSummary:
    board: Board
    year: int
    start: datetime.date
    end: datetime.date
    referrals: list[Referral] = field(default_factory=list)
    concluded: list[Review] = field(default_factory=list)
    ongoing: list[Review] = field(default_factory=list)
    actions_completed: list[RecommendationAction] = field(default_factory=list)
    actions_open: list[RecommendationAction] = field(default_factory=list)
    not_accepted: list[Recommendation] = field(default_factory=list)
    # Other case reviews (not under section 44): referrals received, reviews concluded and
    # ongoing at the year end.
    other_referrals: list[Referral] = field(default_factory=list)
    other_concluded: list[Review] = field(default_factory=list)
    other_ongoing: list[Review] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.board.financial_year_label(self.year)

    @property
    def decision_counts(self) -> list[tuple[str, int]]:
        """How many referrals received in the year ended in each decision."""
        counts: dict[str, int] = {}
        for referral in self.referrals:
            label = referral.get_decision_display()
            counts[label] = counts.get(label, 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def decision_made(referral: Referral) -> str:
    """The "decision made" column: the rationale as recorded, else what the panel
    recommended, else the decision's name."""
    if referral.is_decided and referral.rationale.strip():
        return referral.rationale.strip()
    if referral.panel_recommendation.strip():
        return referral.panel_recommendation.strip()
    return referral.get_decision_display()


def year_summary(board: Board, year: int) -> YearSummary:
    """Everything the annual report says about reviews for ``board``'s year ``year``, read in
    a fixed number of queries whatever the number of records."""
    start, end = board.financial_year_bounds(year)
    summary = YearSummary(board=board, year=year, start=start, end=end)
    referrals = list(
        Referral.objects.filter(board=board)
        .received_between(start, end)
        .select_related("review")
        .order_by("referral_date", "first_considered_on", "id")
    )
    summary.referrals = [r for r in referrals if r.kind == Referral.Kind.SAR]
    summary.other_referrals = [r for r in referrals if r.kind != Referral.Kind.SAR]
    reviews = (
        Review.objects.filter(referral__board=board)
        .select_related("referral")
        .prefetch_related(
            Prefetch("findings", queryset=Finding.objects.order_by("number", "id")),
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.select_related("finding").order_by("number"),
            ),
        )
        .order_by("commissioned_on", "id")
    )
    concluded = list(reviews.concluded_between(start, end))
    ongoing = list(reviews.ongoing_at(end))
    summary.concluded = [r for r in concluded if r.referral.decision in SAR_DECISIONS]
    summary.ongoing = [r for r in ongoing if r.referral.decision in SAR_DECISIONS]
    summary.other_concluded = [r for r in concluded if r.referral.decision not in SAR_DECISIONS]
    summary.other_ongoing = [r for r in ongoing if r.referral.decision not in SAR_DECISIONS]
    actions = (
        RecommendationAction.objects.filter(
            recommendation__review__referral__board=board,
            recommendation__review__referral__decision__in=SAR_DECISIONS,
        )
        .select_related("recommendation__review__referral", "plan_action")
        .order_by("recommendation__review__commissioned_on", "recommendation__number", "due")
    )
    summary.actions_completed = list(actions.filter(completed_on__gte=start, completed_on__lte=end))
    # Open at the year end: not completed by then, on a review commissioned by then.
    summary.actions_open = list(
        actions.filter(recommendation__review__commissioned_on__lte=end).filter(
            Q(completed_on__isnull=True) | Q(completed_on__gt=end)
        )
    )
    summary.not_accepted = list(
        Recommendation.objects.filter(
            review__referral__board=board,
            review__referral__decision__in=SAR_DECISIONS,
            response=Recommendation.Response.NOT_ACCEPTED,
            decided_on__gte=start,
            decided_on__lte=end,
        )
        .select_related("review__referral", "finding")
        .order_by("decided_on", "number")
    )
    return summary
