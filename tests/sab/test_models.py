import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from sab.models import BoardMembership, RoleAssignment
from tests.factories import BoardFactory, OrganisationFactory, UserFactory


def test_membership_cannot_end_before_it_starts(db):
    membership = BoardMembership(
        board=BoardFactory(),
        organisation=OrganisationFactory(),
        start=datetime.date(2020, 4, 1),
        end=datetime.date(2019, 3, 31),
    )
    with pytest.raises(ValidationError, match="on or after the start date"):
        membership.full_clean()
    with pytest.raises(IntegrityError):
        membership.save()


def test_partner_lead_needs_an_organisation(db):
    assignment = RoleAssignment(
        user=UserFactory(), board=BoardFactory(), role=RoleAssignment.Role.PARTNER_LEAD
    )
    with pytest.raises(ValidationError, match="organisation this partner lead"):
        assignment.full_clean()
    with pytest.raises(IntegrityError):
        assignment.save()


def test_the_same_role_twice_in_a_board_is_refused(db):
    user, board = UserFactory(), BoardFactory()
    RoleAssignment.objects.create(user=user, board=board, role=RoleAssignment.Role.VIEWER)
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(user=user, board=board, role=RoleAssignment.Role.VIEWER)


def test_email_login_is_case_insensitive_on_creation(db):
    from sab.models import User

    user = User.objects.create_user("Someone@Example.ORG", "a-long-password-123")
    assert user.email == "someone@example.org"


def test_changes_are_kept_in_history_with_the_user(client, db):
    board = BoardFactory(name="Old name")
    board.name = "New name"
    board.save()
    names = list(board.history.order_by("history_date").values_list("name", flat=True))
    assert names == ["Old name", "New name"]
