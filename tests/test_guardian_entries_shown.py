"""Who entered a day, wherever the day is shown (issue 16): the clinician's trends page, the
diary CSV (named and research), and FHIR (RelatedPerson, the Observations' performer)."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.relatedperson import RelatedPerson

from tests.factories import GuardianFactory, checkin_post, guardian_link
from tracker.fhir.guardians import ROLE_CODE
from tracker.fhir.resources import patient_bundle
from tracker.rules.guardians import GuardianRelationship, GuardianScope, LinkEnd
from tracker.services.guardians import guardian_link_end

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_days(client, patient):
    """Yesterday logged by Maya, today by her mother Asha (allowed to log)."""
    guardian = GuardianFactory(username="asha", first_name="Asha", last_name="Patel")
    guardian_link(patient, guardian, scope=[GuardianScope.LOG])
    today = patient.local_today()
    yesterday = today - dt.timedelta(days=1)
    client.force_login(patient.user)
    client.post(reverse("tracker:checkin") + f"?day={yesterday}", checkin_post(yesterday))
    client.force_login(guardian)
    client.post(
        reverse("tracker:guardian_checkin", args=[patient.pk]) + f"?day={today}",
        checkin_post(today, note="She limped after school."),
    )
    client.logout()
    return guardian


def _rows(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(body, newline="")))


def test_the_clinicians_diary_rows_say_a_guardian_entered_a_day(
    client, clinician, patient, two_days
):
    client.force_login(clinician)
    response = client.get(reverse("tracker:patient_trends", args=[patient.pk]))

    html = response.content.decode()
    assert html.count("Entered by Asha Patel (parent)") == 1


def test_the_diary_csv_says_who_entered_each_day(client, clinician, patient, two_days):
    client.force_login(clinician)
    rows = _rows(client.post(reverse("tracker:export"), {"dataset": "diary"}))

    assert [(r["entered_by"], r["entered_by_name"]) for r in rows] == [
        ("patient", "Maya Patel"),
        ("guardian", "Asha Patel"),
    ]


def test_the_research_diary_gives_the_role_and_no_name(client, clinician, patient, two_days):
    client.force_login(clinician)
    rows = _rows(client.post(reverse("tracker:export"), {"dataset": "research_diary"}))

    assert [r["entered_by"] for r in rows] == ["patient", "guardian"]
    assert "entered_by_name" not in rows[0]
    assert "Asha" not in str(rows)


def test_fhir_has_a_related_person_per_link_and_the_guardian_as_performer(patient, two_days):
    other = guardian_link(
        patient,
        GuardianFactory(first_name="Rob", last_name="Patel"),
        relationship=GuardianRelationship.GUARDIAN,
    )
    guardian_link_end(link=other, reason=LinkEnd.REMOVED, by=patient.treating_clinician)

    data = patient_bundle(patient, now=timezone.now())
    result = Bundle.model_validate(data)

    people = [e.resource for e in result.entry if e.resource.get_resource_type() == "RelatedPerson"]
    assert len(people) == 2
    for person in people:
        RelatedPerson.model_validate(person.model_dump())
    codes = {p.name[0].given[0]: p.relationship[0].coding[0] for p in people}
    assert (codes["Asha"].system, codes["Asha"].code) == (ROLE_CODE, "PRN")
    assert codes["Rob"].code == "GUARD"
    rob = next(p for p in people if p.name[0].given[0] == "Rob")
    assert rob.period.end is not None and rob.active is False
    patient_url = data["entry"][0]["fullUrl"]
    assert all(p.patient.reference == patient_url for p in people)
    asha_url = next(
        e["fullUrl"]
        for e in data["entry"]
        if e["resource"].get("name", [{}])[0].get("given") == ["Asha"]
        and e["resource"]["resourceType"] == "RelatedPerson"
    )
    pain = [e["resource"] for e in data["entry"] if e["resource"]["id"].startswith("pain-")]
    today = patient.local_today().isoformat()
    for observation in pain:
        performers = [p["reference"] for p in observation.get("performer", [])]
        assert performers == ([asha_url] if observation["effectiveDateTime"] == today else [])
