"""Board administration without the Django admin: partners, people, logins and roles."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from sab.models import BoardMembership, Organisation, Person, RoleAssignment, User
from sab.services import grant_role
from tests.factories import PersonFactory
from tests.matrix import expected

Role = RoleAssignment.Role
ADMIN_PAGES = ["partners/", "partners/new/", "people/", "people/new/", "roles/"]


def test_only_board_managers_administer(client, board, user_as, make_user, position):
    """Every administration page, and the POST that removes a role, for each position."""
    client.force_login(user_as(position))
    for page in ADMIN_PAGES:
        status = client.get(f"/boards/{board.slug}/{page}").status_code
        assert status == expected(position, {"manager"}), page
    assignment = make_user(Role.VIEWER, board).role_assignments.get()
    removed = client.post(f"/boards/{board.slug}/roles/{assignment.pk}/remove/").status_code
    assert removed == expected(position, {"manager"}, ok=302)
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists() is (position != "manager")


def test_add_a_new_partner_organisation(client, board, manager):
    client.force_login(manager)
    response = client.post(
        f"/boards/{board.slug}/partners/new/",
        {
            "new_organisation": "Leicestershire Fire and Rescue Service",
            "new_organisation_kind": "fire_rescue",
            "start": "1/4/2024",
        },
    )
    assert response.status_code == 302
    membership = BoardMembership.objects.get(board=board)
    assert membership.organisation.kind == Organisation.Kind.FIRE_RESCUE
    assert not membership.statutory


def test_partner_form_errors_leave_nothing_behind(client, board, manager):
    client.force_login(manager)
    response = client.post(
        f"/boards/{board.slug}/partners/new/",
        {"new_organisation": "Healthwatch", "start": "1/4/2024", "end": "1/4/2023"},
    )
    assert "on or after the start date" in response.content.decode()
    assert not Organisation.objects.filter(name="Healthwatch").exists()
    assert (
        "Choose an organisation or add a new one"
        in client.post(f"/boards/{board.slug}/partners/new/", {}).content.decode()
    )


def test_give_a_person_a_login_and_a_role(
    client, board, manager, django_capture_on_commit_callbacks
):
    person = PersonFactory(name="Helen Ward", email="Helen.Ward@example.org")
    person.boards.add(board)
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/boards/{board.slug}/roles/",
            {"person": person.pk, "role": Role.EXECUTIVE_MEMBER},
        )
    assert response.status_code == 302
    user = User.objects.get(email="helen.ward@example.org")
    assert not user.has_usable_password()
    assert RoleAssignment.objects.filter(user=user, role=Role.EXECUTIVE_MEMBER).exists()
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    page = client.get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True)
    assert "Choose a new password" in page.content.decode()


def test_role_errors_are_shown_and_nothing_is_written(client, board, manager):
    person = PersonFactory(name="No Email", email="")
    person.boards.add(board)
    client.force_login(manager)
    response = client.post(f"/boards/{board.slug}/roles/", {"person": person.pk, "role": "viewer"})
    assert "Add an email address for No Email first" in response.content.decode()
    with_email = PersonFactory(email="lead@example.org")
    with_email.boards.add(board)
    response = client.post(
        f"/boards/{board.slug}/roles/", {"person": with_email.pk, "role": Role.PARTNER_LEAD}
    )
    assert "Choose the organisation this partner lead writes for." in response.content.decode()
    assert not User.objects.filter(email="lead@example.org").exists()
    # The service refuses the same on its own, and the login it had begun is rolled back.
    with pytest.raises(ValidationError):
        grant_role(board=board, person=with_email, role=Role.PARTNER_LEAD)
    assert not User.objects.filter(email="lead@example.org").exists()
    assert len(mail.outbox) == 0


def test_group_roles_are_given_on_the_group_page_not_here(client, board, manager):
    """Chairs and members get their rights from the group's members (ADR 0002)."""
    person = PersonFactory(email="chair@example.org")
    person.boards.add(board)
    client.force_login(manager)
    page = client.get(f"/boards/{board.slug}/roles/").content.decode()
    assert 'value="subgroup_chair"' not in page
    response = client.post(
        f"/boards/{board.slug}/roles/", {"person": person.pk, "role": Role.SUBGROUP_CHAIR}
    )
    assert "Select a valid choice" in response.content.decode()
    assert list(RoleAssignment.objects.values_list("role", flat=True)) == [Role.BOARD_MANAGER]
    assert not User.objects.filter(email="chair@example.org").exists()


def test_remove_a_role(client, board, manager, make_user):
    viewer = make_user(Role.VIEWER, board)
    assignment = viewer.role_assignments.get()
    client.force_login(manager)
    client.post(f"/boards/{board.slug}/roles/{assignment.pk}/remove/")
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_people_are_added_to_the_board(client, board, manager):
    client.force_login(manager)
    client.post(f"/boards/{board.slug}/people/new/", {"name": "Robert Lake", "email": ""})
    assert Person.objects.get(name="Robert Lake").boards.get() == board
