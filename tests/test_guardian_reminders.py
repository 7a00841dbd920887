"""A guardian whose scope includes the young person's reminders gets a copy at the young person's
reminder time on a day not logged, once, in words without health data, with a one-click stop;
nobody else does, and the run's queries do not grow with patients."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ClinicFactory, GuardianFactory, PatientFactory, guardian_link
from tests.helpers import at_utc, reminders_on
from tracker.models import DiaryEntry, Notification
from tracker.rules.guardians import ConsentKind, GuardianScope
from tracker.services.guardians import consent_withdraw
from tracker.services.reminder_sending import reminders_send

pytestmark = pytest.mark.django_db

# 19:00 in London on a day in GMT: Maya's reminder time.
AT = "2026-11-02 19:00"
SCOPE = [GuardianScope.PLAN, GuardianScope.REMINDERS]


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://parstrack.example.org"


@pytest.fixture
def parent(patient):
    reminders_on(patient)
    return guardian_link(patient, GuardianFactory(username="asha", first_name="Asha"), scope=SCOPE)


def _to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def test_the_guardian_gets_a_copy_at_the_young_persons_time(patient, parent):
    reminders_send(now=at_utc("2026-11-02 18:59"))
    assert mail.outbox == []

    run = reminders_send(now=at_utc(AT))

    assert run.sent == 2
    (message,) = _to(parent.guardian)
    assert message.subject == "Maya has not done their ParsTrack check-in yet today"
    assert "https://parstrack.example.org/family/" in message.body
    words = message.subject + message.body.split("Stop them")[0]
    for word in ("pain", "spondyl", "brace", "warning", "L5", patient.diagnosis):
        assert word.lower() not in words.lower()
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert len(_to(patient.user)) == 1
    row = Notification.objects.get(recipient=parent.guardian)
    assert (row.kind, row.channel, row.outcome) == ("guardian_reminder", "email", "sent")


def test_it_is_sent_once_however_many_runs(patient, parent):
    reminders_send(now=at_utc(AT))
    reminders_send(now=at_utc("2026-11-02 19:05"))
    reminders_send(now=at_utc("2026-11-02 21:00"))  # the young person's follow-up only

    assert len(_to(parent.guardian)) == 1
    assert len(_to(patient.user)) == 2


def test_a_logged_day_reminds_nobody(patient, parent):
    DiaryEntry.objects.create(patient=patient, day=dt.date(2026, 11, 2), pain_now=2, pain_worst=3)

    reminders_send(now=at_utc(AT))

    assert mail.outbox == []


def test_a_guardian_without_reminders_in_their_scope_gets_none(patient, patients_guardian):
    reminders_on(patient)

    reminders_send(now=at_utc(AT))

    assert _to(patients_guardian) == [] and len(_to(patient.user)) == 1


def test_a_withdrawn_link_gets_none(patient, parent):
    consent_withdraw(link=parent, kind=ConsentKind.ASSENT, by=patient.user)

    reminders_send(now=at_utc(AT))

    assert _to(parent.guardian) == []


def test_the_guardian_stops_them_with_one_click_and_the_young_person_keeps_theirs(
    client, patient, parent
):
    reminders_send(now=at_utc(AT))
    (message,) = _to(parent.guardian)
    stop = message.extra_headers["List-Unsubscribe"].strip("<>")
    path = stop.removeprefix("https://parstrack.example.org")

    shown = client.get(path)
    assert shown.status_code == 200 and "Stop Maya's check-in reminders?" in shown.text
    parent.refresh_from_db()
    assert parent.gets_reminders  # opening the link (a link checker) stops nothing
    stopped = client.post(path)

    assert stopped.status_code == 200 and "Reminders stopped" in stopped.text
    parent.refresh_from_db()
    assert not parent.gets_reminders and parent.sees_plan
    mail.outbox.clear()
    reminders_send(now=at_utc("2026-11-03 19:00"))
    assert _to(parent.guardian) == [] and len(_to(patient.user)) == 1


def test_a_forged_stop_link_is_a_404(client):
    assert client.post("/family/reminders/stop/not-a-token/").status_code == 404


def _queries_for(count: int, label: str) -> int:
    clinic = ClinicFactory(name=f"{label} clinic", time_zone="Europe/London")
    for _n in range(count):
        young = PatientFactory(clinic=clinic, date_of_birth=dt.date(2012, 1, 1))
        reminders_on(young)
        guardian_link(young, scope=SCOPE)
    with CaptureQueriesContext(connection) as queries:
        reminders_send(now=at_utc(AT))
    DiaryEntry.objects.all().delete()
    return len(queries)


def test_the_runs_queries_do_not_grow_with_guardians():
    few = _queries_for(2, "few")
    Notification.objects.all().delete()
    many = _queries_for(8, "many")

    assert many == few
