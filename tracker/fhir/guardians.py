"""A young patient's parents and guardians as FHIR RelatedPerson resources, and the reference an
Observation a guardian entered carries as its performer (issue 16; docs/export.md "FHIR R4")."""

from typing import Any

from tracker.fhir.resources import reference
from tracker.models import GuardianLink

# HL7 v3 RoleCode (FHIR R4 RelatedPerson.relationship, the v3 RoleCode value set).
ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
RELATIONSHIP_CODES = {
    "parent": ("PRN", "parent"),
    "guardian": ("GUARD", "guardian"),
    "other": ("FAMMEMB", "family member"),
}


def related_person(subject: dict[str, Any], link: GuardianLink) -> dict[str, Any]:
    """One guardian link: who (name), how related, to which patient, and when it held."""
    code, display = RELATIONSHIP_CODES[link.relationship]
    user = link.guardian
    resource: dict[str, Any] = {
        "resourceType": "RelatedPerson",
        "id": f"related-person-{link.pk}",
        "active": link.ended_at is None,
        "patient": reference(subject),
        "relationship": [{"coding": [{"system": ROLE_CODE, "code": code, "display": display}]}],
        "period": {"start": link.created_at.isoformat()},
    }
    name: dict[str, Any] = {}
    if user.last_name:
        name["family"] = user.last_name
    if user.first_name:
        name["given"] = [user.first_name]
    if name:
        resource["name"] = [name]
    if link.ended_at is not None:
        resource["period"]["end"] = link.ended_at.isoformat()
    return resource


def related_people(subject: dict[str, Any], patient: Any) -> dict[int, dict[str, Any]]:
    """Every guardian link of the patient (ended ones too: who had access, and when) as a
    RelatedPerson, by guardian: a guardian linked twice is represented by their latest link."""
    links = GuardianLink.objects.filter(patient=patient).select_related("guardian")
    return {link.guardian_id: related_person(subject, link) for link in links.order_by("pk")}
