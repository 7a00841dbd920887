"""Requests racing for the same day end with one entry and no error page; a programme changed
while the patient logs is never silently lost.

Runs on PostgreSQL (CI and the PG run), where requests really run at once. SQLite serialises every
write, and pytest-django's shared in-memory SQLite database cannot be written from several threads
at all, so the race cannot be staged there.
"""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

import tracker.views.checkin as checkin_view
from rehab.models import BraceLog, ExerciseLog, ProgrammeVersion
from tests.factories import checkin_post, rehab_brace, rehab_programme
from tracker.models import DiaryEntry, DiaryEntryVersion

pytestmark = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="needs concurrent writers: SQLite serialises writes; run with DATABASE_URL=postgres://",
)

RACERS = 6
CROWD = 50  # the target: 50 check-ins for one patient and day at once


def _race(patient, payloads, url: str | None = None) -> list[int]:
    barrier = threading.Barrier(len(payloads))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def submit(data: dict) -> None:
        try:
            client = Client(raise_request_exception=False)
            client.force_login(patient.user)
            barrier.wait(timeout=30)
            statuses.append(client.post(url or reverse("tracker:checkin"), data).status_code)
        except BaseException as error:  # collected and re-raised in the test thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(data,)) for data in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return statuses


def test_it_keeps_one_entry_when_the_same_form_is_sent_at_once(transactional_db, patient):
    data = checkin_post(patient.local_today())

    statuses = _race(patient, [data] * RACERS)

    assert statuses == [302] * RACERS
    entry = DiaryEntry.objects.get(patient=patient)
    assert entry.activities.count() == 2
    assert DiaryEntryVersion.objects.filter(entry=entry).count() == 1


def test_it_keeps_one_entry_when_different_answers_race(transactional_db, patient):
    today = patient.local_today()
    payloads = [checkin_post(today, pain_now=str(n), pain_worst="9") for n in range(RACERS)]

    statuses = _race(patient, payloads)

    assert statuses == [302] * RACERS
    entry = DiaryEntry.objects.get(patient=patient)
    # The last writer wins, and every earlier state is kept as a version.
    versions = list(entry.versions.order_by("number").values_list("number", "snapshot"))
    assert [n for n, _ in versions] == list(range(1, RACERS + 1))
    assert versions[-1][1]["pain_now"] == entry.pain_now


def _with_rehab(patient, data: dict) -> dict:
    """The check-in form as the page shows it with a programme and a brace in force."""
    items = list(ProgrammeVersion.objects.get(patient=patient, valid_to=None).items.order_by("pk"))
    data = data | {"brace-hours": "8", "exercises-items": ",".join(str(i.pk) for i in items)}
    for item in items:
        data |= {f"exercises-done_{item.pk}": "yes", f"exercises-sets_{item.pk}": "2"}
    return data


def test_it_keeps_one_entry_when_fifty_check_ins_arrive_at_once(transactional_db, patient):
    today = patient.local_today()
    rehab_programme(patient, valid_from=today - dt.timedelta(days=7))
    rehab_brace(patient, valid_from=today - dt.timedelta(days=7))
    # Half send the same answers (a double tap, retries), half change the pain.
    payloads = [
        _with_rehab(patient, checkin_post(today, pain_now=str(n % 2 * 3), pain_worst="9"))
        for n in range(CROWD)
    ]

    statuses = _race(patient, payloads)

    assert statuses == [302] * CROWD
    entry = DiaryEntry.objects.get(patient=patient)
    assert entry.day == today
    assert BraceLog.objects.filter(patient=patient).count() == 1
    assert ExerciseLog.objects.filter(patient=patient).count() == 2
    # Everyone sent the same exercise answers: each log was written once, with one history row.
    assert [log.history.count() for log in ExerciseLog.objects.filter(patient=patient)] == [1, 1]
    # Every saved change is a version, and the entry is the last of them.
    last = entry.versions.order_by("-number").first()
    assert last.snapshot["pain_now"] == entry.pain_now


def _programme_post(patient, exercises, sets: str) -> dict:
    data = {"valid_from": patient.local_today().isoformat(), "note": "Progress."}
    data["exercises"] = [str(e.pk) for e in exercises]
    for e in exercises:
        data |= {f"phase_{e.pk}": e.phase, f"sets_{e.pk}": sets, f"reps_{e.pk}": "10"}
        data |= {f"hold_{e.pk}": "5", f"spw_{e.pk}": "7"}
    return data


def _assert_nothing_lost(patient, response, exercises, *, sets: int) -> None:
    """The clinician's programme landed; the check-in landed whole, or was refused out loud."""
    current = ProgrammeVersion.objects.get(patient=patient, valid_to=None)
    assert sorted(current.items.values_list("sets", flat=True)) == [sets] * len(exercises)
    if response.status_code == 302:
        assert DiaryEntry.objects.filter(patient=patient).count() == 1
        assert ExerciseLog.objects.filter(patient=patient).count() == len(exercises)
    else:
        assert response.status_code == 200
        assert "changed" in response.content.decode()
        assert not DiaryEntry.objects.filter(patient=patient).exists()
        assert not ExerciseLog.objects.filter(patient=patient).exists()


def test_it_never_loses_a_programme_changed_while_the_patient_logs(
    transactional_db, clinic, clinician, patient_factory_many
):
    results = []
    for patient in patient_factory_many:
        today = patient.local_today()
        old = rehab_programme(patient, valid_from=today - dt.timedelta(days=7))
        exercises = [item.exercise for item in old.items.all()]
        checkin = _with_rehab(patient, checkin_post(today))
        change = _programme_post(patient, exercises, sets="4")
        responses: dict[str, int] = {}
        barrier = threading.Barrier(2)

        def send(who, user, url, data, responses=responses, barrier=barrier):
            client = Client(raise_request_exception=False)
            client.force_login(user)
            barrier.wait(timeout=30)
            responses[who] = client.post(url, data)
            connection.close()

        threads = [
            threading.Thread(
                target=send, args=("patient", patient.user, reverse("tracker:checkin"), checkin)
            ),
            threading.Thread(
                target=send,
                args=(
                    "clinician",
                    clinician,
                    reverse("rehab:programme_edit", args=[patient.pk]),
                    change,
                ),
            ),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        assert responses["clinician"].status_code == 302
        _assert_nothing_lost(patient, responses["patient"], exercises, sets=4)
        results.append(responses["patient"].status_code)
    assert set(results) <= {200, 302}


def test_it_refuses_a_check_in_whose_programme_changed_after_it_was_checked(
    transactional_db, clinician, patient, monkeypatch
):
    """The narrowest window: the form was valid, then the clinician saved, then the check-in.

    The clinician's save runs when the page hands the checked answers to the service
    (`entry_record`, the public name the view calls), before the service takes its lock."""
    today = patient.local_today()
    old = rehab_programme(patient, valid_from=today - dt.timedelta(days=7))
    exercises = [item.exercise for item in old.items.all()]
    checkin = _with_rehab(patient, checkin_post(today))
    original = checkin_view.entry_record

    def clinician_saves_first(**kwargs):
        def prescribe():
            client = Client()
            client.force_login(clinician)
            url = reverse("rehab:programme_edit", args=[patient.pk])
            assert client.post(url, _programme_post(patient, exercises, "4")).status_code == 302
            connection.close()

        # Another connection commits the new programme before this check-in takes its lock.
        thread = threading.Thread(target=prescribe)
        thread.start()
        thread.join(timeout=60)
        return original(**kwargs)

    monkeypatch.setattr(checkin_view, "entry_record", clinician_saves_first)
    client = Client()
    client.force_login(patient.user)

    response = client.post(reverse("tracker:checkin"), checkin)

    assert response.status_code == 200
    assert "changed your plan" in response.content.decode()
    _assert_nothing_lost(patient, response, exercises, sets=4)


@pytest.fixture
def patient_factory_many(clinic, clinician):
    from tests.factories import PatientFactory

    return [PatientFactory(clinic=clinic, treating_clinician=clinician) for _ in range(8)]
