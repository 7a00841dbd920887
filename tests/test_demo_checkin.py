"""Demo diary history: each demo patient's check-ins tell their story, and a rerun adds nothing."""

import datetime as dt
from statistics import mean

import pytest
from django.core.management import call_command
from django.utils import timezone

from tracker.demo.people import CLINIC_NAME
from tracker.models import DiaryEntry, DiaryEntryVersion, Patient, WarningSignAlert

pytestmark = pytest.mark.django_db


def _worst(username: str, weeks: slice) -> float:
    entries = list(DiaryEntry.objects.filter(patient__user__username=username).order_by("day"))
    start = entries[0].day
    chosen = [
        e.pain_worst for e in entries if (e.day - start).days // 7 in range(*weeks.indices(99))
    ]
    return mean(chosen)


def test_it_gives_each_demo_patient_a_history_that_tells_their_story(settings):
    settings.DEBUG = True

    call_command("seed_demo")

    today = timezone.localdate()
    # The demo clinic's patients; the second clinic's (tracker/demo/people.py) have no history.
    for patient in Patient.objects.filter(clinic__name=CLINIC_NAME).exclude(user__username="priya"):
        days = DiaryEntry.objects.filter(patient=patient).values_list("day", flat=True)
        assert min(days) <= today - dt.timedelta(weeks=12), patient
    assert _worst("patient", slice(0, 2)) - _worst("patient", slice(11, 14)) >= 3  # improving
    assert abs(_worst("leo", slice(0, 2)) - _worst("leo", slice(13, 16))) < 1.5  # flat
    logged = {
        p.user.username: DiaryEntry.objects.filter(patient=p).count()
        / max((today - p.enrolled_on).days, 1)
        for p in Patient.objects.select_related("user")
    }
    assert logged["tom"] < 0.4 < logged["ella"] < 0.8 < logged["leo"]
    alert = WarningSignAlert.objects.get()
    assert alert.patient.user.username == "jonas" and alert.is_open
    assert DiaryEntryVersion.objects.count() == DiaryEntry.objects.count()


def test_it_adds_nothing_on_a_second_run(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (DiaryEntry.objects.count(), WarningSignAlert.objects.count())

    call_command("seed_demo")

    assert (DiaryEntry.objects.count(), WarningSignAlert.objects.count()) == counts
