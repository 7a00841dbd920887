"""Every demo patient has email reminders on at 19:00 in their own time zone, so `make run`
shows a reminder in the console for each one who has not checked in that evening."""

import datetime as dt

from tracker.demo.people import CLINIC_NAME, SECOND_CLINIC_NAME
from tracker.models import Patient
from tracker.services.reminders import reminder_preference_for, reminder_preference_set


def seed_reminders() -> int:
    """Reminders on at 19:00 for every patient of the demo clinics (all have an email)."""
    count = 0
    demo = Patient.objects.filter(clinic__name__in=[CLINIC_NAME, SECOND_CLINIC_NAME])
    for patient in demo.select_related("user", "clinic").exclude(user__email=""):
        current = reminder_preference_for(patient=patient)
        reminder_preference_set(
            patient=patient,
            enabled=True,
            remind_at=dt.time(19, 0),
            quiet_start=current.quiet_start,
            quiet_end=current.quiet_end,
            follow_up_hours=current.follow_up_hours,
        )
        count += 1
    return count
