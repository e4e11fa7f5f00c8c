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
    assert client.get("/").status_code == 302  # still not signed in
