"""One page view is one audit row naming its patients, and the audit log reads in words."""

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import PatientFactory, UserFactory
from tracker.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

AUDIT = "/audit/"


@pytest.fixture
def seven(clinic, clinician, patient):
    others = [
        PatientFactory(
            user=UserFactory(username=f"p{i}", first_name=f"Pat{i}", last_name="Lee"),
            clinic=clinic,
            treating_clinician=clinician,
        )
        for i in range(6)
    ]
    return [patient, *others]


def test_it_writes_one_row_naming_seven_patients_for_one_dashboard_view(clinician_client, seven):
    clinician_client.get(reverse("tracker:patient_list"))

    event = AuditEvent.objects.get(what="dashboard")
    assert sorted(event.patient_ids) == sorted(p.pk for p in seven)
    assert event.patient is None


def test_it_finds_the_dashboard_view_when_searching_by_any_of_its_patients(
    clinician_client, client, clinic_admin, seven
):
    clinician_client.get(reverse("tracker:patient_list"))
    client.force_login(clinic_admin)

    page = client.get(AUDIT, {"patient": seven[3].pk})

    assert "Viewed the dashboard" in page.text
    assert "7 patients" in page.text
    assert seven[3].name in page.text


def test_it_names_people_and_exports_in_words(clinician_client, client, clinic_admin, patient):
    response = clinician_client.post(reverse("tracker:export"), {"dataset": "research_daily"})
    b"".join(response.streaming_content)
    client.force_login(clinic_admin)

    page = client.get(AUDIT).text

    assert "Amara Okafor (clinician)" in page
    assert "Exported the research daily table (web)" in page
    assert "clinician (clinician)" not in page
    assert "export research_daily" not in page


def test_it_lists_every_patient_of_a_row_in_the_csv(clinician_client, client, clinic_admin, seven):
    clinician_client.get(reverse("tracker:patient_list"))
    client.force_login(clinic_admin)

    response = client.get(AUDIT, {"format": "csv"})

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    dashboard = next(row for row in rows if row["what"] == "dashboard")
    assert sorted(dashboard["patient"].split("; ")) == sorted(p.name for p in seven)
    assert dashboard["patient_count"] == "7"
    assert dashboard["who_in_words"] == "Amara Okafor (clinician)"
    assert dashboard["action_in_words"] == "Viewed the dashboard"


def test_it_still_finds_a_one_patient_view_by_its_patient(clinician_client, patient):
    clinician_client.get(reverse("tracker:patient_detail", args=[patient.pk]))

    event = AuditEvent.objects.about(patient.pk).get()
    assert (event.patient, event.patient_ids, event.action) == (
        patient,
        [patient.pk],
        AuditAction.VIEW,
    )
