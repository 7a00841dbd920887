"""Optional parts of the check-in left alone are saved as not answered, never as "no" (issue
14); the warning signs stay required."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import checkin_post
from tracker.models import DiaryEntry
from tracker.selectors.assessment import patient_assessments
from tracker.selectors.checkin import entry_versions

pytestmark = pytest.mark.django_db
URL = reverse("tracker:checkin")

MINIMAL = {"activities": None, "pain_walking": None, "pain_sport": None, "pain_reach": None}
MINIMAL |= {"pain_side": None, "medicine": None, "medicine_doses": None, "note": None}


def save(client, day, **fields):
    response = client.post(URL, checkin_post(day, **{**MINIMAL, **fields}))
    assert response.status_code == 302, response.context["form"].errors
    return DiaryEntry.objects.get(day=day)


def test_symptoms_and_medicine_left_alone_are_not_answered(patient_client, patient):
    entry = save(patient_client, patient.local_today())

    assert (entry.leg_numbness, entry.leg_weakness, entry.night_pain) == (None, None, None)
    assert (entry.medicine, entry.medicine_doses) == ("", 0)


def test_the_confirmation_says_not_answered_for_what_was_left_alone(patient_client, patient):
    day = patient.local_today()
    save(patient_client, day)

    page = patient_client.get(reverse("tracker:checkin_saved", args=[day])).content.decode()

    legs = page.split("<dt>Legs and nights</dt>")[1].split("</dd>")[0]
    medicine = page.split("<dt>Pain medicine</dt>")[1].split("</dd>")[0]
    assert "Not answered" in legs and "None of these" not in legs
    assert "Not answered" in medicine


def test_the_confirmation_says_none_of_these_when_the_patient_said_so(patient_client, patient):
    day = patient.local_today()
    save(patient_client, day, no_symptoms="on", medicine="none")

    page = patient_client.get(reverse("tracker:checkin_saved", args=[day])).content.decode()

    assert "None of these" in page.split("<dt>Legs and nights</dt>")[1].split("</dd>")[0]
    assert "Not answered" not in page


def test_a_ticked_symptom_makes_the_others_no(patient_client, patient):
    entry = save(patient_client, patient.local_today(), leg_weakness="on")

    assert (entry.leg_numbness, entry.leg_weakness, entry.night_pain) == (False, True, False)


def test_none_of_these_saves_every_symptom_as_no(patient_client, patient):
    entry = save(patient_client, patient.local_today(), no_symptoms="on")

    assert (entry.leg_numbness, entry.leg_weakness, entry.night_pain) == (False, False, False)
    form = patient_client.get(URL).context["form"]
    assert form.initial["no_symptoms"] is True


def test_none_of_these_with_a_symptom_is_refused(patient_client, patient):
    data = checkin_post(patient.local_today(), no_symptoms="on", night_pain="on")

    response = patient_client.post(URL, data)

    assert response.status_code == 200
    assert "Untick one of them" in str(response.context["form"].errors["no_symptoms"])
    assert not DiaryEntry.objects.exists()


def test_none_medicine_is_still_an_answer(patient_client, patient):
    entry = save(patient_client, patient.local_today(), medicine="none")

    assert entry.medicine == "none"


def test_doses_without_a_medicine_are_refused(patient_client, patient):
    data = checkin_post(patient.local_today(), medicine=None, medicine_doses="2")

    response = patient_client.post(URL, data)

    assert "Tap the medicine you took" in str(response.context["form"].errors["medicine"])
    assert not DiaryEntry.objects.exists()


def test_the_warning_signs_stay_required(patient_client, patient):
    data = checkin_post(patient.local_today(), saddle_numbness=None)

    response = patient_client.post(URL, data)

    assert response.status_code == 200
    assert "We ask every day" in str(response.context["form"].errors["saddle_numbness"])
    assert not DiaryEntry.objects.exists()


def test_not_answered_is_not_given_in_the_history(patient_client, patient):
    today = patient.local_today()
    save(patient_client, today)
    entry = save(patient_client, today, leg_weakness="on", medicine="none")

    [_, second] = entry_versions(entry=entry)
    lines = {c.what: (c.before, c.after) for c in second.changes}
    assert lines["Weak leg"] == ("not given", "yes")
    assert lines["Numb or tingly leg"] == ("not given", "no")
    assert lines["Pain medicine"] == ("not given", "None")


def test_the_assessment_counts_a_symptom_not_answered_as_not_reported(patient):
    today = patient.local_today()
    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            patient=patient,
            day=today - dt.timedelta(days=n),
            pain_now=3,
            pain_worst=4,
            leg_weakness=True if n < 28 and n % 2 else None,
            leg_numbness=None,
            night_pain=None,
        )
        for n in range(56)
    )

    found = patient_assessments([patient])[patient.pk]

    assert {type(d.leg_weakness) for d in found.data.radicular} == {bool}
    assert sum(d.leg_weakness for d in found.data.radicular) == 14


def test_the_api_answers_null_for_what_was_not_answered(patient_client, patient):
    today = patient.local_today()
    save(patient_client, today)

    body = patient_client.get(reverse("api:checkin_day", kwargs={"day": today.isoformat()})).json()

    assert [body[k] for k in ("leg_numbness", "leg_weakness", "night_pain", "medicine")] == [
        None,
        None,
        None,
        None,
    ]
