"""The action tracker: filters in the URL, sorting, pagination, exports, query counts."""

import csv
import datetime
import io

import openpyxl
import pytest

from priorities.models import ProgressUpdate
from tests.factories import (
    ActionFactory,
    BusinessPlanFactory,
    PersonFactory,
    PriorityFactory,
    ReportingPeriodFactory,
)

TODAY = datetime.date.today()


@pytest.fixture
def actions(plan, priority, group, other_group, period):
    rows = {
        "late": ActionFactory(
            priority=priority,
            ref="1.1",
            lead_group=group,
            status="in_progress",
            due_date=TODAY - datetime.timedelta(days=10),
            description="Audit multi-agency meetings",
        ),
        "done": ActionFactory(
            priority=priority,
            ref="1.2",
            lead_group=group,
            status="complete",
            due_date=TODAY - datetime.timedelta(days=10),
        ),
        "future": ActionFactory(
            priority=priority,
            ref="1.3",
            lead_group=other_group,
            due_date=TODAY + datetime.timedelta(days=30),
            description="Train the workforce on self-neglect",
        ),
        "text_lead": ActionFactory(
            priority=priority, ref="1.4", lead_group=None, lead_text="SEG / Executive"
        ),
    }
    ProgressUpdate.objects.create(
        action=rows["late"], period=period, text="x", status="in_progress", rag="red"
    )
    ProgressUpdate.objects.create(
        action=rows["future"], period=None, text="y", status="not_started", rag="green"
    )
    archived = BusinessPlanFactory(board=plan.board, status="archived")
    ActionFactory(priority=PriorityFactory(plan=archived), ref="OLD.1")
    return rows


def _refs(response):
    return [a.ref for a in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["1.1", "1.2", "1.3", "1.4"]),
        ("overdue=on", ["1.1"]),
        ("status=complete", ["1.2"]),
        ("status=complete&status=in_progress", ["1.1", "1.2"]),
        ("rag=red", ["1.1"]),
        ("rag=none", ["1.2", "1.4"]),
        ("q=self-neglect", ["1.3"]),
        ("q=seg+executive", ["1.4"]),
        ("updated=yes", ["1.1"]),
        ("updated=no", ["1.2", "1.3", "1.4"]),
        ("sort=-due", ["1.3", "1.1", "1.2", "1.4"]),
    ],
)
def test_filters(client, user_as, board, actions, query, expected):
    client.force_login(user_as("viewer"))
    response = client.get(f"/boards/{board.slug}/actions/?{query}")
    assert _refs(response) == expected or (
        sorted(_refs(response)) == expected and "sort" not in query
    )


def test_filter_by_lead_group_and_due_dates(client, user_as, board, actions, other_group):
    client.force_login(user_as("viewer"))
    response = client.get(f"/boards/{board.slug}/actions/?lead_group={other_group.pk}")
    assert _refs(response) == ["1.3"]
    after = (TODAY + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.get(f"/boards/{board.slug}/actions/?due_after={after}")
    assert _refs(response) == ["1.3"]


def test_bad_filter_value_is_an_error_not_a_crash(client, user_as, board, actions):
    client.force_login(user_as("viewer"))
    response = client.get(f"/boards/{board.slug}/actions/?due_after=31/02/2026")
    assert response.status_code == 200
    assert "Enter a real date" in response.content.decode()


def test_exports_have_exactly_the_filtered_rows(client, user_as, board, actions):
    client.force_login(user_as("viewer"))
    response = client.get(f"/boards/{board.slug}/actions/export.csv?overdue=on")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Plan", "Priority", "Ref", "Action"]
    assert [r[2] for r in rows[1:]] == ["1.1"]
    assert rows[1][10] == "Red"
    response = client.get(f"/boards/{board.slug}/actions/export.xlsx?status=complete")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["1.2"]
    assert client.get(f"/boards/{board.slug}/actions/export.pdf").status_code == 404


def test_csv_export_defuses_spreadsheet_formulas(client, user_as, board, priority):
    ActionFactory(priority=priority, ref="X", description='=HYPERLINK("http://evil")')
    client.force_login(user_as("viewer"))
    body = client.get(f"/boards/{board.slug}/actions/export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body


def test_pagination_keeps_filters(client, user_as, board, priority):
    for i in range(120):
        ActionFactory(priority=priority, ref=f"9.{i:03d}", status="in_progress")
    client.force_login(user_as("viewer"))
    response = client.get(f"/boards/{board.slug}/actions/?status=in_progress&page=3")
    assert len(response.context["page"].object_list) == 20
    assert "status=in_progress&amp;page=2" in response.content.decode()


@pytest.mark.parametrize("n", [10, 300])
def test_tracker_query_count_is_constant(
    client, user_as, board, priority, group, period, n, django_assert_max_num_queries
):
    """Fixed 3 (tests/sab/test_queries.py) + board, current period, count, the page of
    actions with latest-update subqueries, and the filter choices (priorities, groups and
    people): nothing per row."""
    person = PersonFactory()
    person.boards.add(board)
    for i in range(n):
        action = ActionFactory(
            priority=priority,
            ref=f"R{i}",
            lead_group=group,
            lead_person=person,
            status="in_progress",
        )
        ProgressUpdate.objects.create(
            action=action, period=period, text="t", status="in_progress", rag="amber"
        )
    client.force_login(user_as("viewer"))
    client.get(
        f"/boards/{board.slug}/actions/?status=in_progress&rag=amber"
    )  # warm-up: the first request after sign-in writes the session
    with django_assert_max_num_queries(10):
        response = client.get(f"/boards/{board.slug}/actions/?status=in_progress&rag=amber")
    assert response.context["page"].paginator.count == n


@pytest.mark.parametrize("n", [5, 100])
def test_plan_page_query_count_is_constant(
    client, user_as, plan, group, n, django_assert_max_num_queries
):
    """The plan with its priorities, their joint boards, objectives, measures and actions
    (each with its latest update) in one query each, the plans rolled forward from it, and
    its published versions (the "Print and publish" section, reports/plan_section.py)."""
    for _ in range(4):
        priority = PriorityFactory(plan=plan, delivery_group=group)
        for _i in range(n // 4):
            action = ActionFactory(priority=priority, lead_group=group)
            ProgressUpdate.objects.create(
                action=action, text="t", status="in_progress", rag="green"
            )
    client.force_login(user_as("viewer"))
    client.get(
        plan.get_absolute_url()
    )  # warm-up: the first request after sign-in writes the session
    with django_assert_max_num_queries(11):
        response = client.get(plan.get_absolute_url())
    assert response.context["action_count"] == (n // 4) * 4


@pytest.mark.parametrize("n", [2, 40])
def test_action_page_query_count_is_constant(
    client, user_as, action, n, period, django_assert_max_num_queries
):
    """Fixed 3, the action, its updates, the timeline (the action's history and names of the
    records it points to, the updates' history and their periods' names), the current
    period, the milestones."""
    chair = user_as("chair")
    from priorities import services

    for i in range(n):
        services.record_progress(
            action=action,
            by=chair,
            text=f"u{i}",
            status="in_progress" if i % 2 else "not_started",
            rag="green",
        )
    client.force_login(chair)
    client.get(
        action.get_absolute_url()
    )  # warm-up: the first request after sign-in writes the session
    with django_assert_max_num_queries(12):
        response = client.get(action.get_absolute_url())
    assert len(response.context["updates"]) == n


def test_the_tracker_shows_the_plans_in_use_unless_another_plan_is_chosen(
    client, user_as, plan, action
):
    draft = BusinessPlanFactory(board=plan.board, title="Business Plan 2027/28", status="draft")
    next_years = ActionFactory(priority=PriorityFactory(plan=draft), ref="N.1")
    client.force_login(user_as("viewer"))
    page = client.get(f"/boards/{plan.board.slug}/actions/")
    assert [a.ref for a in page.context["page"]] == [action.ref]
    assert '<label class="govuk-label govuk-label--s" for="id_plan">Plan (optional)' in (
        page.content.decode()
    )
    chosen = client.get(f"/boards/{plan.board.slug}/actions/?plan={draft.pk}")
    assert [a.ref for a in chosen.context["page"]] == [next_years.ref]


@pytest.mark.parametrize("n", [4, 60])
def test_roll_forward_page_query_count_is_constant(
    client, user_as, plan, group, n, django_assert_max_num_queries
):
    """The preview lists every action with its latest update from one query per list
    (carried and staying), whatever the number of actions."""
    priorities = [PriorityFactory(plan=plan) for _ in range(4)]
    for i in range(n):
        action = ActionFactory(
            priority=priorities[i % 4],
            lead_group=group,
            status="complete" if i % 4 == 0 else "in_progress",
        )
        ProgressUpdate.objects.create(action=action, text="t", status="in_progress", rag="red")
    client.force_login(user_as("manager"))
    url = f"/plans/{plan.pk}/roll-forward/"
    client.get(url)  # warm-up: the first request after sign-in writes the session
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert len(response.context["carried"]) + len(response.context["dropped"]) == n


@pytest.mark.parametrize("n", [2, 40])
def test_periods_page_query_count_is_constant(
    client, user_as, board, n, django_assert_max_num_queries
):
    for i in range(n):
        ReportingPeriodFactory(
            board=board,
            label=f"P{i}",
            start=datetime.date(2000 + i, 4, 1),
            end=datetime.date(2000 + i, 6, 30),
        )
    client.force_login(user_as("manager"))
    client.get(f"/boards/{board.slug}/periods/")
    with django_assert_max_num_queries(6):
        response = client.get(f"/boards/{board.slug}/periods/")
    assert response.content.decode().count("Change<span") == n


def test_status_and_rag_filters_are_checkboxes_and_the_chosen_sort_stays_chosen(
    client, user_as, board, action
):
    """Several statuses or ratings can be chosen at once, and the page says which sort is on."""
    client.force_login(user_as("viewer"))
    page = client.get(
        f"/boards/{board.slug}/actions/?status=not_started&status=in_progress&sort=due"
    ).content.decode()
    assert 'name="status" type="checkbox" value="not_started" checked' in page
    assert 'name="status" type="checkbox" value="in_progress" checked' in page
    assert 'name="rag" type="checkbox"' in page and 'name="status" type="radio"' not in page
    assert '<option value="due" selected>' in page
