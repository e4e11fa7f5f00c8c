import datetime

import pytest

from sab.models import RoleAssignment
from tests.factories import (
    ActionFactory,
    BusinessPlanFactory,
    PriorityFactory,
    ReportingPeriodFactory,
)

Role = RoleAssignment.Role


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
