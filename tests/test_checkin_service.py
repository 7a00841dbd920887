"""entry_record and alert_acknowledge: one entry per day, versions kept, window, alerts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from tracker.models import DiaryEntry, DiaryEntryVersion, WarningSignAlert
from tracker.services.checkin import (
    CheckinNotAllowed,
    DiaryAnswers,
    alert_acknowledge,
    entry_record,
)

pytestmark = pytest.mark.django_db

ANSWERS = DiaryAnswers(pain_now=2, pain_worst=4, activities={"walking": 3, "arching": 6})


def test_it_creates_an_entry_with_its_activities_and_first_version(patient):
    today = patient.local_today()

    result = entry_record(patient=patient, day=today, answers=ANSWERS, by=patient.user)

    assert (result.created, result.changed) == (True, True)
    entry = DiaryEntry.objects.get(patient=patient, day=today)
    assert {a.activity: a.pain for a in entry.activities.all()} == {"walking": 3, "arching": 6}
    version = entry.versions.get()
    assert (version.number, version.recorded_by, version.snapshot["pain_worst"]) == (
        1,
        patient.user,
        4,
    )


def test_it_updates_the_same_day_and_keeps_the_earlier_version(patient):
    today = patient.local_today()
    entry_record(patient=patient, day=today, answers=ANSWERS, by=patient.user)
    changed = DiaryAnswers(pain_now=1, pain_worst=7, activities={"walking": 3})

    result = entry_record(patient=patient, day=today, answers=changed, by=patient.user)

    assert (result.created, result.changed) == (False, True)
    assert DiaryEntry.objects.count() == 1
    entry = DiaryEntry.objects.get()
    assert (entry.pain_now, entry.pain_worst) == (1, 7)
    assert list(entry.activities.values_list("activity", flat=True)) == ["walking"]
    snapshots = [v.snapshot for v in entry.versions.order_by("number")]
    assert [s["pain_worst"] for s in snapshots] == [4, 7]
    assert snapshots[0]["activities"] == {"arching": 6, "walking": 3}


def test_it_is_idempotent(patient):
    today = patient.local_today()
    entry_record(patient=patient, day=today, answers=ANSWERS, by=patient.user)

    result = entry_record(patient=patient, day=today, answers=ANSWERS, by=patient.user)

    assert (result.created, result.changed) == (False, False)
    assert DiaryEntry.objects.count() == 1
    assert DiaryEntryVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("offset", "message"),
    [(1, "hasn't happened yet"), (-8, "last 7 days")],
    ids=["future", "eight-days-back"],
)
def test_it_refuses_days_outside_the_window(patient, offset, message):
    day = patient.local_today() + dt.timedelta(days=offset)

    with pytest.raises(CheckinNotAllowed, match=message):
        entry_record(patient=patient, day=day, answers=ANSWERS, by=patient.user)
    assert not DiaryEntry.objects.exists()


def test_it_accepts_seven_days_back(patient):
    day = patient.local_today() - dt.timedelta(days=7)

    entry_record(patient=patient, day=day, answers=ANSWERS, by=patient.user)

    assert DiaryEntry.objects.get().day == day


def test_it_refuses_a_day_before_enrolment(patient):
    today = patient.local_today()
    patient.enrolled_on = today

    with pytest.raises(CheckinNotAllowed, match="when you joined"):
        entry_record(
            patient=patient, day=today - dt.timedelta(days=1), answers=ANSWERS, by=patient.user
        )
    assert not DiaryEntry.objects.exists()


def test_it_uses_the_patients_own_today(patient):
    # 23:30 on 1 March in London is already 2 March in Auckland.
    now = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)
    patient.time_zone = "Pacific/Auckland"
    patient.enrolled_on = dt.date(2026, 1, 1)

    entry_record(
        patient=patient, day=dt.date(2026, 3, 2), answers=ANSWERS, by=patient.user, now=now
    )

    assert DiaryEntry.objects.get().day == dt.date(2026, 3, 2)


def test_it_refuses_a_discharged_patient(patient):
    patient.status, patient.discharged_on = "discharged", patient.local_today()

    with pytest.raises(CheckinNotAllowed, match="finished"):
        entry_record(patient=patient, day=patient.local_today(), answers=ANSWERS, by=patient.user)


def test_the_database_allows_one_entry_per_patient_per_day(patient):
    today = patient.local_today()
    entry_record(patient=patient, day=today, answers=ANSWERS, by=patient.user)

    with pytest.raises(IntegrityError), transaction.atomic():
        DiaryEntry.objects.create(patient=patient, day=today, pain_now=1, pain_worst=1)


@pytest.mark.parametrize(
    "fields",
    [
        {"pain_now": 11, "pain_worst": 11},
        {"pain_now": 5, "pain_worst": 4},
        {"medicine": "none", "medicine_doses": 2},
        {"medicine": "paracetamol", "medicine_doses": 0},
        {"note": "x" * 2001},
        {"pain_reach": "neck"},
    ],
    ids=[
        "pain-11",
        "worst-below-now",
        "doses-without-medicine",
        "medicine-no-doses",
        "long-note",
        "unknown-reach",
    ],
)
def test_the_database_rejects_impossible_values(patient, fields):
    values = {"pain_now": 1, "pain_worst": 2, **fields}

    with pytest.raises(IntegrityError), transaction.atomic():
        DiaryEntry.objects.create(patient=patient, day=patient.local_today(), **values)


def test_it_raises_one_alert_for_a_warning_sign_however_often_the_day_is_saved(patient):
    today = patient.local_today()
    flagged = DiaryAnswers(pain_now=5, pain_worst=8, saddle_numbness=True)

    first = entry_record(patient=patient, day=today, answers=flagged, by=patient.user)
    entry_record(patient=patient, day=today, answers=flagged, by=patient.user)
    more = DiaryAnswers(pain_now=5, pain_worst=9, saddle_numbness=True, bladder_bowel=True)
    last = entry_record(patient=patient, day=today, answers=more, by=patient.user)

    alert = WarningSignAlert.objects.get()
    assert first.alert == last.alert == alert
    assert [s.value for s in alert.signs] == ["saddle_numbness", "bladder_bowel"]


def test_an_acknowledged_sign_does_not_reopen_but_a_new_one_does(patient, clinician):
    today = patient.local_today()
    flagged = DiaryAnswers(pain_now=5, pain_worst=8, saddle_numbness=True)
    alert = entry_record(patient=patient, day=today, answers=flagged, by=patient.user).alert
    alert_acknowledge(alert=alert, by=clinician)

    again = entry_record(
        patient=patient,
        day=today,
        answers=DiaryAnswers(7, 8, saddle_numbness=True),
        by=patient.user,
    )
    assert again.alert is None
    new = entry_record(
        patient=patient,
        day=today,
        answers=DiaryAnswers(7, 8, saddle_numbness=True, leg_weakness_worse=True),
        by=patient.user,
    )

    assert WarningSignAlert.objects.count() == 2
    assert new.alert.is_open and new.alert.leg_weakness_worse


def test_it_acknowledges_an_alert_once(patient, clinician, other_clinician):
    flagged = DiaryAnswers(pain_now=5, pain_worst=8, bladder_bowel=True)
    alert = entry_record(
        patient=patient, day=patient.local_today(), answers=flagged, by=patient.user
    ).alert

    first = alert_acknowledge(alert=alert, by=clinician)
    second = alert_acknowledge(alert=alert, by=other_clinician)

    assert first.acknowledged_by == second.acknowledged_by == clinician
    assert first.acknowledged_at == second.acknowledged_at
    assert not WarningSignAlert.objects.filter(acknowledged_at__isnull=True).exists()


def test_the_database_allows_one_open_alert_per_day(patient):
    day = patient.local_today()
    WarningSignAlert.objects.create(patient=patient, day=day, bladder_bowel=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        WarningSignAlert.objects.create(patient=patient, day=day, saddle_numbness=True)


def test_it_retries_only_the_one_entry_per_day_race(patient, monkeypatch):
    calls = []

    def broken(**kwargs):
        calls.append(kwargs)
        raise IntegrityError("CHECK constraint failed: brace_hours_0_24")

    monkeypatch.setattr("tracker.services.checkin.brace_log_record", broken)

    with pytest.raises(IntegrityError):
        entry_record(
            patient=patient,
            day=patient.local_today(),
            answers=ANSWERS,
            by=patient.user,
            brace_hours=Decimal("5"),
        )

    assert len(calls) == 1
    assert not DiaryEntry.objects.exists()
