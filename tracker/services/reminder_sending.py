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
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import timezone

from tracker.models import DiaryEntry, Notification, Patient, PushSubscription, ReminderPreference
from tracker.rules.reminders import (
    LATE_LIMIT,
    SUBJECTS,
    NotificationKind,
    NotificationOutcome,
    ReminderChannel,
    due_kind,
    reminder_body,
    reminder_push_payload,
)
from tracker.selectors.push import push_configured
from tracker.services.reminders import reminder_stop_token
from tracker.services.web_push import (
    deliver,
    deliveries_record,
    push_result,
    push_session,
)

REMINDER_KINDS = [NotificationKind.REMINDER, NotificationKind.FOLLOW_UP]


@dataclass(frozen=True)
class ReminderRun:
    due: int
    sent: int
    failed: int
    # Due, but already claimed by a run going on at the same time.
    skipped: int


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


def _email(notification: Notification, patient: Patient) -> EmailMessage:
    stop_url = settings.SITE_URL + reverse(
        "tracker:reminders_stop", args=[reminder_stop_token(patient=patient)]
    )
    body = reminder_body(
        checkin_url=settings.SITE_URL + reverse("tracker:checkin"),
        settings_url=settings.SITE_URL + reverse("tracker:reminder_settings"),
        stop_url=stop_url,
    )
    return EmailMessage(
        subject=SUBJECTS[notification.kind],
        body=body,
        to=[notification.address],
        headers={
            # RFC 8058: a mail client may offer "unsubscribe" and POST to this address.
            "List-Unsubscribe": f"<{stop_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


@dataclass(frozen=True)
class _Outcome:
    """What came of one claimed row: written back grouped, a few queries whatever the count."""

    outcome: NotificationOutcome
    error: str = ""
    channel: str | None = None  # set when push fell back to email
    address: str | None = None


def _failed(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:300]


def _send_email(rows: list[Notification], patients: dict[int, Patient], notes: dict[int, str]):
    """Send these rows by email over one connection; the outcome of each, by id."""
    if not rows:
        return {}
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as error:  # noqa: BLE001 - the mail server is down: every one failed
        return {n.pk: _Outcome(NotificationOutcome.FAILED, _failed(error)) for n in rows}
    outcomes = {}
    try:
        for notification in rows:
            note = notes.get(notification.pk, "")
            try:
                connection.send_messages([_email(notification, patients[notification.patient_id])])
            except Exception as error:  # noqa: BLE001 - any failure is recorded, the run goes on
                failure = f"{note} {_failed(error)}".strip()[:300]
                outcomes[notification.pk] = _Outcome(NotificationOutcome.FAILED, failure)
                continue
            outcomes[notification.pk] = (
                # Push did not reach a browser: sent by email after all.
                _Outcome(
                    NotificationOutcome.SENT,
                    f"{note} Sent by email instead."[:300],
                    ReminderChannel.EMAIL,
                    notification.address,
                )
                if note
                else _Outcome(NotificationOutcome.SENT)
            )
    finally:
        connection.close()
    return outcomes


def _send_push(rows: list[Notification]) -> tuple[dict[int, _Outcome], dict[int, str]]:
    """Push these rows to every browser of each patient (their subscriptions read at once).

    The outcome of each row pushed to at least one browser, or failed with no email to fall back
    to; and the rows to send by email instead, with what went wrong."""
    outcomes: dict[int, _Outcome] = {}
    fallback: dict[int, str] = {}
    browsers = defaultdict(list)
    configured = push_configured()
    if configured:
        recipients = {n.recipient_id for n in rows}
        for subscription in PushSubscription.objects.filter(user_id__in=recipients):
            browsers[subscription.user_id].append(subscription)
    payload = reminder_push_payload(checkin_url=reverse("tracker:checkin"))
    ttl = int(LATE_LIMIT.total_seconds())
    everything = []
    with push_session() as session:
        for notification in rows:
            deliveries = [
                deliver(subscription=s, payload=payload, ttl=ttl, session=session)
                for s in browsers[notification.recipient_id]
            ]
            everything += deliveries
            result = push_result(deliveries)
            summary = result.summary if configured else "Push: not set up on this server."
            if result.sent:
                outcomes[notification.pk] = _Outcome(NotificationOutcome.SENT, summary)
            elif notification.recipient.email:
                notification.address = notification.recipient.email
                fallback[notification.pk] = summary
            else:
                outcomes[notification.pk] = _Outcome(NotificationOutcome.FAILED, summary)
    deliveries_record(everything)
    return outcomes, fallback


def _record(claim: uuid.UUID, outcomes: dict[int, _Outcome]) -> None:
    """Write each row's outcome: one update per distinct outcome, not per row."""
    groups: dict[_Outcome, list[int]] = defaultdict(list)
    for pk, outcome in outcomes.items():
        groups[outcome].append(pk)
    sent_at = timezone.now()
    for outcome, pks in groups.items():
        fields = {"outcome": outcome.outcome, "error": outcome.error}
        if outcome.outcome == NotificationOutcome.SENT:
            fields["sent_at"] = sent_at
        if outcome.channel:
            fields |= {"channel": outcome.channel, "address": outcome.address}
        Notification.objects.filter(claim=claim, pk__in=pks).update(**fields)


def reminders_send(*, now: dt.datetime) -> ReminderRun:
    """Send every reminder due at `now` that no other run has claimed; record each outcome."""
    claim = uuid.uuid4()
    due = _due_notifications(now, claim)
    if not due:
        return ReminderRun(due=0, sent=0, failed=0, skipped=0)
    patients = {n.patient_id: n.patient for n in due}
    # The claim: a row another run inserted first is left alone, and this run does not send it.
    Notification.objects.bulk_create(due, ignore_conflicts=True)
    mine = list(Notification.objects.filter(claim=claim).select_related("recipient").order_by("pk"))
    push_rows = [n for n in mine if n.channel == ReminderChannel.PUSH]
    outcomes, fallback = _send_push(push_rows) if push_rows else ({}, {})
    by_email = [n for n in mine if n.channel == ReminderChannel.EMAIL or n.pk in fallback]
    outcomes |= _send_email(by_email, patients, fallback)
    _record(claim, outcomes)
    failed = sum(o.outcome == NotificationOutcome.FAILED for o in outcomes.values())
    return ReminderRun(
        due=len(due),
        sent=len(mine) - failed,
        failed=failed,
        skipped=len(due) - len(mine),
    )
