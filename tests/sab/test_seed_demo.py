import pytest
from django.core.management import CommandError, call_command

from sab.models import Board, BoardMembership, Organisation, Person, RoleAssignment, User


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
    assert roles == {role for role, _ in RoleAssignment.Role.choices}
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
