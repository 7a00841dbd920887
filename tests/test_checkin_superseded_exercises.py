"""Issue 19, finding 7: after a clinician re-saves a programme valid from today and the patient
checks in again, the day holds the answers to the programme in force only: no done=true and
done=false rows for the same exercise and day, in the database or the exports."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from rehab.models import ExerciseLog
from rehab.selectors import programme_items_on
from rehab.services import ExerciseEntry, exercise_logs_record
from tests.factories import rehab_programme
from tracker.exports.datasets import ExportScope
from tracker.exports.rehab import exercise_records
from tracker.models import Patient

pytestmark = pytest.mark.django_db


def check_in(client, patient, day, *, done: bool):
    items = programme_items_on(patient, day)
    exercises = {"items": ",".join(str(i.pk) for i in items)}
    exercises |= {f"done_{i.pk}": "yes" if done else "no" for i in items}
    body = {
        "pain_now": 2,
        "pain_worst": 3,
        "saddle_numbness": False,
        "bladder_bowel": False,
        "leg_weakness_worse": False,
        "sections": {"exercises": exercises},
    }
    response = client.put(
        reverse("api:checkin_day", args=[day.isoformat()]), body, content_type="application/json"
    )
    assert response.status_code in {200, 201}, response.content
    return items


def test_it_keeps_only_the_answers_to_the_programme_in_force_after_re_saves(
    patient_client, patient
):
    today = patient.local_today()
    first = rehab_programme(patient, valid_from=today - dt.timedelta(days=3))
    exercises = [item.exercise for item in first.items.all()]
    check_in(patient_client, patient, today, done=True)

    for n in range(6):
        rehab_programme(patient, valid_from=today, exercises=exercises)
        items = check_in(patient_client, patient, today, done=n % 2 == 0)

    logs = ExerciseLog.objects.filter(patient=patient, day=today)
    assert sorted(logs.values_list("item_id", flat=True)) == sorted(i.pk for i in items)
    assert logs.count() == len(exercises)
    # What was removed is in the history, not gone without a trace.
    assert ExerciseLog.history.filter(patient=patient, history_type="-").count() == 6 * 2


def test_it_exports_one_row_per_exercise_and_day(patient_client, patient):
    today = patient.local_today()
    first = rehab_programme(patient, valid_from=today - dt.timedelta(days=3))
    exercises = [item.exercise for item in first.items.all()]
    check_in(patient_client, patient, today, done=True)
    rehab_programme(patient, valid_from=today, exercises=exercises)
    check_in(patient_client, patient, today, done=False)

    scope = ExportScope(patients=Patient.objects.filter(pk=patient.pk))
    rows = [(day, row["exercise_id"], row["done"]) for _, day, row in exercise_records(scope)]

    assert sorted(rows) == sorted((today, e.pk, False) for e in exercises)


def test_the_migration_removes_superseded_answers_but_keeps_a_days_only_answers(patient):
    today = patient.local_today()
    yesterday = today - dt.timedelta(days=1)
    first = rehab_programme(patient, valid_from=today - dt.timedelta(days=3))
    old_items = list(first.items.all())
    exercises = [item.exercise for item in old_items]
    for day in (yesterday, today):
        exercise_logs_record(
            patient=patient,
            day=day,
            entries=[ExerciseEntry(item=item, done=True) for item in old_items],
        )
    # Re-saved from yesterday: yesterday's and today's old answers are superseded; only today
    # gets new answers (before the fix, the old ones stayed beside them).
    rehab_programme(patient, valid_from=yesterday, exercises=exercises)
    new_items = programme_items_on(patient, today)
    ExerciseLog.objects.bulk_create(
        ExerciseLog(patient=patient, day=today, item=item, done=False) for item in new_items
    )
    migration = importlib.import_module("rehab.migrations.0005_remove_superseded_exercise_logs")

    migration.remove_superseded(apps, None)

    today_items = ExerciseLog.objects.filter(day=today).values_list("item_id", flat=True)
    assert sorted(today_items) == sorted(i.pk for i in new_items)
    kept = ExerciseLog.objects.filter(day=yesterday).values_list("item_id", flat=True)
    assert sorted(kept) == sorted(i.pk for i in old_items)
