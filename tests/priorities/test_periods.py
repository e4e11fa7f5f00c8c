"""Reporting periods: a year of quarters in one step, and every update counted in the period
its date falls in, whenever the periods are set up or changed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from priorities import services
from priorities.models import ProgressUpdate, ReportingPeriod
from tests.factories import ActionFactory, ProgressUpdateFactory, UserFactory

d = datetime.date


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def test_quarters_follow_the_boards_reporting_year(board):
    assert services.quarter_bounds(board, 2026) == [
        (d(2026, 4, 1), d(2026, 6, 30)),
        (d(2026, 7, 1), d(2026, 9, 30)),
        (d(2026, 10, 1), d(2026, 12, 31)),
        (d(2027, 1, 1), d(2027, 3, 31)),
    ]
    board.financial_year_start_month = 1
    assert services.quarter_bounds(board, 2026)[-1] == (d(2026, 10, 1), d(2026, 12, 31))


def test_a_year_of_quarters_in_one_step(board):
    periods = services.set_up_year(
        board=board, year=2026, updates_due_days_before_end=14, by=UserFactory()
    )
    assert [p.label for p in periods] == ["Q1 2026/27", "Q2 2026/27", "Q3 2026/27", "Q4 2026/27"]
    assert periods[2].update_deadline == d(2026, 12, 17)
    assert ReportingPeriod.objects.for_board(board).count() == 4
    assert periods[0].history.count() == 1


def test_a_year_that_overlaps_is_refused_whole_with_the_clash_named(board):
    ReportingPeriod.objects.create(
        board=board, label="Autumn 2026", start=d(2026, 9, 1), end=d(2026, 11, 30)
    )
    with pytest.raises(ValidationError) as refused:
        services.set_up_year(board=board, year=2026, updates_due_days_before_end=None, by=None)
    assert refused.value.messages == [
        "Q2 (1 July to 30 September 2026): This period overlaps Autumn 2026.",
        "Q3 (1 October to 31 December 2026): This period overlaps Autumn 2026.",
    ]
    assert ReportingPeriod.objects.for_board(board).count() == 1


def test_an_update_saved_before_its_period_existed_counts_once_it_does(
    board, priority, action, other_board
):
    manager = UserFactory()
    early = ProgressUpdateFactory(action=action, period=None, created_at=_at(d(2026, 5, 20)))
    elsewhere = ProgressUpdateFactory(
        action=ActionFactory(priority__plan__board=other_board),
        period=None,
        created_at=_at(d(2026, 5, 20)),
    )
    services.set_up_year(board=board, year=2026, updates_due_days_before_end=14, by=manager)
    early.refresh_from_db()
    assert early.period.label == "Q1 2026/27"
    assert early.history.first().history_user == manager  # the move is in its history
    elsewhere.refresh_from_db()
    assert elsewhere.period is None  # another board's periods are its own


def test_changing_a_periods_dates_refiles_the_updates(board, priority, action):
    spring = ReportingPeriod.objects.create(
        board=board, label="Spring", start=d(2026, 4, 1), end=d(2026, 5, 31)
    )
    update = ProgressUpdateFactory(action=action, period=spring, created_at=_at(d(2026, 5, 20)))
    spring.end = d(2026, 5, 15)
    services.save_period(period=spring, by=None)
    update.refresh_from_db()
    assert update.period is None
    summer = ReportingPeriod(board=board, label="Summer", start=d(2026, 5, 16), end=d(2026, 8, 31))
    services.save_period(period=summer, by=None)
    update.refresh_from_db()
    assert update.period == summer
    assert ProgressUpdate.objects.filter(period__isnull=True).count() == 0


def test_the_manager_sets_up_the_year_from_the_periods_page(client, board, manager):
    client.force_login(manager)
    page = client.get(f"/boards/{board.slug}/periods/").content.decode()
    assert "No reporting period covers today" in page
    year = board.current_financial_year()
    response = client.post(
        f"/boards/{board.slug}/periods/set-up/",
        {"year": year, "updates_due_days_before_end": "10"},
        follow=True,
    )
    label = board.financial_year_label(year)
    assert f"Q1 {label}, Q2 {label}, Q3 {label}, Q4 {label} have been set up." in (
        response.content.decode()
    )
    again = client.post(f"/boards/{board.slug}/periods/set-up/", {"year": year})
    assert "There is a problem" in again.content.decode()
    assert "This period overlaps" in again.content.decode()
    assert ReportingPeriod.objects.for_board(board).count() == 4
    current = ReportingPeriod.current_for(board)
    edit = client.post(
        f"/periods/{current.pk}/edit/",
        {
            "label": current.label,
            "start": f"{current.start:%d/%m/%Y}",
            "end": f"{current.end:%d/%m/%Y}",
            "update_deadline": f"{current.end:%d/%m/%Y}",
            "exec_meeting_date": "",
        },
    )
    assert edit.status_code == 302
    current.refresh_from_db()
    assert current.update_deadline == current.end
