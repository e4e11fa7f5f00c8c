"""Properties of the main forms, over generated input: whatever a browser posts (any text,
dates typed any way, numbers of any size, ids of records the user may or may not choose),
a form is valid or has errors, never an exception; and what a valid form's view then does
(``form.save()`` or the service it calls) saves or refuses with a ValidationError, never
a database error.

Each form's fields are read from the form itself, so a field added later is fuzzed too.
Every example runs in a savepoint that is rolled back, so none sees another's records.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from priorities import services as plan_services
from priorities.forms import ActionForm, BusinessPlanForm, ProgressUpdateForm, ReturnRowForm
from priorities.models import Action, BusinessPlan, Objective
from reviews import services as review_services
from reviews.forms import DecisionForm, ReferralForm, ReviewForm
from reviews.models import Referral, Review
from sab.models import RoleAssignment
from subgroups.forms import MeetingForm
from subgroups.models import Meeting
from tests.factories import (
    ActionFactory,
    BusinessPlanFactory,
    GroupFactory,
    GroupMembershipFactory,
    MeetingFactory,
    PersonFactory,
    PriorityFactory,
    ReportingPeriodFactory,
)
from tests.reviews.conftest import DecidedReferralFactory, ReferralFactory, ReviewFactory

Role = RoleAssignment.Role
EXAMPLES = 60

# --------------------------------------------------------------------------------------------
# What a browser may post
# --------------------------------------------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
DAYS = st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31))
DATE_TEXT = st.one_of(
    DAYS.map(lambda day: f"{day.day}/{day.month}/{day.year}"),
    DAYS.map(lambda day: day.isoformat()),
    DAYS.map(lambda day: f"{day.day} {day:%B} {day.year}"),
    st.sampled_from(["29/2/2023", "31/4/2025", "0/0/0", "31/12/9999", "1/1/1", "12/31/2025"]),
    TEXT,
)
NUMBER_TEXT = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(["0", "-1", "1e3", "1.5", "NaN", "inf", " 7 ", "٣"]),
    TEXT,
)


def around(length: int):
    return st.integers(max(length - 2, 0), length + 2).map(lambda size: "x" * size)


def posted(field: forms.Field, ids: list[int]):
    """Anything a browser (or someone crafting a request) may post for ``field``. ``ids``
    are the records a choice field offers, and ids it does not (another board's, none)."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return st.lists(st.one_of(st.sampled_from(ids).map(str), NUMBER_TEXT), max_size=4)
    if isinstance(field, forms.ModelChoiceField):
        return st.one_of(st.just(""), st.sampled_from(ids).map(str), NUMBER_TEXT)
    if isinstance(field, forms.MultipleChoiceField):
        keys = [str(key) for key, _ in field.choices]
        return st.lists(st.one_of(st.sampled_from(keys), TEXT), max_size=4)
    if isinstance(field, forms.ChoiceField):
        keys = [str(key) for key, _ in field.choices] or [""]
        return st.one_of(st.sampled_from(keys), TEXT)
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", "", "false", "0", "True", "x"])
    if isinstance(field, forms.DateField):
        return DATE_TEXT
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return NUMBER_TEXT
    if isinstance(field, forms.URLField):
        return st.one_of(
            st.sampled_from(["https://example.org/report", "example.org", "javascript:alert(1)"]),
            TEXT,
        )
    if field.max_length:
        return st.one_of(TEXT, around(field.max_length))
    return st.one_of(TEXT, around(2000))


# Mostly this decade's dates, sometimes the first and last a date field takes.
GOOD_DAYS = st.one_of(
    *[st.dates(datetime.date(2015, 1, 1), datetime.date(2030, 12, 31))] * 3,
    st.sampled_from([datetime.date(1, 1, 1), datetime.date(9999, 12, 31)]),
)


def good(field: forms.Field, choosable: list[int]):
    """A value a careful user would post for ``field`` (a rule across fields may still
    refuse it). ``choosable`` are the ids the field offers."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return (
            st.lists(st.sampled_from(choosable).map(str), max_size=2) if choosable else st.just([])
        )
    if isinstance(field, forms.ModelChoiceField):
        return st.sampled_from(choosable).map(str) if choosable else st.just("")
    if isinstance(field, forms.MultipleChoiceField):
        keys = [str(key) for key, _ in field.choices]
        return st.lists(st.sampled_from(keys), max_size=2, unique=True)
    if isinstance(field, forms.ChoiceField):
        keys = [str(key) for key, _ in field.choices if key != "" or not field.required]
        return st.sampled_from(keys or [""])
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", ""])
    if isinstance(field, forms.DateField):
        return GOOD_DAYS.map(lambda day: f"{day.day}/{day.month}/{day.year}")
    if isinstance(field, forms.IntegerField):
        low = field.min_value if field.min_value is not None else 0
        high = field.max_value if field.max_value is not None else 50
        return st.integers(low, high).map(str)
    if isinstance(field, forms.URLField):
        return st.sampled_from(["", "https://example.org/minutes"])
    words = st.text("abcdefghij ", min_size=1, max_size=min(field.max_length or 30, 30))
    return words.filter(str.strip) if field.required else st.one_of(st.just(""), words)


@st.composite
def data_for(draw, form: forms.BaseForm, ids: dict[str, list[int]]):
    """Post data for ``form``: each field a good value, except a few with anything at all
    and a few left out (as a browser leaves out an unticked box), keyed with the prefix."""
    names = sorted(form.fields)
    odd = draw(st.sets(st.sampled_from(names), max_size=max(1, len(names) // 3)))
    left_out = draw(st.sets(st.sampled_from(names), max_size=2))
    data = {}
    for name in names:
        if name in left_out:
            continue
        field = form.fields[name]
        choosable = []
        if isinstance(field, forms.ModelChoiceField):
            choosable = list(field.queryset.values_list("pk", flat=True)[:20])
        if name in odd:
            value = draw(posted(field, [*choosable, *ids.get(name, [])] or [1]))
        else:
            value = draw(good(field, choosable))
        data[form.add_prefix(name)] = value
    return data


# --------------------------------------------------------------------------------------------
# The forms, and what their views do with a valid one
# --------------------------------------------------------------------------------------------


@dataclass
class World:
    board: object
    manager: object
    plan: BusinessPlan
    priority: object
    action: Action
    group: object
    meeting: Meeting
    pending: Referral
    decided: Referral
    review: Review
    ids: dict[str, list[int]]


@pytest.fixture
def world(board, other_board, manager, group):
    plan = BusinessPlanFactory(board=board, title="Business Plan 2026/27", status="approved")
    priority = PriorityFactory(plan=plan, ref="1", delivery_group=group)
    Objective.objects.create(priority=priority, text="Better meetings", order=0)
    action = ActionFactory(priority=priority, ref="1.1", lead_group=group)
    today = datetime.date.today()
    ReportingPeriodFactory(
        board=board,
        label="This quarter",
        start=today - datetime.timedelta(days=30),
        end=today + datetime.timedelta(days=60),
    )
    member = PersonFactory()
    member.boards.add(board)
    GroupMembershipFactory(group=group, person=member, role="chair")
    meeting = MeetingFactory(group=group, date=today - datetime.timedelta(days=7))

    elsewhere = GroupFactory(boards=[other_board])
    stranger = PersonFactory()
    stranger.boards.add(other_board)
    other_plan = BusinessPlanFactory(board=other_board)
    other_action = ActionFactory(priority=PriorityFactory(plan=other_plan))

    pending = ReferralFactory(board=board, reference="SAR-2017-01", subject_label="Adult A")
    decided = DecidedReferralFactory(board=board, reference="SAR-2017-02", subject_label="Adult B")
    review = ReviewFactory(referral=DecidedReferralFactory(board=board, reference="SAR-2017-03"))
    ids = {
        "strategic_plan": [other_plan.pk],
        "objective": [*priority.objectives.values_list("pk", flat=True), 10**6],
        "lead_group": [group.pk, elsewhere.pk],
        "lead_person": [member.pk, stranger.pk],
        "attendees": [member.pk, stranger.pk],
        "plan_action": [action.pk, other_action.pk],
    }
    return World(
        board, manager, plan, priority, action, group, meeting, pending, decided, review, ids
    )


def _fresh(instance):
    """The record as stored: forms change their instance as they clean."""
    return type(instance).objects.get(pk=instance.pk)


def _new_action(world: World, form) -> None:
    action = form.save(commit=False)
    action.order = world.priority.actions.next_order()
    action.save()


def _new_review(world: World, form) -> None:
    review_services.save_review(form.instance, by=world.manager)


@dataclass
class FormCase:
    """How to make the form (from the world) and what its view does when it is valid."""

    make: Callable[[World, object], forms.BaseForm]
    save: Callable[[World, forms.BaseForm], object] | None


FORMS = {
    "plan-new": FormCase(
        lambda w, data: BusinessPlanForm(data, board=w.board), lambda w, form: form.save()
    ),
    "plan-edit": FormCase(
        lambda w, data: BusinessPlanForm(data, instance=_fresh(w.plan), board=w.board),
        lambda w, form: form.save(),
    ),
    "action-new": FormCase(
        lambda w, data: ActionForm(data, priority=w.priority),
        _new_action,
    ),
    "action-edit": FormCase(
        lambda w, data: ActionForm(data, instance=_fresh(w.action), priority=w.priority),
        lambda w, form: plan_services.save_versioned(
            form, seen_version=form.cleaned_data["seen_version"]
        ),
    ),
    "progress-update": FormCase(
        lambda w, data: ProgressUpdateForm(data, action=_fresh(w.action)),
        lambda w, form: plan_services.record_progress(
            action=form.action, by=w.manager, **form.cleaned_data
        ),
    ),
    "quarterly-return-row": FormCase(
        lambda w, data: ReturnRowForm(data, action=_fresh(w.action)), None
    ),
    "meeting-new": FormCase(
        lambda w, data: MeetingForm(data, group=w.group), lambda w, form: form.save()
    ),
    "meeting-edit": FormCase(
        lambda w, data: MeetingForm(data, instance=_fresh(w.meeting), group=w.group),
        lambda w, form: form.save(),
    ),
    "referral-new": FormCase(
        lambda w, data: ReferralForm(data, instance=Referral(board=w.board), board=w.board),
        lambda w, form: review_services.save_referral(
            form.instance, by=w.manager, confirm_label=form.cleaned_data["confirm_label"]
        ),
    ),
    "referral-edit": FormCase(
        lambda w, data: ReferralForm(data, instance=_fresh(w.pending), board=w.board),
        lambda w, form: review_services.save_referral(
            form.instance, by=w.manager, confirm_label=form.cleaned_data["confirm_label"]
        ),
    ),
    "referral-decision": FormCase(
        lambda w, data: DecisionForm(data, instance=_fresh(w.pending)),
        lambda w, form: review_services.save_referral(form.instance, by=w.manager),
    ),
    "review-commission": FormCase(
        lambda w, data: ReviewForm(data, referral=_fresh(w.decided), commission=True),
        _new_review,
    ),
    "review-edit": FormCase(
        lambda w, data: ReviewForm(data, instance=_fresh(w.review), referral=w.review.referral),
        lambda w, form: review_services.save_review(form.instance, by=w.manager),
    ),
}


class _RolledBack(Exception):
    """Raised to roll back one example's savepoint."""


@pytest.mark.parametrize("name", FORMS)
def test_a_form_is_valid_or_has_errors_whatever_is_posted(name, world):
    case = FORMS[name]
    empty = case.make(world, None)
    # A stale version is refused by save_versioned; the one loaded is what a browser sends.
    versions = {empty.add_prefix("seen_version"): str(empty.initial.get("seen_version", ""))}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        values=data_for(empty, world.ids),
        keep_version=st.booleans(),
    )
    def check(values, keep_version):
        if keep_version and "seen_version" in empty.fields:
            values = {**values, **versions}
        data = MultiValueDict(
            {key: value if isinstance(value, list) else [value] for key, value in values.items()}
        )
        try:
            with transaction.atomic():
                form = case.make(world, data)
                if form.is_valid():
                    assert not form.errors
                    if case.save is not None:
                        try:
                            with transaction.atomic():
                                case.save(world, form)
                        except ValidationError:
                            pass  # a rule the service enforces: the view shows it on the form
                else:
                    assert form.errors
                str(form)  # the page shows what was typed, with the errors
                raise _RolledBack
        except _RolledBack:
            pass

    check()
