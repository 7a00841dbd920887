"""FHIR R4 export: every resource validates against fhir.resources' R4B models."""

import pytest
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.patient import Patient as FhirPatient

from tests.factories import PatientFactory, UserFactory
from tracker.fhir.resources import PATIENT_ID_SYSTEM, patient_bundle, patient_resource

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
