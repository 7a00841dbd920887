"""Web push through a stub push service on loopback that decrypts each payload with the
browser's keys and checks the VAPID signature: a reminder by push in words with no health
data, a subscription the push service answers 404 or 410 for removed, other failures recorded,
email when no browser took it, and a run's queries that do not grow with patients."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import ClinicFactory, PatientFactory, UserFactory
from tests.helpers import at_utc, reminders_on
from tracker.models import Notification, PushSubscription
from tracker.services.reminder_sending import reminders_send
from tracker.services.web_push import push_to_user

pytestmark = pytest.mark.django_db

PAYLOAD = {"title": "A title", "body": "A body", "url": "/me/", "tag": "t"}
# 19:00 in London on a day in GMT.
REMINDER_TIME = "2026-11-02 19:00"
HEALTH_WORDS = ("pain", "defect", "spondyl", "warning", "symptom", "medicine", "brace")


def _push_patient(username: str, *, email: str | None = None):
    clinic = ClinicFactory(name=f"Clinic of {username}", time_zone="Europe/London")
    user = UserFactory(username=username, **({} if email is None else {"email": email}))
    patient = PatientFactory(user=user, clinic=clinic)
    reminders_on(patient, channel="push")
    return patient


def test_it_pushes_to_every_browser_and_removes_the_ones_the_service_forgot(
    push_service, clinician, settings
):
    took = push_service.subscribe(clinician, "ok")
    push_service.subscribe(clinician, "gone")
    push_service.subscribe(clinician, "unknown")

    result = push_to_user(user=clinician, payload=PAYLOAD, ttl=600)

    assert (result.sent, result.failed, result.removed) == (1, 0, 2)
    assert result.summary == "Push: sent to 1; 2 subscriptions gone, removed."
    assert list(PushSubscription.objects.filter(user=clinician)) == [took]
    took.refresh_from_db()
    assert took.last_success_at is not None
    assert sorted(p.status for p in push_service.received) == [201, 404, 410]
    delivered = next(p for p in push_service.received if p.status == 201)
    assert push_service.payload(delivered) == PAYLOAD
    assert delivered.headers["content-encoding"] == "aes128gcm"
    assert delivered.headers["ttl"] == "600"
    claims = push_service.vapid_claims(delivered, settings.VAPID_PUBLIC_KEY)
    assert claims["aud"] == push_service.origin
    assert claims["sub"] == "mailto:care@parstrack.example.org"
    assert claims["exp"] > timezone.now().timestamp()


def test_a_failure_other_than_gone_is_counted_and_the_subscription_kept(push_service, patient):
    broken = push_service.subscribe(patient.user, "broken")

    result = push_to_user(user=patient.user, payload=PAYLOAD, ttl=60)

    assert (result.sent, result.failed, result.removed) == (0, 1, 0)
    assert result.errors == ("push service answered 500",)
    assert PushSubscription.objects.filter(pk=broken.pk).exists()


def test_an_unreachable_push_service_is_a_failure_not_a_crash(push_service, patient):
    subscription = push_service.subscribe(patient.user, "ok")
    push_service.stop()

    result = push_to_user(user=patient.user, payload=PAYLOAD, ttl=60)

    assert (result.sent, result.failed) == (0, 1)
    assert "ConnectionError" in result.errors[0]
    assert PushSubscription.objects.filter(pk=subscription.pk).exists()


def test_a_vapid_subject_push_services_would_refuse_is_a_failure_not_a_crash(
    push_service, patient, settings
):
    push_service.subscribe(patient.user, "ok")
    settings.VAPID_SUBJECT = "care team"  # neither mailto: nor https:

    result = push_to_user(user=patient.user, payload=PAYLOAD, ttl=60)

    assert (result.sent, result.failed) == (0, 1) and push_service.received == []


def test_without_vapid_keys_nothing_is_pushed(push_service, patient, settings):
    push_service.subscribe(patient.user, "ok")
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""

    result = push_to_user(user=patient.user, payload=PAYLOAD, ttl=60)

    assert result.sent == 0 and push_service.received == []


def test_a_reminder_by_push_says_only_that_it_is_time_to_check_in(push_service):
    patient = _push_patient("push.pat")
    push_service.subscribe(patient.user, "ok")

    run = reminders_send(now=at_utc(REMINDER_TIME))

    assert (run.sent, run.failed) == (1, 0)
    assert mail.outbox == []
    [push] = push_service.received
    payload = push_service.payload(push)
    assert payload["title"] == "Time for your ParsTrack check-in"
    assert payload["url"] == "/checkin/"
    words = f"{payload['title']} {payload['body']}".lower()
    assert not [w for w in HEALTH_WORDS if w in words]
    assert patient.user.first_name.lower() not in words
    assert push.headers["ttl"] == "7200"  # no later than the reminder's own two hours
    notification = Notification.objects.get(patient=patient)
    assert (notification.channel, notification.outcome, notification.error) == ("push", "sent", "")
    assert notification.sent_at is not None


@pytest.mark.parametrize("answer", ["gone", "unknown"], ids=["410", "404"])
def test_a_forgotten_subscription_is_removed_and_the_reminder_comes_by_email(push_service, answer):
    patient = _push_patient(f"fallback.{answer}")
    push_service.subscribe(patient.user, answer)

    run = reminders_send(now=at_utc(REMINDER_TIME))

    assert (run.sent, run.failed) == (1, 0)
    assert not PushSubscription.objects.filter(user=patient.user).exists()
    assert [m.to for m in mail.outbox] == [[patient.user.email]]
    notification = Notification.objects.get(patient=patient)
    assert (notification.channel, notification.outcome) == ("email", "sent")
    assert notification.address == patient.user.email
    assert notification.error == "Push: 1 subscription gone, removed. Sent by email instead."


def test_with_no_email_to_fall_back_to_a_failed_push_is_recorded_as_failed(push_service):
    patient = _push_patient("no.email", email="")
    push_service.subscribe(patient.user, "gone")

    run = reminders_send(now=at_utc(REMINDER_TIME))

    assert (run.sent, run.failed) == (0, 1)
    notification = Notification.objects.get(patient=patient)
    assert (notification.channel, notification.outcome) == ("push", "failed")
    assert notification.error == "Push: 1 subscription gone, removed."
    assert mail.outbox == []


def test_a_push_that_reached_one_browser_of_two_is_sent_and_says_what_else_happened(
    push_service,
):
    patient = _push_patient("two.phones")
    push_service.subscribe(patient.user, "ok")
    push_service.subscribe(patient.user, "broken")

    reminders_send(now=at_utc(REMINDER_TIME))

    notification = Notification.objects.get(patient=patient)
    assert notification.outcome == "sent" and notification.channel == "push"
    assert notification.error == "Push: sent to 1; push service answered 500."
    assert mail.outbox == []


def _queries_for_a_run(moment: dt.datetime) -> int:
    with CaptureQueriesContext(connection) as queries:
        reminders_send(now=moment)
    return len(queries)


def test_a_push_runs_queries_do_not_grow_with_patients(push_service):
    patients = []

    def due(count: int) -> None:
        patients.extend(_push_patient(f"many.{len(patients)}") for _ in range(count))
        for patient in patients:  # each with one phone that takes it and one gone (removed)
            PushSubscription.objects.filter(user=patient.user).delete()
            push_service.subscribe(patient.user, "ok")
            push_service.subscribe(patient.user, "gone")

    due(2)
    two = _queries_for_a_run(at_utc(REMINDER_TIME))
    due(6)  # eight due on the next day
    eight = _queries_for_a_run(at_utc(REMINDER_TIME) + dt.timedelta(days=1))

    assert Notification.objects.filter(outcome="sent", channel="push").count() == 10
    assert two == eight
