"""Builders for FHIR R4 resources: pure functions from our models to JSON-ready dicts."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from tracker.models import Patient

# Identifier system for ParsTrack's own patient ids; a deployment may set its own URI later.
PATIENT_ID_SYSTEM = "urn:parstrack:patient-id"


def patient_resource(patient: Patient) -> dict[str, Any]:
    """The FHIR Patient: identifier, name, birth date, active, managing organisation (by name)."""
    user = patient.user
    name: dict[str, Any] = {"use": "official"}
    if user.last_name:
        name["family"] = user.last_name
    if user.first_name:
        name["given"] = [user.first_name]
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": f"patient-{patient.pk}",
        "identifier": [{"system": PATIENT_ID_SYSTEM, "value": str(patient.pk)}],
        "active": patient.is_active,
        "birthDate": patient.date_of_birth.isoformat(),
        "managingOrganization": {"display": patient.clinic.name},
    }
    if len(name) > 1:
        resource["name"] = [name]
    if user.email:
        resource["telecom"] = [{"system": "email", "value": user.email}]
    return resource


def bundle(resources: Iterable[dict[str, Any]], *, now: dt.datetime) -> dict[str, Any]:
    """A Bundle of type collection holding these resources."""
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": now.isoformat(),
        "entry": [
            {"fullUrl": f"urn:parstrack:{r['resourceType']}/{r['id']}", "resource": r}
            for r in resources
        ],
    }


def patient_bundle(patient: Patient, *, now: dt.datetime) -> dict[str, Any]:
    """Everything about one patient as FHIR: for now the Patient; Observations join here."""
    return bundle([patient_resource(patient)], now=now)
