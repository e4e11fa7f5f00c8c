import pytest

from subgroups.models import Meeting
from tests.factories import GroupFactory, MeetingFactory


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
    [("chair", 201), ("manager", 201), ("other_chair", 400), ("viewer", 400)],
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
