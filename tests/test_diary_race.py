"""Requests racing for the same day end with one entry and no error page.

Runs on PostgreSQL (CI and the PG run), where requests really run at once. SQLite serialises every
write, and pytest-django's shared in-memory SQLite database cannot be written from several threads
at all, so the race cannot be staged there.
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import checkin_post
from tracker.models import DiaryEntry, DiaryEntryVersion

pytestmark = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="needs concurrent writers: SQLite serialises writes; run with DATABASE_URL=postgres://",
)

RACERS = 6


def _race(patient, payloads) -> list[int]:
    barrier = threading.Barrier(len(payloads))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def submit(data: dict) -> None:
        try:
            client = Client(raise_request_exception=False)
            client.force_login(patient.user)
            barrier.wait(timeout=10)
            statuses.append(client.post(reverse("tracker:checkin"), data).status_code)
        except BaseException as error:  # collected and re-raised in the test thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(data,)) for data in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
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
