"""Authentication backends: django-axes' lockout check, in front of Django's ModelBackend."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """Refuse sign-in while the username or the address is locked out.

    Every sign-in over HTTP passes the request (LoginView, the API's session login). A call
    without one (the test client's login(), a management command) has no client address to
    lock, so it is left to the next backend instead of failing, as axes would by default.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
