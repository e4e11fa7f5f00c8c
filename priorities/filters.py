"""The action tracker's filters. Every filter is a URL parameter, so a filtered view can be
bookmarked, shared and exported exactly as shown."""

import django_filters
from django import forms
from django.db.models import F, Q

from priorities.models import Action, Priority, Rag, ReportingPeriod
from sab.fields import UKDateField
from sab.models import Board, Person
from subgroups.models import Group

NOT_RATED = "none"


class UKDateFilter(django_filters.DateFilter):
    field_class = UKDateField


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Sorting that puts blanks (no due date, not rated) last both ways, on SQLite and
    PostgreSQL alike (they disagree about where NULL sorts by default)."""

    def get_ordering_value(self, param):
        value = super().get_ordering_value(param)
        field = F(value.lstrip("-"))
        return field.desc(nulls_last=True) if value.startswith("-") else field.asc(nulls_last=True)


class _PlanAndPriorityLists:
    """The plan and priority choices, from one query of the priorities with their plans, run
    the first time either list is needed. Plans in use come first, then drafts, then
    archived ones; archived plans' priorities are not listed (choose the plan instead)."""

    def __init__(self, priorities) -> None:
        self._priorities = priorities
        self._loaded: tuple[list, list] | None = None

    def _load(self) -> tuple[list, list]:
        if self._loaded is None:
            found = list(self._priorities)
            plans = {p.plan_id: p.plan for p in found}
            ordered = sorted(plans.values(), key=lambda p: (p.is_read_only, not p.is_current, p.pk))
            self._loaded = (
                [(p.pk, f"{p.title} ({p.get_status_display().lower()})") for p in ordered],
                [(p.pk, f"{p.ref} {p.title} ({p.plan})") for p in found if not p.plan.is_read_only],
            )
        return self._loaded

    def plans(self) -> list:
        return self._load()[0]

    def priorities(self) -> list:
        return self._load()[1]


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label="Only overdue actions", widget=forms.CheckboxInput
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Action.Status.choices, widget=forms.CheckboxSelectMultiple, distinct=False
    )
    rag = django_filters.MultipleChoiceFilter(
        method="filter_rag",
        label="Latest RAG",
        choices=[*Rag.choices, (NOT_RATED, "Not rated")],
        widget=forms.CheckboxSelectMultiple,
    )
    updated = django_filters.ChoiceFilter(
        method="filter_updated",
        label="Updated this period",
        empty_label="Either",
        choices=[("yes", "Updated this period"), ("no", "Not updated this period")],
    )
    # The plan and priority lists come from one query (see _choices), so they are plain
    # choices: the list itself checks what was chosen.
    plan = django_filters.ChoiceFilter(
        field_name="priority__plan_id",
        label="Plan",
        empty_label="The plans in use",
        help_text="Or next year's draft, or an archived plan.",
    )
    priority = django_filters.ChoiceFilter(
        field_name="priority_id", label="Priority", empty_label="All priorities"
    )
    lead_group = django_filters.ModelChoiceFilter(
        queryset=Group.objects.none(), label="Lead", empty_label="Any group"
    )
    lead_person = django_filters.ModelChoiceFilter(
        queryset=None, label="Lead person", empty_label="Anyone"
    )
    due_after = UKDateFilter(field_name="due_date", lookup_expr="gte", label="Due on or after")
    due_before = UKDateFilter(field_name="due_date", lookup_expr="lte", label="Due on or before")
    sort = NullsLastOrderingFilter(
        label="Sort by",
        empty_label="Plan order",
        fields=(
            ("ref", "ref"),
            ("due_date", "due"),
            ("status", "status"),
            ("latest_rag", "rag"),
            ("lead_group__name", "lead"),
        ),
        field_labels={
            "ref": "Reference",
            "due_date": "Due date",
            "status": "Status",
            "latest_rag": "Latest RAG",
            "lead_group__name": "Lead",
        },
    )

    class Meta:
        model = Action
        fields: list[str] = []

    def __init__(
        self,
        data=None,
        queryset=None,
        *,
        board: Board | None = None,
        period: ReportingPeriod | None = None,
        request=None,
        **kwargs,
    ):
        """For one board's tracker page, or (board None) across the boards the API user sees.
        The page shows the plans in use unless another plan is chosen."""
        if board is not None and queryset is not None and not (data or {}).get("plan"):
            queryset = queryset.in_current_plans()
        super().__init__(data, queryset, request=request, **kwargs)
        self.board = board
        self.period = period
        if board is None:
            user = request.user
            priorities = Priority.objects.visible_to(user)
            groups = Group.objects.visible_to(user)
            people = Person.objects.visible_to(user)
        else:
            priorities = Priority.objects.for_board(board)
            groups = Group.objects.for_board(board)
            people = board.people.all()
        lists = _PlanAndPriorityLists(priorities.select_related("plan"))
        self.filters["plan"].extra["choices"] = lists.plans
        self.filters["priority"].extra["choices"] = lists.priorities
        self.filters["lead_group"].queryset = groups.order_by("name")
        self.filters["lead_person"].queryset = people.order_by("name")
        if period is None:
            del self.filters["updated"]

    def search(self, queryset, name, value):
        terms = Q()
        for word in value.split():
            terms &= (
                Q(ref__icontains=word)
                | Q(description__icontains=word)
                | Q(outcome_measure__icontains=word)
                | Q(lead_text__icontains=word)
                | Q(lead_group__name__icontains=word)
                | Q(timescale__icontains=word)
            )
        return queryset.filter(terms)

    def filter_rag(self, queryset, name, values):
        query = Q(latest_rag__in=[v for v in values if v != NOT_RATED])
        if NOT_RATED in values:
            query |= Q(latest_rag__isnull=True) | Q(latest_rag="")
        return queryset.filter(query)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset

    def filter_updated(self, queryset, name, value):
        updated = Q(updates__period=self.period)
        ids = queryset.filter(updated).values("pk")
        return queryset.filter(pk__in=ids) if value == "yes" else queryset.exclude(pk__in=ids)
