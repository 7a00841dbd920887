"""Send every check-in reminder due at a moment, exactly once (`manage.py send_reminders`).

One run: read the patients with reminders on, their logged days and the day's reminders already
claimed (three queries, whatever the number of patients); decide in Python, by each patient's wall
clock, what is due; claim it by inserting its Notification row (a unique constraint on patient,
day and kind, so a second run at the same time inserts nothing); then send only the rows this run
claimed, and record each outcome. A run that stops after its claim leaves the row pending: the
reminder is lost rather than sent twice (docs/reminders.md).
"""

import datetime as dt
import uuid

from django.conf import settings
from django.urls import reverse

from tracker.models import DiaryEntry, Notification, Patient, ReminderPreference
from tracker.rules.reminders import (
    LATE_LIMIT,
    REMINDER_KINDS,
    SUBJECTS,
    NotificationKind,
    ReminderChannel,
    due_kind,
    reminder_body,
    reminder_push_payload,
)
from tracker.services.delivery import DeliveryRun, Outgoing, notifications_claim_and_send
from tracker.services.guardian_reminders import guardian_copies, guardian_words
from tracker.services.reminders import reminder_stop_token


def _due_notifications(now: dt.datetime, claim: uuid.UUID) -> list[Notification]:
    """What is due at `now`: one unsaved row per patient at most."""
    preferences = list(
        ReminderPreference.objects.filter(
            enabled=True,
            patient__status=Patient.Status.ACTIVE,
            patient__user__is_active=True,
        )
        # Email needs an address; push falls back to it only where there is one.
        .exclude(channel=ReminderChannel.EMAIL, patient__user__email="")
        .select_related("patient__user", "patient__clinic")
        .order_by("pk")
    )
    local = {p.pk: now.astimezone(p.patient.zone) for p in preferences}
    days = {moment.date() for moment in local.values()}
    on = {"patient__reminder_preference__enabled": True}
    logged = set(
        DiaryEntry.objects.filter(day__in=days, **on).values_list("patient_id", "day").distinct()
    )
    claimed = set(
        Notification.objects.filter(local_day__in=days, kind__in=REMINDER_KINDS, **on).values_list(
            "patient_id", "local_day", "kind"
        )
    )
    due = []
    for preference in preferences:
        moment = local[preference.pk]
        key = (preference.patient_id, moment.date())
        if key in logged:
            continue
        kind = due_kind(
            preference.plan,
            moment.replace(tzinfo=None),
            reminder_claimed=(*key, NotificationKind.REMINDER) in claimed,
            follow_up_claimed=(*key, NotificationKind.FOLLOW_UP) in claimed,
        )
        if kind is None:
            continue
        due.append(
            Notification(
                patient=preference.patient,
                recipient=preference.patient.user,
                kind=kind,
                channel=preference.channel,
                local_day=moment.date(),
                address=preference.patient.user.email
                if preference.channel == ReminderChannel.EMAIL
                else "",
                claim=claim,
            )
        )
    return due


def _words(notification: Notification) -> Outgoing:
    if notification.kind == NotificationKind.GUARDIAN_REMINDER:
        return guardian_words(notification)
    patient = notification.patient
    stop_url = settings.SITE_URL + reverse(
        "tracker:reminders_stop", args=[reminder_stop_token(patient=patient)]
    )
    checkin_url = settings.SITE_URL + reverse("tracker:checkin")
    push = reminder_push_payload(checkin_url=checkin_url)
    body = reminder_body(
        checkin_url=checkin_url,
        settings_url=settings.SITE_URL + reverse("tracker:reminder_settings"),
        stop_url=stop_url,
    )
    return Outgoing(
        subject=SUBJECTS[notification.kind],
        body=body,
        url=checkin_url,
        headers={
            # RFC 8058: a mail client may offer "unsubscribe" and POST to this address.
            "List-Unsubscribe": f"<{stop_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        push_body=push["body"],
        tag=push["tag"],
        ttl=int(LATE_LIMIT.total_seconds()),
    )


def reminders_send(*, now: dt.datetime) -> DeliveryRun:
    """Send every reminder due at `now` that no other run has claimed; record each outcome."""
    claim = uuid.uuid4()
    due = _due_notifications(now, claim)
    due += guardian_copies(due, now=now, claim=claim)
    return notifications_claim_and_send(due, claim=claim, words=_words)
