"""When a check-in reminder is due, what a patient's reminder settings may not be, and its words.

Plain values only: a reminder plan (the patient's choices) and the wall-clock time it is for the
patient, in their own time zone. Comparing wall-clock times is what makes a 19:00 reminder go at
19:00 on both sides of a daylight-saving change (docs/reminders.md).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import TextChoices


class ReminderChannel(TextChoices):
    """How a reminder reaches the patient (docs/reminders.md)."""

    EMAIL = "email", "Email"
    # Web push to every browser the patient turned notifications on in (a PushSubscription).
    PUSH = "push", "Notification on this phone"


class NotificationKind(TextChoices):
    REMINDER = "reminder", "Check-in reminder"
    FOLLOW_UP = "follow_up", "Check-in follow-up"
    # The young person's reminder, to a guardian whose scope includes it (docs/guardians.md).
    GUARDIAN_REMINDER = "guardian_reminder", "Check-in reminder to a guardian"
    # A warning sign told to a care-team clinician, and the same told to the clinic's escalation
    # contact when nobody acknowledged it in time (docs/alerts.md).
    WARNING_ALERT = "warning_alert", "Warning sign: care team told"
    ESCALATION = "escalation", "Warning sign: escalated"


REMINDER_KINDS = (
    NotificationKind.REMINDER,
    NotificationKind.FOLLOW_UP,
    NotificationKind.GUARDIAN_REMINDER,
)
ALERT_KINDS = (NotificationKind.WARNING_ALERT, NotificationKind.ESCALATION)


class NotificationOutcome(TextChoices):
    # Claimed before sending, so two scheduler runs cannot both send it; a run that stops between
    # the claim and the send leaves it pending, and it is never sent twice.
    PENDING = "pending", "Claimed, not yet sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


# A reminder the scheduler reaches later than this (it was down) is dropped, not sent late:
# a "time for your check-in" at midnight would be a surprise, not a help.
LATE_LIMIT = dt.timedelta(hours=2)
FOLLOW_UP_HOURS = (1, 2, 3)
DEFAULT_REMIND_AT = dt.time(19, 0)
DEFAULT_QUIET_START = dt.time(22, 0)
DEFAULT_QUIET_END = dt.time(7, 0)
DEFAULT_FOLLOW_UP_HOURS = 2

# The words carry no health data: no pain, no diagnosis, no answers (issue 15).
SUBJECTS = {
    NotificationKind.REMINDER: "Time for your ParsTrack check-in",
    NotificationKind.FOLLOW_UP: "Time for your ParsTrack check-in",
}


@dataclass(frozen=True)
class ReminderPlan:
    remind_at: dt.time
    quiet_start: dt.time | None = None
    quiet_end: dt.time | None = None
    follow_up_hours: int | None = None


def in_quiet_hours(clock: dt.time, start: dt.time | None, end: dt.time | None) -> bool:
    """Is this time of day inside the quiet hours (which may run past midnight, 22:00-07:00)?"""
    if start is None or end is None:
        return False
    if start < end:
        return start <= clock < end
    return clock >= start or clock < end


def follow_up_time(plan: ReminderPlan) -> dt.time | None:
    """The follow-up's time of day, or None without one (or if it would be the next day)."""
    if not plan.follow_up_hours:
        return None
    minutes = plan.remind_at.hour * 60 + plan.remind_at.minute + 60 * plan.follow_up_hours
    if minutes >= 24 * 60:
        return None
    return dt.time(minutes // 60, minutes % 60)


def due_kind(
    plan: ReminderPlan, local_now: dt.datetime, *, reminder_claimed: bool, follow_up_claimed: bool
) -> NotificationKind | None:
    """What is due now (`local_now` is the patient's wall clock, naive) on a day not yet logged.

    The reminder from its time until LATE_LIMIT after; the follow-up likewise from its time, and
    only after that day's reminder; never in quiet hours."""
    if in_quiet_hours(local_now.time(), plan.quiet_start, plan.quiet_end):
        return None

    def is_due(at: dt.time) -> bool:
        start = dt.datetime.combine(local_now.date(), at)
        return start <= local_now < start + LATE_LIMIT

    if not reminder_claimed:
        return NotificationKind.REMINDER if is_due(plan.remind_at) else None
    later = follow_up_time(plan)
    if later is not None and not follow_up_claimed and is_due(later):
        return NotificationKind.FOLLOW_UP
    return None


def _hhmm(clock: dt.time) -> str:
    return f"{clock:%H:%M}"


def plan_problems(
    *,
    remind_at: dt.time | None,
    quiet_start: dt.time | None,
    quiet_end: dt.time | None,
    follow_up_hours: int | None,
) -> dict[str, str]:
    """What does not fit together in these settings, by field, in the patient's words."""
    problems: dict[str, str] = {}
    if remind_at is None:
        problems["remind_at"] = "Choose the time of your reminder."
    if (quiet_start is None) != (quiet_end is None):
        missing = "quiet_end" if quiet_end is None else "quiet_start"
        problems[missing] = "Give both the start and the end of your quiet hours, or neither."
    elif quiet_start is not None and quiet_start == quiet_end:
        problems["quiet_end"] = "Quiet hours must end at a different time from when they start."
    if follow_up_hours is not None and follow_up_hours not in FOLLOW_UP_HOURS:
        problems["follow_up_hours"] = "Choose no follow-up, or one 1, 2 or 3 hours later."
    if problems or remind_at is None:
        return problems
    quiet = f"your quiet hours ({_hhmm(quiet_start)} to {_hhmm(quiet_end)})" if quiet_start else ""
    if in_quiet_hours(remind_at, quiet_start, quiet_end):
        problems["remind_at"] = (
            f"{_hhmm(remind_at)} is inside {quiet}: choose a time outside them, or change them."
        )
        return problems
    plan = ReminderPlan(remind_at, quiet_start, quiet_end, follow_up_hours)
    later = follow_up_time(plan)
    if follow_up_hours and later is None:
        problems["follow_up_hours"] = (
            f"A follow-up {follow_up_hours} h after {_hhmm(remind_at)} would be tomorrow: "
            "choose a shorter wait or an earlier reminder."
        )
    elif later is not None and in_quiet_hours(later, quiet_start, quiet_end):
        problems["follow_up_hours"] = (
            f"The follow-up at {_hhmm(later)} would be inside {quiet}, so it would never come: "
            "choose a shorter wait, no follow-up, or other quiet hours."
        )
    return problems


def reminder_body(*, checkin_url: str, settings_url: str, stop_url: str) -> str:
    """The email's text: where to check in, and how to stop. Nothing about the patient's health."""
    return (
        "Time for your ParsTrack check-in.\n\n"
        "You have not checked in today yet. It takes a minute:\n"
        f"{checkin_url}\n\n"
        "You get this email because check-in reminders are on for your account.\n"
        f"Change the time or turn them off: {settings_url}\n"
        f"Stop them with one click: {stop_url}\n"
    )


def guardian_reminder_subject(*, first_name: str) -> str:
    return f"{first_name} has not done their ParsTrack check-in yet today"


def guardian_reminder_body(*, first_name: str, family_url: str, stop_url: str) -> str:
    """A guardian's copy of the young person's reminder: their first name (the guardian may have
    several young people), that today is not logged, and how to stop. Nothing about health."""
    return (
        f"{first_name} has not done their ParsTrack check-in yet today.\n\n"
        f"You may want to remind them. Your family page: {family_url}\n\n"
        f"You get this email because {first_name}'s care team set you up to get their check-in "
        "reminders; they and their care team can see that you do.\n"
        f"Stop them with one click: {stop_url}\n"
    )


def reminder_push_payload(*, checkin_url: str) -> dict[str, str]:
    """The push notification's words and where a tap opens: nothing about the patient's health."""
    return {
        "title": "Time for your ParsTrack check-in",
        "body": "You have not checked in today yet. It takes a minute.",
        "url": checkin_url,
        "tag": "parstrack-checkin-reminder",
    }


def plan_summary(plan: ReminderPlan, *, zone: str) -> str:
    """One sentence saying when reminders come, for the settings page and its message."""
    place = zone.replace("_", " ")
    words = f"every day at {_hhmm(plan.remind_at)} ({place}) unless you have checked in"
    later = follow_up_time(plan)
    if later is not None:
        words += f", and once more at {_hhmm(later)} if you still have not"
    return words
