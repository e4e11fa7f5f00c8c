"""Governance rules: reporting lines, chair terms, task and finish groups, meeting counts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from subgroups.models import Group, GroupMembership, Meeting
from tests.factories import GroupFactory, GroupMembershipFactory, MeetingFactory, PersonFactory

d = datetime.date


def test_a_group_cannot_report_to_itself(board):
    group = GroupFactory(boards=[board])
    group.reports_to = group
    with pytest.raises(ValidationError, match="cannot report to itself"):
        group.full_clean()


def test_a_group_cannot_report_to_its_own_descendant(board):
    top = GroupFactory(name="Executive", boards=[board])
    middle = GroupFactory(name="Delivery", boards=[board], reports_to=top)
    bottom = GroupFactory(name="Training", boards=[board], reports_to=middle)
    top.reports_to = bottom
    with pytest.raises(ValidationError) as error:
        top.full_clean()
    assert error.value.message_dict["reports_to"] == [
        "Training reports to Executive (directly or through other groups), "
        "so Executive cannot report to it."
    ]


def test_task_and_finish_groups_need_an_end_date_after_they_start(board):
    group = Group(name="FGM task and finish", kind=Group.Kind.TASK_FINISH)
    with pytest.raises(ValidationError, match="Enter the date this task and finish group ends"):
        group.full_clean()
    group.established, group.ends = d(2024, 4, 1), d(2024, 1, 1)
    with pytest.raises(ValidationError, match="must be after the date the group was established"):
        group.full_clean()
    with pytest.raises(IntegrityError):
        Group.objects.create(name="No end", kind=Group.Kind.TASK_FINISH)


def test_overlapping_chair_terms_are_refused(board):
    group = GroupFactory(boards=[board])
    first = PersonFactory(name="Jane Geraghty")
    GroupMembershipFactory(
        group=group, person=first, role="chair", start=d(2015, 4, 1), end=d(2018, 3, 31)
    )
    second = GroupMembership(group=group, person=PersonFactory(), role="chair", start=d(2018, 1, 1))
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "Jane Geraghty is chair from 1 April 2015 until 31 March 2018" in str(error.value)
    second.start = d(2018, 4, 1)
    second.full_clean()  # the next term may start the day after


def test_two_open_ended_chairs_are_refused_by_the_database(board):
    group = GroupFactory(boards=[board])
    GroupMembershipFactory(group=group, role="chair")
    with pytest.raises(IntegrityError):
        GroupMembershipFactory(group=group, role="chair")


def test_many_members_are_fine(board):
    group = GroupFactory(boards=[board])
    for _ in range(3):
        membership = GroupMembershipFactory.build(group=group, person=PersonFactory())
        membership.full_clean()
        membership.save()
    assert group.memberships.count() == 3


def test_only_held_meetings_can_be_quorate(board):
    meeting = Meeting(
        group=GroupFactory(boards=[board]),
        date=d(2024, 5, 1),
        status=Meeting.Status.DID_NOT_MEET,
        quorate=True,
    )
    with pytest.raises(ValidationError, match="Only a meeting that was held can be quorate"):
        meeting.full_clean()


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (d(2024, 3, 31), 2023),  # last day of 2023/24
        (d(2024, 4, 1), 2024),  # first day of 2024/25
        (d(2025, 3, 31), 2024),
        (d(2025, 4, 1), 2025),
    ],
)
def test_financial_year_boundaries(board, day, year):
    assert board.financial_year_of(day) == year


def test_meetings_held_per_financial_year_counts_boundary_days(board):
    group = GroupFactory(boards=[board])
    MeetingFactory(group=group, date=d(2024, 3, 31))  # 2023/24
    MeetingFactory(group=group, date=d(2024, 4, 1))  # 2024/25
    MeetingFactory(group=group, date=d(2025, 3, 31))  # 2024/25
    MeetingFactory(group=group, date=d(2025, 4, 1))  # 2025/26
    MeetingFactory(group=group, date=d(2024, 9, 1), status=Meeting.Status.DID_NOT_MEET)
    MeetingFactory(group=group, date=d(2024, 10, 1), status=Meeting.Status.CANCELLED)
    counts = {
        year: Group.objects.with_meetings_held_in_year(board, year).get(pk=group.pk).meetings_held
        for year in (2023, 2024, 2025)
    }
    assert counts == {2023: 1, 2024: 2, 2025: 1}


def test_financial_year_follows_the_boards_setting(board):
    board.financial_year_start_month = 1
    group = GroupFactory(boards=[board])
    MeetingFactory(group=group, date=d(2024, 1, 1))
    MeetingFactory(group=group, date=d(2024, 12, 31))
    MeetingFactory(group=group, date=d(2025, 1, 1))
    held = Group.objects.with_meetings_held_in_year(board, 2024).get(pk=group.pk).meetings_held
    assert held == 2
    assert board.financial_year_label(2024) == "2024"


def test_history_is_kept_for_groups_memberships_and_meetings(board):
    group = GroupFactory(boards=[board], name="Old")
    group.name = "New"
    group.save()
    assert [h.name for h in group.history.order_by("history_date")][-2:] == ["Old", "New"]
    meeting = MeetingFactory(group=group)
    meeting.status = Meeting.Status.CANCELLED
    meeting.save()
    assert meeting.history.count() == 2
