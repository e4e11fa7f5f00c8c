"""The second factor (docs/adr/0003-second-factor.md): an authenticator app giving a 6-digit
code (TOTP, django-otp's otp_totp) and ten one-use backup codes (otp_static).

Safeguarding Adults Review records hold special category personal data, so board managers
and review subgroup members (sab.roles.RESTRICTED_REVIEW_ROLES) must confirm who they are with
their authenticator app before any review page or API endpoint answers. The reviews app asks
for it with ``second_factor_required`` (pages) and ``VerifiedSecondFactor`` (API), after its
own "may this user know the record exists" check.

Signing in has two steps for anyone with a second factor, and no half-signed-in state between
them: a right password only records who is waiting for a code (PENDING_SESSION_KEY, valid for
five minutes); ``django.contrib.auth.login`` runs once the code is right too. Someone already
signed in without one (they set it up later) confirms a code on the same page (step-up).

Wrong codes count as failed sign-ins for django-axes (the ``user_login_failed`` signal, by
email address, as wrong passwords do), so the same lockout page answers after
AXES_FAILURE_LIMIT failures; django-otp also makes each device wait longer after each failure.
"""

from __future__ import annotations

import functools
import math
import time
from base64 import b32encode
from urllib.parse import urlencode

import django_otp
import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.permissions import BasePermission

from sab.forms import OneTimeCodeForm, submitted
from sab.permissions import reads_restricted_records, role_rows
from sab.roles import RESTRICTED_REVIEW_ROLES, Role

# Who passed the password step and is waiting to enter a code: {"user", "backend", "at"}.
PENDING_SESSION_KEY = "two_factor_pending"
PENDING_SECONDS = 5 * 60
# Backup codes just made, shown once on the next page and then forgotten.
NEW_CODES_SESSION_KEY = "two_factor_new_codes"
BACKUP_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_CODES_NAME = "Backup codes"

WRONG_CODE = "The code is not right. Enter the 6-digit code your authenticator app shows now"
WRONG_BACKUP_CODE = (
    "The backup code is not right or has been used. Enter one of your unused backup codes"
)
WHY = (
    "Safeguarding Adults Review records hold special category personal data (UK GDPR "
    "Article 9). Board managers and review subgroup members must confirm who they are with an "
    "authenticator app before those pages open."
)


# --- Who needs it, and have they given it ----------------------------------------------------


def must_use_second_factor(user) -> bool:
    """Holds a role that reads Safeguarding Adults Review records (board manager or review
    subgroup member) in any board, or is a site administrator."""
    return reads_restricted_records(user)


def is_verified(user) -> bool:
    """Confirmed a code in this session. False for a request signed with an API token: only
    the web session carries a second factor (OTPMiddleware gives its user ``is_verified``)."""
    check = getattr(user, "is_verified", None)
    return bool(getattr(user, "is_authenticated", False) and callable(check) and check())


def has_second_factor(user) -> bool:
    """Has a confirmed authenticator app or backup codes, so signing in asks for a code."""
    return bool(user.is_authenticated) and django_otp.user_has_device(user, confirmed=True)


def authenticator(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("-pk").first()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def restricted_roles(user) -> list[str]:
    """The names of the user's roles that make a second factor necessary."""
    held = {row.role for row in role_rows(user) if row.role in RESTRICTED_REVIEW_ROLES}
    return [role.label for role in Role if role in held]


# --- Guarding pages and API endpoints --------------------------------------------------------


def second_factor_required(view_func):
    """A view decorator: the view runs only for a user who has confirmed a code in this
    session. Anyone else is sent (302, or an htmx redirect) to enter a code if they have a
    second factor, or to set one up if they have none, with ``?next=`` bringing them back.

    It never answers 404: the view's caller checks first that the user may know the record
    exists (reviews apply their scoping before this decorator).
    """

    @functools.wraps(view_func)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if is_verified(user):
            return view_func(request, *args, **kwargs)
        step = "two-factor-verify" if has_second_factor(user) else "two-factor-enrol"
        htmx = getattr(request, "htmx", None)
        here = (htmx.current_url_abs_path if htmx else None) or request.get_full_path()
        target = _with_next(reverse(step), here)
        return HttpResponseClientRedirect(target) if htmx else redirect(target)

    return wrapper


class VerifiedSecondFactor(BasePermission):
    """The API's check for review endpoints: a session whose user confirmed a code. Requests
    signed with an API token cannot carry a second factor, so they are refused (403)."""

    message = (
        "Sign in through the web pages with the code from your authenticator app to use this. "
        "Requests signed with an API token cannot carry a second factor, so Safeguarding "
        "Adults Review records are only available in a signed-in browser session."
    )

    def has_permission(self, request, view) -> bool:
        return is_verified(request.user)


# --- Checking codes, setting up an app, backup codes -----------------------------------------


def check_code(user, code: str) -> Device:
    """The user's confirmed device that accepts ``code``, which is then used up: a TOTP code
    is not accepted twice, a backup code is deleted. Six digits are tried against the
    authenticator app, anything else against the backup codes.

    Raises ValidationError (in words for the form) when the code is wrong, or when every
    device must first wait after earlier wrong codes (django-otp's throttling).
    """
    model = TOTPDevice if len(code) == 6 and code.isdigit() else StaticDevice
    matched, tried, waits = None, False, []
    with transaction.atomic():  # select_for_update: two requests cannot both use one code
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            allowed, info = device.verify_is_allowed()
            if not allowed:
                waits.append(info["locked_until"])
                continue
            tried = True
            if device.verify_token(code):  # a wrong code is recorded (committed) for throttling
                matched = device
                break
    if matched is not None:
        return matched
    if waits and not tried:
        raise ValidationError(_wait_message(min(waits)))
    raise ValidationError(WRONG_CODE if model is TOTPDevice else WRONG_BACKUP_CODE)


def _wait_message(until) -> str:
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    unit = "second" if seconds == 1 else "seconds"
    return (
        f"You entered a wrong code. Wait {seconds} {unit}, then enter the code your "
        "authenticator app shows now"
    )


def start_enrolment(user) -> TOTPDevice:
    """The authenticator app being set up: a new secret key, or the one already shown to the
    user if they reload the page before confirming it."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def confirm_enrolment(*, device: TOTPDevice, code: str) -> list[str]:
    """Confirm a new authenticator app with a code it shows: the user's older apps stop
    working and a fresh set of backup codes is made. Returns the backup codes (shown once).
    Raises ValidationError when the code is wrong (the key stays the same)."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        raise ValidationError(_wait_message(info["locked_until"]))
    if not device.verify_token(code):  # records the failure for throttling
        raise ValidationError(WRONG_CODE)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return new_backup_codes(device.user)


@transaction.atomic
def new_backup_codes(user) -> list[str]:
    """Replace the user's backup codes with BACKUP_CODE_COUNT new ones (the old ones stop
    working) and return them. The device row is kept, so a session confirmed with an old
    backup code stays confirmed."""
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=BACKUP_CODES_NAME, confirmed=True)
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    device.confirmed = True
    device.throttle_reset(commit=False)
    device.save()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The app's set-up link (otpauth://) as an SVG QR code in a data: URI, for an <img>."""
    qr = segno.make(device.config_url, error="m")
    return qr.svg_data_uri(scale=5, dark="#0b0c0c", light="#ffffff")


def manual_key(device: TOTPDevice) -> str:
    """The secret key as an authenticator app asks for it when typed in: base32, in groups
    of four characters."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


# --- Pages ------------------------------------------------------------------------------------


def _next_url(request: HttpRequest) -> str:
    """The ``next`` the request carries, if it is a page of this site; else ""."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else ""


def _with_next(url: str, next_url: str, **query: str) -> str:
    """``url`` with ``?next=`` (when there is one) and any other parameters."""
    query = {**query, "next": next_url} if next_url else query
    return f"{url}?{urlencode(query)}" if query else url


def _done(next_url: str) -> HttpResponse:
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


def _lockout_credentials(user) -> dict:
    return {settings.AXES_USERNAME_FORM_FIELD: user.email}


def _locked_out(request: HttpRequest, credentials: dict) -> bool:
    return settings.AXES_ENABLED and not AxesProxyHandler.is_allowed(request, credentials)


class SignInView(LoginView):
    """Django's sign-in page, with a second step for anyone who has a second factor: a right
    password then only records who is waiting for a code, and the code page signs them in.
    Opening the sign-in page again forgets anyone waiting for a code in this session."""

    def get(self, request, *args, **kwargs):
        request.session.pop(PENDING_SESSION_KEY, None)
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        if not has_second_factor(user):
            return super().form_valid(form)
        self.request.session.cycle_key()  # a new session id for the half-way state
        self.request.session[PENDING_SESSION_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "at": int(time.time()),
        }
        return redirect(_with_next(reverse("two-factor-verify"), self.get_redirect_url()))


def _pending_user(request: HttpRequest):
    """The user who gave their password in this session less than PENDING_SECONDS ago."""
    pending = request.session.get(PENDING_SESSION_KEY)
    if not pending:
        return None
    if time.time() - pending["at"] > PENDING_SECONDS:
        del request.session[PENDING_SESSION_KEY]
        return None
    user = auth.get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user


@login_not_required  # the password step is done, but the user is not signed in yet
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Enter the code from the authenticator app (or a backup code): the second step of
    signing in, or confirming a code later in a session signed in without one."""
    next_url = _next_url(request)
    signed_in = request.user.is_authenticated
    user = request.user if signed_in else _pending_user(request)
    if user is None or (not signed_in and not has_second_factor(user)):
        request.session.pop(PENDING_SESSION_KEY, None)
        context = {"login_url": _with_next(reverse("login"), next_url)}
        return render(request, "registration/two_factor/verify_expired.html", context)
    if is_verified(user):
        return _done(next_url)
    if not has_second_factor(user):
        return redirect(_with_next(reverse("two-factor-enrol"), next_url))

    credentials = _lockout_credentials(user)
    if _locked_out(request, credentials):
        return get_lockout_response(request, None, credentials)
    backup = (request.POST or request.GET).get("method") == "backup"
    form = OneTimeCodeForm(submitted(request), backup=backup)
    if form.is_valid():
        try:
            device = check_code(user, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
            # Counted by django-axes like a wrong password; at the limit it answers 429.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        else:
            if not signed_in:
                del request.session[PENDING_SESSION_KEY]
                auth.login(request, user, backend=user.backend)
            django_otp.login(request, device)
            return _done(next_url)
    switch = {"method": "backup"} if not backup else {}
    context = {
        "form": form,
        "backup": backup,
        "signed_in": signed_in,
        "next": next_url,
        "switch_url": _with_next(reverse("two-factor-verify"), next_url, **switch),
    }
    return render(request, "registration/two_factor/verify.html", context)


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Whether the user has a second factor, why their roles need one, and the ways to set one
    up, replace it or make new backup codes."""
    user = request.user
    roles = [label.lower() for label in restricted_roles(user)]
    if user.is_superuser:
        roles.append("site administrator")
    context = {
        "authenticator": authenticator(user),
        "backup_codes_left": backup_codes_left(user),
        "required": must_use_second_factor(user),
        "reason": "you are a " + " and a ".join(roles),
        "verified": is_verified(user),
        "why": WHY,
        "next": _next_url(request),
    }
    return render(request, "registration/two_factor/overview.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), then enter a code it
    shows. A right code confirms it, retires any older app and makes new backup codes."""
    user, next_url = request.user, _next_url(request)
    if has_second_factor(user) and not is_verified(user):
        # Replacing a second factor needs the current one first.
        return redirect(_with_next(reverse("two-factor-verify"), request.get_full_path()))
    device = start_enrolment(user)
    form = OneTimeCodeForm(
        submitted(request), hint="Enter the 6 digits the app now shows for SAB Manager."
    )
    if form.is_valid():
        try:
            codes = confirm_enrolment(device=device, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            django_otp.login(request, device)
            request.session[NEW_CODES_SESSION_KEY] = {"codes": codes, "enrolled": True}
            return redirect(_with_next(reverse("two-factor-backup-codes"), next_url))
    context = {
        "form": form,
        "qr_code": qr_code_data_uri(device),
        "key": manual_key(device),
        "account": user.email,
        "replacing": authenticator(user) is not None,
        "next": next_url,
    }
    return render(request, "registration/two_factor/enrol.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def backup_codes(request: HttpRequest) -> HttpResponse:
    """Backup codes: a POST makes a new set (the old ones stop working); new codes are shown
    once, on the page the POST (or setting up an app) leads to."""
    user, next_url = request.user, _next_url(request)
    if authenticator(user) is None:
        return redirect(_with_next(reverse("two-factor-enrol"), next_url))
    if not is_verified(user):
        return redirect(_with_next(reverse("two-factor-verify"), request.get_full_path()))
    if request.method == "POST":
        request.session[NEW_CODES_SESSION_KEY] = {
            "codes": new_backup_codes(user),
            "enrolled": False,
        }
        return redirect(_with_next(reverse("two-factor-backup-codes"), next_url))
    new = request.session.pop(NEW_CODES_SESSION_KEY, None) or {}
    context = {
        "codes": new.get("codes", []),
        "enrolled": new.get("enrolled", False),
        "codes_left": backup_codes_left(user),
        "continue_url": next_url or reverse("two-factor"),
        "next": next_url,
    }
    return render(request, "registration/two_factor/backup_codes.html", context)
