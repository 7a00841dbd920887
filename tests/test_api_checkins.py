"""The patient's check-in API: PUT by day (idempotent, validated like the form, with the rehab
sections), the list, one day, and the programme."""

import datetime as dt

import pytest
from django.urls import reverse

from rehab.models import BraceLog, ExerciseLog
from rehab.selectors import programme_items_on
from tests.factories import PatientFactory, rehab_brace, rehab_programme
from tracker.models import DiaryActivity, DiaryEntry, DiaryEntryVersion, WarningSignAlert

pytestmark = pytest.mark.django_db


def body(**overrides) -> dict:
    data = {
        "pain_now": 3,
        "pain_worst": 5,
        "activities": {"walking": 2, "sport": 6},
        "pain_reach": "buttock",
        "pain_side": "left",
        "medicine": "paracetamol",
        "medicine_doses": 2,
        "note": "Zoë: stiff after training, نتيجة",
        "saddle_numbness": False,
        "bladder_bowel": False,
        "leg_weakness_worse": False,
    }
    data.update(overrides)
    return data


def put(client, day, data):
    return client.put(
        reverse("api:checkin_day", args=[day.isoformat()]), data, content_type="application/json"
    )


@pytest.fixture
def today(patient):
    return patient.local_today()


def test_it_creates_a_check_in_then_replays_it_unchanged(patient_client, patient, today):
    first = put(patient_client, today, body())
    again = put(patient_client, today, body())

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json() == first.json()
    assert DiaryEntry.objects.filter(patient=patient).count() == 1
    assert DiaryActivity.objects.filter(entry__patient=patient).count() == 2
    assert DiaryEntryVersion.objects.filter(entry__patient=patient).count() == 1
    assert first.json()["activities"] == {"sport": 6, "walking": 2}
    assert first.json()["note"] == "Zoë: stiff after training, نتيجة"


def test_it_replaces_the_day_when_the_answers_change(patient_client, patient, today):
    put(patient_client, today, body())

    response = put(patient_client, today, body(pain_now=1, activities={"running": 4}))

    assert response.status_code == 200
    entry = DiaryEntry.objects.get(patient=patient)
    assert entry.pain_now == 1
    assert response.json()["activities"] == {"running": 4}
    assert entry.versions.count() == 2


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (body(pain_worst=2), "pain_worst", "can't be lower"),
        (body(pain_now=11), "pain_now", "less than or equal to 10"),
        (body(activities={"flying": 3}), "activities", "Not activities we know"),
        (body(medicine="none", medicine_doses=3), "medicine_doses", "no medicine"),
        ({"pain_now": 1, "pain_worst": 2}, "saddle_numbness", "required"),
    ],
    ids=["worst-below-now", "out-of-range", "unknown-activity", "doses-without-medicine", "signs"],
)
def test_it_answers_400_with_field_messages(patient_client, patient, today, data, field, message):
    response = put(patient_client, today, data)

    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert not DiaryEntry.objects.filter(patient=patient).exists()


@pytest.mark.parametrize(
    ("offset", "message"),
    [(1, "hasn't happened yet"), (-8, "last 7 days")],
    ids=["future", "too-old"],
)
def test_it_keeps_the_web_forms_day_window(patient_client, patient, today, offset, message):
    response = put(patient_client, today + dt.timedelta(days=offset), body())

    assert response.status_code == 400
    assert message in response.json()["day"][0]


def test_it_answers_400_for_a_day_that_is_not_a_date(patient_client):
    response = patient_client.put(
        "/api/me/checkins/2026-02-30/", body(), content_type="application/json"
    )

    assert response.status_code == 400
    assert "day" in response.json()


def test_it_raises_a_warning_sign_alert_once(patient_client, patient, today):
    put(patient_client, today, body(bladder_bowel=True))
    put(patient_client, today, body(bladder_bowel=True))

    assert WarningSignAlert.objects.filter(patient=patient).count() == 1


def test_it_stores_the_rehab_sections_through_their_forms(patient_client, patient, today):
    rehab_brace(patient, valid_from=today - dt.timedelta(days=3), hours="20")
    rehab_programme(patient, valid_from=today - dt.timedelta(days=3))
    first, second = programme_items_on(patient, today)
    sections = {
        "brace": {"hours": 7.5},
        "exercises": {
            "items": f"{first.pk},{second.pk}",
            f"done_{first.pk}": "yes",
            f"sets_{first.pk}": 2,
            f"pain_{first.pk}": 3,
            f"done_{second.pk}": "no",
        },
    }

    created = put(patient_client, today, body(sections=sections))
    replayed = put(patient_client, today, body(sections=sections))

    assert created.status_code == 201, created.json()
    assert replayed.json() == created.json()
    assert created.json()["brace_hours"] == 7.5
    assert [(e["item"], e["done"], e["pain"]) for e in created.json()["exercises"]] == [
        (first.pk, True, 3),
        (second.pk, False, None),
    ]
    assert BraceLog.objects.get(patient=patient).hours == 7.5
    assert ExerciseLog.objects.filter(patient=patient).count() == 2


def test_it_refuses_a_check_in_missing_a_sections_answers(patient_client, patient, today):
    rehab_brace(patient, valid_from=today - dt.timedelta(days=3), hours="20")

    missing = put(patient_client, today, body())
    bad = put(patient_client, today, body(sections={"brace": {"hours": 30}}))

    assert missing.status_code == 400
    assert "Type 0 if you did not wear it" in missing.json()["sections"]["brace"]["hours"][0]
    assert "24 hours" in bad.json()["sections"]["brace"]["hours"][0]
    assert not DiaryEntry.objects.filter(patient=patient).exists()
    assert not BraceLog.objects.exists()


def test_it_refuses_an_exercise_item_from_someone_elses_programme(
    patient_client, patient, other_patient, today
):
    rehab_programme(patient, valid_from=today - dt.timedelta(days=3))
    rehab_programme(other_patient, valid_from=today - dt.timedelta(days=3))
    theirs = programme_items_on(other_patient, today)
    sections = {
        "exercises": {"items": ",".join(str(i.pk) for i in theirs)}
        | {f"done_{i.pk}": "yes" for i in theirs}
    }

    response = put(patient_client, today, body(sections=sections))

    assert response.status_code == 400
    assert not ExerciseLog.objects.exists()


def test_it_ignores_fields_that_name_other_records(patient_client, patient, other_patient, today):
    response = put(
        patient_client, today, body(patient=other_patient.pk, id=99, created_at="2000-01-01")
    )

    assert response.status_code == 201
    assert DiaryEntry.objects.get().patient == patient


def test_it_lists_and_reads_the_patients_own_check_ins(patient_client, patient, today):
    for n in range(3):
        put(patient_client, today - dt.timedelta(days=n), body(pain_now=n, pain_worst=n))

    listed = patient_client.get(reverse("api:checkin_list"), {"page_size": 2}).json()
    one = patient_client.get(reverse("api:checkin_day", args=[today.isoformat()]))
    none = patient_client.get(
        reverse("api:checkin_day", args=[(today - dt.timedelta(days=5)).isoformat()])
    )

    assert listed["count"] == 3
    assert [r["day"] for r in listed["results"]] == [
        today.isoformat(),
        (today - dt.timedelta(days=1)).isoformat(),
    ]
    assert one.json()["pain_now"] == 0
    assert none.status_code == 404


def test_it_shows_a_patient_only_their_own_check_ins(client, patient, other_patient, today):
    client.force_login(other_patient.user)
    put(client, today, body())
    client.force_login(patient.user)

    listed = client.get(reverse("api:checkin_list")).json()
    one = client.get(reverse("api:checkin_day", args=[today.isoformat()]))

    assert listed["count"] == 0
    assert one.status_code == 404


@pytest.mark.parametrize("name", ["checkin_list", "checkin_day", "programme"])
def test_it_keeps_patient_endpoints_from_clinicians_and_anonymous(
    client, clinician, clinic_admin, patient, name, guardians
):
    url = reverse(f"api:{name}", args=[patient.local_today().isoformat()] if "day" in name else [])
    anonymous = client.get(url)

    for user in (clinician, clinic_admin, *guardians):
        client.force_login(user)
        assert client.get(url).status_code == 404
        if name == "checkin_day":
            assert put(client, patient.local_today(), body()).status_code == 404

    assert anonymous.status_code == 401
    assert not DiaryEntry.objects.exists()


def test_it_refuses_a_discharged_patients_check_in(client, clinic, clinician):
    gone = PatientFactory(
        clinic=clinic,
        treating_clinician=clinician,
        status="discharged",
        discharged_on=dt.date(2026, 1, 1),
    )
    client.force_login(gone.user)

    response = put(client, gone.local_today(), body())

    assert response.status_code == 400
    assert "finished" in response.json()["day"][0]


def test_it_shows_the_days_programme(patient_client, patient, today):
    rehab_brace(patient, valid_from=today - dt.timedelta(days=3), hours="20")
    rehab_programme(patient, valid_from=today - dt.timedelta(days=3))

    data = patient_client.get(reverse("api:programme")).json()
    earlier = patient_client.get(
        reverse("api:programme"), {"day": (today - dt.timedelta(days=10)).isoformat()}
    ).json()

    assert data["day"] == today.isoformat()
    assert len(data["exercises"]) == 2 and data["exercises"][0]["done"] is None
    assert data["brace"]["target_hours"] == 20.0
    assert data["checkin_sections"] == ["brace", "exercises"]
    assert earlier["exercises"] == [] and earlier["brace"] is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (body(medicine_doses=0), "How many times did you take it? Type 1 or more."),
        (
            body(medicine="none", medicine_doses=3),
            "You said no medicine. Leave this empty, or pick one.",
        ),
        (body(pain_worst=2), "Your worst pain today can't be lower than your pain right now."),
    ],
    ids=["doses-missing", "doses-without-medicine", "worst-below-now"],
)
def test_it_uses_the_check_in_pages_words(patient_client, today, data, message):
    response = put(patient_client, today, data)

    assert response.status_code == 400
    assert message in sum(response.json().values(), [])


def test_it_lists_a_bad_activity_pain_as_a_message(patient_client, today):
    response = put(patient_client, today, body(activities={"walking": 11}))

    assert response.status_code == 400
    assert response.json()["activities"] == [
        "walking: Ensure this value is less than or equal to 10."
    ]


def test_it_stores_symptoms_and_medicine_sent_as_null_as_not_answered(
    patient_client, patient, today
):
    # What an offline save sends for the parts left alone on the page (issue 14: never "no").
    unanswered = {"leg_numbness": None, "leg_weakness": None, "night_pain": None}
    response = put(patient_client, today, body(medicine=None, medicine_doses=0, **unanswered))

    assert response.status_code == 201, response.json()
    entry = DiaryEntry.objects.get(patient=patient, day=today)
    assert (entry.leg_numbness, entry.leg_weakness, entry.night_pain) == (None, None, None)
    assert entry.medicine == ""
    assert response.json()["medicine"] is None
    assert response.json()["night_pain"] is None


def test_it_refuses_doses_without_a_medicine_as_the_page_does(patient_client, today):
    response = put(patient_client, today, body(medicine=None, medicine_doses=2))

    assert response.status_code == 400
    assert response.json()["medicine"] == ["Tap the medicine you took, or leave the number empty."]
