"""Two send_reminders runs at once send each reminder once: the row is claimed (inserted under a
unique constraint on patient, day and kind) before the email goes.

Runs on PostgreSQL, where two runs really write at once. pytest-django's SQLite test database is
in memory: other threads cannot write it and other processes cannot see it, so the race cannot be
staged there; the sequential double run is in test_reminders_sending.py.
"""

import threading
import time

import pytest
from django.db import connection

from tests.factories import ClinicFactory, PatientFactory, UserFactory
from tests.helpers import at_utc, file_backend_recipients, reminders_on, run_manage
from tracker.models import Notification
from tracker.services.reminder_sending import reminders_send

pytestmark = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="needs concurrent writers: the SQLite test database is in memory, one connection only; "
    "run with DATABASE_URL=postgres://",
)

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
    runners = 4
    barrier = threading.Barrier(runners)
    runs, errors = [], []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            runs.append(reminders_send(now=at_utc(MOMENT)))
        except BaseException as error:  # re-raised in the test thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    assert sum(r.sent for r in runs) == len(patients)
    assert len(mail.outbox) == len(patients)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.user.email for p in patients)
    assert Notification.objects.filter(outcome="sent").count() == len(patients)


def test_two_scheduler_processes_at_once_send_each_reminder_once(transactional_db, tmp_path):
    patients = _due(80)
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        "DATABASE_URL": url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path),
    }
    # Both processes start Django first, then run at the same instant, so each reads what is
    # due before either has claimed anything.
    start = time.time() + 8
    code = (
        "import time; from django.core.management import call_command; "
        f"time.sleep(max(0, {start} - time.time())); "
        "call_command('send_reminders', '--at', '2026-11-02T19:00:00+00:00')"
    )

    results = []
    threads = [
        threading.Thread(
            target=lambda: results.append(run_manage("shell", "--no-imports", "-c", code, **env))
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=150)

    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    addresses = file_backend_recipients(tmp_path)
    assert sorted(addresses) == sorted(p.user.email for p in patients)
    assert Notification.objects.filter(outcome="sent").count() == len(patients)
