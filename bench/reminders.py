"""`send_reminders` at clinic scale: patients with reminders on, all due at the same moment, one
run timed with its queries counted (docs/benchmarks.md). Its own clinic, so it adds to any bench
database without touching the main scenario's patients."""

import datetime as dt
import time

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from tracker.models import Clinic, Patient, ReminderPreference, Role, User
from tracker.services.reminder_sending import reminders_send

CLINIC = "Reminder benchmark clinic"
# A winter evening far from any generated check-in: 19:00 in London is 19:00 UTC.
FIRST_MOMENT = dt.datetime(2031, 1, 14, 19, 0, tzinfo=dt.UTC)


@transaction.atomic
def add_patients(count: int) -> int:
    """Bring the benchmark clinic up to `count` patients with email reminders on at 19:00."""
    clinic, _ = Clinic.objects.get_or_create(name=CLINIC, defaults={"time_zone": "Europe/London"})
    clinician, _ = User.objects.get_or_create(
        username="reminder.bench.clinician", defaults={"role": Role.CLINICIAN, "clinic": clinic}
    )
    have = Patient.objects.filter(clinic=clinic).count()
    password = make_password(None)
    users = User.objects.bulk_create(
        User(
            username=f"reminder.bench.{n}",
            email=f"reminder.bench.{n}@example.org",
            role=Role.PATIENT,
            password=password,
        )
        for n in range(have, count)
    )
    day = dt.date(2030, 1, 1)
    patients = Patient.objects.bulk_create(
        Patient(
            user=user,
            clinic=clinic,
            date_of_birth=dt.date(2008, 1, 1),
            conservative_care_started=day,
            enrolled_on=day,
            treating_clinician=clinician,
        )
        for user in users
    )
    ReminderPreference.objects.bulk_create(
        ReminderPreference(patient=patient, enabled=True) for patient in patients
    )
    return Patient.objects.filter(clinic=clinic).count()


def timed_run(moment: dt.datetime) -> dict:
    """One run at `moment`, emails to memory: seconds, queries, how many sent."""
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
        CaptureQueriesContext(connection) as queries,
    ):
        started = time.monotonic()
        run = reminders_send(now=moment)
        seconds = time.monotonic() - started
    return {"seconds": round(seconds, 2), "queries": len(queries), "sent": run.sent}


def bench_reminders(sizes: list[int]) -> list[dict]:
    """A run for each size (ascending), each on its own day so every patient is due."""
    results = []
    for n, size in enumerate(sorted(sizes)):
        patients = add_patients(size)
        result = timed_run(FIRST_MOMENT + dt.timedelta(days=n))
        results.append({"patients": patients, **result})
    return results
