"""The second factor (sab/two_factor.py): two-step sign-in, lockout, setting up an
authenticator app, backup codes, and the guards the review pages and API use."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.http import HttpResponse
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from sab.demo import DEMO_PASSWORD, DEMO_TOTP_KEY, DEMO_TOTP_SECRET
from sab.models import RoleAssignment, User
from sab.two_factor import (
    PENDING_SECONDS,
    PENDING_SESSION_KEY,
    WHY,
    WRONG_BACKUP_CODE,
    WRONG_CODE,
    VerifiedSecondFactor,
    check_code,
    is_verified,
    manual_key,
    must_use_second_factor,
    new_backup_codes,
    second_factor_required,
)
from tests.factories import TEST_PASSWORD, UserFactory
from tests.two_factor import current_code, verify

Role = RoleAssignment.Role
LOGIN, VERIFY = "/accounts/login/", "/accounts/two-factor/verify/"
ENROL, BACKUP = "/accounts/two-factor/set-up/", "/accounts/two-factor/backup-codes/"


@pytest.fixture
def device(manager):
    return TOTPDevice.objects.create(user=manager, name="Phone", confirmed=True)


def wrong_code(device) -> str:
    """A 6-digit code the device does not accept now (nor one step either side)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    near = set()
    for offset in (-1, 0, 1):
        totp.drift = device.drift + offset
        near.add(f"{totp.token():06d}")
    return next(code for code in (f"{n:06d}" for n in range(1000000)) if code not in near)


def password_step(client, user, next_url="/boards/lsab/", password=TEST_PASSWORD):
    return client.post(LOGIN, {"username": user.email, "password": password, "next": next_url})


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def test_password_then_code_signs_in_and_lands_on_next(client, manager, device, board):
    response = password_step(client, manager)
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fboards%2Flsab%2F"
    assert signed_in_as(client) is None

    page = client.get(response["Location"]).content.decode()
    assert "Code from your authenticator app" in page
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    assert "Use a backup code instead" in page

    response = client.post(VERIFY, {"code": current_code(device), "next": "/boards/lsab/"})
    assert response.status_code == 302 and response["Location"] == "/boards/lsab/"
    assert signed_in_as(client) == str(manager.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert PENDING_SESSION_KEY not in client.session
    assert client.get("/boards/lsab/").status_code == 200


def test_the_password_alone_leaves_someone_with_a_device_signed_out(client, manager, device):
    password_step(client, manager)
    assert signed_in_as(client) is None
    response = client.get("/accounts/password_change/")  # a page only for the signed in
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_a_pending_sign_in_expires_after_five_minutes(client, manager, device):
    password_step(client, manager)
    session = client.session
    pending = session[PENDING_SESSION_KEY]
    pending["at"] -= PENDING_SECONDS + 1
    session[PENDING_SESSION_KEY] = pending
    session.save()
    response = client.post(VERIFY, {"code": current_code(device), "next": "/boards/lsab/"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sign in again" in page and f'href="{LOGIN}?next=%2Fboards%2Flsab%2F"' in page
    assert signed_in_as(client) is None
    assert PENDING_SESSION_KEY not in client.session


def test_the_code_page_without_a_password_step_asks_to_sign_in(client, db):
    response = client.get(VERIFY)
    assert response.status_code == 200 and "Sign in again" in response.content.decode()


def test_someone_without_a_device_signs_in_with_the_password_as_before(client, manager, board):
    response = password_step(client, manager)
    assert response.status_code == 302 and response["Location"] == "/boards/lsab/"
    assert signed_in_as(client) == str(manager.pk)
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_a_wrong_code_shows_the_error_summary_and_does_not_sign_in(client, manager, device):
    password_step(client, manager)
    response = client.post(VERIFY, {"code": wrong_code(device), "next": "/boards/lsab/"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert f'<a href="#id_code">{WRONG_CODE}</a>' in page
    assert "(error)" in page  # in the page title
    assert signed_in_as(client) is None


def test_an_empty_code_asks_for_it(client, manager, device):
    password_step(client, manager)
    page = client.post(VERIFY, {"code": " "}).content.decode()
    assert "Enter the 6-digit code your authenticator app shows now" in page


def test_a_code_is_refused_the_second_time(client, manager, device):
    password_step(client, manager)
    code = current_code(device)
    client.post(VERIFY, {"code": code})
    assert signed_in_as(client) == str(manager.pk)
    client.post("/accounts/logout/")

    password_step(client, manager)
    response = client.post(VERIFY, {"code": code})
    assert WRONG_CODE in response.content.decode()
    assert signed_in_as(client) is None


def test_an_unsafe_next_is_ignored(client, manager, device):
    password_step(client, manager, next_url="https://elsewhere.example/")
    response = client.post(
        VERIFY, {"code": current_code(device), "next": "https://elsewhere.example/"}
    )
    assert response["Location"] == "/"


def test_after_a_wrong_code_the_next_try_must_wait(client, manager, device):
    """django-otp's own throttling: each wrong code doubles the wait before the next try."""
    password_step(client, manager)
    client.post(VERIFY, {"code": wrong_code(device)})
    page = client.post(VERIFY, {"code": current_code(device)}).content.decode()
    assert re.search(r"You entered a wrong code\. Wait \d+ seconds?, then enter the code", page)
    assert signed_in_as(client) is None


def test_a_backup_code_works_once(client, manager, device):
    codes = new_backup_codes(manager)
    password_step(client, manager)
    page = client.get(f"{VERIFY}?method=backup&next=%2F").content.decode()
    assert "Backup code" in page and 'inputmode="text"' in page
    assert 'name="method" value="backup"' in page
    client.post(VERIFY, {"code": codes[0], "method": "backup"})
    assert signed_in_as(client) == str(manager.pk)
    static = StaticDevice.objects.get(user=manager)
    assert client.session[DEVICE_ID_SESSION_KEY] == static.persistent_id
    client.post("/accounts/logout/")

    password_step(client, manager)  # spaces and capitals do not matter
    client.post(VERIFY, {"code": f"{codes[1][:4].upper()} {codes[1][4:]}", "method": "backup"})
    assert signed_in_as(client) == str(manager.pk)
    client.post("/accounts/logout/")

    password_step(client, manager)
    page = client.post(VERIFY, {"code": codes[0], "method": "backup"}).content.decode()
    assert WRONG_BACKUP_CODE in page
    assert signed_in_as(client) is None
    assert StaticToken.objects.filter(device=static).count() == 8


def test_five_wrong_codes_lock_out_even_with_the_right_code(client, manager, device, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    password_step(client, manager)
    statuses = [client.post(VERIFY, {"code": wrong_code(device)}).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    device.throttle_reset()  # django-otp's wait has passed; axes' lockout has not
    response = client.post(VERIFY, {"code": current_code(device)})
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert signed_in_as(client) is None
    assert client.get(VERIFY).status_code == 429


def test_someone_signed_in_without_a_code_confirms_one_on_the_same_page(client, manager, device):
    client.force_login(manager)
    page = client.get(f"{VERIFY}?next=/reviews/").content.decode()
    assert "special category personal data" in page
    response = client.post(VERIFY, {"code": current_code(device), "next": "/reviews/"})
    assert response["Location"] == "/reviews/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(f"{VERIFY}?next=/reviews/")["Location"] == "/reviews/"  # already done


def test_someone_signed_in_without_a_device_is_sent_to_set_one_up(client, manager):
    client.force_login(manager)
    response = client.get(f"{VERIFY}?next=/reviews/")
    assert response["Location"] == f"{ENROL}?next=%2Freviews%2F"


# --- Setting up an authenticator app --------------------------------------------------------


def test_setting_up_shows_the_qr_code_and_the_key_and_keeps_them_on_reload(client, manager):
    client.force_login(manager)
    page = client.get(ENROL).content.decode()
    device = TOTPDevice.objects.get(user=manager)
    assert not device.confirmed
    assert re.search(r'<img src="data:image/svg\+xml[^"]+" alt="QR code that adds SAB', page)
    key = manual_key(device)
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", key)
    assert f"<code>{key}</code>" in page
    assert 'autocomplete="one-time-code"' in page
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=manager).count() == 1


def test_a_wrong_confirmation_code_shows_the_error_and_the_same_key(client, manager):
    client.force_login(manager)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=manager)
    page = client.post(ENROL, {"code": wrong_code(device)}).content.decode()
    assert "There is a problem" in page and WRONG_CODE in page
    assert f"<code>{manual_key(device)}</code>" in page
    device.refresh_from_db()
    assert not device.confirmed


def test_a_right_code_confirms_the_app_and_shows_ten_backup_codes_once(client, manager):
    old = verify(client, manager)
    page = client.get(f"{ENROL}?next=/reviews/").content.decode()
    assert "Replace your authenticator app" in page
    device = TOTPDevice.objects.get(user=manager, confirmed=False)

    response = client.post(ENROL, {"code": current_code(device), "next": "/reviews/"})
    assert response["Location"] == f"{BACKUP}?next=%2Freviews%2F"
    device.refresh_from_db()
    assert device.confirmed
    assert list(TOTPDevice.objects.filter(user=manager)) == [device]  # the old one is gone
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id

    page = client.get(response["Location"]).content.decode()
    shown = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(shown) == 10
    assert set(shown) == set(StaticToken.objects.filter(device__user=manager).values_list(
        "token", flat=True))  # fmt: skip
    assert "Your authenticator app is set up" in page and "shown only once" in page
    assert 'href="/reviews/"' in page

    again = client.get(f"{BACKUP}?next=/reviews/").content.decode()
    assert shown[0] not in again and "10 unused backup codes" in again


def test_a_first_app_is_set_up_without_a_code_first(client, manager):
    client.force_login(manager)
    client.get(f"{ENROL}?next=/reviews/")
    device = TOTPDevice.objects.get(user=manager)
    response = client.post(ENROL, {"code": current_code(device), "next": "/reviews/"})
    assert response["Location"] == f"{BACKUP}?next=%2Freviews%2F"
    assert is_verified_session(client, device)


def is_verified_session(client, device) -> bool:
    return client.session.get(DEVICE_ID_SESSION_KEY) == device.persistent_id


def test_replacing_the_app_needs_a_code_from_the_current_one(client, manager, device):
    client.force_login(manager)
    response = client.get(ENROL)
    assert response["Location"] == f"{VERIFY}?next=%2Faccounts%2Ftwo-factor%2Fset-up%2F"
    assert client.post(BACKUP)["Location"].startswith(VERIFY)
    assert not StaticDevice.objects.exists()


def test_new_backup_codes_replace_the_old_ones(client, manager):
    device = verify(client, manager)
    old = new_backup_codes(manager)
    response = client.post(BACKUP)
    assert response.status_code == 302 and response["Location"] == BACKUP
    page = client.get(BACKUP).content.decode()
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(new) == 10 and not set(new) & set(old)
    assert "Your authenticator app is set up" not in page
    assert check_code(manager, new[0]).user == manager
    with pytest.raises(ValidationError, match="backup code is not right"):
        check_code(manager, old[0])
    assert is_verified_session(client, device)


def test_backup_codes_need_an_authenticator_app_first(client, manager):
    client.force_login(manager)
    assert client.get(BACKUP)["Location"] == ENROL


def test_overview_says_why_a_board_manager_needs_one(client, manager):
    client.force_login(manager)
    page = client.get("/accounts/two-factor/").content.decode()
    assert WHY in page and "You must use one: you are a board manager." in page
    assert "Not set up" in page and f'href="{ENROL}"' in page
    assert 'href="/accounts/two-factor/">Second factor</a>' in page  # the header link


def test_overview_for_someone_whose_roles_do_not_need_one(client, make_user, board, manager):
    client.force_login(make_user(Role.VIEWER, board))
    page = client.get("/accounts/two-factor/").content.decode()
    assert "Your roles do not need one" in page and WHY not in page
    verify(client, manager)
    page = client.get("/accounts/two-factor/").content.decode()
    assert "Replace your authenticator app" in page and "Confirmed with your second factor" in page


# --- Who must use it, and the guards ----------------------------------------------------------


def test_who_must_use_a_second_factor(make_user, board):
    assert must_use_second_factor(make_user(Role.BOARD_MANAGER, board))
    assert must_use_second_factor(make_user(Role.REVIEW_MEMBER, board))
    assert must_use_second_factor(UserFactory(is_superuser=True))
    for role in (Role.VIEWER, Role.EXECUTIVE_MEMBER, Role.SUBGROUP_CHAIR):
        assert not must_use_second_factor(make_user(role, board)), role
    assert not must_use_second_factor(AnonymousUser())


def test_is_verified_is_false_without_the_middleware(manager):
    assert not is_verified(manager)  # a user from a token has no is_verified
    assert not is_verified(AnonymousUser())


@second_factor_required
def _secret_view(request):
    return HttpResponse("secret")


def _call(view, user, session=None, **headers):
    request = RequestFactory().get("/reviews/7/?tab=notes", headers=headers)
    request.user = user
    request.session = session if session is not None else SessionStore()
    request.htmx = HtmxDetails(request)
    return OTPMiddleware(view)(request)


def test_second_factor_required_sends_someone_with_a_device_to_enter_a_code(manager, device):
    response = _call(_secret_view, manager)
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Freviews%2F7%2F%3Ftab%3Dnotes"


def test_second_factor_required_sends_someone_without_a_device_to_set_one_up(manager):
    response = _call(_secret_view, manager)
    assert response.status_code == 302
    assert response["Location"] == f"{ENROL}?next=%2Freviews%2F7%2F%3Ftab%3Dnotes"


def test_second_factor_required_lets_a_verified_user_through(client, manager):
    device = verify(client, manager)
    session = SessionStore(client.session.session_key)
    assert session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    response = _call(_secret_view, manager, session)
    assert response.status_code == 200 and response.content == b"secret"


def test_second_factor_required_redirects_htmx_requests_to_the_page_they_came_from(manager):
    response = _call(
        _secret_view, manager, HX_Request="true", HX_Current_URL="http://testserver/reviews/7/"
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{ENROL}?next=%2Freviews%2F7%2F"


class _SecretApi(APIView):
    permission_classes = [IsAuthenticated, VerifiedSecondFactor]

    def get(self, request):
        return Response({"ok": True})


def test_verified_second_factor_refuses_a_token_even_for_a_verified_user(client, manager):
    verify(client, manager)
    token = Token.objects.create(user=manager)
    request = APIRequestFactory().get("/api/x/", HTTP_AUTHORIZATION=f"Token {token.key}")
    response = _SecretApi.as_view()(request)
    assert response.status_code == 403
    assert response.data["detail"] == VerifiedSecondFactor.message
    assert "authenticator app" in VerifiedSecondFactor.message


def test_verified_second_factor_needs_a_verified_session(client, manager, device):
    assert _call(_SecretApi.as_view(), manager).status_code == 403
    verify(client, manager)
    session = SessionStore(client.session.session_key)
    assert _call(_SecretApi.as_view(), manager, session).status_code == 200


# --- The demo --------------------------------------------------------------------------------


def test_the_demo_gives_the_review_roles_the_demo_app_and_demo_code_signs_in(
    client, db, settings, capsys
):
    settings.DEBUG = True
    call_command("seed_demo")
    out = capsys.readouterr().out
    devices = TOTPDevice.objects.filter(key=DEMO_TOTP_KEY, confirmed=True).select_related("user")
    emails = {device.user.email for device in devices}
    assert emails >= {"manager@example.org", "lrsab.manager@example.org", "review@example.org"}
    assert all(must_use_second_factor(device.user) for device in devices)
    assert "python manage.py demo_code" in out and DEMO_TOTP_SECRET in out
    assert DEMO_TOTP_SECRET == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

    call_command("seed_demo")
    assert TOTPDevice.objects.count() == len(emails)

    capsys.readouterr()
    call_command("demo_code")
    code = capsys.readouterr().out.split()[0]
    assert re.fullmatch(r"\d{6}", code)
    manager = User.objects.get(email="manager@example.org")
    password_step(client, manager, next_url="/", password=DEMO_PASSWORD)
    client.post(VERIFY, {"code": code, "next": "/"})
    assert signed_in_as(client) == str(manager.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == devices.get(user=manager).persistent_id


def test_demo_code_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs when DEBUG is on"):
        call_command("demo_code")


def test_signing_out_half_way_forgets_the_password_step(client, manager, device):
    """Not signed in yet, signing out leads to the sign-in page, which forgets the step."""
    password_step(client, manager)
    assert client.post("/accounts/logout/", follow=True).status_code == 200
    response = client.post(VERIFY, {"code": current_code(device)})
    assert signed_in_as(client) is None
    assert "Sign in again" in response.content.decode()


def test_opening_the_sign_in_page_again_forgets_the_password_step(client, manager, device):
    password_step(client, manager)
    client.get(LOGIN)
    client.post(VERIFY, {"code": current_code(device)})
    assert signed_in_as(client) is None
