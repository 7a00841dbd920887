"""A browser a user turned notifications on in: where to send web push, and its keys."""

from django.db import models
from django.db.models import Q

from tracker.models.people import User
from tracker.rules.push import ENDPOINT_MAX, LOOPBACK_PREFIX


class PushSubscription(models.Model):
    """One browser's push subscription (RFC 8030 endpoint, RFC 8291 keys) for one user.

    Any user may have some: a patient for check-in reminders, a clinician for care-team alerts.
    A push service that answers 404 or 410 for it has forgotten it, and it is deleted
    (tracker/services/web_push.py)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="push_subscriptions")
    # The push service's URL for this browser; a secret of the browser and the push service.
    endpoint = models.CharField(max_length=ENDPOINT_MAX, unique=True)
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=50)
    # "Chrome on Android", so a person can tell their browsers apart.
    user_agent = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            # https only; http to 127.0.0.1 is the tests' stub push service (PUSH_ALLOW_LOOPBACK).
            models.CheckConstraint(
                condition=Q(endpoint__startswith="https://")
                | Q(endpoint__startswith=LOOPBACK_PREFIX),
                name="push_endpoint_https_or_loopback",
            ),
            models.CheckConstraint(
                condition=~Q(p256dh="") & ~Q(auth=""), name="push_subscription_has_keys"
            ),
        ]

    def __str__(self) -> str:
        return f"Push to {self.user} ({self.user_agent or 'a browser'})"

    @property
    def info(self) -> dict:
        """The subscription as pywebpush takes it (the browser's PushSubscription.toJSON())."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
