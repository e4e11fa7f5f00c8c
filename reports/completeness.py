"""Is an annual report complete? Each statutory item of Care Act 2014 Schedule 2 paragraph
4(1)(a) to (g), the copies paragraph 4(2) says must be sent, and the checkable items of good
practice (DOMAIN.md 7's checklist), each met or missing, with where to fix it.

A report with a paragraph 4(1) item missing cannot be approved (reports.annual_services).
The copies (4(2)) and the public page can only be done once it is published; they are shown,
and the check is "all met" only when they are done too.

``check(report)`` reads what ``reports.annual_report.assemble`` gathered plus a few more
queries, a fixed number whatever the number of records.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse

from priorities.models import StrategicPlan
from reports.annual_report import Assembly, assemble
from reports.models import DistributionRecord, Publication, SafeguardingFigure
from reviews.models import Recommendation
from reviews.summary import SAR_DECISIONS

# The kinds of item: what must be met before approval, what is done after publishing, and
# good practice (shown, never blocking).
STATUTORY = "statutory"
AFTER_PUBLISHING = "after_publishing"
GOOD_PRACTICE = "good_practice"


@dataclass(frozen=True)
class Item:
    ref: str  # "4(1)(c)"
    label: str  # what the law or practice asks, in plain words
    met: bool
    detail: str  # what was found, or what is missing
    fix_url: str = ""  # where to put it right
    fix_text: str = ""
    kind: str = STATUTORY
    missing: list[str] = field(default_factory=list)  # the records that fail it, named


@dataclass(frozen=True)
class Completeness:
    items: list[Item]

    @property
    def statutory_missing(self) -> list[Item]:
        """What stops approval."""
        return [item for item in self.items if item.kind == STATUTORY and not item.met]

    @property
    def can_be_approved(self) -> bool:
        return not self.statutory_missing

    @property
    def all_met(self) -> bool:
        return all(item.met for item in self.items)

    def of_kind(self, kind: str) -> list[Item]:
        return [item for item in self.items if item.kind == kind]


def _names(values, limit: int = 8) -> str:
    values = list(values)
    shown = ", ".join(values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


def _objective(a: Assembly, report) -> Item:
    met = bool(report.executive_summary.strip())
    return Item(
        "4(1)(a)",
        "What the board did in the year to achieve its objective",
        met,
        "The executive summary says it." if met else "The executive summary is empty.",
        reverse("reports:annual-report-edit", kwargs={"pk": report.pk}),
        "Write the executive summary",
    )


def _strategy(a: Assembly) -> Item:
    if not a.plans:
        return Item(
            "4(1)(b)",
            "What the board did in the year to implement its strategy",
            False,
            f"No business plan is recorded for {a.report.period}.",
            reverse("priorities:plan-list", kwargs={"slug": a.board.slug}),
            "Add or import the year's business plan",
        )
    unrated = [row.priority for row in a.priorities if row.decision is None]
    plan = a.plans[0]
    return Item(
        "4(1)(b)",
        "What the board did in the year to implement its strategy: each priority's "
        "year-end progress and final rating",
        not unrated and bool(a.priorities),
        f"Every priority of {_names(p.title for p in a.plans)} has a rating the executive "
        "decided in the year."
        if not unrated
        else "No rating was decided in the year for: "
        + _names(f"priority {p.ref}" for p in unrated)
        + ".",
        plan.get_absolute_url(),
        "Open the business plan",
        missing=[f"Priority {p.ref}: {p.title}" for p in unrated],
    )


def _members(a: Assembly) -> Item:
    with_statement = {statement.organisation_id for statement in a.statements}
    without = [
        row.organisation.name for row in a.members if row.organisation.pk not in with_statement
    ]
    return Item(
        "4(1)(c)",
        "What each member did in the year to implement the strategy: a statement from each "
        "member organisation",
        bool(a.members) and not without,
        "Every member's statement is accepted."
        if a.members and not without
        else (
            "No member organisations are recorded for the year."
            if not a.members
            else f"No accepted statement from {_names(without)}."
        ),
        reverse("reports:statement-list", kwargs={"pk": a.report.pk}),
        "Ask for or accept the statements",
        missing=without,
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _concluded(a: Assembly) -> Item:
    without = [r for r in a.reviews.concluded if not r.findings.all()]
    names = [r.referral.subject_label for r in without]
    count = len(a.reviews.concluded)
    if without:
        detail = f"No findings are recorded for: {_names(names)}."
    elif count:
        detail = f"{_plural(count, 'review')} concluded, each with its findings."
    else:
        detail = "No review concluded in the year."
    return Item(
        "4(1)(d)",
        "The findings of the Safeguarding Adults Reviews concluded in the year",
        not without,
        detail,
        without[0].get_absolute_url() if without else "",
        "Record the review's findings" if without else "",
        missing=names,
    )


def _ongoing(a: Assembly) -> Item:
    count = len(a.reviews.ongoing)
    return Item(
        "4(1)(e)",
        "The Safeguarding Adults Reviews ongoing at the year end",
        True,
        f"{count} review{'s' if count != 1 else ''} ongoing at the year end, listed."
        if count
        else "No review was ongoing at the year end; the report says so.",
    )


def _recommendation_names(recommendations) -> list[str]:
    return [f"{r.review.referral.subject_label} recommendation {r.number}" for r in recommendations]


def _implemented(a: Assembly, without_actions: list[Recommendation]) -> Item:
    names = _recommendation_names(without_actions)
    return Item(
        "4(1)(f)",
        "What the board did in the year to implement the findings of its reviews",
        not without_actions,
        f"No actions are recorded for: {_names(names)}."
        if names
        else "Every accepted recommendation has its actions.",
        without_actions[0].review.get_absolute_url() if without_actions else "",
        "Add the actions" if without_actions else "",
        missing=names,
    )


def _not_implemented(a: Assembly) -> Item:
    without = [r for r in a.reviews.not_accepted if not r.reason_not_accepted.strip()]
    names = _recommendation_names(without)
    count = len(a.reviews.not_accepted)
    if without:
        detail = f"No reasons are recorded for: {_names(names)}."
    elif count:
        detail = f"{_plural(count, 'recommendation')} not accepted, each with its reasons."
    else:
        detail = "The board decided against no finding in the year."
    return Item(
        "4(1)(g)",
        "Where the board decided not to implement a finding, the reasons",
        not without,
        detail,
        without[0].review.get_absolute_url() if without else "",
        "Record the reasons" if without else "",
        missing=names,
    )


def _distribution(report, records: list[DistributionRecord], published: bool) -> Item:
    sent = {record.recipient for record in records}
    missing = [
        DistributionRecord.Recipient(r).label for r in DistributionRecord.REQUIRED if r not in sent
    ]
    return Item(
        "4(2)",
        "A copy sent to the local authority's chief executive and leader, the local policing "
        "body, Local Healthwatch and the chair of the Health and Wellbeing Board",
        not missing,
        "Every copy is recorded as sent."
        if not missing
        else ("Not recorded as sent to: " + _names(missing) + ".")
        if published
        else "Once the report is published, record each copy sent.",
        reverse("reports:distribution-create", kwargs={"pk": report.pk}) if published else "",
        "Record a copy sent" if published else "",
        AFTER_PUBLISHING,
        missing=missing,
    )


def _published(report, publication: Publication | None) -> Item:
    return Item(
        "Publication",
        "Published, with a public page that stays available",
        publication is not None,
        f"Version {publication.version} published on {publication.published_at:%-d %B %Y}."
        if publication
        else "Not published yet.",
        publication.get_absolute_url() if publication else "",
        "Its public page" if publication else "",
        AFTER_PUBLISHING,
    )


def _strategic_plan(a: Assembly, plans: list[StrategicPlan]) -> Item:
    year = a.report.year
    covering = [p for p in plans if p.first_year <= year + 1 <= p.last_year]
    current = [p for p in plans if p.first_year <= year <= p.last_year]
    consulted = any(p.meets_consultation_duty for p in covering + current)
    met = bool(covering) and consulted
    if not covering:
        detail = f"No strategic plan covers {a.board.financial_year_label(year + 1)}."
    elif not consulted:
        detail = (
            "Neither this year's nor next year's strategic plan records consulting Local "
            "Healthwatch and the community."
        )
    else:
        detail = "Next year's strategic plan exists, and the consultation is recorded."
    return Item(
        "Sch 2 para 3",
        "A strategic plan for the next year, with Local Healthwatch and the community consulted",
        met,
        detail,
        reverse("priorities:plan-list", kwargs={"slug": a.board.slug}),
        "Open the board's plans",
        GOOD_PRACTICE,
    )


def _formats(a: Assembly) -> Item:
    met = bool(a.board.format_request_contact)
    return Item(
        "Accessibility",
        "A way to ask for the report in other formats (large print, easy read, other "
        "languages), printed in it",
        met,
        f"It says to contact {a.board.format_request_contact}."
        if met
        else "The board has no contact for other formats.",
        reverse("sab:board-edit", kwargs={"slug": a.board.slug}) if not met else "",
        "Add the contact on the board's details" if not met else "",
        GOOD_PRACTICE,
    )


def _figures(a: Assembly, count: int) -> Item:
    return Item(
        "Data",
        "The Section 42 figures for the year, with the national return's labels",
        count > 0,
        f'{count} figures recorded; counts of 1 to 4 are printed as "fewer than 5".'
        if count
        else "No Section 42 figures are recorded for the year.",
        reverse("reports:figures-import", kwargs={"slug": a.board.slug, "year": a.report.year}),
        "Import the figures",
        GOOD_PRACTICE,
    )


def _groups(a: Assembly) -> Item:
    count = len(a.groups) + len(a.task_and_finish)
    return Item(
        "Groups",
        "What the sub-groups and task and finish groups did",
        count > 0,
        f"{count} group{'s' if count != 1 else ''} with their chairs, meetings and actions."
        if count
        else "No group is recorded for the year.",
        kind=GOOD_PRACTICE,
    )


def check(report, assembly: Assembly | None = None) -> Completeness:
    a = assembly or assemble(report)
    board = report.board
    start, end = report.bounds
    without_actions = list(
        Recommendation.objects.filter(
            review__referral__board=board,
            review__referral__decision__in=SAR_DECISIONS,
            response=Recommendation.Response.ACCEPTED,
            decided_on__lte=end,
        )
        .annotate(action_count=Count("actions"))
        .filter(action_count=0)
        .filter(Q(review__closed_on__isnull=True) | Q(review__closed_on__gte=start))
        .select_related("review__referral")
        .order_by("review__commissioned_on", "number")
    )
    plans = list(
        StrategicPlan.objects.filter(board=board, last_year__gte=report.year)
        .prefetch_related("consultations")
        .order_by("first_year", "pk")
    )
    records = list(report.distributions.all())
    publication = Publication.objects.of(report).current().first()
    figures = SafeguardingFigure.objects.filter(board=board, year=report.year).count()
    published = report.status == report.Status.PUBLISHED
    return Completeness(
        [
            _objective(a, report),
            _strategy(a),
            _members(a),
            _concluded(a),
            _ongoing(a),
            _implemented(a, without_actions),
            _not_implemented(a),
            _distribution(report, records, published),
            _published(report, publication),
            _strategic_plan(a, plans),
            _formats(a),
            _figures(a, figures),
            _groups(a),
        ]
    )
