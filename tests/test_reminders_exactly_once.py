"""Two send_reminders runs at once send each reminder once: the row is claimed (inserted under a
unique constraint on patient, day and kind) before the email goes.

Runs on PostgreSQL, where two runs really write at once. pytest-django's SQLite test database is
in memory: other threads cannot write it and other processes cannot see it, so the race cannot be
staged there; the sequential double run is in test_reminders_sending.py.
"""

from tests.factories import ClinicFactory, PatientFactory, UserFactory
from tests.helpers import (
    at_utc,
    file_backend_recipients,
    in_threads_at_once,
    needs_concurrent_writers,
    reminders_on,
    send_reminders_in_two_processes,
)
from tracker.models import Notification
from tracker.services.reminder_sending import reminders_send

pytestmark = needs_concurrent_writers()

MOMENT = "2026-11-02 19:00"


def _due(count: int) -> list:
    clinic = ClinicFactory(name="Race Clinic", time_zone="Europe/London")
    patients = [
        PatientFactory(user=UserFactory(username=f"racer{n}"), clinic=clinic) for n in range(count)
    ]
    for patient in patients:
        reminders_on(patient)
    return patients


def test_runs_in_threads_at_once_send_each_reminder_once(transactional_db, settings):
    from django.core import mail

    patients = _due(60)

    runs = in_threads_at_once(lambda: reminders_send(now=at_utc(MOMENT)))

    assert sum(r.sent for r in runs) == len(patients)
    assert len(mail.outbox) == len(patients)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.user.email for p in patients)
    assert Notification.objects.filter(outcome="sent").count() == len(patients)


def test_two_scheduler_processes_at_once_send_each_reminder_once(transactional_db, tmp_path):
    patients = _due(80)

    send_reminders_in_two_processes("2026-11-02T19:00:00+00:00", tmp_path)

    addresses = file_backend_recipients(tmp_path)
    assert sorted(addresses) == sorted(p.user.email for p in patients)
    assert Notification.objects.filter(outcome="sent").count() == len(patients)
