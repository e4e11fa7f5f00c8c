import datetime

import pytest

from sab.models import RoleAssignment
from tests.factories import (
    ActionFactory,
    BusinessPlanFactory,
    GroupFactory,
    OrganisationFactory,
    PriorityFactory,
    ReportingPeriodFactory,
)

Role = RoleAssignment.Role


@pytest.fixture
def group(board):
    return GroupFactory(name="Performance Sub-Group", boards=[board])


@pytest.fixture
def other_group(board):
    return GroupFactory(name="Training Sub-Group", boards=[board])


@pytest.fixture
def plan(board):
    return BusinessPlanFactory(board=board, title="Business Plan 2026/27", status="approved")


@pytest.fixture
def priority(plan, group):
    return PriorityFactory(
        plan=plan, ref="2b", title="Effective multi-agency meetings", delivery_group=group
    )


@pytest.fixture
def action(priority, group):
    return ActionFactory(
        priority=priority,
        ref="2b.1",
        lead_group=group,
        description="Review multi-agency meetings for adults at risk",
    )


@pytest.fixture
def other_action(priority, other_group):
    return ActionFactory(priority=priority, ref="2b.2", lead_group=other_group)


@pytest.fixture
def period(board):
    today = datetime.date.today()
    return ReportingPeriodFactory(
        board=board,
        label="This quarter",
        start=today - datetime.timedelta(days=30),
        end=today + datetime.timedelta(days=60),
    )


@pytest.fixture
def user_as(make_user, board, group, other_group, other_board):
    def _user(name: str):
        return {
            "manager": lambda: make_user(Role.BOARD_MANAGER, board),
            "chair": lambda: make_user(Role.SUBGROUP_CHAIR, board, group=group),
            "member": lambda: make_user(Role.SUBGROUP_MEMBER, board, group=group),
            "other_chair": lambda: make_user(Role.SUBGROUP_CHAIR, board, group=other_group),
            "executive": lambda: make_user(Role.EXECUTIVE_MEMBER, board),
            "review": lambda: make_user(Role.REVIEW_MEMBER, board),
            "partner": lambda: make_user(
                Role.PARTNER_LEAD, board, organisation=OrganisationFactory()
            ),
            "viewer": lambda: make_user(Role.VIEWER, board),
            "other_board_manager": lambda: make_user(Role.BOARD_MANAGER, other_board),
        }[name]()

    return _user
