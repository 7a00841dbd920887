"""The open warning signs a clinician sees on the dashboard, each with what was sent about it
(docs/dashboard.md): one query, whatever the number of alerts."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.utils import timezone

from tracker.models import WarningSignAlert
from tracker.rules.alerts import AlertTold, escalation_time, told_words
from tracker.rules.reminders import NotificationKind, NotificationOutcome


@dataclass(frozen=True)
class OpenAlert:
    alert: WarningSignAlert
    told: str  # "Care team emailed at 10:01. Not escalated; it will be at 14:00 if still open."


def _told(alert: WarningSignAlert, now: dt.datetime) -> str:
    zone = alert.patient.zone
    clinic = alert.patient.clinic

    def local(moment: dt.datetime | None) -> dt.datetime | None:
        return moment.astimezone(zone) if moment is not None else None

    due = escalation_time(created_at=alert.created_at, hours=clinic.alert_escalation_hours)
    return told_words(
        AlertTold(
            now=now.astimezone(zone),
            team_emailed_at=local(alert.team_emailed_at),
            team_failed=alert.team_failed > 0,
            escalated_at=local(alert.escalated_at),
            escalation_at=local(due) if clinic.escalation_email else None,
        )
    )


def open_alerts(patient_ids: Iterable[int], *, now: dt.datetime | None = None) -> list[OpenAlert]:
    """These patients' unacknowledged warning signs, oldest first, with what was sent."""
    now = now or timezone.now()
    sent = Q(notifications__outcome=NotificationOutcome.SENT)
    team = Q(notifications__kind=NotificationKind.WARNING_ALERT)
    escalation = Q(notifications__kind=NotificationKind.ESCALATION)
    failed = Q(notifications__outcome=NotificationOutcome.FAILED)
    alerts = (
        WarningSignAlert.objects.filter(patient_id__in=patient_ids, acknowledged_at__isnull=True)
        .select_related("patient__user", "patient__clinic")
        .annotate(
            team_emailed_at=Min("notifications__sent_at", filter=sent & team),
            team_failed=Count("notifications", filter=failed & team),
            escalated_at=Min("notifications__sent_at", filter=sent & escalation),
        )
        .order_by("created_at")
    )
    return [OpenAlert(alert, _told(alert, now)) for alert in alerts]
