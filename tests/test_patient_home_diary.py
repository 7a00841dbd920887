"""The patient's home: today's check-in, missed days, streak, and the 30-day pain chart."""

import datetime as dt

import pytest
from django.urls import reverse

from tracker.services.checkin import DiaryAnswers, entry_record

pytestmark = pytest.mark.django_db
URL = reverse("tracker:patient_home")


def _log(patient, days_back: int, worst: int = 4) -> dt.date:
    day = patient.local_today() - dt.timedelta(days=days_back)
    now = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    entry_record(patient=patient, day=day, answers=DiaryAnswers(1, worst), by=patient.user, now=now)
    return day


def test_it_asks_to_log_today(patient_client):
    html = patient_client.get(URL).content.decode()

    assert "You haven't checked in today yet." in html
    assert ">Log today</a>" in html
    assert "Your care" in html


def test_it_shows_today_is_done_and_the_streak(patient_client, patient):
    for days_back in (0, 1, 2):
        _log(patient, days_back, worst=6)

    html = patient_client.get(URL).content.decode()

    assert "You checked in today. Worst pain 6 out of 10." in html
    assert ">Log today</a>" not in html
    assert "3 days</strong> in a row" in html


def test_it_lists_the_days_still_open_this_week(patient_client, patient):
    for days_back in (0, 1, 2, 4, 5, 6, 7):
        _log(patient, days_back)
    missed = patient.local_today() - dt.timedelta(days=3)

    html = patient_client.get(URL).content.decode()

    assert "Days you missed this week" in html
    assert f'?day={missed.isoformat()}">{missed:%a %-d %b}</a>' in html
    assert html.count('class="button" href="/checkin/?day=') == 1


def test_it_draws_the_last_30_days_with_a_table(patient_client, patient):
    _log(patient, 0, worst=7)
    _log(patient, 29, worst=3)
    _log(patient, 30, worst=10)  # outside the chart

    html = patient_client.get(URL).content.decode()

    assert '<svg class="pain-chart"' in html and 'role="img"' in html
    assert "2 check-ins in the last 30 days. Worst pain was 3" in html
    table = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert table.count("<tr>") == 30
    assert table.count("No check-in") == 28


def test_it_says_when_there_is_nothing_to_chart(patient_client):
    html = patient_client.get(URL).content.decode()

    assert "Your chart will show here once you start checking in." in html
    assert "<svg" not in html


def test_it_runs_the_same_queries_however_many_days_are_logged(patient_client, patient):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _log(patient, 1)
    with CaptureQueriesContext(connection) as few:
        patient_client.get(URL)
    for days_back in range(2, 30):
        _log(patient, days_back)

    with CaptureQueriesContext(connection) as many:
        patient_client.get(URL)

    # Each home card (diary, questionnaires, programme, care team) reads once, whatever the data.
    assert len(many) == len(few) <= 14
