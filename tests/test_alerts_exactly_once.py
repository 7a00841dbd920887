"""Two scheduler runs at once tell each care-team clinician of a warning sign once, and escalate
it once: each row is claimed (inserted under a unique constraint on alert, clinician, kind and
channel, or on alert and kind for the escalation) before the email goes.

Runs on PostgreSQL, where two runs really write at once (the SQLite test database is in memory,
one connection only); the sequential double run is in test_alerts_sending.py.
"""

from tests.helpers import (
    alerts_with_teams,
    at_utc,
    file_backend_recipients,
    in_threads_at_once,
    needs_concurrent_writers,
    send_reminders_in_two_processes,
)
from tracker.models import Notification
from tracker.services.alerts import alerts_send

pytestmark = needs_concurrent_writers()

DUTY = "duty@race.example.org"
RAISED = "2026-11-02 10:00"


def test_runs_in_threads_at_once_tell_each_clinician_once_and_escalate_once(transactional_db):
    from django.core import mail

    team = alerts_with_teams(
        30, label="race", raised=RAISED, escalation_email=DUTY, alert_escalation_hours=1
    )

    told = in_threads_at_once(lambda: alerts_send(now=at_utc("2026-11-02 10:01")))
    escalated = in_threads_at_once(lambda: alerts_send(now=at_utc("2026-11-02 11:00")))

    assert sum(r.sent for r in told) == len(team) == 60
    assert sum(r.sent for r in escalated) == 30
    assert sorted(m.to[0] for m in mail.outbox) == sorted(team + [DUTY] * 30)
    assert Notification.objects.filter(outcome="sent").count() == 90


def test_two_scheduler_processes_at_once_tell_each_clinician_once(transactional_db, tmp_path):
    team = alerts_with_teams(40, label="race", raised=RAISED)

    send_reminders_in_two_processes("2026-11-02T10:01:00+00:00", tmp_path)

    assert sorted(file_backend_recipients(tmp_path)) == sorted(team)
    assert Notification.objects.filter(outcome="sent").count() == len(team)
