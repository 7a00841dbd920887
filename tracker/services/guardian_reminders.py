"""A guardian's copy of the young person's check-in reminder (GuardianScope.REMINDERS;
docs/guardians.md): due when the young person's own reminder is, once a day to each guardian
whose link holds at that moment, by email, with a one-click stop. Part of the reminder run
(`tracker/services/reminder_sending.py`): two queries whatever the number of patients."""

import datetime as dt
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.urls import reverse

from tracker.access import link_state_now
from tracker.models import GuardianLink, Notification
from tracker.rules.guardians import LinkState
from tracker.rules.reminders import (
    NotificationKind,
    ReminderChannel,
    guardian_reminder_body,
    guardian_reminder_subject,
)
from tracker.services.delivery import Outgoing
from tracker.services.reminders import guardian_reminder_stop_token


def guardian_copies(
    due: Sequence[Notification], *, now: dt.datetime, claim: uuid.UUID
) -> list[Notification]:
    """For each young person's reminder in `due`, a row for each guardian who gets it."""
    reminders = {n.patient_id: n for n in due if n.kind == NotificationKind.REMINDER}
    if not reminders:
        return []
    links = (
        GuardianLink.objects.open()
        .filter(patient_id__in=reminders, gets_reminders=True, guardian__is_active=True)
        .exclude(guardian__email="")
        .select_related("guardian", "patient__clinic")
        .with_standing_consents()
        .order_by("pk")
    )
    copies = []
    for link in links:
        if link_state_now(link, now) != LinkState.ACTIVE:
            continue
        reminder = reminders[link.patient_id]
        copies.append(
            Notification(
                patient=reminder.patient,
                recipient=link.guardian,
                kind=NotificationKind.GUARDIAN_REMINDER,
                channel=ReminderChannel.EMAIL,
                local_day=reminder.local_day,
                address=link.guardian.email,
                claim=claim,
            )
        )
    return copies


def guardian_words(notification: Notification) -> Outgoing:
    first_name = notification.patient.user.first_name or "The young person"
    stop_url = settings.SITE_URL + reverse(
        "tracker:guardian_reminders_stop",
        args=[
            guardian_reminder_stop_token(
                patient_id=notification.patient_id, guardian_id=notification.recipient_id
            )
        ],
    )
    family_url = settings.SITE_URL + reverse("tracker:family_home")
    return Outgoing(
        subject=guardian_reminder_subject(first_name=first_name),
        body=guardian_reminder_body(
            first_name=first_name, family_url=family_url, stop_url=stop_url
        ),
        url=family_url,
        headers={
            "List-Unsubscribe": f"<{stop_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
