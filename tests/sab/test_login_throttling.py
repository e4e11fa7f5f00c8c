import datetime

import pytest
from axes.models import AccessAttempt
from django.db.models import Sum
from django.utils import timezone

from tests.factories import TEST_PASSWORD, UserFactory


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, db, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(email="chair@example.org")
    for _ in range(3):
        client.post("/accounts/login/", {"username": "chair@example.org", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": "chair@example.org", "password": TEST_PASSWORD}
    )
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert client.get("/accounts/password_change/").status_code == 302  # still not signed in


# --- Per account (issue 13): guesses spread over many addresses are throttled too ----------

LOGIN = "/accounts/login/"


@pytest.fixture
def throttled(settings, db):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    return UserFactory(email="chair@example.org")


def _sign_in(client, password, address, email="chair@example.org"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


def test_wrong_passwords_from_many_addresses_lock_the_account(client, throttled):
    """Five wrong passwords from five addresses: the right password from a sixth is refused."""
    statuses = [_sign_in(client, "wrong", f"203.0.113.{n}").status_code for n in range(1, 6)]

    response = _sign_in(client, TEST_PASSWORD, "198.51.100.7")

    assert statuses == [200, 200, 200, 200, 429]
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert client.get("/accounts/password_change/").status_code == 302  # not signed in


def test_the_address_of_the_email_counts_whatever_its_case(client, throttled):
    """The sign-in form lower-cases the address, so each spelling counts for the one account."""
    for n, email in enumerate(["Chair@example.org", "CHAIR@EXAMPLE.ORG", " chair@Example.org"]):
        _sign_in(client, "wrong", f"203.0.113.{n}", email=email)
    _sign_in(client, "wrong", "203.0.113.10")
    _sign_in(client, "wrong", "203.0.113.11")

    assert _sign_in(client, TEST_PASSWORD, "198.51.100.7").status_code == 429


def test_other_accounts_are_not_paused(client, throttled):
    UserFactory(email="manager@example.org")
    for n in range(5):
        _sign_in(client, "wrong", f"203.0.113.{n}")

    response = _sign_in(client, TEST_PASSWORD, "203.0.113.1", email="manager@example.org")

    assert response.status_code == 302


def test_failures_while_paused_do_not_extend_the_pause(client, throttled):
    """Someone who keeps guessing cannot keep the user out: when the pause has passed (30
    minutes after the fifth failure), the right password works again."""
    for n in range(5):
        _sign_in(client, "wrong", f"203.0.113.{n}")
    for n in range(3):
        assert _sign_in(client, "wrong", f"192.0.2.{n}").status_code == 429
    assert (
        AccessAttempt.objects.aggregate(Sum("failures_since_start"))["failures_since_start__sum"]
        == 5
    )  # the guesses while paused were not counted

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))

    assert _sign_in(client, TEST_PASSWORD, "198.51.100.7").status_code == 302


def test_a_right_password_before_the_limit_clears_the_count(client, throttled):
    for n in range(4):
        _sign_in(client, "wrong", f"203.0.113.{n}")
    assert _sign_in(client, TEST_PASSWORD, "198.51.100.7").status_code == 302
    client.logout()

    for n in range(4):
        assert _sign_in(client, "wrong", f"192.0.2.{n}").status_code == 200
