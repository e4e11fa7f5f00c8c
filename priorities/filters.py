"""The action tracker's filters. Every filter is a URL parameter, so a filtered view can be
bookmarked, shared and exported exactly as shown."""

import django_filters
from django import forms
from django.db.models import F, Q

from priorities import tracker_cache
from priorities.models import Action, Priority, Rag, ReportingPeriod
from sab.fields import UKDateField
from sab.models import Board, Person
from subgroups.models import Group

NOT_RATED = "none"


class UKDateFilter(django_filters.DateFilter):
    field_class = UKDateField


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Sorting that puts blanks (no due date, not rated) last both ways, on SQLite and
    PostgreSQL alike (they disagree about where NULL sorts by default). Rows that tie (the
    same due date, status or rating) come in the model's own order, so every page of a
    sorted list is the same each time it is asked for (the tracker fetches a page's rows in
    a second step, priorities.views._TrackerPaginator)."""

    def get_ordering_value(self, param):
        value = super().get_ordering_value(param)
        field = F(value.lstrip("-"))
        return field.desc(nulls_last=True) if value.startswith("-") else field.asc(nulls_last=True)

    def filter(self, qs, value):
        sorted_qs = super().filter(qs, value)
        if sorted_qs is qs:
            return qs
        return sorted_qs.order_by(*sorted_qs.query.order_by, *qs.model._meta.ordering)


class _ChoiceLists:
    """The plan, priority, group and person choices, loaded the first time one of them is
    needed (to check a chosen value or to draw the form), once per filter: for a board from
    priorities.tracker_cache (cached per board), else from the records the reader sees."""

    def __init__(self, load) -> None:
        self._load = load
        self._loaded: tracker_cache.FilterChoices | None = None

    def _lists(self) -> tracker_cache.FilterChoices:
        if self._loaded is None:
            self._loaded = self._load()
        return self._loaded

    def plans(self) -> list:
        return self._lists().plans

    def priorities(self) -> list:
        return self._lists().priorities

    def groups(self) -> list:
        return self._lists().groups

    def people(self) -> list:
        return self._lists().people


# The wording a model choice field used for a group or person that is not in the list.
_NOT_IN_LIST = {"invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]}


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
    # The plan, priority, group and person lists are cached per board (_ChoiceLists), so
    # they are plain choices: the list itself checks what was chosen.
    plan = django_filters.ChoiceFilter(
        field_name="priority__plan_id",
        label="Plan",
        empty_label="The plans in use",
        help_text="Or next year's draft, or an archived plan.",
    )
    priority = django_filters.ChoiceFilter(
        field_name="priority_id", label="Priority", empty_label="All priorities"
    )
    lead_group = django_filters.ChoiceFilter(
        field_name="lead_group", label="Lead", empty_label="Any group", error_messages=_NOT_IN_LIST
    )
    lead_person = django_filters.ChoiceFilter(
        field_name="lead_person",
        label="Lead person",
        empty_label="Anyone",
        error_messages=_NOT_IN_LIST,
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
            lists = _ChoiceLists(
                lambda: tracker_cache.build_choices(
                    Priority.objects.visible_to(user),
                    Group.objects.visible_to(user),
                    Person.objects.visible_to(user),
                )
            )
        else:
            lists = _ChoiceLists(lambda: tracker_cache.filter_choices(board))
        self.filters["plan"].extra["choices"] = lists.plans
        self.filters["priority"].extra["choices"] = lists.priorities
        self.filters["lead_group"].extra["choices"] = lists.groups
        self.filters["lead_person"].extra["choices"] = lists.people
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
