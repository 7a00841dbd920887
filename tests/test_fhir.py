"""FHIR R4 export: every resource validates against fhir.resources' R4B models."""

import pytest
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient as FhirPatient
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from tests.factories import PatientFactory, UserFactory, logged_history
from tracker.fhir.resources import (
    LOCAL_OBSERVATION,
    PATIENT_ID_SYSTEM,
    patient_bundle,
    patient_resource,
)
from tracker.models import DiaryActivity, DiaryEntry, ExportRecord
from tracker.services.api_tokens import api_token_create

pytestmark = pytest.mark.django_db


def test_it_builds_a_valid_patient_resource(patient):
    resource = FhirPatient.model_validate(patient_resource(patient))

    assert resource.birthDate.isoformat() == patient.date_of_birth.isoformat()
    assert resource.name[0].family == "Patel"
    assert resource.name[0].given == ["Maya"]
    assert resource.identifier[0].system == PATIENT_ID_SYSTEM
    assert resource.identifier[0].value == str(patient.pk)
    assert resource.active is True


def test_it_builds_a_valid_bundle_with_non_ascii_names_and_no_email(clinic, clinician):
    patient = PatientFactory(
        user=UserFactory(first_name="زينب", last_name="王", email=""),
        clinic=clinic,
        treating_clinician=clinician,
    )

    result = Bundle.model_validate(patient_bundle(patient, now=timezone.now()))

    assert result.type == "collection"
    assert [e.resource.get_resource_type() for e in result.entry] == ["Patient"]
    assert result.entry[0].resource.name[0].family == "王"
    assert result.entry[0].resource.telecom is None


# The whole record, and the ways to download it


def _codes(resource) -> set[tuple[str, str]]:
    return {(c.system, c.code) for c in resource.code.coding}


def _validated_bundle(content: bytes) -> Bundle:
    return Bundle.model_validate_json(content)


def test_it_builds_a_valid_bundle_of_everything_the_patient_entered(patient):
    days, baseline, follow_up = logged_history(patient, note="x", activity_name="Zoë's walkover")

    result = Bundle.model_validate(patient_bundle(patient, now=timezone.now()))

    resources = [e.resource for e in result.entry]
    observations = [r for r in resources if isinstance(r, Observation)]
    pain = [o for o in observations if ("http://loinc.org", "72514-3") in _codes(o)]
    assert len(pain) == 2 * DiaryEntry.objects.filter(patient=patient).count()
    assert {o.valueQuantity.code for o in pain} == {"{score}"}
    now = [o for o in pain if (LOCAL_OBSERVATION, "pain-now") in _codes(o)]
    assert sorted(
        (o.effectiveDateTime.isoformat()[:10], int(o.valueQuantity.value)) for o in now
    ) == [(d.isoformat(), 2 + n) for n, d in enumerate(days)]
    activity = [o for o in observations if (LOCAL_OBSERVATION, "activity-pain") in _codes(o)]
    assert len(activity) == DiaryActivity.objects.filter(entry__patient=patient).count()
    brace = [o for o in observations if (LOCAL_OBSERVATION, "brace-wear") in _codes(o)]
    assert sorted(float(o.valueQuantity.value) for o in brace) == [10.5, 20.0]
    assert {(o.valueQuantity.system, o.valueQuantity.code) for o in brace} == {
        ("http://unitsofmeasure.org", "h")
    }
    answers = [r for r in resources if isinstance(r, QuestionnaireResponse)]
    assert len(answers) == 2
    assert answers[0].item[0].text == "Zoë's walkover"
    assert answers[0].item[0].answer[0].valueInteger == 2
    references = {e.fullUrl for e in result.entry}
    assert all(o.subject.reference in references for o in observations)


def test_it_codes_the_odi_score_with_loinc(patient):
    from tests.factories import outcome_schedule, submitted_response

    outcome_schedule(patient, "odi")
    submitted_response(
        patient,
        "odi",
        due_on=patient.enrolled_on,
        answers={
            k: 2
            for k in (
                "pain_intensity",
                "personal_care",
                "lifting",
                "walking",
                "sitting",
                "standing",
                "sleeping",
                "sex_life",
                "social_life",
                "travelling",
            )
        },
    )

    result = Bundle.model_validate(patient_bundle(patient, now=timezone.now()))

    scores = [
        e.resource
        for e in result.entry
        if isinstance(e.resource, Observation)
        and ("http://loinc.org", "97908-8") in _codes(e.resource)
    ]
    assert len(scores) == 1
    assert float(scores[0].valueQuantity.value) == 40.0


@pytest.fixture
def token_client(client, clinician):
    _, raw = api_token_create(user=clinician, name="test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {raw}"
    return client


def test_it_serves_the_bundle_to_the_care_team_and_records_it(token_client, clinician, patient):
    logged_history(patient)

    response = token_client.get(reverse("api:patient_fhir", args=[patient.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    assert _validated_bundle(response.content).entry[0].resource.id == f"patient-{patient.pk}"
    record = ExportRecord.objects.get()
    assert (record.dataset, record.via, record.user) == ("fhir", "api", clinician)
    assert list(record.patients.all()) == [patient]


def test_it_hides_the_bundle_from_everyone_outside_the_care_team(
    client,
    patient,
    other_patient,
    other_clinician,
    foreign_clinician,
    clinic_admin,
    guardians,
):
    url = reverse("api:patient_fhir", args=[patient.pk])
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
        assert client.get(url).status_code == 404

    assert anonymous.status_code == 401
    assert not ExportRecord.objects.exists()


def test_it_offers_fhir_on_the_export_page(clinician_client, patient, other_patient):
    logged_history(patient)
    page = clinician_client.get(reverse("tracker:export")).content.decode()

    ok = clinician_client.post(reverse("tracker:export_fhir"), {"fhir-patient": patient.pk})
    refused = clinician_client.post(
        reverse("tracker:export_fhir"), {"fhir-patient": other_patient.pk}
    )

    assert "Download FHIR bundle" in page
    assert ok.status_code == 200
    assert len(_validated_bundle(ok.content).entry) > 10
    assert refused.status_code == 400
    assert "Choose one of your patients." in refused.content.decode()
    assert ExportRecord.objects.get().via == "web"
