"""Two scheduler runs at once tell each care-team clinician of a warning sign once, and escalate
it once: each row is claimed (inserted under a unique constraint on alert, clinician, kind and
channel, or on alert and kind for the escalation) before the email goes.

Runs on PostgreSQL, where two runs really write at once (the SQLite test database is in memory,
one connection only); the sequential double run is in test_alerts_sending.py.
"""

import threading
import time

import pytest
from django.db import connection

from tests.factories import ClinicFactory, ClinicianFactory, PatientFactory, UserFactory
from tests.helpers import at_utc, file_backend_recipients, open_alert, run_manage
from tracker.models import CareTeamMembership, Notification, WarningSignAlert
from tracker.services.alerts import alerts_send

pytestmark = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="needs concurrent writers: the SQLite test database is in memory, one connection only; "
    "run with DATABASE_URL=postgres://",
)

DUTY = "duty@race.example.org"


def _alerts(count: int) -> list[str]:
    """Open warning signs raised at 10:00 with a two-clinician team each; the addresses due."""
    clinic = ClinicFactory(name="Race Clinic", escalation_email=DUTY, alert_escalation_hours=1)
    team = [ClinicianFactory(username=f"race.dr{n}", clinic=clinic) for n in range(2)]
    for n in range(count):
        patient = PatientFactory(
            user=UserFactory(username=f"racer{n}"), clinic=clinic, treating_clinician=team[0]
        )
        CareTeamMembership.objects.create(patient=patient, clinician=team[1])
        open_alert(patient)
    WarningSignAlert.objects.update(created_at=at_utc("2026-11-02 10:00"))
    return [c.email for c in team] * count


def _in_threads(moment: str, runners: int = 4) -> list:
    barrier = threading.Barrier(runners)
    runs, errors = [], []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            runs.append(alerts_send(now=at_utc(moment)))
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
    return runs


def test_runs_in_threads_at_once_tell_each_clinician_once_and_escalate_once(transactional_db):
    from django.core import mail

    team_emails = _alerts(30)

    told = _in_threads("2026-11-02 10:01")
    escalated = _in_threads("2026-11-02 11:00")

    assert sum(r.sent for r in told) == len(team_emails) == 60
    assert sum(r.sent for r in escalated) == 30
    assert sorted(m.to[0] for m in mail.outbox) == sorted(team_emails + [DUTY] * 30)
    assert Notification.objects.filter(outcome="sent").count() == 90


def test_two_scheduler_processes_at_once_tell_each_clinician_once(transactional_db, tmp_path):
    team_emails = _alerts(40)
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        "DATABASE_URL": url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path),
    }
    # Both processes start Django first, then run at the same instant.
    start = time.time() + 8
    code = (
        "import time; from django.core.management import call_command; "
        f"time.sleep(max(0, {start} - time.time())); "
        "call_command('send_reminders', '--at', '2026-11-02T10:01:00+00:00')"
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
    assert sorted(file_backend_recipients(tmp_path)) == sorted(team_emails)
    assert Notification.objects.filter(outcome="sent").count() == len(team_emails)
