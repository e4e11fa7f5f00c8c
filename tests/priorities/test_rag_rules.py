"""Who may propose and decide a priority's RAG rating (priorities/rules.py), once per position
of tests/matrix.py. The services add what depends on the record (state, separation of
duties): tests/priorities/test_rag_services.py."""

import pytest

from priorities.models import RagAssessment
from tests.factories import PriorityFactory

PROPOSE = {"manager", "chair", "member"}  # the delivery group (`group`) and the manager
PROPOSE_WITHOUT_A_GROUP = {"manager"}
DECIDE = {"manager", "executive"}


@pytest.fixture
def assessment(priority, period):
    return RagAssessment.objects.create(priority=priority, period=period)


@pytest.fixture
def ungrouped(plan):
    return PriorityFactory(plan=plan, ref="3a", delivery_group=None)


def test_who_proposes(position, user_as, priority, assessment):
    user = user_as(position)
    assert user.has_perm("priorities.propose_rag", priority) is (position in PROPOSE)
    assert user.has_perm("priorities.propose_rag", assessment) is (position in PROPOSE)


def test_who_proposes_for_a_priority_without_a_delivery_group(position, user_as, ungrouped, period):
    user = user_as(position)
    allowed = position in PROPOSE_WITHOUT_A_GROUP
    assert user.has_perm("priorities.propose_rag", ungrouped) is allowed
    theirs = RagAssessment.objects.create(priority=ungrouped, period=period)
    assert user.has_perm("priorities.propose_rag", theirs) is allowed


def test_who_decides(position, user_as, assessment):
    assert user_as(position).has_perm("priorities.decide_rag", assessment) is (position in DECIDE)


def test_nobody_proposes_or_decides_in_an_archived_plan(position, user_as, priority, assessment):
    priority.plan.status = "archived"
    priority.plan.save()
    user = user_as(position)
    assert not user.has_perm("priorities.propose_rag", priority)
    assert not user.has_perm("priorities.decide_rag", assessment)


def test_a_superuser_may_do_both(priority, assessment, django_user_model):
    admin = django_user_model.objects.create_superuser(email="admin@example.org", password="x")
    assert admin.has_perm("priorities.propose_rag", priority)
    assert admin.has_perm("priorities.decide_rag", assessment)
