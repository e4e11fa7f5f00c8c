import pytest

from sab.models import RoleAssignment
from tests.factories import GroupFactory, OrganisationFactory

Role = RoleAssignment.Role


@pytest.fixture
def group(board):
    return GroupFactory(name="Performance Sub-Group", boards=[board])


@pytest.fixture
def other_group(board):
    return GroupFactory(name="Training Sub-Group", boards=[board])


@pytest.fixture
def user_as(make_user, board, group, other_group, other_board):
    """user_as(name) -> a user holding the named position."""

    def _user(name: str):
        return {
            "manager": lambda: make_user(Role.BOARD_MANAGER, board),
            "chair": lambda: make_user(Role.SUBGROUP_CHAIR, board, group=group),
            "other_chair": lambda: make_user(Role.SUBGROUP_CHAIR, board, group=other_group),
            "member": lambda: make_user(Role.SUBGROUP_MEMBER, board, group=group),
            "executive": lambda: make_user(Role.EXECUTIVE_MEMBER, board),
            "review": lambda: make_user(Role.REVIEW_MEMBER, board),
            "partner": lambda: make_user(
                Role.PARTNER_LEAD, board, organisation=OrganisationFactory()
            ),
            "viewer": lambda: make_user(Role.VIEWER, board),
            "other_board_manager": lambda: make_user(Role.BOARD_MANAGER, other_board),
        }[name]()

    return _user
