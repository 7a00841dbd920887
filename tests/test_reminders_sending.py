"""send_reminders: a reminder at the patient's own 19:00 on a day not logged, once, in words
that carry no health data, with a one-click way to stop."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ClinicFactory, PatientFactory, UserFactory
from tests.helpers import at_utc, reminders_on
from tracker.models import DiaryEntry, Notification
from tracker.services.people import patient_discharge
from tracker.services.reminder_sending import reminders_send

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://parstrack.example.org"


def _patient_in(zone: str, username: str):
    clinic = ClinicFactory(name=f"Clinic in {zone}", time_zone=zone)
    return PatientFactory(user=UserFactory(username=username), clinic=clinic)


def _sent_to(patient) -> list:
    return [m for m in mail.outbox if m.to == [patient.user.email]]


def _log(patient, day: dt.date) -> None:
    DiaryEntry.objects.create(patient=patient, day=day, pain_now=3, pain_worst=4)


@pytest.fixture
def london():
    patient = _patient_in("Europe/London", "london.lou")
    reminders_on(patient)
    return patient


@pytest.fixture
def sydney():
    patient = _patient_in("Australia/Sydney", "sydney.sam")
    reminders_on(patient)
    return patient


# London's clocks go back on 25 Oct 2026 (BST UTC+1 -> GMT UTC+0); Sydney's go forward on
# 4 Oct 2026 (AEST UTC+10 -> AEDT UTC+11). 19:00 local is a different UTC hour each side.
@pytest.mark.parametrize(
    ("zone", "before_early", "before", "after_early", "after"),
    [
        ("london", "2026-10-24 17:00", "2026-10-24 18:00", "2026-10-25 18:00", "2026-10-25 19:00"),
        ("sydney", "2026-10-03 08:00", "2026-10-03 09:00", "2026-10-04 07:00", "2026-10-04 08:00"),
    ],
    ids=["london-clocks-back", "sydney-clocks-forward"],
)
def test_it_reminds_at_19_local_on_both_sides_of_a_clock_change(
    request, zone, before_early, before, after_early, after
):
    patient = request.getfixturevalue(zone)

    reminders_send(now=at_utc(before_early))
    assert _sent_to(patient) == []
    reminders_send(now=at_utc(before))
    assert len(_sent_to(patient)) == 1
    reminders_send(now=at_utc(after_early))
    assert len(_sent_to(patient)) == 1
    reminders_send(now=at_utc(after))
    assert len(_sent_to(patient)) == 2

    days = Notification.objects.filter(patient=patient).values_list("local_day", flat=True)
    assert sorted(days) == [at_utc(before).date(), at_utc(after).date()]


def test_it_sends_no_reminder_for_a_day_already_logged(london):
    _log(london, dt.date(2026, 10, 25))

    reminders_send(now=at_utc("2026-10-25 19:00"))
    reminders_send(now=at_utc("2026-10-25 21:00"))

    assert _sent_to(london) == []


def test_it_sends_nothing_after_discharge(london):
    patient_discharge(patient=london, on=dt.date(2026, 10, 20))

    reminders_send(now=at_utc("2026-10-25 19:00"))

    assert _sent_to(london) == []


def test_it_sends_one_follow_up_if_the_day_is_still_not_logged(london):
    for hour in range(19, 24):
        reminders_send(now=at_utc(f"2026-11-02 {hour}:00"))

    kinds = [n.kind for n in Notification.objects.filter(patient=london).order_by("pk")]
    assert kinds == ["reminder", "follow_up"]
    assert len(_sent_to(london)) == 2


def test_it_sends_no_follow_up_once_the_day_is_logged(london):
    reminders_send(now=at_utc("2026-11-02 19:00"))
    _log(london, dt.date(2026, 11, 2))

    reminders_send(now=at_utc("2026-11-02 21:00"))

    assert len(_sent_to(london)) == 1


def test_it_sends_nothing_in_quiet_hours(london):
    reminders_on(london, remind_at=dt.time(6, 30), quiet_start=dt.time(22), quiet_end=dt.time(7))

    reminders_send(now=at_utc("2026-11-02 06:30"))
    reminders_send(now=at_utc("2026-11-02 06:45"))

    assert _sent_to(london) == []


def test_it_does_not_send_a_reminder_hours_late(london):
    reminders_send(now=at_utc("2026-11-02 21:30"))

    assert _sent_to(london) == []


def test_it_sends_nothing_to_a_patient_who_turned_reminders_off(london):
    reminders_on(london, enabled=False)

    reminders_send(now=at_utc("2026-11-02 19:00"))

    assert _sent_to(london) == []


def test_its_words_carry_no_health_data_and_offer_a_one_click_stop(london):
    reminders_send(now=at_utc("2026-11-02 19:00"))

    (message,) = _sent_to(london)
    assert message.subject == "Time for your ParsTrack check-in"
    assert "https://parstrack.example.org/checkin/" in message.body
    # The words, not the links: a signed stop token may hold "l5" by chance.
    words = re.sub(r"https://\S+", "", message.subject + " " + message.body).lower()
    for word in ("pain", "L5", "spondyl", "brace", "warning", london.diagnosis):
        assert word.lower() not in words
    stop = message.extra_headers["List-Unsubscribe"]
    assert stop.startswith("<https://parstrack.example.org/reminders/stop/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert stop.strip("<>") in message.body


def test_it_records_who_when_how_and_what_came_of_it(london):
    reminders_send(now=at_utc("2026-11-02 19:00"))

    (record,) = Notification.objects.filter(patient=london)
    assert (record.recipient, record.channel, record.outcome) == (london.user, "email", "sent")
    assert record.sent_at is not None and record.address == london.user.email


def test_it_records_a_failed_send_as_failed_and_does_not_resend_it(london, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2

    reminders_send(now=at_utc("2026-11-02 19:00"))
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reminders_send(now=at_utc("2026-11-02 19:05"))

    (record,) = Notification.objects.filter(patient=london)
    assert record.outcome == "failed" and record.sent_at is None
    assert "Connection" in record.error or "refused" in record.error.lower()
    assert _sent_to(london) == []


def test_a_second_run_at_the_same_moment_sends_nothing_again(london, sydney):
    first = reminders_send(now=at_utc("2026-11-02 19:00"))
    second = reminders_send(now=at_utc("2026-11-02 19:00"))

    assert (first.sent, second.sent) == (1, 0)
    assert len(_sent_to(london)) == 1


def test_the_command_acts_as_if_it_were_the_moment_given(london, capsys):
    call_command("send_reminders", "--at", "2026-11-02T19:00:00+00:00")

    assert len(_sent_to(london)) == 1
    assert "1 sent" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["tomorrow", "2026-11-02T19:00"], ids=["not-a-date", "naive"])
def test_the_command_refuses_a_moment_it_cannot_place(value):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--at"):
        call_command("send_reminders", "--at", value)


def _patients_due(count: int) -> None:
    clinic = ClinicFactory(name="Busy Clinic", time_zone="Europe/London")
    for n in range(count):
        reminders_on(PatientFactory(user=UserFactory(username=f"busy{count}-{n}"), clinic=clinic))


def _queries_for_a_run(moment: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        reminders_send(now=at_utc(moment))
    return len(queries)


def test_its_query_count_does_not_grow_with_patients():
    _patients_due(10)
    ten = _queries_for_a_run("2026-11-02 19:00")
    _patients_due(50)  # 60 due on the next day
    sixty = _queries_for_a_run("2026-11-03 19:00")

    assert len(mail.outbox) == 70
    assert ten == sixty
