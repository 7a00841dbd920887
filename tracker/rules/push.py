"""What a browser's push subscription must be before it is kept (docs/reminders.md, "Push").

A subscription is what `PushSubscription.toJSON()` gives in the browser: the push service's
endpoint URL and the two keys the payload is encrypted with (RFC 8291): p256dh, the browser's
P-256 public key, and auth, a 16-byte secret, both base64url.
"""

import base64
from urllib.parse import urlsplit

ENDPOINT_MAX = 1000
LOOPBACK_PREFIX = "http://127.0.0.1:"
BAD_SUBSCRIPTION = "This browser sent a subscription ParsTrack cannot use. Try again, or use email."


def endpoint_problem(endpoint: str, *, allow_loopback: bool) -> str | None:
    """Why this endpoint cannot be kept, or None. https only (tests' loopback stub aside)."""
    if not endpoint or len(endpoint) > ENDPOINT_MAX:
        return BAD_SUBSCRIPTION
    parts = urlsplit(endpoint)
    if parts.scheme == "https" and parts.hostname:
        return None
    if allow_loopback and endpoint.startswith(LOOPBACK_PREFIX):
        return None
    return BAD_SUBSCRIPTION


def _decoded(value: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except ValueError:
        return None


def keys_problem(p256dh: str, auth: str) -> str | None:
    """Why these keys cannot encrypt a payload, or None."""
    point = _decoded(p256dh) if isinstance(p256dh, str) and len(p256dh) <= 100 else None
    secret = _decoded(auth) if isinstance(auth, str) and len(auth) <= 50 else None
    # An uncompressed P-256 point is 65 bytes starting 0x04 (whether it is on the curve is
    # checked by the service, which has the cryptography for it).
    if point is None or secret is None or len(secret) != 16:
        return BAD_SUBSCRIPTION
    if len(point) != 65 or point[0] != 4:
        return BAD_SUBSCRIPTION
    return None
