"""The patient endpoints: a clinician's patients and record, a patient's own record."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PatientFactory
from tracker.models import Patient
from tracker.services.people import patient_discharge

pytestmark = pytest.mark.django_db


def test_it_lists_only_the_clinicians_patients(
    clinician_client, clinician, patient, other_patient, foreign_clinician
):
    PatientFactory(clinic=foreign_clinician.clinic, treating_clinician=foreign_clinician)

    response = clinician_client.get(reverse("api:patient_list"))

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 1
    assert body["results"][0]["id"] == patient.pk
    assert body["results"][0]["last_name"] == "Patel"
    assert body["results"][0]["treating_clinician"] == {"id": clinician.pk, "name": "Amara Okafor"}


def test_it_filters_by_status(clinician_client, clinician, patient):
    gone = patient_discharge(
        patient=PatientFactory(clinic=patient.clinic, treating_clinician=clinician)
    )

    active = clinician_client.get(reverse("api:patient_list"), {"status": "active"}).json()
    discharged = clinician_client.get(reverse("api:patient_list"), {"status": "discharged"}).json()
    bad = clinician_client.get(reverse("api:patient_list"), {"status": "lost"})

    assert [p["id"] for p in active["results"]] == [patient.pk]
    assert [p["id"] for p in discharged["results"]] == [gone.pk]
    assert bad.status_code == 400
    assert "status" in bad.json()


def test_it_paginates_with_a_ceiling(clinician_client, clinician, clinic):
    PatientFactory.create_batch(4, clinic=clinic, treating_clinician=clinician)

    page = clinician_client.get(reverse("api:patient_list"), {"page_size": 3}).json()
    huge = clinician_client.get(reverse("api:patient_list"), {"page_size": 100000}).json()
    past_end = clinician_client.get(reverse("api:patient_list"), {"page": 9})

    assert page["count"] == 4 and len(page["results"]) == 3 and page["next"]
    assert len(huge["results"]) == 4
    assert past_end.status_code == 404


def test_it_lists_patients_in_a_fixed_number_of_queries(
    clinician_client, clinician, clinic, django_assert_max_num_queries
):
    PatientFactory.create_batch(6, clinic=clinic, treating_clinician=clinician)

    # The fifth is the audit trail's one insert for the whole page.
    with django_assert_max_num_queries(5):
        response = clinician_client.get(reverse("api:patient_list"))

    assert response.json()["count"] == 6


def test_it_shows_one_patients_record_with_the_care_team(clinician_client, clinician, patient):
    response = clinician_client.get(reverse("api:patient_record", args=[patient.pk]))

    body = response.json()
    assert response.status_code == 200
    assert body["id"] == patient.pk
    assert body["diagnosis"] == "Chronic bilateral L5 pars defects"
    assert body["weeks_of_care"] == 8
    assert body["care_team"] == [{"id": clinician.pk, "name": "Amara Okafor"}]
    assert body["time_zone"] == "Europe/London"
    assert body["clinic"] == "Northgate Test Clinic"


@pytest.mark.parametrize("patient_id", ["other", "foreign", "999999", "abc", "-1"])
def test_it_answers_404_for_any_patient_not_on_the_care_team(
    clinician_client, other_patient, foreign_clinician, patient_id
):
    foreign = PatientFactory(clinic=foreign_clinician.clinic, treating_clinician=foreign_clinician)
    ids = {"other": other_patient.pk, "foreign": foreign.pk}

    response = clinician_client.get(f"/api/patients/{ids.get(patient_id, patient_id)}/")

    assert response.status_code == 404
    assert list(response.json()) == ["detail"]
    assert "Martins" not in response.content.decode()


def test_it_hides_a_record_from_everyone_outside_the_care_team(
    client,
    patient,
    other_patient,
    other_clinician,
    foreign_clinician,
    clinic_admin,
    guardians,
):
    url = reverse("api:patient_record", args=[patient.pk])

    for user in [
        patient.user,
        other_patient.user,
        other_clinician,
        foreign_clinician,
        clinic_admin,
        *guardians,
    ]:
        client.force_login(user)
        assert client.get(url).status_code == 404, user.username
    client.logout()
    anonymous = client.get(url)

    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == "Token"


def test_it_keeps_the_patient_list_to_clinicians(client, patient, clinic_admin, guardians):
    for user in [patient.user, clinic_admin, *guardians]:
        client.force_login(user)
        assert client.get(reverse("api:patient_list")).status_code == 404


# The patient's own record


def test_it_shows_a_patient_their_own_record(patient_client, patient, other_patient):
    response = patient_client.get(reverse("api:me"))

    assert response.status_code == 200
    assert response.json()["id"] == patient.pk
    assert response.json()["first_name"] == "Maya"


def test_it_keeps_me_to_patients(client, clinician, clinic_admin, guardians):
    for user in [clinician, clinic_admin, *guardians]:
        client.force_login(user)
        assert client.get(reverse("api:me")).status_code == 404
    client.logout()
    assert client.get(reverse("api:me")).status_code == 401


def test_it_changes_the_time_zone_and_ignores_other_fields(patient, other_patient):
    client = Client(enforce_csrf_checks=True)
    client.force_login(patient.user)
    client.get(reverse("tracker:account"))  # sets the CSRF cookie, as a browser would
    csrf = client.cookies["csrftoken"].value
    body = {
        "time_zone": "Asia/Tokyo",
        "id": other_patient.pk,
        "patient": other_patient.pk,
        "is_staff": True,
        "created_at": "2000-01-01T00:00:00Z",
        "status": "discharged",
        "last_name": "Hacker",
    }

    response = client.patch(
        reverse("api:me"), body, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )

    patient.refresh_from_db()
    other_patient.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["time_zone"] == "Asia/Tokyo"
    assert patient.time_zone == "Asia/Tokyo"
    assert patient.status == Patient.Status.ACTIVE
    assert patient.user.last_name == "Patel"
    assert patient.user.is_staff is False
    assert other_patient.time_zone == ""


def test_it_enforces_csrf_for_session_writes(patient):
    client = Client(enforce_csrf_checks=True)
    client.force_login(patient.user)

    response = client.patch(
        reverse("api:me"), {"time_zone": "Asia/Tokyo"}, content_type="application/json"
    )

    patient.refresh_from_db()
    assert response.status_code == 403
    assert patient.time_zone == ""


@pytest.mark.parametrize(
    "body",
    [{"time_zone": "Mars/Olympus"}, {}, ["Asia/Tokyo"], "nonsense"],
    ids=["unknown-zone", "missing", "list", "not-json"],
)
def test_it_rejects_bad_bodies_with_400(patient_client, patient, body):
    data = body if body != "nonsense" else "{nonsense"

    response = patient_client.patch(reverse("api:me"), data, content_type="application/json")

    assert response.status_code == 400
    patient.refresh_from_db()
    assert patient.time_zone == ""


def test_it_accepts_only_json_bodies(patient_client):
    response = patient_client.patch(reverse("api:me"), {"time_zone": "Asia/Tokyo"})

    assert response.status_code == 415


def test_it_answers_unknown_api_paths_with_json_404(clinician_client):
    response = clinician_client.get("/api/nothing/here/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
