"""Builders for FHIR R4 resources: pure functions from our records to JSON-ready dicts.

Codes (docs/export.md, "FHIR R4"): daily pain ratings carry LOINC 72514-3 (pain severity 0-10,
verified in the HL7 Belgium patient-monitoring IG); the ODI score LOINC 97908-8 (seen in HL7 PACIO
samples, NOT checked at loinc.org). Everything without a verified code uses our own CodeSystem
under `LOCAL`, which is ours to define and is marked as such in the docs.
"""

import datetime as dt
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from tracker.models import Patient

# Identifier system for ParsTrack's own patient ids; a deployment may set its own URI later.
PATIENT_ID_SYSTEM = "urn:parstrack:patient-id"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# Our own code systems ("parstrack.example" is a reserved name: a deployment substitutes its own).
LOCAL = "https://parstrack.example/fhir/CodeSystem"
LOCAL_OBSERVATION = f"{LOCAL}/observation"
LOCAL_ACTIVITY = f"{LOCAL}/activity"
QUESTIONNAIRE_BASE = "https://parstrack.example/fhir/Questionnaire"

PAIN_SEVERITY = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
ODI_SCORE = {"system": LOINC, "code": "97908-8", "display": "Oswestry Disability Index"}
PAIN_NOW = {"system": LOCAL_OBSERVATION, "code": "pain-now", "display": "Back pain right now"}
PAIN_WORST = {
    "system": LOCAL_OBSERVATION,
    "code": "pain-worst-day",
    "display": "Worst back pain of the day",
}
ACTIVITY_PAIN = {
    "system": LOCAL_OBSERVATION,
    "code": "activity-pain",
    "display": "Back pain provoked by an activity (0-10)",
}
BRACE_WEAR = {
    "system": LOCAL_OBSERVATION,
    "code": "brace-wear",
    "display": "Hours the spinal brace was worn in the day",
}
BRACE_TARGET = {
    "system": LOCAL_OBSERVATION,
    "code": "brace-target",
    "display": "Hours the spinal brace was prescribed for the day",
}
_NAMESPACE = uuid.UUID("6f1c9f8e-3b7a-5d2e-9a41-0c8d2e7b5a10")


def full_url(resource_type: str, resource_id: str) -> str:
    """A stable urn:uuid for a resource, so references inside the Bundle resolve."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{resource_type}/{resource_id}')}"


def reference(resource: dict[str, Any]) -> dict[str, str]:
    return {"reference": full_url(resource["resourceType"], resource["id"])}


def _category(code: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": OBSERVATION_CATEGORY, "code": code}]}]


def _score(value: int | float) -> dict[str, Any]:
    return {"value": value, "unit": "{score}", "system": UCUM, "code": "{score}"}


def _hours(value: Decimal) -> dict[str, Any]:
    return {"value": float(value), "unit": "h", "system": UCUM, "code": "h"}


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


def observation(
    *,
    id: str,
    subject: dict[str, Any],
    codings: list[dict[str, str]],
    category: str,
    day: dt.date,
    value: dict[str, Any],
    text: str,
    components: Iterable[dict[str, Any]] = (),
    derived_from: dict[str, str] | None = None,
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": id,
        "status": "final",
        "category": _category(category),
        "code": {"coding": codings, "text": text},
        "subject": reference(subject),
        "effectiveDateTime": day.isoformat(),
        "valueQuantity": value,
    }
    components = list(components)
    if components:
        resource["component"] = components
    if derived_from:
        resource["derivedFrom"] = [derived_from]
    return resource


def pain_observations(
    subject: dict[str, Any], entry: Any, performer: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Two Observations per check-in, both LOINC 72514-3 (a 0-10 pain score): pain right now and
    the day's worst pain, told apart by a second coding of ours. `performer`: the RelatedPerson
    of a guardian who entered the day (docs/guardians.md), else none (the patient reported it)."""
    found = [
        observation(
            id=f"pain-now-{entry.pk}",
            subject=subject,
            codings=[PAIN_SEVERITY, PAIN_NOW],
            category="survey",
            day=entry.day,
            value=_score(entry.pain_now),
            text="Back pain right now (0-10)",
        ),
        observation(
            id=f"pain-worst-{entry.pk}",
            subject=subject,
            codings=[PAIN_SEVERITY, PAIN_WORST],
            category="survey",
            day=entry.day,
            value=_score(entry.pain_worst),
            text="Worst back pain of the day (0-10)",
        ),
    ]
    return [with_performer(o, performer) for o in found]


def with_performer(resource: dict[str, Any], performer: dict[str, Any] | None) -> dict[str, Any]:
    """The Observation with who performed it (a guardian's RelatedPerson), when not the patient."""
    if performer is not None:
        resource["performer"] = [reference(performer)]
    return resource


def activity_pain_observation(
    subject: dict[str, Any], day: dt.date, activity: Any
) -> dict[str, Any]:
    return observation(
        id=f"activity-pain-{activity.pk}",
        subject=subject,
        codings=[ACTIVITY_PAIN],
        category="survey",
        day=day,
        value=_score(activity.pain),
        text=f"Back pain from {activity.get_activity_display().lower()} (0-10)",
        components=[
            {
                "code": {"coding": [{"system": LOCAL_OBSERVATION, "code": "activity"}]},
                "valueCodeableConcept": {
                    "coding": [
                        {
                            "system": LOCAL_ACTIVITY,
                            "code": activity.activity,
                            "display": activity.get_activity_display(),
                        }
                    ]
                },
            }
        ],
    )


def brace_observation(subject: dict[str, Any], log: Any, target: Decimal | None) -> dict[str, Any]:
    components = []
    if target is not None:
        components.append({"code": {"coding": [BRACE_TARGET]}, "valueQuantity": _hours(target)})
    return observation(
        id=f"brace-{log.pk}",
        subject=subject,
        codings=[BRACE_WEAR],
        category="activity",
        day=log.day,
        value=_hours(log.hours),
        text="Hours the brace was worn",
        components=components,
    )


def questionnaire_response(subject: dict[str, Any], response: Any) -> dict[str, Any]:
    """The answers as given (PSFS: each activity's name as the item's text)."""
    instrument = response.instrument
    if response.activities:
        keys = [str(n) for n in range(1, len(response.activities) + 1)]
        texts = dict(zip(keys, response.activities, strict=True))
    else:
        keys = [item["key"] for item in instrument.definition["items"]]
        texts = {
            item["key"]: item.get("section") or item.get("text") or item["key"]
            for item in instrument.definition["items"]
        }
    items = []
    for key in keys:
        item: dict[str, Any] = {"linkId": key, "text": texts[key]}
        if response.answers.get(key) is not None:
            item["answer"] = [{"valueInteger": int(response.answers[key])}]
        items.append(item)
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": f"response-{response.pk}",
        "questionnaire": f"{QUESTIONNAIRE_BASE}/{instrument.code}",
        "status": "completed",
        "subject": reference(subject),
        "authored": response.submitted_at.isoformat(),
        "item": items,
    }
    return resource


def score_observation(
    subject: dict[str, Any], response: Any, answers: dict[str, Any]
) -> dict[str, Any]:
    """The questionnaire's score, derived from its QuestionnaireResponse."""
    instrument = response.instrument
    local = {
        "system": LOCAL_OBSERVATION,
        "code": f"{instrument.code}-score",
        "display": f"{instrument.name} score",
    }
    codings = [ODI_SCORE, local] if instrument.code == "odi" else [local]
    return observation(
        id=f"score-{response.pk}",
        subject=subject,
        codings=codings,
        category="survey",
        day=response.submitted_on,
        value=_score(response.score),
        text=f"{instrument.short_name} score",
        derived_from=reference(answers),
    )


def bundle(resources: Iterable[dict[str, Any]], *, now: dt.datetime) -> dict[str, Any]:
    """A Bundle of type collection holding these resources."""
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": now.isoformat(),
        "entry": [
            {"fullUrl": full_url(r["resourceType"], r["id"]), "resource": r} for r in resources
        ],
    }


def patient_bundle(patient: Patient, *, now: dt.datetime) -> dict[str, Any]:
    """Everything about one patient as FHIR (tracker.fhir.records reads it from the database)."""
    from tracker.fhir.records import patient_resources

    return bundle(patient_resources(patient), now=now)
