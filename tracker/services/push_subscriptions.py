"""Writes for the browsers a user turned notifications on in (docs/reminders.md, "Push")."""

from typing import NamedTuple

from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tracker.models import PushSubscription, ReminderPreference, User
from tracker.rules.push import BAD_SUBSCRIPTION, endpoint_problem, keys_problem
from tracker.rules.reminders import ReminderChannel
from tracker.utils.vapid import b64url_decode


def _point_problem(p256dh: str) -> str | None:
    """A key of the right length that is no point on P-256 could never be encrypted to."""
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(p256dh))
    except ValueError:
        return BAD_SUBSCRIPTION
    return None


@transaction.atomic
def push_subscription_save(
    *, user: User, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    """Keep this browser's subscription for `user` (idempotent; keys refreshed if they changed).

    An endpoint names one browser profile, so if another user of the same browser had turned
    notifications on there, it is theirs no longer: a phone gets the notifications of whoever
    turned them on last."""
    problem = endpoint_problem(endpoint, allow_loopback=settings.PUSH_ALLOW_LOOPBACK)
    problem = problem or keys_problem(p256dh, auth) or _point_problem(p256dh)
    if problem:
        raise ValidationError(problem)
    subscription, _ = PushSubscription.objects.select_for_update().update_or_create(
        endpoint=endpoint,
        defaults={"user": user, "p256dh": p256dh, "auth": auth, "user_agent": user_agent[:120]},
    )
    return subscription


class PushRemoval(NamedTuple):
    removed: bool  # False: the user had no subscription with this endpoint
    back_to_email: bool  # their reminders were by push, and no browser is left for it


@transaction.atomic
def push_subscription_remove(*, user: User, endpoint: str) -> PushRemoval:
    """Forget this browser for `user` (only their own subscription is ever touched).

    A patient whose reminders came by push and who has no browser left gets them by email."""
    deleted, _ = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    switched = 0
    if deleted and not PushSubscription.objects.filter(user=user).exists():
        switched = ReminderPreference.objects.filter(
            patient__user=user, channel=ReminderChannel.PUSH
        ).update(channel=ReminderChannel.EMAIL, updated_at=timezone.now())
    return PushRemoval(removed=bool(deleted), back_to_email=bool(switched))
