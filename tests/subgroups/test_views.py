"""Pages for the board structure, groups, members and meetings; the permission matrix."""

import datetime
import re

from subgroups.models import Group, GroupMembership, Meeting
from tests.factories import (
    GroupFactory,
    GroupMembershipFactory,
    MeetingFactory,
    PersonFactory,
    RoleAssignmentFactory,
)
from tests.matrix import IN_BOARD, expected

# What each position may do with the Performance Sub-Group ("group").
CAN_READ = IN_BOARD
CAN_SET_UP = {"manager"}
CAN_KEEP_BUSINESS = {"manager", "chair"}


def test_permission_matrix(client, user_as, board, group, position):
    meeting = MeetingFactory(group=group)
    membership = GroupMembershipFactory(group=group)
    client.force_login(user_as(position))
    pages = {
        f"/groups/{group.pk}/": CAN_READ,
        f"/groups/{group.pk}/edit/": CAN_SET_UP,
        f"/groups/{group.pk}/delete/": CAN_SET_UP,
        f"/groups/{group.pk}/members/new/": CAN_KEEP_BUSINESS,
        f"/groups/{group.pk}/members/{membership.pk}/edit/": CAN_KEEP_BUSINESS,
        f"/groups/{group.pk}/meetings/new/": CAN_KEEP_BUSINESS,
        f"/groups/{group.pk}/meetings/{meeting.pk}/edit/": CAN_KEEP_BUSINESS,
    }
    for url, allowed in pages.items():
        assert client.get(url).status_code == expected(position, allowed), url
    structure = client.get(f"/boards/{board.slug}/groups/").status_code
    assert structure == (404 if position == "other_board_manager" else 200)
    create = client.get(f"/boards/{board.slug}/groups/new/").status_code
    assert create == expected(position, CAN_SET_UP)


def test_posting_is_refused_as_reading_is(client, user_as, group, position):
    """A refused POST changes nothing."""
    client.force_login(user_as(position))
    response = client.post(
        f"/groups/{group.pk}/meetings/new/", {"date": "1/5/2024", "status": "held"}
    )
    assert response.status_code == (
        302 if position in CAN_KEEP_BUSINESS else expected(position, CAN_KEEP_BUSINESS)
    )
    assert Meeting.objects.filter(group=group).exists() is (position in CAN_KEEP_BUSINESS)
    response = client.post(f"/groups/{group.pk}/edit/", {"name": "Renamed", "kind": "subgroup"})
    assert Group.objects.get(pk=group.pk).name == "Performance Sub-Group" or position == "manager"
    spare = GroupFactory(name="Spare group", boards=[group.reporting_board])
    deleted = client.post(f"/groups/{spare.pk}/delete/").status_code
    assert deleted == expected(position, CAN_SET_UP, ok=302)
    assert Group.objects.filter(pk=spare.pk).exists() is (position not in CAN_SET_UP)


def test_a_joint_group_appears_on_both_boards_structure_pages(
    client, board, other_board, make_user
):
    joint = GroupFactory(name="LLR Policy and Procedures Sub-Group", boards=[board, other_board])
    GroupFactory(name="Leicester only", boards=[board])
    GroupFactory(name="Rutland only", boards=[other_board])
    client.force_login(make_user("viewer", board))
    mine = client.get(f"/boards/{board.slug}/groups/").content.decode()
    assert joint.name in mine and "Leicester only" in mine and "Rutland only" not in mine
    assert f"with {other_board.short_name}" in mine
    client.force_login(make_user("viewer", other_board))
    theirs = client.get(f"/boards/{other_board.slug}/groups/").content.decode()
    assert joint.name in theirs and "Rutland only" in theirs and "Leicester only" not in theirs


def test_a_joint_group_page_links_only_to_what_the_reader_may_open(
    client, board, other_board, make_user
):
    """Every link on a joint group's page opens for a reader from either board; the other
    board's actions and groups are named as text."""
    from tests.factories import ActionFactory, BusinessPlanFactory, PriorityFactory

    theirs_above = GroupFactory(name="Rutland Executive", boards=[other_board])
    joint = GroupFactory(boards=[board, other_board], reports_to=theirs_above)
    theirs_below = GroupFactory(name="Rutland task group", boards=[other_board], reports_to=joint)
    mine_below = GroupFactory(name="Leicester task group", boards=[board], reports_to=joint)
    mine = ActionFactory(
        priority=PriorityFactory(plan=BusinessPlanFactory(board=board)), lead_group=joint
    )
    theirs = ActionFactory(
        priority=PriorityFactory(plan=BusinessPlanFactory(board=other_board)), lead_group=joint
    )
    client.force_login(make_user("viewer", board))
    page = client.get(joint.get_absolute_url()).content.decode()
    links = set(re.findall(r'href="([^"]+)"', page))
    for record in (theirs_above, theirs_below, theirs):
        assert record.get_absolute_url() not in links
    assert theirs.ref in page and theirs_above.name in page and theirs_below.name in page
    for record in (mine_below, mine):
        assert record.get_absolute_url() in links
    for url in links:
        if url.startswith("/") and not url.startswith(("/static", "/accounts/logout")):
            assert client.get(url, follow=True).status_code == 200, url


def test_another_boards_private_group_is_404(client, board, other_board, make_user):
    private = GroupFactory(boards=[other_board])
    client.force_login(make_user("board_manager", board))
    assert client.get(private.get_absolute_url()).status_code == 404
    assert client.get(f"/boards/{other_board.slug}/groups/").status_code == 404


def test_structure_nests_groups_under_the_group_they_report_to(client, board, make_user):
    executive = GroupFactory(name="Executive", kind="executive", boards=[board])
    GroupFactory(name="SEG", boards=[board], reports_to=executive)
    client.force_login(make_user("viewer", board))
    tree = client.get(f"/boards/{board.slug}/groups/").context["tree"]
    assert [(n["group"].name, [c["group"].name for c in n["children"]]) for n in tree] == [
        ("Executive", ["SEG"])
    ]


def test_manager_creates_a_joint_group(client, user_as, board, other_board):
    # A joint group needs a manager of both boards (issue 13: no board is added to a group
    # without one of its managers).
    user = user_as("manager")
    RoleAssignmentFactory(user=user, board=other_board, role="board_manager")
    client.force_login(user)
    response = client.post(
        f"/boards/{board.slug}/groups/new/",
        {
            "name": "Workforce Sub-Group",
            "kind": "subgroup",
            "boards": [board.pk, other_board.pk],
            "remit": "Workforce development",
            "established": "1/4/2024",
            "active": "on",
        },
    )
    group = Group.objects.get(name="Workforce Sub-Group")
    assert response.status_code == 302 and response["Location"] == group.get_absolute_url()
    assert set(group.boards.all()) == {board, other_board}
    assert group.established == datetime.date(2024, 4, 1)


def test_a_group_must_include_a_board_the_user_manages(client, user_as, board, other_board):
    client.force_login(user_as("manager"))
    response = client.post(
        f"/boards/{board.slug}/groups/new/",
        {"name": "Sneaky", "kind": "subgroup", "boards": [other_board.pk]},
    )
    assert response.status_code == 200
    assert "Choose only boards you manage." in response.content.decode()
    assert not Group.objects.filter(name="Sneaky").exists()


def test_reporting_cycle_is_refused_with_a_clear_message(client, user_as, board):
    top = GroupFactory(name="Executive", boards=[board])
    child = GroupFactory(name="SEG", boards=[board], reports_to=top)
    client.force_login(user_as("manager"))
    response = client.post(
        f"/groups/{top.pk}/edit/",
        {"name": "Executive", "kind": "executive", "boards": [board.pk], "reports_to": child.pk},
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "SEG reports to Executive (directly or through other groups)" in page
    top.refresh_from_db()
    assert top.reports_to is None


def test_chair_adds_a_member_and_overlapping_chair_is_refused(client, user_as, group):
    person = PersonFactory(name="New Member")
    person.boards.add(*group.boards.all())
    client.force_login(user_as("chair"))
    ok = client.post(f"/groups/{group.pk}/members/new/", {"person": person.pk, "role": "member"})
    assert ok.status_code == 302
    assert group.memberships.filter(person=person, role="member").exists()
    refused = client.post(
        f"/groups/{group.pk}/members/new/",
        {"person": person.pk, "role": "chair", "start": "1/1/2025"},
    )
    assert refused.status_code == 200
    assert "A group has one chair at a time" in refused.content.decode()
    assert not group.memberships.filter(person=person, role="chair").exists()


def test_chair_records_a_meeting_and_bad_dates_get_an_error(client, user_as, group):
    member = GroupMembershipFactory(group=group)
    client.force_login(user_as("chair"))
    bad = client.post(f"/groups/{group.pk}/meetings/new/", {"date": "31/02/2026", "status": "held"})
    assert "Enter a real date" in bad.content.decode()
    ok = client.post(
        f"/groups/{group.pk}/meetings/new/",
        {
            "date": "12/5/2026",
            "status": "held",
            "quorate": "yes",
            "attendees": [member.person.pk],
            "summary": "Agreed the **exceptions report**.",
        },
    )
    assert ok.status_code == 302
    meeting = group.meetings.get()
    assert meeting.quorate is True and list(meeting.attendees.all()) == [member.person]
    duplicate = client.post(
        f"/groups/{group.pk}/meetings/new/", {"date": "12/5/2026", "status": "held"}
    )
    assert "already recorded on that date" in duplicate.content.decode()
    assert group.meetings.count() == 1


def test_deleting_a_group_others_report_to_is_refused(client, user_as, board, group):
    GroupFactory(name="Child", boards=[board], reports_to=group)
    client.force_login(user_as("manager"))
    response = client.post(f"/groups/{group.pk}/delete/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "cannot be deleted because other records depend on it" in page
    assert "Deactivate it instead" in page
    assert Group.objects.filter(pk=group.pk).exists()


def test_deleting_an_unused_group(client, user_as, board, group):
    client.force_login(user_as("manager"))
    response = client.post(f"/groups/{group.pk}/delete/")
    assert response.status_code == 302
    assert not Group.objects.filter(pk=group.pk).exists()


def test_group_page_shows_meetings_held_this_year_and_last(client, user_as, board, group):
    this_year = board.current_financial_year()
    start, _ = board.financial_year_bounds(this_year)
    MeetingFactory(group=group, date=start)
    MeetingFactory(group=group, date=start - datetime.timedelta(days=1))
    MeetingFactory(group=group, date=start - datetime.timedelta(days=30), status="did_not_meet")
    client.force_login(user_as("viewer"))
    held = client.get(group.get_absolute_url()).context["held"]
    assert held == [
        (board.financial_year_label(this_year), 1),
        (board.financial_year_label(this_year - 1), 1),
    ]


def test_current_chair_shown_on_the_group_page(client, user_as, group):
    GroupMembershipFactory(
        group=group, role=GroupMembership.Role.CHAIR, person=PersonFactory(name="Robert Lake")
    )
    GroupMembershipFactory(
        group=group,
        role=GroupMembership.Role.CHAIR,
        person=PersonFactory(name="Past Chair"),
        start=datetime.date(2010, 1, 1),
        end=datetime.date(2011, 1, 1),
    )
    client.force_login(user_as("viewer"))
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Robert Lake" in page and "Past Chair" not in page


def test_deleting_a_group_that_leads_actions_is_refused(client, user_as, board, group):
    from tests.factories import ActionFactory, BusinessPlanFactory, PriorityFactory

    plan = BusinessPlanFactory(board=board)
    ActionFactory(priority=PriorityFactory(plan=plan), lead_group=group, ref="1.1")
    client.force_login(user_as("manager"))
    response = client.post(f"/groups/{group.pk}/delete/")
    page = response.content.decode()
    assert "cannot be deleted because other records depend on it." in page
    assert "It leads 1 action in your board&#x27;s plans." in page
    assert "Deactivate it instead" in page
    assert Group.objects.filter(pk=group.pk).exists()
    # The group page lists the actions it leads.
    assert "1.1" in client.get(group.get_absolute_url()).content.decode()
