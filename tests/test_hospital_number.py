"""A patient's hospital or NHS number: an NHS number (ten digits) is checked digit by digit, any
other number is the hospital's own; on the clinician's patient form and in the admin."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.helpers import patient_form_data
from tracker.models import Role
from tracker.rules.identifiers import (
    HOSPITAL_SHAPE_MESSAGE,
    NHS_CHECK_MESSAGE,
    NHS_GROUPING_MESSAGE,
    display_hospital_number,
    hospital_number_label,
    hospital_number_problem,
    normalise_hospital_number,
)

# 943 476 5919 is the NHS's own example; 999 000 0018 is from the range never issued.
VALID_NHS = "9434765919"


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", None),
        ("9434765919", None),
        ("943 476 5919", None),
        ("  943 476 5919  ", None),
        ("9990000018", None),
        # 999000005 gives a check digit of 11, which is written 0.
        ("9990000050", None),
        ("9434765918", NHS_CHECK_MESSAGE),
        ("9434765910", NHS_CHECK_MESSAGE),
        # 000000060: the check digit would be 10, so no number with these nine digits is valid.
        ("0000000600", NHS_CHECK_MESSAGE),
        ("0000000606", NHS_CHECK_MESSAGE),
        ("94 34 76 59 19", NHS_GROUPING_MESSAGE),
        ("943-476-5919", NHS_GROUPING_MESSAGE),
        ("943  476 5919", NHS_GROUPING_MESSAGE),
        ("943476591", None),  # nine digits: a hospital number, not an NHS number
        ("94347659190", None),  # eleven digits: likewise
        ("RX1-2345/A", None),
        ("A" * 20, None),
        ("A" * 21, HOSPITAL_SHAPE_MESSAGE),
        ("RX1 <b>", HOSPITAL_SHAPE_MESSAGE),
        ("-RX1", HOSPITAL_SHAPE_MESSAGE),
        ("RX1\n2", HOSPITAL_SHAPE_MESSAGE),
    ],
    ids=lambda value: repr(value) if isinstance(value, str) and len(value) < 25 else None,
)
def test_it_checks_an_nhs_number_only_when_it_looks_like_one(typed, problem):
    assert hospital_number_problem(typed) == problem


def test_it_stores_an_nhs_number_as_digits_and_shows_it_spaced():
    assert normalise_hospital_number(" 943 476 5919 ") == VALID_NHS
    assert display_hospital_number(VALID_NHS) == "943 476 5919"
    assert hospital_number_label(VALID_NHS) == "NHS number"
    assert normalise_hospital_number(" RX1-2345 ") == "RX1-2345"
    assert hospital_number_label("RX1-2345") == "Hospital number"


@pytest.mark.django_db
def test_it_saves_an_nhs_number_from_the_patient_form(clinician_client, patient):
    data = {**patient_form_data(patient), "hospital_number": "943 476 5919"}

    response = clinician_client.post(reverse("tracker:patient_edit", args=[patient.pk]), data)

    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.hospital_number == VALID_NHS
    edit = clinician_client.get(reverse("tracker:patient_edit", args=[patient.pk])).text
    assert 'value="943 476 5919"' in edit


@pytest.mark.django_db
def test_it_says_next_to_the_field_when_the_nhs_number_is_mistyped(clinician_client, patient):
    data = {**patient_form_data(patient), "hospital_number": "943 476 5918", "sport": "Rugby"}

    response = clinician_client.post(reverse("tracker:patient_edit", args=[patient.pk]), data)

    assert response.status_code == 200
    page = response.text
    field = page[page.index('for="id_hospital_number"') : page.index('for="id_sport"')]
    assert "its last digit does not match the other nine" in field
    assert 'value="943 476 5918"' in field  # kept as typed, to correct
    assert 'value="Rugby"' in page  # the rest of the form is kept
    patient.refresh_from_db()
    assert patient.hospital_number == "" and patient.sport != "Rugby"


@pytest.mark.django_db
def test_it_keeps_a_hospital_number_as_typed(clinician_client, patient):
    data = {**patient_form_data(patient), "hospital_number": "NSC-004512"}

    clinician_client.post(reverse("tracker:patient_edit", args=[patient.pk]), data)

    patient.refresh_from_db()
    assert patient.hospital_number == "NSC-004512"
    assert patient.hospital_number_label == "Hospital number"


@pytest.mark.django_db
def test_the_admin_refuses_a_mistyped_nhs_number_and_stores_a_good_one_as_digits(
    client, clinic, patient
):
    admin = UserFactory(username="platform", role=Role.CLINIC_ADMIN, clinic=clinic, is_staff=True)
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    url = reverse("admin:tracker_patient_change", args=[patient.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in {**form.initial, **form.data}.items()
        if value is not None and name != "care_team"
    }
    data.update(
        {
            "user": patient.user_id,
            "clinic": clinic.pk,
            "treating_clinician": patient.treating_clinician_id,
            "date_of_birth": patient.date_of_birth.isoformat(),
            "conservative_care_started": patient.conservative_care_started.isoformat(),
            "enrolled_on": patient.enrolled_on.isoformat(),
            "slip_grade": "",
            "discharged_on": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        }
    )

    refused = client.post(url, {**data, "hospital_number": "943 476 5918"})
    saved = client.post(url, {**data, "hospital_number": "943 476 5919"})

    assert "its last digit does not match the other nine" in refused.text
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    patient.refresh_from_db()
    assert patient.hospital_number == VALID_NHS
