"""The demo: every demo patient has email reminders on at 19:00 in their zone, so after
`make run` a newcomer sees a reminder for each one who has not checked in that evening."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tracker.models import DiaryEntry, Patient, ReminderPreference
from tracker.services.reminder_sending import reminders_send

pytestmark = pytest.mark.django_db


def test_every_demo_patient_is_reminded_at_19_on_a_day_not_logged(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)  # a second run changes nothing
    patients = list(Patient.objects.select_related("user", "clinic"))

    evening = dt.datetime.combine(timezone.localdate(), dt.time(19), tzinfo=patients[0].zone)
    reminders_send(now=evening)

    preferences = ReminderPreference.objects.filter(enabled=True, remind_at=dt.time(19))
    assert preferences.count() == len(patients) >= 8
    logged = set(DiaryEntry.objects.filter(day=evening.date()).values_list("patient_id", flat=True))
    expected = {p.user.email for p in patients if p.pk not in logged and p.is_active}
    assert {m.to[0] for m in mail.outbox} == expected
    assert expected  # some demo patient has not logged today, so the console shows something
