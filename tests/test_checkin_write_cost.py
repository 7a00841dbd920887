"""What one check-in save through the API costs and writes: a fixed number of queries whatever
the programme's size or the patient's history; the same answers again write nothing; a changed
exercise answer adds exactly one history row, made by the patient."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rehab.models import BraceLog, Exercise, ExerciseLog
from rehab.selectors import programme_items_on
from tests.factories import PatientFactory, rehab_brace, rehab_programme
from tracker.models import DiaryEntryVersion
from tracker.services.checkin import DiaryAnswers, entry_record
from tracker.services.stored_assessment import refresh_assessments, snapshot_states

pytestmark = pytest.mark.django_db

# A save that changes everything (diary, brace hours, every exercise): session, user, patient;
# the day's brace and programme (once each); in one transaction (2: begin, commit) the patient
# lock, the entry with its activities (2), its update, the changed activity, the version; the
# brace log, its update and history row (3); the programme under the lock, the stored exercise
# logs, their bulk update and bulk history (4), three marks of the stored assessment (one UPDATE
# each for the entry, the brace log and the exercise logs); then the day's brace and exercise
# logs for the answer (2).
MAX_QUERIES = 26
WRITES = ("INSERT", "UPDATE", "DELETE")


def body(items, *, pain_worst=5, done=None, sets=2, brace=None) -> dict:
    exercises = {"items": ",".join(str(i.pk) for i in items)}
    for item in items:
        did = (done or {}).get(item.pk, True)
        exercises[f"done_{item.pk}"] = "yes" if did else "no"
        if did:
            exercises[f"sets_{item.pk}"] = sets
    sections = {"exercises": exercises}
    if brace is not None:
        sections["brace"] = {"hours": brace}
    return {
        "pain_now": 2,
        "pain_worst": pain_worst,
        "activities": {"walking": pain_worst - 1},
        "saddle_numbness": False,
        "bladder_bowel": False,
        "leg_weakness_worse": False,
        "sections": sections,
    }


def put(client, day, data):
    response = client.put(
        reverse("api:checkin_day", args=[day.isoformat()]), data, content_type="application/json"
    )
    assert response.status_code in {200, 201}, response.content
    return response


def saves(client, patient, *, exercises: int, days_logged: int) -> CaptureQueriesContext:
    """The queries of one changed save of today, for a patient with `exercises` prescribed and
    `days_logged` earlier days each saved twice."""
    today = patient.local_today()
    library = list(Exercise.objects.filter(clinic__isnull=True).order_by("pk")[:exercises])
    rehab_programme(patient, valid_from=today - dt.timedelta(days=20), exercises=library)
    rehab_brace(patient, valid_from=today - dt.timedelta(days=20), hours="20")
    items = programme_items_on(patient, today)
    client.force_login(patient.user)
    for back in range(days_logged):
        day = today - dt.timedelta(days=back)
        put(client, day, body(items, brace=10))
        put(client, day, body(items, pain_worst=6, brace=12))
    put(client, today, body(items, pain_worst=7, brace=14))
    with CaptureQueriesContext(connection) as captured:
        put(client, today, body(items, pain_worst=8, sets=3, brace=15))
    return captured


def test_a_save_costs_the_same_queries_for_a_big_programme_and_a_long_history(
    client, clinic, clinician
):
    small = PatientFactory(clinic=clinic, treating_clinician=clinician)
    big = PatientFactory(clinic=clinic, treating_clinician=clinician)

    few = saves(client, small, exercises=1, days_logged=1)
    many = saves(client, big, exercises=6, days_logged=7)

    assert len(few) == len(many), [q["sql"] for q in many.captured_queries]
    assert len(many) <= MAX_QUERIES, [q["sql"] for q in many.captured_queries]


def test_the_same_answers_again_write_nothing(patient_client, patient):
    today = patient.local_today()
    rehab_programme(patient, valid_from=today - dt.timedelta(days=3))
    rehab_brace(patient, valid_from=today - dt.timedelta(days=3), hours="20")
    items = programme_items_on(patient, today)
    first = put(patient_client, today, body(items, brace=7.5))

    with CaptureQueriesContext(connection) as captured:
        again = put(patient_client, today, body(items, brace=7.5))

    writes = [q["sql"] for q in captured.captured_queries if q["sql"].startswith(WRITES)]
    assert writes == []
    assert again.json() == first.json()
    assert DiaryEntryVersion.objects.filter(entry__patient=patient).count() == 1
    assert all(log.history.count() == 1 for log in ExerciseLog.objects.filter(patient=patient))
    assert BraceLog.objects.get(patient=patient).history.count() == 1


def test_a_changed_exercise_answer_adds_exactly_one_history_row(patient_client, patient):
    today = patient.local_today()
    rehab_programme(patient, valid_from=today - dt.timedelta(days=3))
    changed, same = programme_items_on(patient, today)
    put(patient_client, today, body([changed, same]))

    response = put(patient_client, today, body([changed, same], done={changed.pk: False}))

    log = ExerciseLog.objects.get(patient=patient, day=today, item=changed)
    history = list(log.history.order_by("history_date"))
    assert [(h.history_type, h.done, h.sets_done) for h in history] == [
        ("+", True, 2),
        ("~", False, None),
    ]
    assert {h.history_user for h in history} == {patient.user}
    assert ExerciseLog.objects.get(item=same, day=today).history.count() == 1
    assert (log.done, log.sets_done, log.pain) == (False, None, None)
    assert log.updated_at > history[0].updated_at
    assert [(e["item"], e["done"]) for e in response.json()["exercises"]] == [
        (changed.pk, False),
        (same.pk, True),
    ]


def test_a_changed_brace_answer_adds_exactly_one_history_row(patient_client, patient):
    today = patient.local_today()
    rehab_brace(patient, valid_from=today - dt.timedelta(days=3), hours="20")
    rehab_programme(patient, valid_from=today - dt.timedelta(days=3))
    items = programme_items_on(patient, today)
    for hours in (6, 9.5, 9.5):
        put(patient_client, today, body(items, brace=hours))

    log = BraceLog.objects.get(patient=patient, day=today)
    assert [h.hours for h in log.history.order_by("history_date")] == [Decimal(6), Decimal("9.5")]


def test_an_activity_dropped_added_or_changed_is_stored_as_answered(patient):
    today = patient.local_today()
    first = DiaryAnswers(pain_now=1, pain_worst=3, activities={"walking": 2, "sport": 5})
    entry_record(patient=patient, day=today, answers=first, by=patient.user)

    result = entry_record(
        patient=patient,
        day=today,
        answers=DiaryAnswers(pain_now=1, pain_worst=3, activities={"walking": 4, "running": 1}),
        by=patient.user,
    )

    stored = {a.activity: a.pain for a in result.entry.activities.all()}
    fresh = {a.activity: a.pain for a in type(result.entry).objects.get().activities.all()}
    assert stored == fresh == {"walking": 4, "running": 1}
    assert [v.number for v in result.entry.versions.all()] == [1, 2]


def test_an_exercise_only_change_makes_the_dashboard_recompute_the_patient(patient_client, patient):
    """Exercise logs are written in bulk (no signals): the bulk write itself marks the stored
    assessment stale, so the clinician never sees a verdict from before the change."""
    today = patient.local_today()
    rehab_programme(patient, valid_from=today - dt.timedelta(days=3))
    items = programme_items_on(patient, today)
    put(patient_client, today, body(items))
    refresh_assessments([patient.pk])
    assert all(s.valid for s in snapshot_states([patient.pk]))

    put(patient_client, today, body(items, done={items[0].pk: False}))

    assert DiaryEntryVersion.objects.filter(entry__patient=patient).count() == 1  # diary as was
    assert not any(s.valid for s in snapshot_states([patient.pk]))
