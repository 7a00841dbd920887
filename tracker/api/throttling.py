"""API rate limits (docs/api.md): DRF's throttles, counted per token and per user.

Every request falls in one scope: `export` (a view that sets `throttle_scope = "export"`),
`write` (any method but GET, HEAD and OPTIONS) or `read`. A request made with a token is counted
against that token; one made with a browser session against its user; and every request of a
user, whichever token or session, against that user's cap of twice the scope's rate, so a
clinician cannot multiply the limit by making more tokens. Rates are read from
`settings.API_THROTTLE_RATES` on each request (so tests and deployments can change them); the
counts live in Django's default cache, one per process unless CACHES names a shared one.
"""

from typing import Any

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import SimpleRateThrottle

from tracker.models import ApiToken


def throttle_scope(request: Any, view: Any) -> str:
    """Which rate applies: the view's own scope (exports), else write or read by method."""
    scope = getattr(view, "throttle_scope", None)
    if scope:
        return scope
    return "read" if request.method in SAFE_METHODS else "write"


class _ScopedApiThrottle(SimpleRateThrottle):
    multiplier = 1

    def __init__(self) -> None:
        # SimpleRateThrottle reads its rate here from the class; ours depends on the request.
        pass

    def allow_request(self, request: Any, view: Any) -> bool:
        self.scope = throttle_scope(request, view)
        self.rate = settings.API_THROTTLE_RATES[self.scope]
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.num_requests *= self.multiplier
        return super().allow_request(request, view)

    def _ident(self, request: Any) -> str | None:
        raise NotImplementedError

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        ident = self._ident(request)
        if ident is None:
            return None  # not counted by this throttle
        return f"throttle_api_{self.scope}_{ident}"


class TokenOrSessionThrottle(_ScopedApiThrottle):
    """The scope's rate for each token, and for each user's browser sessions together."""

    def _ident(self, request: Any) -> str | None:
        if isinstance(request.auth, ApiToken):
            return f"token_{request.auth.pk}"
        if request.user and request.user.is_authenticated:
            return f"session_{request.user.pk}"
        return None


class UserThrottle(_ScopedApiThrottle):
    """Twice the scope's rate for everything one user does, across all tokens and sessions."""

    multiplier = 2

    def _ident(self, request: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            return f"user_{request.user.pk}"
        return None
