"""The check-in page's parts beyond the diary (here the brace hours) show when the day asks for
them and are saved with the entry in one transaction, or not at all."""

import datetime as dt

import pytest
from django.urls import reverse

from rehab.models import BraceLog
from tests.factories import checkin_post, rehab_brace
from tracker.models import DiaryEntry

pytestmark = pytest.mark.django_db
URL = reverse("tracker:checkin")


@pytest.fixture
def brace(patient):
    return rehab_brace(patient, valid_from=patient.local_today() - dt.timedelta(days=3))


def test_it_shows_the_brace_part_when_a_brace_is_due(patient_client, brace):
    html = patient_client.get(URL).content.decode()

    assert '<h2 id="section-brace">Your brace</h2>' in html
    assert 'name="brace-hours"' in html
    assert '<label for="id_brace-hours">Hours you wore your brace</label>' in html


def test_it_saves_the_brace_hours_with_the_entry(patient_client, patient, brace):
    today = patient.local_today()

    response = patient_client.post(URL, checkin_post(today, **{"brace-hours": "15"}))

    assert response.status_code == 302
    assert DiaryEntry.objects.filter(patient=patient, day=today).exists()
    assert list(BraceLog.objects.values_list("patient", "day", "hours")) == [
        (patient.pk, today, 15)
    ]
    assert 'value="15"' in patient_client.get(URL).content.decode()


def test_it_saves_nothing_when_the_brace_hours_are_invalid(patient_client, patient, brace):
    response = patient_client.post(
        URL, checkin_post(patient.local_today(), **{"brace-hours": "-5"})
    )

    assert response.status_code == 200
    assert "Hours cannot be less than 0." in response.content.decode()
    assert not DiaryEntry.objects.exists()
    assert not BraceLog.objects.exists()


def test_it_saves_no_brace_hours_when_the_diary_answers_are_invalid(patient_client, patient, brace):
    patient_client.post(
        URL, checkin_post(patient.local_today(), pain_now="11", **{"brace-hours": "5"})
    )

    assert not BraceLog.objects.exists()


def test_it_rolls_back_the_entry_when_the_brace_hours_fail_to_save(
    patient_client, patient, brace, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("the brace log's storage broke")

    monkeypatch.setattr("tracker.services.checkin.brace_log_record", broken)

    with pytest.raises(RuntimeError):
        patient_client.post(URL, checkin_post(patient.local_today(), **{"brace-hours": "5"}))

    assert not DiaryEntry.objects.exists()


def test_it_leaves_out_the_brace_part_when_no_brace_is_due(patient_client, patient):
    html = patient_client.get(URL).content.decode()

    assert "Your brace" not in html
    assert 'name="brace-hours"' not in html
