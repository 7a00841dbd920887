"""The clinic administrator's audit log: search by user, patient and date; CSV export."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from tests.factories import ClinicFactory, ClinicianFactory, PatientFactory
from tests.helpers import assert_login_redirect, assert_not_found_for
from tracker.models import AuditAction, AuditEvent
from tracker.services.audit import audit_record

pytestmark = pytest.mark.django_db

URL = "/audit/"


@pytest.fixture
def admin_client(client, clinic_admin):
    client.force_login(clinic_admin)
    return client


@pytest.fixture
def events(clinician, other_clinician, patient, other_patient):
    foreign = ClinicianFactory(username="dr.far", clinic=ClinicFactory(name="Far Clinic"))
    far_patient = PatientFactory(clinic=foreign.clinic, treating_clinician=foreign)
    return {
        "mine": audit_record(user=clinician, patient=patient, action="view", what="patient detail"),
        "colleague": audit_record(
            user=other_clinician, patient=other_patient, action="change", what="patient edit"
        ),
        "foreign": audit_record(
            user=foreign, patient=far_patient, action="view", what="far away detail"
        ),
    }


def test_it_is_for_clinic_administrators_only(client, clinician, patient, guardians):
    assert_not_found_for(client, [clinician, patient.user, *guardians], URL)
    assert_login_redirect(client, URL)


def test_it_shows_only_the_administrators_clinic(admin_client, events):
    response = admin_client.get(URL)

    assert "patient detail" in response.text and "patient edit" in response.text
    assert "far away detail" not in response.text


def test_it_searches_by_user_and_patient(admin_client, events, clinician, other_patient):
    by_user = admin_client.get(URL, {"user": clinician.pk})
    by_patient = admin_client.get(URL, {"patient": other_patient.pk})

    assert "patient detail" in by_user.text and "patient edit" not in by_user.text
    assert "patient edit" in by_patient.text and "patient detail" not in by_patient.text


def test_it_searches_by_date_range(admin_client, events):
    today = timezone.localdate()

    past = admin_client.get(
        URL, {"date_from": "2020-01-01", "date_to": (today - dt.timedelta(days=2)).isoformat()}
    )
    now = admin_client.get(URL, {"date_from": today.isoformat(), "date_to": today.isoformat()})

    assert "No events match" in past.text
    assert "patient detail" in now.text


def test_it_refuses_a_patient_of_another_clinic(admin_client, events):
    far_patient = events["foreign"].patient

    response = admin_client.get(URL, {"patient": far_patient.pk})

    assert "far away detail" not in response.text
    assert "Select a valid choice" in response.text


def test_it_exports_csv_with_formulas_neutralised(admin_client, clinician, patient):
    audit_record(user=clinician, patient=patient, action="view", what="=HYPERLINK(1)")

    response = admin_client.get(URL, {"format": "csv"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert rows[0][:5] == ["when", "user", "role", "patient", "action"]
    assert "'=HYPERLINK(1)" in [row[5] for row in rows]
    assert not any(cell.startswith("=") for row in rows for cell in row)
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, what="audit log CSV").exists()


def test_it_shows_an_error_for_a_bad_date_range(admin_client):
    response = admin_client.get(URL, {"date_from": "2026-03-10", "date_to": "2026-03-01"})

    assert response.status_code == 200
    assert "The end date is before the start date" in response.text
