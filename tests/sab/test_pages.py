"""The signed-in home page, the board page and the account pages."""

import pytest
from django.core import mail

from sab.models import RoleAssignment
from tests.factories import (
    TEST_PASSWORD,
    BoardFactory,
    BoardMembershipFactory,
    OrganisationFactory,
    UserFactory,
)

Role = RoleAssignment.Role


def test_home_lists_only_my_boards_with_my_roles(client, board, other_board, make_user):
    user = make_user(Role.VIEWER, board)
    RoleAssignment.objects.create(user=user, board=board, role=Role.REVIEW_MEMBER)
    third = BoardFactory(name="Rutland Safeguarding Adults Board")
    RoleAssignment.objects.create(user=user, board=third, role=Role.VIEWER)
    client.force_login(user)
    page = client.get("/").content.decode()
    assert board.name in page and third.name in page
    assert "Board member (read only), Review subgroup member" in page
    assert other_board.name not in page


def test_someone_in_one_board_lands_on_its_page(client, board, make_user):
    client.force_login(make_user(Role.VIEWER, board))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == board.get_absolute_url()


def test_a_site_administrator_always_sees_the_list_of_boards(client, board):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get("/")
    assert page.status_code == 200 and board.name in page.content.decode()


def test_home_tells_a_user_without_roles_what_to_do(client, db):
    client.force_login(UserFactory())
    assert "You do not have a role in any board yet" in client.get("/").content.decode()


def test_board_page_lists_statutory_partners_apart_from_other_members(client, board, make_user):
    police = OrganisationFactory(name="Leicestershire Police")
    trust = OrganisationFactory(name="University Hospitals of Leicester NHS Trust")
    BoardMembershipFactory(board=board, organisation=police, statutory=True)
    BoardMembershipFactory(board=board, organisation=trust, statutory=False)
    client.force_login(make_user(Role.VIEWER, board))
    response = client.get(board.get_absolute_url())
    statutory, others = response.context["statutory"], response.context["partners"]
    assert [m.organisation for m in statutory] == [police]
    assert [m.organisation for m in others] == [trust]


@pytest.mark.parametrize("role", [role for role, _ in Role.choices])
def test_every_role_reads_its_own_board_but_not_another(
    client, board, other_board, make_user, role
):
    extra = {"organisation": OrganisationFactory()} if role == Role.PARTNER_LEAD else {}
    client.force_login(make_user(role, board, **extra))
    assert client.get(board.get_absolute_url()).status_code == 200
    assert client.get(other_board.get_absolute_url()).status_code == 404


def test_sign_in_with_email_and_password(client, db):
    user = UserFactory(email="chair@example.org")
    response = client.post(
        "/accounts/login/", {"username": "Chair@Example.org", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").wsgi_request.user == user


def test_wrong_password_re_renders_with_error_summary(client, db):
    UserFactory(email="chair@example.org")
    response = client.post("/accounts/login/", {"username": "chair@example.org", "password": "no"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter a correct email address and password." in page
    assert "<title>Sign in (error)" in page


def test_password_reset_sends_a_working_link(client, db):
    UserFactory(email="manager@example.org")
    response = client.post("/accounts/password_reset/", {"email": "manager@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-password-42", "new_password2": "a-brand-new-password-42"},
    )
    assert done.status_code == 302
    assert client.login(username="manager@example.org", password="a-brand-new-password-42")


def test_password_reset_refuses_a_short_password(client, db):
    UserFactory(email="manager@example.org")
    client.post("/accounts/password_reset/", {"email": "manager@example.org"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    form_page = client.get(link.split("testserver", 1)[1], follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "short1", "new_password2": "short1"}
    )
    assert "at least 12 characters" in response.content.decode()


def test_sign_out_ends_the_session(client, manager):
    client.force_login(manager)
    client.post("/accounts/logout/")
    assert client.get("/accounts/password_change/").status_code == 302


def test_accessibility_statement_is_public(client, db):
    response = client.get("/accessibility/")
    assert response.status_code == 200
    assert "Accessibility statement" in response.content.decode()


def test_pages_carry_a_nonce_based_content_security_policy(client, manager):
    client.force_login(manager)
    response = client.get("/", follow=True)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    nonce = policy.split("'nonce-", 1)[1].split("'", 1)[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_sessions_expire_after_inactivity_and_activity_renews_them(client, manager, settings):
    import time

    from sab import middleware

    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    client.force_login(manager)
    client.get("/")
    first = client.session["last_seen"]
    client.get("/")
    assert client.session["last_seen"] == first  # not written again within the minute
    session = client.session
    session["last_seen"] = int(time.time()) - middleware.TOUCH_EVERY - 1
    session.save()
    client.get("/")
    assert client.session["last_seen"] > first - middleware.TOUCH_EVERY  # renewed
