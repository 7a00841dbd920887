"""Session limits, enforced two-factor sign-in and no-store caching (docs/security.md)."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django_otp import user_has_device

from tracker.security.policy import absolute_limit_seconds, idle_limit_seconds, two_factor_required

# Session keys: when this sign-in began, when the user was last active (epoch seconds), and what
# this sign-in still owes for two-factor ("" nothing, "setup" or "verify").
STARTED_AT = "pt_auth_started_at"
SEEN_AT = "pt_auth_seen_at"
TWO_FACTOR = "pt_two_factor"
# Writing "last seen" on every request would save the session on every request; once a minute
# is precise enough for a 30-minute limit.
SEEN_RESOLUTION_SECONDS = 60

GetResponse = Callable[[HttpRequest], HttpResponse]


def now_ts() -> float:
    return timezone.now().timestamp()


def two_factor_owed(user) -> str:
    """What this user must still do before seeing any page: "", "setup" or "verify"."""
    if user_has_device(user):
        return "verify"
    if two_factor_required(user):
        return "setup"
    return ""


def session_stamp_sign_in(request: HttpRequest, user) -> None:
    """Called on sign-in: start the clocks and note what two-factor is owed."""
    now = now_ts()
    request.session[STARTED_AT] = now
    request.session[SEEN_AT] = now
    request.session[TWO_FACTOR] = two_factor_owed(user)
    request.session.set_expiry(idle_limit_seconds(user))


class SessionLimitsMiddleware:
    """Sign out a user who has been idle too long, or signed in for too long altogether."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            session, now = request.session, now_ts()
            started, seen = session.get(STARTED_AT), session.get(SEEN_AT)
            if started is None:  # a session from before these limits: start the clocks now
                session[STARTED_AT] = started = now
            idle_for = now - seen if seen is not None else 0
            if idle_for > idle_limit_seconds(user):
                return self._sign_out(request, "You were signed out after a time without use.")
            if now - started > absolute_limit_seconds(user):
                return self._sign_out(request, "You were signed out. Please sign in again.")
            if seen is None or idle_for > SEEN_RESOLUTION_SECONDS:
                session[SEEN_AT] = now
                session.set_expiry(idle_limit_seconds(user))
        return self.get_response(request)

    def _sign_out(self, request: HttpRequest, message: str) -> HttpResponse:
        logout(request)
        messages.info(request, message)
        return redirect_to_login(request.get_full_path())


class TwoFactorMiddleware:
    """Until a user who owes two-factor has given a code, only the two-factor pages answer.

    Enforced here, for every URL (the admin too), so that no page can be reached directly.
    """

    ALLOWED = {
        "tracker:two_factor_setup",
        "tracker:two_factor_verify",
        "logout",
    }

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            owed = request.session.get(TWO_FACTOR)
            if owed is None:  # a session from before two-factor existed
                owed = request.session[TWO_FACTOR] = two_factor_owed(user)
            if owed and not user.is_verified() and not self._allowed(request):
                if owed == "verify":
                    return redirect("tracker:two_factor_verify")
                return redirect("tracker:two_factor_setup")
        return self.get_response(request)

    def _allowed(self, request: HttpRequest) -> bool:
        try:
            return resolve(request.path_info).view_name in self.ALLOWED
        except Resolver404:
            return False


class NoStoreForSignedInMiddleware:
    """Every page a signed-in user sees may hold health data: no browser or proxy may keep it."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # max-age=0, no-cache, no-store, must-revalidate, private
            add_never_cache_headers(response)
        return response
