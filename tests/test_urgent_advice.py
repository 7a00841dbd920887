"""The urgent advice a patient reads after reporting a warning sign gives their clinic's numbers."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import UserFactory, checkin_post
from tests.helpers import clinic_admin_form
from tracker.models import Clinic, Role

pytestmark = pytest.mark.django_db


def advice_pages(client, patient) -> dict[str, str]:
    """The check-in (its preview), the confirmation and the home page, after a warning sign."""
    today = patient.local_today()
    saved = client.post(reverse("tracker:checkin"), checkin_post(today, bladder_bowel="yes"))
    return {
        "checkin": client.get(reverse("tracker:checkin")).text,
        "saved": client.get(saved["Location"]).text,
        "home": client.get(reverse("tracker:patient_home")).text,
    }


def test_it_gives_the_uk_numbers_by_default(patient_client, patient):
    pages = advice_pages(patient_client, patient)

    for name, page in pages.items():
        assert '<a href="tel:999"><strong>999</strong></a>' in page, name
        assert 'call <a href="tel:111"><strong>111</strong></a>' in page, name


def test_it_gives_the_patients_clinic_numbers(patient_client, patient, clinic):
    clinic.emergency_number, clinic.urgent_advice_number = "112", "+353 1 555 0100"
    clinic.save()

    pages = advice_pages(patient_client, patient)

    for name, page in pages.items():
        assert '<a href="tel:112"><strong>112</strong></a>' in page, name
        assert '<a href="tel:+35315550100"><strong>+353 1 555 0100</strong></a>' in page, name
        assert "999" not in page and "tel:111" not in page, name


def test_it_sends_the_patient_to_their_care_team_where_there_is_no_urgent_line(
    patient_client, patient, clinic
):
    clinic.emergency_number, clinic.urgent_advice_number = "911", ""
    clinic.save()

    page = advice_pages(patient_client, patient)["saved"]

    assert '<a href="tel:911"><strong>911</strong></a>' in page
    assert "If you are not sure what to do, call your care team now." in page


@pytest.fixture
def clinic_admin_client(client, clinic):
    admin = UserFactory(username="clinic.admin", role=Role.CLINIC_ADMIN, clinic=clinic)
    admin.is_staff = True
    admin.save()
    admin.user_permissions.add(*Permission.objects.filter(codename__in=["change_clinic"]))
    client.force_login(admin)
    return client


def _clinic_form(clinic: Clinic, **numbers) -> dict:
    dublin = {"time_zone": "Europe/Dublin", "emergency_number": "112", "urgent_advice_number": ""}
    return clinic_admin_form(clinic, **{**dublin, **numbers})


def test_it_lets_the_clinic_administrator_set_the_numbers(clinic_admin_client, clinic):
    url = reverse("admin:tracker_clinic_change", args=[clinic.pk])

    response = clinic_admin_client.post(url, _clinic_form(clinic))

    assert response.status_code == 302
    clinic.refresh_from_db()
    assert (clinic.emergency_number, clinic.urgent_advice_number) == ("112", "")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("emergency_number", ""),
        ("emergency_number", "call 999"),
        ("urgent_advice_number", "111<script>"),
        ("urgent_advice_number", "1  11"),
    ],
    ids=["no-emergency-number", "words", "markup", "double-space"],
)
def test_it_refuses_a_number_no_one_could_dial(clinic_admin_client, clinic, field, value):
    url = reverse("admin:tracker_clinic_change", args=[clinic.pk])

    response = clinic_admin_client.post(url, _clinic_form(clinic, **{field: value}))

    assert response.status_code == 200 and field in response.context["adminform"].form.errors
    clinic.refresh_from_db()
    assert (clinic.emergency_number, clinic.urgent_advice_number) == ("999", "111")
