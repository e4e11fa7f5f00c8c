"""Structure, group and board pages: query counts stay constant as groups, members and
meetings grow (prefetching, not a query per row)."""

import datetime

import pytest

from tests.factories import GroupFactory, GroupMembershipFactory, MeetingFactory, PersonFactory


def _populate(board, other_board, n: int):
    top = GroupFactory(name="Board", kind="board", boards=[board])
    groups = [top]
    for i in range(n):
        boards = [board, other_board] if i % 3 == 0 else [board]
        group = GroupFactory(boards=boards, reports_to=groups[i // 2])
        groups.append(group)
        GroupMembershipFactory(group=group, role="chair", person=PersonFactory())
        for _ in range(3):
            GroupMembershipFactory(group=group)
        for day in range(4):
            MeetingFactory(group=group, date=datetime.date(2025, 5, 1 + day))
    return groups


@pytest.mark.parametrize("n", [3, 30])
def test_structure_page(client, board, other_board, make_user, n, django_assert_max_num_queries):
    """Fixed 3 (see tests/sab/test_queries.py) + board, groups with meeting counts, their
    boards, their memberships."""
    _populate(board, other_board, n)
    client.force_login(make_user("viewer", board))
    client.get(
        f"/boards/{board.slug}/groups/"
    )  # warm-up: the first request after sign-in writes the session
    with django_assert_max_num_queries(7):
        response = client.get(f"/boards/{board.slug}/groups/")
    assert response.context["group_count"] == n + 1


@pytest.mark.parametrize("n", [3, 30])
def test_group_page(client, board, other_board, make_user, n, django_assert_max_num_queries):
    """Fixed 3 + group, its boards, members, reporting groups, meetings (with attendance
    counts), the meetings-held counts, the actions it leads, and which of the groups it
    links to the reader may open (one query: the others are shown as text)."""
    group = GroupFactory(boards=[board, other_board])
    for i in range(n):
        membership = GroupMembershipFactory(group=group)
        meeting = MeetingFactory(
            group=group, date=datetime.date(2024, 4, 1) + datetime.timedelta(i)
        )
        meeting.attendees.add(membership.person)
        GroupFactory(boards=[board], reports_to=group)
    client.force_login(make_user("viewer", board))
    client.get(
        group.get_absolute_url()
    )  # warm-up: the first request after sign-in writes the session
    with django_assert_max_num_queries(11):
        response = client.get(group.get_absolute_url())
    assert len(response.context["meetings"]) == n
    assert len(response.context["members"]) == n
