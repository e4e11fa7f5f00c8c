import pytest
from django.core.management import CommandError, call_command

from priorities.models import (
    BusinessPlan,
    PlanStatus,
    RagAssessment,
    RagDefinition,
    ReportingPeriod,
)
from sab import permissions
from sab.demo import DEMO_PASSWORD
from sab.models import Board, BoardMembership, Organisation, Person, RoleAssignment, User
from sab.roles import BOARD_ROLE_CHOICES, Role
from subgroups.models import Group


def _counts():
    return {
        model.__name__: (model.objects.count(), model.history.count())
        for model in (
            Board, Organisation, BoardMembership, Person, RoleAssignment, User,
            ReportingPeriod, RagAssessment, RagDefinition,
        )
    }  # fmt: skip


def test_seed_demo_builds_both_boards_and_a_login_per_role(db, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert set(Board.objects.values_list("slug", flat=True)) >= {"lsab", "lrsab"}
    lsab = Board.objects.get(slug="lsab")
    statutory = set(
        lsab.memberships.filter(statutory=True).values_list("organisation__name", flat=True)
    )
    assert statutory == {
        "Leicester City Council",
        "Leicestershire Police",
        "Leicester City Clinical Commissioning Group",
    }
    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert roles == {role for role, _ in BOARD_ROLE_CHOICES}
    # Group roles come from the groups' members (ADR 0002): with them, every role has a login.
    held = {row.role for user in User.objects.all() for row in permissions.role_rows(user)}
    assert held == set(RoleAssignment.Role)
    assert "manager@example.org" in out and "Demo password for every login:" in out
    password = out.split("Demo password for every login:")[1].strip()
    assert User.objects.get(email="viewer@example.org").check_password(password)


def test_seed_demo_twice_changes_nothing(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    before = _counts()
    call_command("seed_demo")
    assert _counts() == before


def test_seed_demo_refuses_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs when DEBUG is on"):
        call_command("seed_demo")
    assert Board.objects.count() == 0
    call_command("seed_demo", "--force")
    assert Board.objects.filter(slug="lsab").exists()


def test_every_demo_groups_chair_and_member_can_act_for_their_group(db, settings):
    """Whoever a demo group's page shows as its chair signs in and keeps the group's business
    and updates every action it leads; so does the Performance Sub-Group's member."""
    settings.DEBUG = True
    call_command("seed_demo")
    checked_actions = 0
    groups = Group.objects.filter(active=True).prefetch_related("memberships__person__user")
    chaired = [group for group in groups if group.chair is not None]
    assert len(chaired) >= 8
    for group in chaired:
        user = group.chair.person.user
        assert user is not None and user.check_password(DEMO_PASSWORD), group.name
        assert user.has_perm("subgroups.manage_group_business", group), group.name
        for action in group.actions_led.in_current_plans():
            assert user.has_perm("priorities.update_action", action), (group.name, action.ref)
            checked_actions += 1
    assert checked_actions >= 10
    member = User.objects.get(email="member@example.org")
    performance = Group.objects.get(name="Performance Sub-Group")
    for action in performance.actions_led.in_current_plans():
        assert member.has_perm("priorities.update_action", action)
    assert not member.has_perm("subgroups.manage_group_business", performance)


def test_seed_demo_runs_the_rag_cycle_through_its_rules(db, settings):
    """Leicestershire & Rutland's 2014/15 plan: two years of quarters proposed by the SEG's
    chair and decided by the Executive Group's chair, one rating overridden with its reason,
    one proposal returned then proposed again and decided. Leicester SAB's current quarter
    has proposals waiting for its executive member."""
    settings.DEBUG = True
    call_command("seed_demo")
    lrsab, lsab = Board.objects.get(slug="lrsab"), Board.objects.get(slug="lsab")
    plan = BusinessPlan.objects.get(board=lrsab, title="Business Plan 2014/15")
    assert plan.status == PlanStatus.ARCHIVED
    seg = Group.objects.get(name="Safeguarding Effectiveness Group")
    proposer = User.objects.get(email="mark.allen@example.org")
    decider = User.objects.get(email="lrsab.manager@example.org")
    assert seg.chair.person.user == proposer
    assert Role.EXECUTIVE_MEMBER in permissions.roles_in_board(decider, lrsab)

    assessments = RagAssessment.objects.filter(priority__plan=plan).select_related("period")
    quarters = {a.period.label for a in assessments}
    assert len(quarters) == 8 and {"Q1 2014/15", "Q4 2015/16"} <= quarters
    assert assessments.count() == 8 * plan.priorities.count()
    assert all(a.state == RagAssessment.State.DECIDED for a in assessments)
    assert all(a.priority.delivery_group == seg for a in assessments)
    # Separation of duties: the SEG's chair proposed, the Executive's chair decided.
    assert {(a.proposed_by, a.decided_by) for a in assessments} == {(proposer, decider)}
    # Dated as they happened, not on the day of the seed run.
    assert all(a.period.end < a.proposed_at.date() <= a.decided_at.date() for a in assessments)

    (overridden,) = [a for a in assessments if a.is_overridden]
    assert overridden.decision_reason.strip()
    assert (overridden.proposed_rating, overridden.decided_rating) == ("amber", "red")

    (returned,) = assessments.exclude(question="")
    assert returned.returned_by == decider
    states = [h.state for h in returned.history.order_by("history_id")]
    assert states == ["draft", "proposed", "returned", "proposed", "decided"]
    assert "Answer to the Executive" in returned.comments

    period = ReportingPeriod.current_for(lsab)
    waiting = RagAssessment.objects.for_board(lsab).proposed().filter(period=period)
    assert waiting.count() == 2
    executive = User.objects.get(email="exec@example.org")
    for assessment in waiting:
        assert executive.has_perm("priorities.decide_rag", assessment)
        assert assessment.proposed_by.has_perm("priorities.propose_rag", assessment)
        assert assessment.proposed_by != executive
    assert RagAssessment.objects.for_board(lsab).to_write().count() == 1

    # Each board has its key; Leicestershire & Rutland words Complete "Blue".
    key = {e.rating: e.word for e in RagDefinition.key_for(lrsab)}
    assert key["complete"] == "Blue" and "not_started" in key
    assert all(e.pk for e in RagDefinition.key_for(lsab))
