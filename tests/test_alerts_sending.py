"""A warning sign is emailed to each clinician on the patient's care team by the next scheduler
run, in words that name no patient and no symptom, once; left unacknowledged for the clinic's
hours it goes once to the clinic's escalation contact."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import ClinicianFactory
from tests.helpers import alerts_with_teams, at_utc, open_alert
from tracker.models import CareTeamMembership, Notification, WarningSignAlert
from tracker.rules.alerts import ESCALATION_SUBJECT, TEAM_SUBJECT
from tracker.services.alerts import alerts_send
from tracker.services.checkin import alert_acknowledge
from tracker.services.people import patient_discharge

pytestmark = pytest.mark.django_db

RAISED = "2026-11-02 10:00"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://parstrack.example.org"


@pytest.fixture
def physio(patient, clinic):
    """A second clinician on the patient's care team."""
    physio = ClinicianFactory(username="physio.jo", clinic=clinic)
    CareTeamMembership.objects.create(patient=patient, clinician=physio)
    return physio


def _raised(patient, at: str = RAISED) -> WarningSignAlert:
    alert = open_alert(patient)
    WarningSignAlert.objects.filter(pk=alert.pk).update(created_at=at_utc(at))
    alert.refresh_from_db()
    return alert


def _escalating(clinic, hours: int = 4, email: str = "duty@northgate.example.org"):
    clinic.alert_escalation_hours, clinic.escalation_email = hours, email
    clinic.save()


def _to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def test_it_emails_each_care_team_clinician_in_the_next_run(
    patient, clinician, physio, other_clinician
):
    _raised(patient)

    run = alerts_send(now=at_utc("2026-11-02 10:01"))

    assert run.sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([clinician.email, physio.email])
    assert _to(other_clinician.email) == [] and _to(patient.user.email) == []


def test_its_words_name_no_patient_and_no_symptom_and_link_to_the_dashboard(patient):
    _raised(patient)

    alerts_send(now=at_utc("2026-11-02 10:01"))

    (message,) = mail.outbox
    assert message.subject == TEAM_SUBJECT
    assert "https://parstrack.example.org/patients/" in message.body
    words = (message.subject + message.body).lower()
    for secret in ("maya", "patel", "bladder", "bowel", "saddle", "numb", "weak", "cauda"):
        assert secret not in words, secret


def test_it_leaves_out_a_clinician_who_cannot_get_it(patient, clinic, clinician):
    gone = ClinicianFactory(username="left.the.clinic", clinic=clinic, is_active=False)
    silent = ClinicianFactory(username="no.address", clinic=clinic, email="")
    for member in (gone, silent):
        CareTeamMembership.objects.create(patient=patient, clinician=member)
    _raised(patient)

    alerts_send(now=at_utc("2026-11-02 10:01"))

    assert [m.to for m in mail.outbox] == [[clinician.email]]


def test_it_tells_the_team_once_however_many_runs(patient, clinician):
    _raised(patient)

    runs = [alerts_send(now=at_utc(f"2026-11-02 10:0{n}")) for n in range(1, 4)]

    assert [r.sent for r in runs] == [1, 0, 0]
    assert len(mail.outbox) == 1


def test_it_tells_nobody_of_an_alert_acknowledged_before_the_run(patient, clinician):
    alert = _raised(patient)
    alert_acknowledge(alert=alert, by=clinician, now=at_utc("2026-11-02 10:00"))

    run = alerts_send(now=at_utc("2026-11-02 10:01"))

    assert run.due == 0 and mail.outbox == []


def test_it_tells_the_team_of_a_discharged_patients_warning_sign(patient, clinician):
    _raised(patient)
    patient_discharge(patient=patient)

    alerts_send(now=at_utc("2026-11-02 10:01"))

    assert [m.to for m in mail.outbox] == [[clinician.email]]


def test_it_does_not_email_a_warning_sign_more_than_a_day_old(patient):
    _raised(patient, "2026-11-01 09:59")

    run = alerts_send(now=at_utc("2026-11-02 10:00"))

    assert run.due == 0 and mail.outbox == []


def test_it_escalates_exactly_at_the_clinics_hours_and_once(patient, clinic):
    _escalating(clinic, hours=4)
    _raised(patient)
    alerts_send(now=at_utc("2026-11-02 10:01"))
    mail.outbox.clear()

    before = alerts_send(now=at_utc("2026-11-02 13:59"))
    at = alerts_send(now=at_utc("2026-11-02 14:00"))
    after = alerts_send(now=at_utc("2026-11-02 14:05"))

    assert (before.sent, at.sent, after.sent) == (0, 1, 0)
    (message,) = mail.outbox
    assert message.to == ["duty@northgate.example.org"]
    assert message.subject == ESCALATION_SUBJECT
    assert "more than 4 hours ago" in message.body and "Northgate Test Clinic" in message.body
    assert "maya" not in message.body.lower() and "bladder" not in message.body.lower()
    record = Notification.objects.get(kind="escalation")
    assert (record.recipient, record.address, record.outcome) == (
        None,
        "duty@northgate.example.org",
        "sent",
    )


def test_it_does_not_escalate_an_alert_acknowledged_in_time(patient, clinic, clinician):
    _escalating(clinic, hours=2)
    alert = _raised(patient)
    alerts_send(now=at_utc("2026-11-02 10:01"))
    alert_acknowledge(alert=alert, by=clinician, now=at_utc("2026-11-02 11:59"))

    run = alerts_send(now=at_utc("2026-11-02 12:00"))

    assert run.due == 0
    assert not Notification.objects.filter(kind="escalation").exists()


def test_a_clinic_without_an_escalation_contact_escalates_nothing(patient, clinic):
    _escalating(clinic, hours=1, email="")
    _raised(patient)

    runs = [alerts_send(now=at_utc(m)) for m in ("2026-11-02 10:01", "2026-11-02 11:00")]

    assert [r.sent for r in runs] == [1, 0]
    assert not Notification.objects.filter(kind="escalation").exists()


def test_it_records_who_when_how_and_what_came_of_it(patient, clinician):
    alert = _raised(patient)

    alerts_send(now=at_utc("2026-11-02 10:01"))

    (record,) = Notification.objects.filter(alert=alert)
    assert (record.recipient, record.kind, record.channel, record.outcome) == (
        clinician,
        "warning_alert",
        "email",
        "sent",
    )
    assert record.address == clinician.email and record.sent_at is not None


def test_a_failing_mail_server_is_recorded_as_failed_with_its_error(patient, clinic, settings):
    _escalating(clinic, hours=1)
    _raised(patient)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2

    told = alerts_send(now=at_utc("2026-11-02 10:01"))
    escalated = alerts_send(now=at_utc("2026-11-02 11:00"))

    assert (told.failed, escalated.failed) == (1, 1)
    for record in Notification.objects.filter(patient=patient):
        assert record.outcome == "failed" and record.sent_at is None
        assert "Connection" in record.error or "refused" in record.error.lower()


def test_the_command_sends_the_alerts_due_at_the_moment_given(patient, clinician, capsys):
    _raised(patient)

    call_command("send_reminders", "--at", "2026-11-02T10:01:00+00:00")

    assert [m.to for m in mail.outbox] == [[clinician.email]]
    assert "Warning-sign alerts at 2026-11-02T10:01+00:00: 1 sent" in capsys.readouterr().out


def _queries_for_a_run(moment: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        alerts_send(now=at_utc(moment))
    return len(queries)


def test_its_query_count_does_not_grow_with_alerts_or_patients():
    alerts_with_teams(3, label="few", raised=RAISED, escalation_email="duty@few.example.org")
    few = _queries_for_a_run("2026-11-02 10:01")
    escalating_few = _queries_for_a_run("2026-11-02 14:00")
    Notification.objects.all().delete()
    alerts_with_teams(30, label="many", raised=RAISED, escalation_email="duty@many.example.org")
    many = _queries_for_a_run("2026-11-02 10:01")
    escalating_many = _queries_for_a_run("2026-11-02 14:00")

    assert Notification.objects.filter(kind="warning_alert").count() == 2 * 33
    assert few == many and escalating_few == escalating_many


def test_an_alert_raised_now_is_told_by_the_run_now(patient, clinician):
    open_alert(patient)

    alerts_send(now=timezone.now())

    assert [m.to for m in mail.outbox] == [[clinician.email]]
