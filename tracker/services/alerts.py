"""Tell the care team of each new warning sign, and escalate one left unacknowledged, exactly once
(`manage.py send_reminders` runs it beside the reminders; docs/alerts.md).

One run: read the open warning signs recent enough to act on (with their patients and clinics),
the care teams' clinicians (an email to each with an address, a push to each with notifications
on), and the alert notifications already claimed (four queries, whatever the number of alerts or
patients); decide with the pure rules in `tracker/rules/alerts.py` what is due; claim it by
inserting its Notification row (unique per alert, clinician, kind and channel; one escalation
per alert), so a second run at the same time inserts nothing; then send only the rows this run
claimed and record each outcome.

An alert acknowledged before the run reads it is not told or escalated. A discharged patient's
warning sign is told like any other: a red flag is a red flag, and the clinician decides.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.urls import reverse

from tracker.models import (
    CareTeamMembership,
    Notification,
    PushSubscription,
    Role,
    WarningSignAlert,
)
from tracker.rules.alerts import (
    ESCALATION_SUBJECT,
    HORIZON,
    TEAM_PUSH_BODY,
    TEAM_PUSH_TITLE,
    TEAM_SUBJECT,
    escalation_body,
    escalation_due,
    team_alert_due,
    team_body,
)
from tracker.rules.reminders import ALERT_KINDS, NotificationKind, ReminderChannel
from tracker.selectors.push import push_configured
from tracker.services.delivery import DeliveryRun, Outgoing, notifications_claim_and_send


def _open_alerts(now: dt.datetime) -> list[WarningSignAlert]:
    return list(
        WarningSignAlert.objects.filter(
            acknowledged_at__isnull=True, created_at__gt=now - HORIZON, created_at__lte=now
        )
        .select_related("patient__clinic")
        .order_by("pk")
    )


def _team_rows(alert, clinicians, pushed, claimed, claim, now) -> list[Notification]:
    """An email to each clinician of the team, and a push to each who turned push on."""
    if not team_alert_due(created_at=alert.created_at, now=now):
        return []
    kind = NotificationKind.WARNING_ALERT
    wanted = [(c, ReminderChannel.EMAIL) for c in clinicians if c.email]
    wanted += [(c, ReminderChannel.PUSH) for c in clinicians if c.pk in pushed]
    return [
        Notification(
            patient=alert.patient,
            alert=alert,
            recipient=clinician,
            kind=kind,
            channel=channel,
            local_day=alert.day,
            address=clinician.email if channel == ReminderChannel.EMAIL else "",
            claim=claim,
        )
        for clinician, channel in wanted
        if (alert.pk, clinician.pk, kind, channel) not in claimed
    ]


def _escalation_row(alert, claimed, claim, now) -> Notification | None:
    clinic = alert.patient.clinic
    kind = NotificationKind.ESCALATION
    if (
        not clinic.escalation_email
        or (alert.pk, None, kind, ReminderChannel.EMAIL) in claimed
        or not escalation_due(
            created_at=alert.created_at, now=now, hours=clinic.alert_escalation_hours
        )
    ):
        return None
    return Notification(
        patient=alert.patient,
        alert=alert,
        recipient=None,
        kind=kind,
        channel=ReminderChannel.EMAIL,
        local_day=alert.day,
        address=clinic.escalation_email,
        claim=claim,
    )


def _due_notifications(now: dt.datetime, claim: uuid.UUID) -> list[Notification]:
    """What is due at `now`: an email to each care-team clinician, and escalations."""
    alerts = _open_alerts(now)
    if not alerts:
        return []
    teams: dict[int, list] = {}
    for membership in (
        CareTeamMembership.objects.filter(
            patient_id__in={a.patient_id for a in alerts},
            clinician__is_active=True,
            clinician__role=Role.CLINICIAN,
        )
        .select_related("clinician")
        .order_by("clinician_id")
    ):
        teams.setdefault(membership.patient_id, []).append(membership.clinician)
    members = {c.pk for team in teams.values() for c in team}
    pushed = (
        set(
            PushSubscription.objects.filter(user_id__in=members)
            .values_list("user_id", flat=True)
            .distinct()
        )
        if members and push_configured()
        else set()
    )
    # The escalation's recipient is None, so it is (alert, None, kind, channel) here.
    claimed = set(
        Notification.objects.filter(alert__in=alerts, kind__in=ALERT_KINDS).values_list(
            "alert_id", "recipient_id", "kind", "channel"
        )
    )
    due = []
    for alert in alerts:
        due += _team_rows(alert, teams.get(alert.patient_id, []), pushed, claimed, claim, now)
        escalation = _escalation_row(alert, claimed, claim, now)
        if escalation is not None:
            due.append(escalation)
    return due


def _words(notification: Notification) -> Outgoing:
    # The dashboard, where open warning signs are on top: the link names no patient.
    url = settings.SITE_URL + reverse("tracker:patient_list")
    if notification.kind == NotificationKind.ESCALATION:
        clinic = notification.patient.clinic
        body = escalation_body(clinic=clinic.name, hours=clinic.alert_escalation_hours, url=url)
        return Outgoing(subject=ESCALATION_SUBJECT, body=body, url=url)
    if notification.channel == ReminderChannel.PUSH:
        return Outgoing(
            subject=TEAM_PUSH_TITLE,
            body="",
            url=url,
            push_body=TEAM_PUSH_BODY,
            tag="parstrack-alert",
        )
    return Outgoing(subject=TEAM_SUBJECT, body=team_body(url=url), url=url)


def alerts_send(*, now: dt.datetime) -> DeliveryRun:
    """Tell the care teams of new warning signs and escalate overdue ones, once; record each."""
    claim = uuid.uuid4()
    return notifications_claim_and_send(_due_notifications(now, claim), claim=claim, words=_words)
