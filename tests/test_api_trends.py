"""A patient's summary, trends and assessment for their care team."""

import pytest
from django.urls import reverse

from tests.factories import PatientFactory, logged_history
from tracker.models import AuditEvent
from tracker.selectors.assessment import patient_assessment
from tracker.services.api_tokens import api_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def token_client(client, clinician):
    _, raw = api_token_create(user=clinician, name="test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {raw}"
    return client


def test_it_gives_pain_adherence_scores_and_the_assessment(token_client, patient):
    days, baseline, follow_up = logged_history(patient)

    data = token_client.get(reverse("api:patient_trends", args=[patient.pk]), {"weeks": 4}).json()

    assert [(p["day"], p["pain_worst"]) for p in data["pain"]] == [
        (d.isoformat(), 5 + n) for n, d in enumerate(days)
    ]
    assert len(data["adherence"]) == 4
    assert data["adherence"][-1]["brace_days"] >= 1
    psfs = next(s for s in data["scores"] if s["instrument"] == "psfs")
    assert [p["score"] for p in psfs["points"]] == [baseline.score, follow_up.score]
    assert psfs["points"][1]["change"] == follow_up.score - baseline.score
    expected = patient_assessment(patient).assessment
    assert data["assessment"]["category"] == expected.category.value
    assert data["assessment"]["reasons"] == expected.reasons
    assert data["summary"]["checkins"] == 3
    assert data["summary"]["last_checkin"] == days[-1].isoformat()
    assert AuditEvent.objects.filter(patient=patient).exists()


def test_it_refuses_a_silly_number_of_weeks(token_client, patient):
    response = token_client.get(reverse("api:patient_trends", args=[patient.pk]), {"weeks": 0})

    assert response.status_code == 400
    assert "weeks" in response.json()


def test_it_hides_trends_from_everyone_outside_the_care_team(
    client,
    patient,
    other_patient,
    other_clinician,
    foreign_clinician,
    clinic_admin,
    guardians,
):
    foreign = PatientFactory(clinic=foreign_clinician.clinic, treating_clinician=foreign_clinician)
    url = reverse("api:patient_trends", args=[patient.pk])
    anonymous = client.get(url)

    for user in (
        patient.user,
        other_patient.user,
        other_clinician,
        foreign_clinician,
        clinic_admin,
        *guardians,
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 404, user
        assert "Patel" not in response.content.decode()
    client.force_login(patient.treating_clinician)
    for pk in (foreign.pk, other_patient.pk, "abc", 0):
        assert client.get(reverse("api:patient_trends", args=[pk])).status_code == 404

    assert anonymous.status_code == 401
