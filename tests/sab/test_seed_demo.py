import pytest
from django.core.management import CommandError, call_command

from sab import permissions
from sab.demo import DEMO_PASSWORD
from sab.models import Board, BoardMembership, Organisation, Person, RoleAssignment, User
from sab.roles import BOARD_ROLE_CHOICES
from subgroups.models import Group


def _counts():
    return {
        model.__name__: (model.objects.count(), model.history.count())
        for model in (Board, Organisation, BoardMembership, Person, RoleAssignment, User)
    }


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
