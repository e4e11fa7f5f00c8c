"""Test helpers for the second factor (sab/two_factor.py): a session that has confirmed a code,
and the code an authenticator app would show now."""

from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def verify(client: Client, user) -> TOTPDevice:
    """Sign ``user`` in on ``client`` with a session that has confirmed a code, as after the
    real two-step sign-in. Gives the user a confirmed authenticator app if they have none.
    Returns the device."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    client.force_login(user)
    session = client.session  # a new SessionStore each time: keep one and save it
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return device


def current_code(device: TOTPDevice) -> str:
    """The 6-digit code the device's authenticator app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
