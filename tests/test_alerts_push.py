"""A warning sign reaches a care-team clinician who turned notifications on by push as well as by
email, in words that name no patient and no symptom, through a stub push service on loopback."""

import pytest
from django.core import mail

from tests.helpers import at_utc, open_alert
from tracker.models import Notification, PushSubscription, WarningSignAlert
from tracker.services.alerts import alerts_send

pytestmark = pytest.mark.django_db


def _raised(patient):
    alert = open_alert(patient)
    WarningSignAlert.objects.filter(pk=alert.pk).update(created_at=at_utc("2026-11-02 10:00"))
    return alert


def test_a_clinician_with_notifications_on_gets_a_push_and_the_email(
    push_service, patient, clinician
):
    push_service.subscribe(clinician, "ok")
    _raised(patient)

    run = alerts_send(now=at_utc("2026-11-02 10:01"))

    assert run.sent == 2
    assert [m.to for m in mail.outbox] == [[clinician.email]]
    (pushed,) = push_service.received
    payload = push_service.payload(pushed)
    assert payload["url"] == "/patients/"
    words = (payload["title"] + " " + payload["body"]).lower()
    assert "warning sign" in words and "care team" in words
    for private in ("maya", "patel", "numb", "bladder", "weak"):
        assert private not in words
    rows = Notification.objects.filter(recipient=clinician).order_by("channel")
    assert [(r.channel, r.outcome) for r in rows] == [("email", "sent"), ("push", "sent")]


def test_a_clinician_without_notifications_on_gets_the_email_only(push_service, patient, clinician):
    _raised(patient)

    alerts_send(now=at_utc("2026-11-02 10:01"))

    assert push_service.received == []
    assert list(Notification.objects.values_list("channel", flat=True)) == ["email"]


def test_a_browser_the_push_service_forgot_is_removed_and_the_email_still_goes(
    push_service, patient, clinician
):
    push_service.subscribe(clinician, "gone")
    _raised(patient)

    run = alerts_send(now=at_utc("2026-11-02 10:01"))
    again = alerts_send(now=at_utc("2026-11-02 10:05"))

    assert (run.sent, run.failed, again.due) == (1, 1, 0)
    assert [m.to for m in mail.outbox] == [[clinician.email]]  # once: no email "instead" too
    assert not PushSubscription.objects.filter(user=clinician).exists()
    push = Notification.objects.get(channel="push")
    assert push.outcome == "failed" and "gone, removed" in push.error
