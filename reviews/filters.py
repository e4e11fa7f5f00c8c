"""The referrals register's filters: the board's reporting year, the decision and where the
review has got to. Every filter is a URL parameter, so the CSV export gives exactly the
rows the page shows."""

from __future__ import annotations

import django_filters
from django.db.models import Max, Min

from reviews.models import Referral, Review
from sab.models import Board

NO_REVIEW = "none"


class ReferralFilter(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(
        method="filter_year", label="Reporting year", empty_label="All years"
    )
    decision = django_filters.ChoiceFilter(
        choices=Referral.Decision.choices, label="Decision", empty_label="Any decision"
    )
    review_status = django_filters.ChoiceFilter(
        method="filter_review_status",
        label="Review status",
        empty_label="Any",
        choices=[(NO_REVIEW, "No review"), *Review.Status.choices],
    )

    class Meta:
        model = Referral
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, board: Board, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.board = board
        self.filters["year"].extra["choices"] = self._years

    def _years(self) -> list[tuple[int, str]]:
        """The board's reporting years from its first referral to this one, newest first
        (one query, run when the form is drawn or checked)."""
        dates = Referral.objects.filter(board=self.board).aggregate(
            first=Min("referral_date"), last=Max("referral_date")
        )
        board = self.board
        this_year = board.current_financial_year()
        first = board.financial_year_of(dates["first"]) if dates["first"] else this_year
        last = max(board.financial_year_of(dates["last"]) if dates["last"] else this_year,
                   this_year)  # fmt: skip
        return [(year, board.financial_year_label(year)) for year in range(last, first - 1, -1)]

    def filter_year(self, queryset, name, value):
        return queryset.received_between(*self.board.financial_year_bounds(int(value)))

    def filter_review_status(self, queryset, name, value):
        if value == NO_REVIEW:
            return queryset.filter(review__isnull=True)
        return queryset.filter(review__status=value)
