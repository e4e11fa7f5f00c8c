"""The tracker's cached filter choices (priorities/tracker_cache.py) and its cheaper rendering.

A change to what the lists show appears on the next request; another board's records never
appear; and the tracker's own filter and row markup draw what the shared components drew.
"""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from simple_history.utils import bulk_create_with_history

from priorities import tracker_cache
from priorities.filters import ActionFilter
from priorities.models import Action, Priority, ProgressUpdate
from priorities.tracker_page import filter_fields, rows
from tests.factories import (
    ActionFactory,
    BusinessPlanFactory,
    GroupFactory,
    OrganisationFactory,
    PersonFactory,
    PriorityFactory,
)

TODAY = datetime.date.today()


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tracker(client, user_as, board, plan, priority, action):
    """GET the board's tracker page as a viewer; returns the response."""
    client.force_login(user_as("viewer"))

    def _get(query: str = ""):
        return client.get(f"/boards/{board.slug}/actions/?{query}")

    _get()  # the first request after sign-in writes the session; it also fills the cache
    return _get


def _options(response, name: str) -> list[str]:
    """The labels of one filter's choices, as the page offers them."""
    form = response.context["form"]
    return [str(label) for _, label in form[name].field.choices]


def test_choices_are_cached_between_requests(tracker):
    with CaptureQueriesContext(connection) as first:
        tracker()
    with CaptureQueriesContext(connection) as second:
        tracker()
    assert len(first) == len(second)  # both served from the cache (filled by the fixture)
    cache.clear()
    with CaptureQueriesContext(connection) as rebuilt:
        tracker()
    assert len(rebuilt) == len(second) + 3  # priorities with their plans, groups, people


def test_a_new_plan_and_priority_appear_at_once(tracker, board):
    draft = BusinessPlanFactory(board=board, title="Business Plan 2027/28", status="draft")
    PriorityFactory(plan=draft, ref="9z", title="Next year's priority")
    response = tracker()
    assert "Business Plan 2027/28 (draft)" in _options(response, "plan")
    assert "9z Next year's priority (Business Plan 2027/28)" in _options(response, "priority")


def test_a_changed_plan_or_priority_shows_at_once(tracker, plan, priority):
    priority.title = "Renamed priority"
    priority.save()
    assert f"2b Renamed priority ({plan.title})" in _options(tracker(), "priority")
    plan.status = "archived"  # an archived plan's priorities are no longer listed
    plan.save()
    response = tracker()
    assert f"{plan.title} (archived)" in _options(response, "plan")
    assert not any("Renamed priority" in label for label in _options(response, "priority"))


def test_deleted_records_leave_the_lists_at_once(tracker, board):
    draft = BusinessPlanFactory(board=board, title="Short-lived plan", status="draft")
    PriorityFactory(plan=draft, title="Short-lived priority")
    assert "Short-lived plan (draft)" in _options(tracker(), "plan")
    draft.delete()  # and its priority with it
    response = tracker()
    assert "Short-lived plan (draft)" not in _options(response, "plan")
    assert not any("Short-lived" in label for label in _options(response, "priority"))


def test_bulk_created_priorities_appear_at_once(tracker, plan):
    """The plan import and roll forward create records in bulk (no save signals)."""
    bulk_create_with_history(
        [Priority(plan=plan, ref="7a", title="Imported priority", order=70)], Priority
    )
    assert f"7a Imported priority ({plan.title})" in _options(tracker(), "priority")


def test_groups_joining_leaving_and_renamed_show_at_once(tracker, board, other_board, group):
    joint = GroupFactory(name="Joint Learning Group", boards=[other_board])
    assert "Joint Learning Group" not in _options(tracker(), "lead_group")
    joint.boards.add(board)
    assert "Joint Learning Group" in _options(tracker(), "lead_group")
    board.groups.remove(joint)  # from the board's side of the relation
    assert "Joint Learning Group" not in _options(tracker(), "lead_group")
    group.name = "Quality Sub-Group"
    group.save()
    assert "Quality Sub-Group" in _options(tracker(), "lead_group")


def test_people_joining_leaving_and_renamed_show_at_once(tracker, board):
    person = PersonFactory(name="Sam Patel")
    assert "Sam Patel" not in _options(tracker(), "lead_person")
    person.boards.add(board)  # a link without history of its own
    assert "Sam Patel" in _options(tracker(), "lead_person")
    person.organisation = OrganisationFactory(name="Leicester City Council")
    person.save()
    assert "Sam Patel (Leicester City Council)" in _options(tracker(), "lead_person")
    organisation = person.organisation
    organisation.name = "Leicester City Council Adult Social Care"
    organisation.save()
    label = "Sam Patel (Leicester City Council Adult Social Care)"
    assert label in _options(tracker(), "lead_person")
    board.people.remove(person)
    assert label not in _options(tracker(), "lead_person")


def test_another_boards_choices_never_appear(client, user_as, board, other_board, plan, priority):
    theirs = BusinessPlanFactory(board=other_board, title="Their plan")
    PriorityFactory(plan=theirs, ref="T1", title="Their priority")
    GroupFactory(name="Their group", boards=[other_board])
    PersonFactory(name="Their person").boards.add(other_board)
    ours = PersonFactory(name="Our person")
    ours.boards.add(board)
    user = user_as("manager")
    user.is_superuser = True  # sees both boards' trackers
    user.save()
    client.force_login(user)
    for _ in range(2):  # filling the cache, then from it
        mine = client.get(f"/boards/{board.slug}/actions/")
        other = client.get(f"/boards/{other_board.slug}/actions/")
        every = [label for name in ("plan", "priority", "lead_group", "lead_person")
                 for label in _options(mine, name)]  # fmt: skip
        assert not [label for label in every if "Their" in label]
        assert "Our person" in _options(mine, "lead_person")
        assert _options(other, "plan")[1:] == ["Their plan (approved)"]
        assert _options(other, "lead_person")[1:] == ["Their person"]
        assert "Our person" not in _options(other, "lead_person")


def test_a_group_or_person_outside_the_list_is_refused(tracker, other_board):
    stranger = GroupFactory(boards=[other_board])
    response = tracker(f"lead_group={stranger.pk}")
    assert response.context["form"].errors["lead_group"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]


def test_the_api_lists_what_the_reader_sees(rf, user_as, board, plan, priority, group):
    request = rf.get("/api/actions/")
    request.user = user_as("viewer")
    lists = ActionFilter({}, Action.objects.all(), request=request)
    form = lists.form
    assert f"{plan.title} (approved)" in [label for _, label in form["plan"].field.choices]
    assert group.name in [label for _, label in form["lead_group"].field.choices]


def test_fingerprint_changes_with_each_kind_of_change(board, plan, priority, group):
    seen = {tracker_cache.fingerprint(board)}

    def changed() -> bool:
        now = tracker_cache.fingerprint(board)
        new = now not in seen
        seen.add(now)
        return new

    assert not changed()
    PriorityFactory(plan=plan)
    assert changed()
    GroupFactory(boards=[board])
    assert changed()
    person = PersonFactory()
    assert changed()
    person.boards.add(board)
    assert changed()
    OrganisationFactory()
    assert changed()


# --- The tracker's own markup draws what the shared components drew ----------------------


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "audit <b>", "overdue": "on", "status": ["in_progress", "complete"], "rag": "red"},
        {"due_after": "31/02/2026", "due_before": "x", "sort": "-due", "updated": "no"},
        {"plan": "999", "lead_group": "999", "lead_person": "abc", "status": "nonsense"},
    ],
)
def test_filter_fields_draw_what_components_field_draws(
    rf, board, plan, priority, group, period, query
):
    person = PersonFactory(name="Jo <Bloggs>", organisation=OrganisationFactory())
    person.boards.add(board)
    request = rf.get("/", query)
    action_filter = ActionFilter(
        request.GET or None, Action.objects.all(), board=board, period=period, request=request
    )
    form = action_filter.form
    shared = render_to_string("components/_form_fields.html", {"form": form})
    ours = render_to_string(
        "priorities/_tracker_filters.html",
        {"fields": filter_fields(form), "hidden": form.hidden_fields()},
    )
    assert parse_html(ours) == parse_html(shared)


# The row markup tracker.html had, cell by cell with filters, before tracker_page.rows.
ROW_BEFORE = Template(
    """{% load sab_tags %}{% for action in actions %}<tr class="govuk-table__row">
<td class="govuk-table__cell" data-label="Ref"><a class="govuk-link" href="{{ action.get_absolute_url }}">{{ action.ref }}</a></td>
<td class="govuk-table__cell" data-label="Action">{{ action.description|truncatewords:25 }}<br><span class="govuk-body-s">{{ action.priority.plan.title }}, priority {{ action.priority.ref }}</span></td>
<td class="govuk-table__cell" data-label="Lead">{{ action.lead_display }}{% if action.lead_person %}<br>{{ action.lead_person.name }}{% endif %}</td>
<td class="govuk-table__cell" data-label="Due">{{ action.due_date|date:"j M Y"|default:action.timescale }}{% if action.is_overdue %}<br><strong class="govuk-tag govuk-tag--red">Overdue</strong>{% endif %}</td>
<td class="govuk-table__cell" data-label="Status">{{ action.get_status_display }}<br>{{ action.latest_rag|rag_tag }}{% if action.needs_second_look %}<br><strong class="govuk-tag govuk-tag--yellow">Check: overdue but Green</strong>{% endif %}</td>
<td class="govuk-table__cell" data-label="Latest progress">{% if action.latest_text %}{{ action.latest_text|summary:30 }} <a class="govuk-link" href="{{ action.get_absolute_url }}#progress">Read more<span class="govuk-visually-hidden"> about action {{ action.ref }}</span></a>{% else %}No update yet{% endif %}</td>
</tr>{% endfor %}"""  # noqa: E501
)


def test_rows_draw_what_the_cell_by_cell_template_drew(client, user_as, board, priority, group):
    late = ActionFactory(
        priority=priority,
        ref="1.1",
        lead_group=group,
        lead_person=PersonFactory(name="Jo <Bloggs>"),
        status="in_progress",
        due_date=TODAY - datetime.timedelta(days=3),
        description="Audit & review " + "word " * 40,
    )
    ProgressUpdate.objects.create(
        action=late, text="**Done** <script>x</script> " + "more " * 40, status="in_progress",
        rag="green",
    )  # fmt: skip
    ActionFactory(priority=priority, ref="1.2", lead_group=None, lead_text="SEG & <Exec>",
                  due_date=None, timescale="By June", status="complete")  # fmt: skip
    ActionFactory(priority=priority, ref="1.3", lead_group=group, due_date=None, timescale="")
    client.force_login(user_as("viewer"))
    response = client.get(f"/boards/{board.slug}/actions/")
    actions = list(Action.objects.filter(priority=priority).for_tracker())
    before = ROW_BEFORE.render(Context({"actions": actions}))
    page = response.content.decode()
    body = page[page.index("<tbody") : page.index("</tbody>")]
    body = body[body.index(">") + 1 :]
    assert parse_html(body) == parse_html(before)
    assert response.context["rows"] == rows(actions)


def test_sorted_pages_follow_on_without_gaps(client, user_as, board, priority):
    """Ties (the same due date) come in plan order, so page 2 starts where page 1 ended."""
    for i in range(60):
        ActionFactory(
            priority=priority, ref=f"S{i:02d}", due_date=TODAY + datetime.timedelta(i % 3)
        )
    client.force_login(user_as("viewer"))
    url = f"/boards/{board.slug}/actions/?sort=-due"
    first = [a.ref for a in client.get(url).context["page"]]
    second = [a.ref for a in client.get(f"{url}&page=2").context["page"]]
    expected = sorted((f"S{i:02d}" for i in range(60)), key=lambda ref: -(int(ref[1:]) % 3))
    assert first + second == expected
