"""Claim the notifications a run found due, deliver the ones it claimed, one small function per
channel, and record each outcome (reminders and warning-sign alerts alike: docs/reminders.md,
docs/alerts.md).

A run claims its rows first (each kind's unique constraint lets only one run insert a row), then
sends only those, with what each one says. Each channel's function sends a batch of rows and
answers the error of each that failed; a channel without a function fails its rows with words
saying so, rather than pretending they went. Web push slots in as one more function.
"""

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from tracker.models import Notification
from tracker.rules.reminders import NotificationOutcome, ReminderChannel


@dataclass(frozen=True)
class Outgoing:
    """What one notification says, whatever the channel: a push shows the subject and opens
    the url; an email sends the subject and the body (with any headers)."""

    subject: str
    body: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)


Words = Callable[[Notification], Outgoing]


def _error(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:300]


def _send_emails(rows: Sequence[Notification], words: Words) -> dict[int, str]:
    """Email each row to its address over one connection; the error of each that failed."""
    failures: dict[int, str] = {}
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as error:  # noqa: BLE001 - the mail server is down: every one failed
        return {n.pk: _error(error) for n in rows}
    try:
        for notification in rows:
            said = words(notification)
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
                failures[notification.pk] = _error(error)
    finally:
        connection.close()
    return failures


# One function a channel: (rows of that channel, their words) -> {row id: error} of the failed.
SENDERS: dict[str, Callable[[Sequence[Notification], Words], dict[int, str]]] = {
    ReminderChannel.EMAIL: _send_emails,
}


def notifications_deliver(mine: Sequence[Notification], *, claim: uuid.UUID, words: Words) -> int:
    """Send the rows this run claimed by their channels, record each outcome; how many failed."""
    failures: dict[int, str] = {}
    for channel in sorted({n.channel for n in mine}):
        rows = [n for n in mine if n.channel == channel]
        sender = SENDERS.get(channel)
        if sender is None:
            failures.update({n.pk: f"No way to send by {channel} yet." for n in rows})
        else:
            failures.update(sender(rows, words))
    Notification.objects.filter(claim=claim).exclude(pk__in=failures).update(
        outcome=NotificationOutcome.SENT, sent_at=timezone.now()
    )
    for pk, error in failures.items():
        Notification.objects.filter(pk=pk).update(outcome=NotificationOutcome.FAILED, error=error)
    return len(failures)


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
    mine = list(Notification.objects.filter(claim=claim).order_by("pk"))
    for notification in mine:
        # The patient as the run read it (with what `words` needs), not read again.
        notification.patient = patients[notification.patient_id]
    failed = notifications_deliver(mine, claim=claim, words=words)
    return DeliveryRun(
        due=len(due), sent=len(mine) - failed, failed=failed, skipped=len(due) - len(mine)
    )
