"""Shared assertions: the access rule, as a user would meet it."""

from django.test import Client


def assert_login_redirect(client: Client, url: str, method: str = "get") -> None:
    client.logout()
    response = getattr(client, method)(url)
    assert response.status_code == 302, f"{method.upper()} {url} gave {response.status_code}"
    assert response["Location"].startswith("/accounts/login/"), response["Location"]


def assert_not_found_for(client: Client, users, url: str, method: str = "get") -> None:
    """Each of these users gets 404, as if the record did not exist."""
    for user in users:
        client.force_login(user)
        response = getattr(client, method)(url)
        assert response.status_code == 404, (
            f"{user.username} got {response.status_code} for {method.upper()} {url}"
        )
    client.logout()
