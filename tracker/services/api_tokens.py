"""Writes for API tokens: clinicians create and revoke them; authentication marks them used."""

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tracker.models import ApiToken, Role, User

# Clients send "Authorization: Token pt_<random>"; the prefix makes a leaked token easy to spot.
TOKEN_PREFIX = "pt_"  # noqa: S105 - a public marker, not a secret
# A token's last-used time is written at most this often, so busy integrations don't write per call.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for a clinician; the raw token is returned once and never stored."""
    if user.role != Role.CLINICIAN or not user.is_active:
        raise PermissionDenied("Only clinicians can have API tokens.")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_token(raw),
    )
    return token, raw


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Stop a token working at once; it stays listed as revoked."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_mark_used(*, token: ApiToken, now: dt.datetime | None = None) -> None:
    """Remember when a token was last used (to the minute)."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
