"""A joint group serves several boards: no board changes another board's records through it
(issue 13, finding 3).

Which boards a group serves, and whether it exists, change every board it serves: only
someone who manages all of them may change them; a board leaves a group only while none of
its priorities or actions use it; no group is added to a board without one of that board's
managers; and the messages count only records in the user's own boards.
"""

import html

import pytest
from django.core.exceptions import ValidationError

from sab.roles import Role
from subgroups import services
from subgroups.models import Group
from tests.factories import (
    ActionFactory,
    BoardFactory,
    BusinessPlanFactory,
    GroupFactory,
    PriorityFactory,
    RoleAssignmentFactory,
    UserFactory,
)


@pytest.fixture
def joint(board, other_board):
    return GroupFactory(name="LLR Policy Sub-Group", boards=[board, other_board])


@pytest.fixture
def manages_both(make_user, board, other_board):
    user = make_user(Role.BOARD_MANAGER, board)
    RoleAssignmentFactory(user=user, board=other_board, role=Role.BOARD_MANAGER)
    return user


def _led_by(group, board, n=1):
    plan = BusinessPlanFactory(board=board)
    return [ActionFactory(priority=PriorityFactory(plan=plan), lead_group=group) for _ in range(n)]


def _details(group, boards):
    """The edit form's fields for ``group`` as it is, serving ``boards``."""
    return {
        "name": group.name,
        "kind": group.kind,
        "remit": group.remit,
        "boards": [b.pk for b in boards],
        "active": "on",
    }


def _text(response) -> str:
    return html.unescape(response.content.decode())


# --- The rules -------------------------------------------------------------------------------


def test_changing_the_boards_or_deleting_needs_a_manager_of_every_board(
    joint, board, other_board, manager, manages_both
):
    """A manager of one board still edits the group; only a manager of both changes its
    boards or deletes it."""
    assert manager.has_perm("subgroups.change_group", joint)
    assert not manager.has_perm("subgroups.change_group_boards", joint)
    assert not manager.has_perm("subgroups.delete_group", joint)
    assert manages_both.has_perm("subgroups.change_group_boards", joint)
    assert manages_both.has_perm("subgroups.delete_group", joint)
    superuser = UserFactory(is_superuser=True)
    assert superuser.has_perm("subgroups.delete_group", joint)


# --- Unsharing -------------------------------------------------------------------------------


def test_only_a_manager_of_both_boards_removes_the_other_board(
    client, joint, board, other_board, manager, manages_both
):
    client.force_login(manager)
    response = client.post(
        f"/groups/{joint.pk}/edit/", {**_details(joint, [board]), "name": "Renamed"}
    )
    assert response.status_code == 302
    joint.refresh_from_db()
    assert joint.name == "Renamed", "a manager of one board still edits the group"
    assert set(joint.boards.all()) == {board, other_board}

    client.force_login(manages_both)
    response = client.post(f"/groups/{joint.pk}/edit/", _details(joint, [board]))
    assert response.status_code == 302
    assert set(joint.boards.all()) == {board}


def test_a_manager_of_one_board_sees_the_boards_read_only_and_who_may_change_them(
    client, joint, manager, manages_both
):
    client.force_login(manager)
    response = client.get(f"/groups/{joint.pk}/edit/")
    assert "boards" not in response.context["form"].fields
    page = _text(response)
    assert (
        "This group serves Elsewhere Safeguarding Adults Board and Leicester Safeguarding "
        "Adults Board. Only someone who manages every one of these boards can change which "
        "boards it serves."
    ) in page
    client.force_login(manages_both)
    assert "boards" in client.get(f"/groups/{joint.pk}/edit/").context["form"].fields


def test_a_board_whose_plans_use_the_group_cannot_leave_it(
    client, joint, board, other_board, manages_both
):
    """The message counts only the records of the board being removed."""
    _led_by(joint, board, n=3)  # the board that stays: not counted
    _led_by(joint, other_board, n=2)
    PriorityFactory(plan=BusinessPlanFactory(board=other_board), delivery_group=joint)
    client.force_login(manages_both)
    response = client.post(f"/groups/{joint.pk}/edit/", _details(joint, [board]))
    assert response.status_code == 200
    assert (
        "ESAB cannot be removed: this group leads 2 actions and is the delivery group for "
        "1 priority in ESAB's plans. Give them another group first, or keep ESAB."
    ) in _text(response)
    assert set(joint.boards.all()) == {board, other_board}


def test_a_board_can_leave_once_its_records_use_another_group(
    client, joint, board, other_board, manages_both
):
    """The other board's priorities alone also keep it in: once they name another group,
    the board can leave (and the group then reports to the board that stays)."""
    joint.reporting_board = other_board
    joint.save()
    priority = PriorityFactory(plan=BusinessPlanFactory(board=other_board), delivery_group=joint)
    client.force_login(manages_both)
    refused = client.post(f"/groups/{joint.pk}/edit/", _details(joint, [board]))
    assert "is the delivery group for 1 priority in ESAB's plans" in _text(refused)
    priority.delivery_group = GroupFactory(boards=[other_board])
    priority.save()
    assert client.post(f"/groups/{joint.pk}/edit/", _details(joint, [board])).status_code == 302
    joint.refresh_from_db()
    assert set(joint.boards.all()) == {board} and joint.reporting_board == board


def test_the_service_names_no_records_of_a_board_the_user_cannot_see(joint, other_board):
    """Removing a board takes a manager of it, who sees it; should anyone else get this far,
    the message still says nothing about what that board holds."""
    _led_by(joint, other_board, n=2)
    outsider = UserFactory()
    message = services._still_used_by(joint, other_board, outsider)
    assert message == (
        "A board you are removing still uses this group in its plans, so it cannot leave."
    )


# --- Attaching a group to a board --------------------------------------------------------


def test_the_boards_offered_are_only_those_the_user_manages(
    client, board, other_board, manager, manages_both
):
    client.force_login(manager)
    offered = client.get(f"/boards/{board.slug}/groups/new/").context["form"].fields["boards"]
    assert list(offered.queryset) == [board]
    client.force_login(manages_both)
    offered = client.get(f"/boards/{board.slug}/groups/new/").context["form"].fields["boards"]
    assert set(offered.queryset) == {board, other_board}


def test_a_group_is_not_created_in_a_board_the_user_does_not_manage(
    client, board, other_board, manager
):
    client.force_login(manager)
    response = client.post(
        f"/boards/{board.slug}/groups/new/",
        {"name": "Uninvited", "kind": "subgroup", "boards": [board.pk, other_board.pk]},
    )
    assert response.status_code == 200
    assert services.ONLY_MANAGED_BOARDS in _text(response)
    assert not Group.objects.filter(name="Uninvited").exists()


def test_a_group_is_not_shared_with_a_board_the_user_does_not_manage(
    client, board, other_board, group, manager
):
    client.force_login(manager)
    response = client.post(f"/groups/{group.pk}/edit/", _details(group, [board, other_board]))
    assert response.status_code == 200
    assert services.ONLY_MANAGED_BOARDS in _text(response)
    assert set(group.boards.all()) == {board}


def test_the_service_refuses_boards_the_user_does_not_manage(
    board, other_board, group, joint, manager, manages_both
):
    """What the pages refuse, the service refuses too (the API calls it)."""
    with pytest.raises(ValidationError) as error:
        services.save_group(group=group, boards=[board, other_board], by=manager)
    assert error.value.message_dict == {"boards": [services.ONLY_MANAGED_BOARDS]}
    with pytest.raises(ValidationError) as error:
        services.save_group(group=joint, boards=[board], by=manager)
    assert error.value.message_dict == {"boards": [services.CHANGE_BOARDS_REFUSED]}
    third = BoardFactory()
    with pytest.raises(ValidationError) as error:
        services.save_group(group=joint, boards=[board, other_board, third], by=manages_both)
    assert error.value.message_dict == {"boards": [services.ONLY_MANAGED_BOARDS]}
    assert set(group.boards.all()) == {board}
    assert set(joint.boards.all()) == {board, other_board}


# --- Deleting --------------------------------------------------------------------------------


def test_only_a_manager_of_both_boards_deletes_a_joint_group(client, joint, manager, manages_both):
    client.force_login(manager)
    page = client.get(joint.get_absolute_url()).content.decode()
    assert f"/groups/{joint.pk}/delete/" not in page
    assert "Only someone who manages every board this group serves can delete it" in page
    assert client.get(f"/groups/{joint.pk}/delete/").status_code == 403
    assert client.post(f"/groups/{joint.pk}/delete/").status_code == 403
    assert Group.objects.filter(pk=joint.pk).exists()
    with pytest.raises(ValidationError, match=services.DELETE_REFUSED):
        services.delete_group(group=joint, by=manager)

    client.force_login(manages_both)
    assert f"/groups/{joint.pk}/delete/" in client.get(joint.get_absolute_url()).content.decode()
    assert client.post(f"/groups/{joint.pk}/delete/").status_code == 302
    assert not Group.objects.filter(pk=joint.pk).exists()


def test_refusing_to_delete_counts_only_the_users_boards(client, board, group, manager):
    """Another board's records that depend on the group are mentioned, never counted."""
    _led_by(group, board, n=2)
    elsewhere = BoardFactory()
    _led_by(group, elsewhere, n=5)
    PriorityFactory(plan=BusinessPlanFactory(board=elsewhere), delivery_group=group)
    GroupFactory(boards=[elsewhere], reports_to=group)
    client.force_login(manager)
    response = client.post(f"/groups/{group.pk}/delete/")
    assert response.status_code == 200
    assert (
        "Performance Sub-Group cannot be deleted because other records depend on it. "
        "It leads 2 actions in your board's plans. Records in other boards depend on it too. "
        "Deactivate it instead: its history stays in reports."
    ) in _text(response)
    assert Group.objects.filter(pk=group.pk).exists()


def test_refusing_to_delete_for_other_boards_records_gives_no_numbers(
    client, board, group, manager
):
    elsewhere = BoardFactory()
    _led_by(group, elsewhere, n=3)
    client.force_login(manager)
    page = _text(client.post(f"/groups/{group.pk}/delete/"))
    assert (
        "Performance Sub-Group cannot be deleted because other records depend on it. "
        "Records in other boards depend on it. Deactivate it instead"
    ) in page
    assert "3 actions" not in page
    assert Group.objects.filter(pk=group.pk).exists()


def test_refusing_to_delete_lists_each_kind_in_the_users_boards(
    client, joint, board, other_board, manages_both
):
    _led_by(joint, other_board)
    PriorityFactory(plan=BusinessPlanFactory(board=board), delivery_group=joint)
    PriorityFactory(plan=BusinessPlanFactory(board=other_board), delivery_group=joint)
    GroupFactory(boards=[board], reports_to=joint)
    client.force_login(manages_both)
    page = _text(client.post(f"/groups/{joint.pk}/delete/"))
    assert (
        "It leads 1 action in your boards' plans. It is the delivery group for 2 priorities in "
        "your boards' plans. 1 group in your boards reports to it. Deactivate it instead"
    ) in page
    assert "other boards" not in page
    assert Group.objects.filter(pk=joint.pk).exists()
