"""Reads for web push: whether this server can send it, and a user's browsers that have it on."""

from django.conf import settings

from tracker.models import PushSubscription, User


def push_configured() -> bool:
    """Are VAPID keys set? Without them push is not offered anywhere (email is used)."""
    return bool(settings.VAPID_PRIVATE_KEY and settings.VAPID_PUBLIC_KEY)


def push_control_for(user: User, *, where: str, subscribe: str, unsubscribe: str) -> dict:
    """What templates/tracker/push/_control.html needs for this user: `where` is "phone" or
    "browser", the two URL names are where static/js/push.js posts."""
    return {
        "push_available": push_configured(),
        "push_public_key": settings.VAPID_PUBLIC_KEY,
        "push_where": where,
        "push_subscribe_url": subscribe,
        "push_unsubscribe_url": unsubscribe,
        "push_endpoints": list(
            PushSubscription.objects.filter(user=user).values_list("endpoint", flat=True)
        ),
    }
