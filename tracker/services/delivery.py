"""Claim the notifications a run found due, deliver the ones it claimed by their channel, and
record each outcome (reminders and warning-sign alerts alike: docs/reminders.md, docs/alerts.md).

A run claims its rows first (each kind's unique constraint lets only one run insert a row), then
sends only those, with what each one says (`Outgoing`). Push rows go to every browser of their
recipient (their subscriptions read once for the run); a reminder no browser took goes by email
instead where there is an address. Outcomes are written back grouped, a few queries whatever the
number of rows.
"""

import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from tracker.models import Notification, PushSubscription
from tracker.rules.reminders import REMINDER_KINDS, NotificationOutcome, ReminderChannel
from tracker.selectors.push import push_configured
from tracker.services.web_push import deliver, deliveries_record, push_result, push_session


@dataclass(frozen=True)
class Outgoing:
    """What one notification says, whatever the channel: an email sends the subject and the body
    (with any headers); a push shows the subject and `push_body` and opens the url's path."""

    subject: str
    body: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    push_body: str = ""
    tag: str = "parstrack"
    # Seconds a push service may hold a push for a phone that is off.
    ttl: int = 2 * 60 * 60

    @property
    def push_payload(self) -> dict[str, str]:
        # A path on this site: the service worker opens nothing else.
        path = urlsplit(self.url).path or "/"
        return {"title": self.subject, "body": self.push_body, "url": path, "tag": self.tag}


Words = Callable[[Notification], Outgoing]


@dataclass(frozen=True)
class _Outcome:
    outcome: NotificationOutcome
    error: str = ""
    channel: str | None = None  # set when a push fell back to email
    address: str | None = None


def _error(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:300]


def _send_emails(
    rows: Sequence[Notification], words: Words, notes: dict[int, str]
) -> dict[int, _Outcome]:
    """Email each row to its address over one connection; `notes`: why a push row is here."""
    if not rows:
        return {}
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as error:  # noqa: BLE001 - the mail server is down: every one failed
        return {n.pk: _Outcome(NotificationOutcome.FAILED, _error(error)) for n in rows}
    outcomes = {}
    try:
        for notification in rows:
            said, note = words(notification), notes.get(notification.pk, "")
            message = EmailMessage(
                subject=said.subject,
                body=said.body,
                to=[notification.address],
                headers=said.headers or None,
                connection=connection,
            )
            try:
                connection.send_messages([message])
            except Exception as error:  # noqa: BLE001 - any failure is recorded, the run goes on
                failure = f"{note} {_error(error)}".strip()[:300]
                outcomes[notification.pk] = _Outcome(NotificationOutcome.FAILED, failure)
                continue
            outcomes[notification.pk] = (
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


def _send_pushes(
    rows: Sequence[Notification], words: Words
) -> tuple[dict[int, _Outcome], dict[int, str]]:
    """Push each row to every browser of its recipient. The outcome of each row a browser took
    (or that failed with nothing to fall back to), and the reminders to email instead, with why."""
    outcomes: dict[int, _Outcome] = {}
    fallback: dict[int, str] = {}
    if not rows:
        return outcomes, fallback
    configured = push_configured()
    browsers = defaultdict(list)
    if configured:
        recipients = {n.recipient_id for n in rows}
        for subscription in PushSubscription.objects.filter(user_id__in=recipients):
            browsers[subscription.user_id].append(subscription)
    everything = []
    with push_session() as session:
        for notification in rows:
            said = words(notification)
            deliveries = [
                deliver(subscription=s, payload=said.push_payload, ttl=said.ttl, session=session)
                for s in browsers[notification.recipient_id]
            ]
            everything += deliveries
            result = push_result(deliveries)
            summary = result.summary if configured else "Push: not set up on this server."
            email = notification.recipient.email if notification.recipient_id else ""
            if result.sent:
                outcomes[notification.pk] = _Outcome(NotificationOutcome.SENT, summary)
            elif notification.kind in REMINDER_KINDS and email:
                notification.address = email
                fallback[notification.pk] = summary
            else:
                outcomes[notification.pk] = _Outcome(NotificationOutcome.FAILED, summary[:300])
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


def notifications_deliver(mine: Sequence[Notification], *, claim: uuid.UUID, words: Words) -> int:
    """Send the rows this run claimed by their channels, record each outcome; how many failed."""
    pushes = [n for n in mine if n.channel == ReminderChannel.PUSH]
    outcomes, fallback = _send_pushes(pushes, words)
    emails = [n for n in mine if n.channel == ReminderChannel.EMAIL or n.pk in fallback]
    outcomes |= _send_emails(emails, words, fallback)
    for n in mine:  # a channel nobody can send by fails in words, never pretends it went
        outcomes.setdefault(
            n.pk, _Outcome(NotificationOutcome.FAILED, f"No way to send by {n.channel}.")
        )
    _record(claim, outcomes)
    return sum(o.outcome == NotificationOutcome.FAILED for o in outcomes.values())


@dataclass(frozen=True)
class DeliveryRun:
    due: int
    sent: int
    failed: int
    # Due, but already claimed by a run going on at the same time.
    skipped: int


def notifications_claim_and_send(
    due: Sequence[Notification], *, claim: uuid.UUID, words: Words
) -> DeliveryRun:
    """Insert the due rows (those another run inserted first are left alone), send this run's."""
    if not due:
        return DeliveryRun(due=0, sent=0, failed=0, skipped=0)
    patients = {n.patient_id: n.patient for n in due}
    Notification.objects.bulk_create(due, ignore_conflicts=True)
    mine = list(Notification.objects.filter(claim=claim).select_related("recipient").order_by("pk"))
    for notification in mine:
        # The patient as the run read it (with what `words` needs), not read again.
        notification.patient = patients[notification.patient_id]
    failed = notifications_deliver(mine, claim=claim, words=words)
    return DeliveryRun(
        due=len(due), sent=len(mine) - failed, failed=failed, skipped=len(due) - len(mine)
    )
