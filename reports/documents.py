"""What each published document contains: its template and the records it reads, gathered
in a fixed number of queries. ``document_for(source)`` is the one entry point
(reports/rendering.py renders what it returns).

A document's context is plain data for its template: each priority with its actions (as
``Action.objects.for_tracker()`` gives them, with the latest rating), the rating of each
action in the board's own words (its RAG key), and each priority's RAG summary already laid
out as a bar chart (``RagChart``), so the templates only place what they are given.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from priorities.models import (
    Action,
    BusinessPlan,
    Priority,
    Rag,
    RagAssessment,
    RagDefinition,
    StrategicPlan,
)
from reports.annual_report import assemble
from reports.figures import year_figures
from reports.models import AnnualReport, Publication

TEMPLATES = "reports/documents/"
DRAFT_MARK = "DRAFT - not published"


@dataclass(frozen=True)
class Document:
    template: str
    title: str
    period: str
    year: int
    context: dict = field(default_factory=dict)


# --- Ratings in the board's words ---------------------------------------------------------

NOT_RATED = ""


@dataclass(frozen=True)
class Rating:
    """A rating as a document prints it: the board's word for it ("Blue"), with the rating's
    own name when the board's word differs ("Blue (Complete)"), and its CSS class."""

    rating: str
    text: str
    css: str


def _ratings(key: list[RagDefinition]) -> dict[str, Rating]:
    words = {entry.rating: entry for entry in key}
    ratings = {}
    for rating, label in Rag.choices:
        entry = words.get(rating)
        text = label
        if entry is not None:
            text = f"{entry.word} ({label})" if entry.has_own_word else entry.word
        ratings[rating] = Rating(rating, text, f"rag rag--{rating}")
    ratings[NOT_RATED] = Rating(NOT_RATED, "Not rated", "rag rag--none")
    return ratings


# --- The RAG summary chart ----------------------------------------------------------------

# The order the bars are drawn in: worst first, then "not rated".
CHART_ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.COMPLETE, NOT_RATED)
CHART_LABEL_WIDTH = 120  # the words, left of the bars
CHART_BAR_SPACE = 150  # the longest bar
CHART_ROW = 20  # a bar and the gap below it
CHART_BAR_HEIGHT = 14
CHART_WIDTH = CHART_LABEL_WIDTH + CHART_BAR_SPACE + 30  # room for the count after a bar
# GOV.UK colours; the word and the count are always printed beside the bar as well.
CHART_COLOURS = {
    Rag.RED: "#d4351c",
    Rag.AMBER: "#f47738",
    Rag.GREEN: "#00703c",
    Rag.COMPLETE: "#1d70b8",
    NOT_RATED: "#b1b4b6",
}


@dataclass(frozen=True)
class Bar:
    rating: Rating
    count: int
    y: int  # top of the bar
    width: int

    @property
    def fill(self) -> str:
        return CHART_COLOURS[self.rating.rating]

    @property
    def text_y(self) -> int:
        return self.y + CHART_BAR_HEIGHT - 4

    @property
    def value_x(self) -> int:
        return CHART_LABEL_WIDTH + self.width + 6


@dataclass(frozen=True)
class RagChart:
    """How many of a priority's actions have each latest rating, laid out as a horizontal
    bar chart (templates/reports/charts/_rag_bars.html) and as the table beside it."""

    id: str
    title: str
    description: str
    bars: list[Bar]
    total: int
    width: int = CHART_WIDTH
    label_width: int = CHART_LABEL_WIDTH
    bar_height: int = CHART_BAR_HEIGHT

    @property
    def height(self) -> int:
        return len(self.bars) * CHART_ROW + 4


def rag_chart(*, id: str, subject: str, actions, ratings: dict[str, Rating]) -> RagChart:
    counts = Counter(action.latest_rag or NOT_RATED for action in actions)
    most = max(counts.values(), default=0) or 1
    bars = [
        Bar(
            rating=ratings[rating],
            count=counts[rating],
            y=row * CHART_ROW + 2,
            width=round(CHART_BAR_SPACE * counts[rating] / most),
        )
        for row, rating in enumerate(CHART_ORDER)
    ]
    total = sum(counts.values())
    parts = ", ".join(f"{bar.rating.text} {bar.count}" for bar in bars)
    return RagChart(
        id=id,
        title=f"Latest ratings of the actions for {subject}",
        description=f"Bar chart of the {total} actions by their latest rating: {parts}.",
        bars=bars,
        total=total,
    )


# --- Business plan ------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionRow:
    action: Action
    rating: Rating


@dataclass(frozen=True)
class PrioritySection:
    priority: Priority
    actions: list[ActionRow]
    chart: RagChart | None
    decision: RagAssessment | None  # the executive's latest rating of the priority
    decision_rating: Rating | None


def _priorities(plan: BusinessPlan):
    """The plan's priorities with everything the document prints, in one query per kind of
    record (priorities, joint boards, objectives, actions, milestones, decided ratings)."""
    actions = Action.objects.for_tracker().prefetch_related("milestones")
    decisions = RagAssessment.objects.decided().select_related("period").order_by("-period__start")
    return (
        Priority.objects.filter(plan=plan)
        .select_related("delivery_group")
        .prefetch_related(
            "joint_with",
            "objectives",
            Prefetch("actions", queryset=actions),
            Prefetch("rag_assessments", queryset=decisions, to_attr="decisions"),
        )
    )


def _next_version(source) -> int:
    """The version publishing this render would make (reports.services.store_publication)."""
    return Publication.objects.of(source).next_version()


def _cover(source, board, *, draft: bool) -> dict:
    today = timezone.localdate()
    if draft:
        version = f"Draft, printed {today:%-d %B %Y}: not published"
    else:
        version = f"Version {_next_version(source)}, published {today:%-d %B %Y}"
    return {"version": version, "draft_mark": DRAFT_MARK}


def _title(board, plan, *, draft: bool) -> str:
    title = f"{board.name}: {plan.title}"
    return f"DRAFT: {title}" if draft else title


def _business_plan(plan: BusinessPlan, *, draft: bool) -> Document:
    board = plan.board
    key = RagDefinition.key_for(board)
    ratings = _ratings(key)
    sections = []
    for priority in _priorities(plan):
        actions = list(priority.actions.all())
        decision = priority.decisions[0] if priority.decisions else None
        sections.append(
            PrioritySection(
                priority=priority,
                actions=[
                    ActionRow(action, ratings[action.latest_rag or NOT_RATED]) for action in actions
                ],
                chart=rag_chart(
                    id=f"rag-chart-{priority.pk}",
                    subject=f"priority {priority.ref}",
                    actions=actions,
                    ratings=ratings,
                )
                if actions
                else None,
                decision=decision,
                decision_rating=ratings[decision.decided_rating] if decision else None,
            )
        )
    title = _title(board, plan, draft=draft)
    year = plan.reporting_year
    return Document(
        template=f"{TEMPLATES}business_plan.html",
        title=title,
        period=plan.period,
        year=year,
        context={
            "board": board,
            "plan": plan,
            "title": title,
            "period": plan.period,
            "draft": draft,
            "sections": sections,
            "rag_key": key,
            **_cover(plan, board, draft=draft),
        },
    )


# --- Strategic plan -----------------------------------------------------------------------


def _strategic_plan(plan: StrategicPlan, *, draft: bool) -> Document:
    board = plan.board
    title = _title(board, plan, draft=draft)
    period = board.financial_year_label(plan.first_year)
    if plan.last_year > plan.first_year:
        period = f"{period} to {board.financial_year_label(plan.last_year)}"
    return Document(
        template=f"{TEMPLATES}strategic_plan.html",
        title=title,
        period=period,
        year=plan.first_year,
        context={
            "board": board,
            "plan": plan,
            "title": title,
            "period": period,
            "draft": draft,
            "priorities": list(plan.priorities.all()),
            "business_plans": list(plan.business_plans.order_by("period", "effective_from", "id")),
            "consultations": list(plan.consultations.all()),
            **_cover(plan, board, draft=draft),
        },
    )


# --- Annual report --------------------------------------------------------------------------


def _annual_report(report: AnnualReport, *, draft: bool) -> Document:
    board = report.board
    title = _title(board, report, draft=draft)
    assembly = assemble(report)
    ratings = _ratings(assembly.rag_key)
    return Document(
        template=f"{TEMPLATES}annual_report.html",
        title=title,
        period=report.period,
        year=report.year,
        context={
            "board": board,
            "report": report,
            "title": title,
            "period": report.period,
            "draft": draft,
            "a": assembly,
            "priorities": [
                (row, ratings[row.decision.decided_rating] if row.decision else None)
                for row in assembly.priorities
            ],
            "rag_key": assembly.rag_key,
            "figures": year_figures(board, report.year),
            **_cover(report, board, draft=draft),
        },
    )


def document_for(source, *, draft: bool = False) -> Document:
    if isinstance(source, BusinessPlan):
        return _business_plan(source, draft=draft)
    if isinstance(source, StrategicPlan):
        return _strategic_plan(source, draft=draft)
    if isinstance(source, AnnualReport):
        return _annual_report(source, draft=draft)
    raise TypeError(f"{type(source).__name__} is not a document")
