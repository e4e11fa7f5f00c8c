"""Queryset scoping and object rules from sab/permissions.py, as a role x board matrix."""

import pytest

from sab import permissions
from sab.models import Board, BoardMembership, Organisation, Person, RoleAssignment
from tests.factories import BoardMembershipFactory, PersonFactory, UserFactory

Role = RoleAssignment.Role
ROLES = [role for role, _ in Role.choices]


@pytest.fixture
def partner_org(db):
    from tests.factories import OrganisationFactory

    return OrganisationFactory()


def _user(make_user, role, board, partner_org):
    extra = {"organisation": partner_org} if role == Role.PARTNER_LEAD else {}
    return make_user(role, board, **extra)


@pytest.mark.parametrize("role", ROLES)
def test_boards_visible_only_where_the_user_has_a_role(
    make_user, board, other_board, role, partner_org
):
    user = _user(make_user, role, board, partner_org)
    assert list(Board.objects.visible_to(user)) == [board]


@pytest.mark.parametrize("role", ROLES)
def test_only_board_managers_manage(make_user, board, other_board, role, partner_org):
    user = _user(make_user, role, board, partner_org)
    expected = role == Role.BOARD_MANAGER
    assert user.has_perm("sab.manage_board", board) is expected
    assert user.has_perm("sab.manage_board", other_board) is False
    assert user.has_perm("sab.view_board", board) is True
    assert user.has_perm("sab.view_board", other_board) is False


def test_superuser_sees_every_board(board, other_board):
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert set(Board.objects.visible_to(admin)) == {board, other_board}
    assert admin.has_perm("sab.manage_board", other_board)


def test_inactive_user_sees_nothing(make_user, board):
    user = make_user(Role.BOARD_MANAGER, board)
    user.is_active = False
    user.save()
    assert list(Board.objects.visible_to(user)) == []
    assert not user.has_perm("sab.view_board", board)


def test_organisations_and_people_are_scoped_to_the_users_boards(make_user, board, other_board):
    mine = BoardMembershipFactory(board=board).organisation
    theirs = BoardMembershipFactory(board=other_board).organisation
    my_person = PersonFactory()
    my_person.boards.add(board)
    their_person = PersonFactory()
    their_person.boards.add(other_board)
    user = make_user(Role.VIEWER, board)
    assert list(Organisation.objects.visible_to(user)) == [mine]
    assert theirs not in Organisation.objects.visible_to(user)
    assert list(Person.objects.visible_to(user)) == [my_person]
    assert list(BoardMembership.objects.visible_to(user)) == list(board.memberships.all())


def test_roles_are_read_once_per_request(make_user, board, django_assert_num_queries):
    user = make_user(Role.VIEWER, board)
    with django_assert_num_queries(1):
        permissions.board_ids(user)
        permissions.board_ids(user, permissions.MANAGER_ROLES)
        user.has_perm("sab.view_board", board)


def test_a_new_role_is_seen_after_forget_roles(make_user, board, other_board):
    user = make_user(Role.VIEWER, board)
    assert permissions.board_ids(user) == {board.pk}
    RoleAssignment.objects.create(user=user, board=other_board, role=Role.VIEWER)
    permissions.forget_roles(user)
    assert permissions.board_ids(user) == {board.pk, other_board.pk}
