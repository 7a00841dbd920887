"""Clinicians managing patients: list, add, detail, edit, discharge, invite."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.helpers import assert_login_redirect, assert_not_found_for, new_patient_form
from tracker.models import Patient

pytestmark = pytest.mark.django_db


PATIENT_URLS = [
    ("tracker:patient_detail", "get"),
    ("tracker:patient_edit", "get"),
    ("tracker:patient_edit", "post"),
    ("tracker:patient_discharge", "post"),
    ("tracker:patient_reactivate", "post"),
    ("tracker:patient_invite", "get"),
    ("tracker:patient_invite", "post"),
]


@pytest.mark.parametrize(("name", "method"), PATIENT_URLS, ids=lambda v: str(v))
def test_it_hides_the_patient_from_everyone_outside_the_care_team(
    client,
    patient,
    other_patient,
    other_clinician,
    foreign_clinician,
    clinic_admin,
    name,
    method,
    guardians,
):
    url = reverse(name, args=[patient.pk])

    assert_not_found_for(
        client,
        [
            patient.user,
            other_patient.user,
            other_clinician,
            foreign_clinician,
            clinic_admin,
            *guardians,
        ],
        url,
        method,
    )
    assert_login_redirect(client, url, method)
    patient.refresh_from_db()
    assert patient.status == Patient.Status.ACTIVE


@pytest.mark.parametrize("name", ["tracker:patient_list", "tracker:patient_add"])
def test_it_keeps_clinician_pages_from_patients_and_anonymous_users(
    client, patient, name, guardians
):
    url = reverse(name)

    assert_not_found_for(client, [patient.user, *guardians], url)
    assert_login_redirect(client, url)


def test_it_lists_only_the_clinicians_care_team_patients(clinician_client, patient, other_patient):
    response = clinician_client.get(reverse("tracker:patient_list"))

    assert "Maya Patel" in response.text
    assert "Leo Martins" not in response.text


def test_it_adds_a_patient_and_shows_the_invite_link_once(clinician_client, clinician):
    response = clinician_client.post(
        reverse("tracker:patient_add"), new_patient_form(clinician), follow=True
    )

    patient = Patient.objects.get(user__last_name="Brooks")
    assert patient.clinic == clinician.clinic
    assert patient.slip_grade == 1
    assert list(patient.care_team.all()) == [clinician]
    assert not patient.user.is_active
    link = response.context["link"]
    assert "/invite/" in link and link in response.text
    assert len(mail.outbox) == 1 and link in mail.outbox[0].body
    again = clinician_client.get(reverse("tracker:patient_invite", args=[patient.pk]))
    assert again.context["link"] is None and link not in again.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "2999-01-01", "cannot be in the future"),
        ("date_of_birth", "not a date", "Enter a valid date"),
        ("date_of_birth", "2026-02-30", "Enter a valid date"),
        ("conservative_care_started", "2999-01-01", "cannot start in the future"),
        ("first_name", "", "This field is required"),
        ("email", "not-an-email", "valid email"),
        ("slip_grade", "9", "Select a valid choice"),
        ("time_zone", "Mars/Olympus", "Select a valid choice"),
    ],
    ids=lambda v: str(v)[:20],
)
def test_it_rejects_bad_input_beside_the_field_and_keeps_the_rest(
    clinician_client, clinician, field, value, message
):
    response = clinician_client.post(
        reverse("tracker:patient_add"), new_patient_form(clinician, **{field: value})
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in str(errors[field])
    assert 'value="Brooks"' in response.text
    assert not Patient.objects.filter(user__last_name="Brooks").exists()


def test_it_needs_the_slip_box_for_a_grade(clinician_client, clinician):
    response = clinician_client.post(
        reverse("tracker:patient_add"), new_patient_form(clinician, spondylolisthesis="")
    )

    assert "needs the spondylolisthesis box" in str(response.context["form"].errors["slip_grade"])


def test_it_refuses_a_treating_clinician_from_another_clinic(
    clinician_client, clinician, foreign_clinician
):
    response = clinician_client.post(
        reverse("tracker:patient_add"),
        new_patient_form(clinician, treating_clinician=str(foreign_clinician.pk)),
    )

    assert "treating_clinician" in response.context["form"].errors


def test_it_edits_the_record_and_care_team(clinician_client, clinician, other_clinician, patient):
    data = new_patient_form(clinician, first_name="Maya", last_name="Patel-Jones")
    data["care_team"] = [str(other_clinician.pk)]

    response = clinician_client.post(reverse("tracker:patient_edit", args=[patient.pk]), data)

    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.user.last_name == "Patel-Jones"
    assert set(patient.care_team.all()) == {clinician, other_clinician}


def test_it_discharges_without_deleting_and_can_reactivate(clinician_client, patient):
    clinician_client.post(reverse("tracker:patient_discharge", args=[patient.pk]))

    patient.refresh_from_db()
    assert patient.status == Patient.Status.DISCHARGED
    assert patient.discharged_on == patient.local_today()
    active = clinician_client.get(reverse("tracker:patient_list")).context["patients"]
    everyone = clinician_client.get(reverse("tracker:patient_list") + "?show=all")
    assert patient not in active
    assert patient in everyone.context["patients"]

    clinician_client.post(reverse("tracker:patient_reactivate", args=[patient.pk]))

    patient.refresh_from_db()
    assert patient.status == Patient.Status.ACTIVE and patient.discharged_on is None


def test_it_escapes_html_in_patient_notes(clinician_client, patient):
    patient.diagnosis_notes = "<script>alert(1)</script>"
    patient.save()

    response = clinician_client.get(reverse("tracker:patient_detail", args=[patient.pk]))

    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
