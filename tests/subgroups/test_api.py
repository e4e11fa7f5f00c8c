import pytest

from sab.models import Person
from subgroups.models import Meeting
from tests.factories import GroupFactory, GroupMembershipFactory, MeetingFactory, PersonFactory


def test_groups_api_is_scoped_and_shows_joint_boards(client, board, other_board, make_user):
    joint = GroupFactory(name="Joint", boards=[board, other_board])
    GroupFactory(name="Theirs", boards=[other_board])
    client.force_login(make_user("viewer", board))
    rows = client.get("/api/groups/").json()["results"]
    assert [(r["name"], sorted(r["boards"])) for r in rows] == [("Joint", ["esab", "lsab"])]
    assert client.get(f"/api/groups/{joint.pk}/").status_code == 200


def test_meetings_api_hides_other_boards(client, board, other_board, make_user):
    MeetingFactory(group=GroupFactory(boards=[other_board]))
    mine = MeetingFactory(group=GroupFactory(boards=[board]))
    client.force_login(make_user("viewer", board))
    assert [m["id"] for m in client.get("/api/meetings/").json()["results"]] == [mine.pk]


@pytest.mark.parametrize(
    ("position", "status"),
    [("chair", 201), ("manager", 201), ("other_chair", 403), ("viewer", 403)],  # refused: 403
)
def test_only_the_chair_or_manager_records_meetings(client, user_as, group, position, status):
    client.force_login(user_as(position))
    response = client.post(
        "/api/meetings/",
        {"group": group.pk, "date": "2026-05-12", "status": "held"},
        content_type="application/json",
    )
    assert response.status_code == status
    assert Meeting.objects.filter(group=group).exists() is (status == 201)


def test_meeting_rules_are_api_errors(client, user_as, group):
    MeetingFactory(group=group, date="2026-05-12")
    client.force_login(user_as("chair"))
    clash = client.post(
        "/api/meetings/",
        {"group": group.pk, "date": "2026-05-12", "status": "held"},
        content_type="application/json",
    )
    assert clash.status_code == 400
    quorate = client.post(
        "/api/meetings/",
        {"group": group.pk, "date": "2026-06-12", "status": "cancelled", "quorate": True},
        content_type="application/json",
    )
    assert quorate.status_code == 400
    assert "quorate" in quorate.json()


def test_viewer_cannot_change_a_meeting(client, user_as, group):
    meeting = MeetingFactory(group=group)
    client.force_login(user_as("viewer"))
    response = client.patch(
        f"/api/meetings/{meeting.pk}/", {"status": "cancelled"}, content_type="application/json"
    )
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == "held"


# --- Attendees (issue 13): the group's members only, one answer for any other id ------------


@pytest.fixture
def members(group):
    return [GroupMembershipFactory(group=group).person for _ in range(2)]


def _person(board) -> int:
    person = PersonFactory()
    person.boards.add(board)
    return person.pk


def _record(client, group, attendees):
    return client.post(
        "/api/meetings/",
        {"group": group.pk, "date": "2026-05-12", "status": "held", "attendees": attendees},
        content_type="application/json",
    )


def test_a_meeting_records_the_groups_members_as_attendees(client, user_as, group, members):
    client.force_login(user_as("chair"))

    response = _record(client, group, [members[1].pk, members[0].pk])

    assert response.status_code == 201, response.json()
    meeting = Meeting.objects.get(pk=response.json()["id"])
    assert set(meeting.attendees.all()) == set(members)
    assert sorted(response.json()["attendees"]) == sorted(m.pk for m in members)


@pytest.mark.parametrize(
    "who", ["other_board_person", "same_board_person", "other_groups_member", "unknown", "huge"]
)
def test_anyone_else_is_refused_with_the_same_answer(
    client, user_as, board, other_board, group, other_group, members, who
):
    """A person of another board, of this board but not in the group, or no person at all:
    the same 400 and the same words, so the answer does not tell which ids exist."""
    outsider = {
        "other_board_person": lambda: _person(other_board),
        "same_board_person": lambda: _person(board),
        "other_groups_member": lambda: GroupMembershipFactory(group=other_group).person.pk,
        "unknown": lambda: Person.objects.order_by("pk").last().pk + 1000,
        "huge": lambda: 2**70,
    }[who]()
    client.force_login(user_as("chair"))

    response = _record(client, group, [members[0].pk, outsider])

    assert response.status_code == 400
    assert response.json() == {"attendees": ["Select attendees from the group's members"]}
    assert not Meeting.objects.filter(group=group).exists()


@pytest.mark.parametrize("outsider", ["existing", "unknown"])
def test_changing_a_meetings_attendees_is_refused_the_same_way(
    client, user_as, board, group, members, outsider
):
    meeting = MeetingFactory(group=group)
    meeting.attendees.set([members[0]])
    person = _person(board) if outsider == "existing" else 10**9
    client.force_login(user_as("chair"))

    response = client.patch(
        f"/api/meetings/{meeting.pk}/",
        {"attendees": [members[1].pk, person]},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {"attendees": ["Select attendees from the group's members"]}
    assert list(meeting.attendees.all()) == [members[0]]


def test_moving_a_meeting_keeps_its_attendees_members(client, user_as, group, other_group):
    """A meeting moved to another group keeps attendees only if they belong to it."""
    meeting = MeetingFactory(group=group)
    meeting.attendees.set([GroupMembershipFactory(group=group).person])
    client.force_login(user_as("manager"))

    response = client.patch(
        f"/api/meetings/{meeting.pk}/", {"group": other_group.pk}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"attendees": ["Select attendees from the group's members"]}
    meeting.refresh_from_db()
    assert meeting.group == group
