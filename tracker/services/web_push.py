"""Web push (RFC 8030) to a user's browsers, encrypted (RFC 8291) and signed with the clinic
server's VAPID key (RFC 8292), through pywebpush. For any user: a patient's check-in reminder,
a clinician's care-team alert (docs/reminders.md, "Push").

`push_to_user(user=..., payload=..., ttl=...)` sends one payload to every browser the user turned
notifications on in and says what came of it: a subscription the push service answers 404 or 410
for has been forgotten by it, and is deleted here; any other failure is counted and kept in
`errors`. A payload is a small dict the service worker shows (static/js/sw.js, "push"): `title`,
`body`, `url` (a path on this site, opened on a tap) and `tag`. Its words must carry no health
data: push services and lock screens see them.

For many users at once (the reminder run), `deliver` sends without touching the database and
`deliveries_record` writes what came of them all in at most two queries.
"""

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

import requests
from django.conf import settings
from django.utils import timezone
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from tracker.models import PushSubscription, User
from tracker.selectors.push import push_configured

# A push service that does not answer in this long is counted as a failure; the run goes on.
TIMEOUT_SECONDS = 10
GONE = "subscription gone, removed"


@dataclass(frozen=True)
class Delivery:
    subscription: PushSubscription
    outcome: str  # "sent", "gone" (404 or 410: to delete) or "failed"
    error: str = ""


@dataclass(frozen=True)
class PushResult:
    sent: int = 0
    failed: int = 0
    removed: int = 0
    errors: tuple[str, ...] = field(default_factory=tuple)

    @property
    def summary(self) -> str:
        """What happened, in a few words for the notification's record ("" if all went)."""
        parts = []
        if self.removed:
            noun = "subscription" if self.removed == 1 else "subscriptions"
            parts.append(f"{self.removed} {noun} gone, removed")
        parts += list(self.errors)
        if not (self.sent or self.failed or self.removed):
            parts.append("no browser has notifications on")
        if self.sent and parts:
            parts.insert(0, f"sent to {self.sent}")
        return "Push: " + "; ".join(parts) + "." if parts else ""


@functools.cache
def _vapid(private_key: str) -> Vapid:
    return Vapid.from_string(private_key=private_key)


def deliver(
    *,
    subscription: PushSubscription,
    payload: dict,
    ttl: int,
    session: requests.Session | None = None,
) -> Delivery:
    """Send one payload to one browser; no database query."""
    try:
        webpush(
            subscription_info=subscription.info,
            data=json.dumps(payload),
            vapid_private_key=_vapid(settings.VAPID_PRIVATE_KEY),
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            ttl=ttl,
            timeout=TIMEOUT_SECONDS,
            headers={"Urgency": "normal"},
            requests_session=session,
        )
    except WebPushException as error:
        status = error.status_code
        if status in (404, 410):
            return Delivery(subscription, "gone", GONE)
        why = f"push service answered {status}" if status else str(error.message)
        return Delivery(subscription, "failed", why[:120])
    except Exception as error:  # noqa: BLE001 - no network, a bad subject: recorded, run goes on
        return Delivery(subscription, "failed", f"{type(error).__name__}: {error}"[:120])
    return Delivery(subscription, "sent")


def push_result(deliveries: Iterable[Delivery]) -> PushResult:
    """What came of these deliveries, counted (no database query)."""
    deliveries = list(deliveries)
    return PushResult(
        sent=sum(d.outcome == "sent" for d in deliveries),
        failed=sum(d.outcome == "failed" for d in deliveries),
        removed=sum(d.outcome == "gone" for d in deliveries),
        errors=tuple(dict.fromkeys(d.error for d in deliveries if d.outcome == "failed")),
    )


def deliveries_record(deliveries: Iterable[Delivery]) -> None:
    """Delete the subscriptions gone and stamp the ones that took it: two queries at most."""
    deliveries = list(deliveries)
    gone = [d.subscription.pk for d in deliveries if d.outcome == "gone"]
    took = [d.subscription.pk for d in deliveries if d.outcome == "sent"]
    if gone:
        PushSubscription.objects.filter(pk__in=gone).delete()
    if took:
        PushSubscription.objects.filter(pk__in=took).update(last_success_at=timezone.now())


def push_session() -> requests.Session:
    """One connection pool for a run of many sends."""
    return requests.Session()


def push_to_user(*, user: User, payload: dict, ttl: int) -> PushResult:
    """Send `payload` to every browser `user` turned notifications on in (see the module doc).

    `ttl`: seconds the push service may hold it for a phone that is off (0: now or never).
    Without VAPID keys nothing is sent and nothing is removed."""
    if not push_configured():
        return PushResult(errors=("push is not set up on this server",))
    subscriptions = list(PushSubscription.objects.filter(user=user))
    with push_session() as session:
        deliveries = [
            deliver(subscription=s, payload=payload, ttl=ttl, session=session)
            for s in subscriptions
        ]
    deliveries_record(deliveries)
    return push_result(deliveries)
