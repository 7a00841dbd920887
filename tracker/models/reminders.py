"""A patient's check-in reminder settings, and every notification sent: reminders to patients and
warning signs told to the care team or escalated (docs/reminders.md, docs/alerts.md)."""

from django.db import models
from django.db.models import Q

from tracker.models.checkin import WarningSignAlert
from tracker.models.people import Patient, User
from tracker.rules.reminders import (
    ALERT_KINDS,
    DEFAULT_FOLLOW_UP_HOURS,
    DEFAULT_QUIET_END,
    DEFAULT_QUIET_START,
    DEFAULT_REMIND_AT,
    FOLLOW_UP_HOURS,
    REMINDER_KINDS,
    NotificationKind,
    NotificationOutcome,
    ReminderChannel,
    ReminderPlan,
)


class ReminderPreference(models.Model):
    """When and how a patient is reminded of a day not yet logged; times are their own zone's."""

    patient = models.OneToOneField(
        Patient, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    enabled = models.BooleanField(default=False)
    # Stored so a second channel (web push) is a new choice, not a new model.
    channel = models.CharField(
        max_length=20, choices=ReminderChannel, default=ReminderChannel.EMAIL
    )
    remind_at = models.TimeField(default=DEFAULT_REMIND_AT)
    quiet_start = models.TimeField(null=True, blank=True, default=DEFAULT_QUIET_START)
    quiet_end = models.TimeField(null=True, blank=True, default=DEFAULT_QUIET_END)
    follow_up_hours = models.PositiveSmallIntegerField(
        null=True, blank=True, default=DEFAULT_FOLLOW_UP_HOURS
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=ReminderChannel.values), name="reminder_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(quiet_start__isnull=True, quiet_end__isnull=True)
                | (
                    Q(quiet_start__isnull=False, quiet_end__isnull=False)
                    & ~Q(quiet_start=models.F("quiet_end"))
                ),
                name="reminder_quiet_hours_both_and_distinct",
            ),
            models.CheckConstraint(
                condition=Q(follow_up_hours__isnull=True) | Q(follow_up_hours__in=FOLLOW_UP_HOURS),
                name="reminder_follow_up_hours_valid",
            ),
        ]

    def __str__(self) -> str:
        state = f"on at {self.remind_at:%H:%M}" if self.enabled else "off"
        return f"Reminders for {self.patient}: {state}"

    @property
    def plan(self) -> ReminderPlan:
        return ReminderPlan(self.remind_at, self.quiet_start, self.quiet_end, self.follow_up_hours)


class Notification(models.Model):
    """One notification sent (or tried): to whom, when, how, and what came of it."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="notifications")
    # Nobody for an escalation: it goes to the clinic's escalation address, kept in `address`.
    recipient = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind)
    channel = models.CharField(max_length=20, choices=ReminderChannel)
    # The warning sign a care-team alert or an escalation is about; none for a reminder.
    alert = models.ForeignKey(
        WarningSignAlert,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    # The patient's calendar day the reminder (or the warning sign) is for (their time zone).
    local_day = models.DateField()
    address = models.CharField(max_length=254, blank=True)
    # The scheduler run that claimed it: a run sends only what it claimed.
    claim = models.UUIDField(db_index=True)
    outcome = models.CharField(
        max_length=20, choices=NotificationOutcome, default=NotificationOutcome.PENDING
    )
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Exactly once: a run inserts this row before it sends, and a second run's insert of
            # the same reminder fails here, so it never sends it (docs/reminders.md).
            models.UniqueConstraint(
                fields=["patient", "local_day", "kind"],
                condition=Q(kind__in=[NotificationKind.REMINDER, NotificationKind.FOLLOW_UP]),
                name="notification_reminder_once_a_day",
            ),
            # A guardian's copy of the young person's reminder: once a day to each guardian.
            models.UniqueConstraint(
                fields=["patient", "recipient", "local_day"],
                condition=Q(kind=NotificationKind.GUARDIAN_REMINDER),
                name="notification_guardian_reminder_once_a_day",
            ),
            # The same claim for a warning sign: once per clinician and channel, and one
            # escalation per alert (docs/alerts.md).
            models.UniqueConstraint(
                fields=["alert", "recipient", "kind", "channel"],
                condition=Q(kind=NotificationKind.WARNING_ALERT),
                name="notification_alert_once_per_recipient",
            ),
            models.UniqueConstraint(
                fields=["alert", "kind"],
                condition=Q(kind=NotificationKind.ESCALATION),
                name="notification_escalation_once",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values), name="notification_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=REMINDER_KINDS, alert__isnull=True)
                | Q(kind__in=ALERT_KINDS, alert__isnull=False),
                name="notification_alert_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False)
                | (Q(kind=NotificationKind.ESCALATION) & ~Q(address="")),
                name="notification_recipient_or_escalation_address",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=ReminderChannel.values), name="notification_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome="sent", sent_at__isnull=False)
                | (Q(outcome__in=["pending", "failed"]) & Q(sent_at__isnull=True)),
                name="notification_sent_at_matches_outcome",
            ),
        ]
        indexes = [models.Index(fields=["local_day", "kind"], name="notification_day_kind")]

    def __str__(self) -> str:
        to = self.recipient or self.address
        return f"{self.get_kind_display()} to {to} on {self.local_day}: {self.outcome}"
