"""Writes for a patient's check-in reminder settings, and the signed link that stops them."""

import datetime as dt

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tracker.models import GuardianLink, Patient, PushSubscription, ReminderPreference
from tracker.rules.reminders import ReminderChannel, plan_problems
from tracker.selectors.push import push_configured

STOP_SALT = "tracker.reminders.stop"
NO_EMAIL = (
    "We have no email address for you, so reminders cannot be sent: "
    "ask your care team to add one to your account."
)
NO_PUSH = (
    "Notifications are not on in any of your browsers yet: press "
    "“Turn on notifications on this phone” first, or choose email."
)
PUSH_UNAVAILABLE = "Notifications on this phone are not available here; choose email."


class StopLinkInvalid(Exception):
    """The stop link was not made by this server (or was changed)."""


def reminder_preference_for(*, patient: Patient) -> ReminderPreference:
    """The patient's settings as stored, or the defaults (off, 19:00) if they never chose."""
    found = ReminderPreference.objects.filter(patient=patient).first()
    return found or ReminderPreference(patient=patient)


@transaction.atomic
def reminder_preference_set(
    *,
    patient: Patient,
    enabled: bool,
    remind_at: dt.time,
    quiet_start: dt.time | None,
    quiet_end: dt.time | None,
    follow_up_hours: int | None,
    channel: ReminderChannel = ReminderChannel.EMAIL,
) -> ReminderPreference:
    """Save a patient's reminder settings, refusing what does not fit together."""
    problems = plan_problems(
        remind_at=remind_at,
        quiet_start=quiet_start,
        quiet_end=quiet_end,
        follow_up_hours=follow_up_hours,
    )
    if enabled and channel == ReminderChannel.EMAIL and not patient.user.email:
        problems.setdefault("enabled", NO_EMAIL)
    if channel == ReminderChannel.PUSH:
        if not push_configured():
            problems.setdefault("channel", PUSH_UNAVAILABLE)
        elif not PushSubscription.objects.filter(user=patient.user).exists():
            problems.setdefault("channel", NO_PUSH)
    if problems:
        raise ValidationError({field: [message] for field, message in problems.items()})
    preference, _ = ReminderPreference.objects.select_for_update().update_or_create(
        patient=patient,
        defaults={
            "enabled": enabled,
            "channel": channel,
            "remind_at": remind_at,
            "quiet_start": quiet_start,
            "quiet_end": quiet_end,
            "follow_up_hours": follow_up_hours,
        },
    )
    return preference


def reminder_stop_token(*, patient: Patient) -> str:
    """A link token that turns this patient's reminders off without signing in."""
    return signing.dumps(patient.pk, salt=STOP_SALT, compress=False)


def stop_link_patient(*, token: str) -> Patient:
    """The patient a stop link was made for, or StopLinkInvalid."""
    try:
        patient_id = signing.loads(token, salt=STOP_SALT)
    except signing.BadSignature:
        raise StopLinkInvalid from None
    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is None:
        raise StopLinkInvalid
    return patient


def reminders_stop(*, token: str) -> Patient:
    """Turn reminders off for the patient a stop link was made for (idempotent)."""
    patient = stop_link_patient(token=token)
    ReminderPreference.objects.filter(patient=patient).update(
        enabled=False, updated_at=timezone.now()
    )
    return patient


GUARDIAN_STOP_SALT = "tracker.reminders.guardian_stop"


def guardian_reminder_stop_token(*, patient_id: int, guardian_id: int) -> str:
    """A link token that stops a guardian's copies of this young person's reminders."""
    return signing.dumps([patient_id, guardian_id], salt=GUARDIAN_STOP_SALT, compress=False)


def guardian_stop_link(*, token: str) -> GuardianLink:
    """The open guardian link a stop link was made for, or StopLinkInvalid."""
    try:
        patient_id, guardian_id = signing.loads(token, salt=GUARDIAN_STOP_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        raise StopLinkInvalid from None
    link = (
        GuardianLink.objects.open()
        .filter(patient_id=patient_id, guardian_id=guardian_id)
        .select_related("patient__user")
        .first()
    )
    if link is None:
        raise StopLinkInvalid
    return link


@transaction.atomic
def guardian_reminders_stop(*, token: str) -> GuardianLink:
    """Stop a guardian's reminder copies (idempotent); the link's history says who and when."""
    link = guardian_stop_link(token=token)
    locked = GuardianLink.objects.select_for_update().get(pk=link.pk)
    if locked.gets_reminders:
        locked.gets_reminders = False
        locked._change_reason = "reminders stopped from the email's link"
        locked.save(update_fields=["gets_reminders", "updated_at"])
    return locked
