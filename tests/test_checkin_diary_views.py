"""The patient's diary: list of past check-ins, one day opened, edits only within the week."""

import datetime as dt
from html import unescape

import pytest
from django.urls import reverse

from tests.helpers import assert_login_redirect, assert_not_found_for
from tracker.services.checkin import DiaryAnswers, entry_record

pytestmark = pytest.mark.django_db


def _log(patient, days_back: int, **answers) -> dt.date:
    day = patient.local_today() - dt.timedelta(days=days_back)
    values = {"pain_now": 2, "pain_worst": 4, **answers}
    # Older days are seeded straight through the model's service with a past "now".
    now = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    entry_record(patient=patient, day=day, answers=DiaryAnswers(**values), by=patient.user, now=now)
    return day


def test_it_lists_past_check_ins_newest_first(patient_client, patient):
    old, recent = _log(patient, 20), _log(patient, 1, pain_worst=8)

    html = patient_client.get(reverse("tracker:diary_list")).content.decode()

    assert html.index(f"{recent:%a %-d %b %Y}") < html.index(f"{old:%a %-d %b %Y}")
    assert "Worst pain 8/10" in html


def test_it_opens_a_day_that_can_still_be_changed(patient_client, patient):
    day = _log(patient, 3)

    response = patient_client.get(reverse("tracker:diary_entry", kwargs={"day": day.isoformat()}))

    html = response.content.decode()
    assert "Change this day" in html
    assert f"?day={day.isoformat()}" in html


def test_it_opens_an_old_day_read_only(patient_client, patient):
    day = _log(patient, 10)

    response = patient_client.get(reverse("tracker:diary_entry", kwargs={"day": day.isoformat()}))

    html = unescape(response.content.decode())
    assert "can't be changed any more" in html
    assert "Change this day" not in html


def test_it_tells_a_discharged_patient_that_check_ins_are_closed(patient_client, patient):
    day = _log(patient, 1)
    patient.status, patient.discharged_on = "discharged", patient.local_today()
    patient.save()

    entry = unescape(
        patient_client.get(
            reverse("tracker:diary_entry", kwargs={"day": day.isoformat()})
        ).content.decode()
    )
    diary = unescape(patient_client.get(reverse("tracker:diary_list")).content.decode())

    for html in (entry, diary):
        assert "Your treatment here has finished, so check-ins are closed" in html
        assert "week ago" not in html
    assert "Change this day" not in entry
    assert "Can change" not in diary


def test_it_does_not_open_an_old_day_for_editing(patient_client, patient):
    day = _log(patient, 10)

    response = patient_client.get(f"{reverse('tracker:checkin')}?day={day.isoformat()}")

    html = response.content.decode()
    assert "You can only fill in the last 7 days" in html
    assert "How is your back today?" in html


def test_it_shows_what_changed_and_when(patient_client, patient):
    day = _log(patient, 0, pain_worst=4)
    _log(patient, 0, pain_worst=6, note="Worse after PE")

    html = patient_client.get(
        reverse("tracker:diary_entry", kwargs={"day": day.isoformat()})
    ).content.decode()

    assert "Worst pain: 4 → 6" in html
    assert "Note: not given → Worse after PE" in html


@pytest.mark.parametrize("name", ["diary_entry", "checkin_saved"])
def test_it_shows_a_day_only_to_its_patient(
    client,
    patient,
    other_patient,
    clinician,
    other_clinician,
    foreign_clinician,
    name,
    guardians,
):
    day = _log(patient, 1)
    url = reverse(f"tracker:{name}", kwargs={"day": day.isoformat()})

    assert_not_found_for(
        client,
        [
            other_patient.user,
            clinician,
            other_clinician,
            foreign_clinician,
            *guardians,
        ],
        url,
    )
    assert_login_redirect(client, url)


@pytest.mark.parametrize("day", ["2026-02-30", "yesterday", "2026-01-01"])
def test_it_answers_404_for_a_day_without_a_check_in(patient_client, day):
    response = patient_client.get(reverse("tracker:diary_entry", kwargs={"day": day}))

    assert response.status_code == 404


def test_the_list_is_only_for_patients(client, clinician, foreign_clinician, guardians):
    url = reverse("tracker:diary_list")

    assert_not_found_for(client, [clinician, foreign_clinician, *guardians], url)
    assert_login_redirect(client, url)


def test_the_list_shows_only_the_patients_own_days(client, patient, other_patient):
    _log(patient, 1, pain_worst=9)
    client.force_login(other_patient.user)

    html = client.get(reverse("tracker:diary_list")).content.decode()

    assert "Worst pain 9/10" not in html
    assert "No check-ins yet." in html
