"""What the plans app offers to search (sab/search.py): plans, priorities, actions and
progress updates, each linking to the page that shows it. Loaded by PrioritiesConfig.ready().
"""

from django.db.models import QuerySet
from django.utils.text import Truncator
from django.utils.timezone import localtime

from priorities.models import Action, BusinessPlan, Priority, ProgressUpdate, StrategicPlan
from sab.models import Board
from sab.search import SearchSource, add_search_source


class StrategicPlanSource(SearchSource):
    model = StrategicPlan
    label = "Strategic plans"
    fields = {"title": "A", "vision": "B", "principles": "C"}
    snippet_fields = ("vision", "principles")
    order = 10

    def refine(self, queryset: QuerySet, user) -> QuerySet:
        return queryset.select_related("board")

    def describe(self, plan: StrategicPlan) -> str:
        label = plan.board.financial_year_label
        return f"{label(plan.first_year)} to {label(plan.last_year)}, {plan.get_status_display()}"


class BusinessPlanSource(SearchSource):
    model = BusinessPlan
    label = "Business plans"
    fields = {"title": "A", "period": "B", "introduction": "C"}
    snippet_fields = ("introduction",)
    order = 20

    def refine(self, queryset: QuerySet, user) -> QuerySet:
        return queryset.select_related("board")

    def describe(self, plan: BusinessPlan) -> str:
        return ", ".join(filter(None, [plan.period, plan.get_status_display()]))


class PrioritySource(SearchSource):
    model = Priority
    label = "Priorities"
    fields = {
        "ref": "A",
        "title": "A",
        "statement": "B",
        "outcome": "B",
        "rationale": "C",
        "partnership_lead": "D",
        "board_officer": "D",
        "delivery_group_text": "D",
    }
    snippet_fields = (  # not the ref and title
        "statement",
        "outcome",
        "rationale",
        "partnership_lead",
        "board_officer",
        "delivery_group_text",
    )
    order = 30

    def refine(self, queryset: QuerySet, user) -> QuerySet:
        return queryset.select_related("plan__board")

    def title(self, priority: Priority) -> str:
        return f"{priority.ref}. {priority.title}"

    def boards(self, priority: Priority) -> list[Board]:
        return [priority.plan.board]

    def describe(self, priority: Priority) -> str:
        return f"Priority in {priority.plan.title}"


class ActionSource(SearchSource):
    model = Action
    label = "Actions"
    fields = {
        "ref": "A",
        "description": "A",
        "outcome_measure": "B",
        "lead_text": "C",
        "timescale": "D",
    }
    snippet_fields = ("description", "outcome_measure", "lead_text", "timescale")  # not the ref
    order = 40

    def refine(self, queryset: QuerySet, user) -> QuerySet:
        return queryset.select_related("priority__plan__board")

    def title(self, action: Action) -> str:
        return f"{action.ref} {Truncator(action.description).chars(90)}"

    def boards(self, action: Action) -> list[Board]:
        return [action.priority.plan.board]

    def describe(self, action: Action) -> str:
        priority = action.priority
        return f"{action.get_status_display()}; priority {priority.ref}, {priority.plan.title}"


class ProgressUpdateSource(SearchSource):
    """An update's text, shown on its action's page (the progress section)."""

    model = ProgressUpdate
    label = "Progress updates"
    fields = {"text": "A"}
    order = 50

    def refine(self, queryset: QuerySet, user) -> QuerySet:
        return queryset.select_related("action__priority__plan__board")

    def title(self, update: ProgressUpdate) -> str:
        return f"Update on {update.action.ref}, {localtime(update.created_at):%-d %B %Y}"

    def url(self, update: ProgressUpdate) -> str:
        return f"{update.action.get_absolute_url()}#progress"

    def boards(self, update: ProgressUpdate) -> list[Board]:
        return [update.action.priority.plan.board]

    def describe(self, update: ProgressUpdate) -> str:
        rating = f", {update.get_rag_display()}" if update.rag else ""
        return f"{update.get_status_display()}{rating}; {update.action.priority.plan.title}"


add_search_source(StrategicPlanSource())
add_search_source(BusinessPlanSource())
add_search_source(PrioritySource())
add_search_source(ActionSource())
add_search_source(ProgressUpdateSource())
