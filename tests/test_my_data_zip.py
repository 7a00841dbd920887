"""The patient's own download: one zip file of their data, headers in words, with a readme."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from tests.factories import PatientFactory, UserFactory, logged_history
from tests.helpers import assert_login_redirect, assert_not_found_for
from tracker.models import AuditAction, AuditEvent, ExportRecord

pytestmark = pytest.mark.django_db

URL = "/account/my-data.zip"
NOTE = "Stiff after training."


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def _table(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    text = archive.read(name).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_it_offers_one_file_on_the_account_page(patient_client):
    page = patient_client.get(reverse("tracker:account")).text

    assert "Download all my data (zip)" in page
    assert f'action="{URL}"' in page


def test_it_gives_every_dataset_in_one_zip_with_headers_in_words(patient_client, patient):
    logged_history(patient, note=NOTE)

    archive = _zip(patient_client.post(URL))

    names = set(archive.namelist())
    assert {"README.txt", "daily-check-ins.csv", "record.csv", "brace-hours.csv"} <= names
    assert len(names) == 9  # the readme and the eight datasets offered to patients
    diary = _table(archive, "daily-check-ins.csv")
    assert len(diary) == 3
    assert "Pain worst" in diary[0] and "pain_worst" not in diary[0]
    assert {row["Patient ID"] for row in diary} == {str(patient.pk)}
    assert _table(archive, "record.csv")[0]["Last name"] == "Patel"


def test_it_explains_each_file_and_column_in_the_readme(patient_client, patient):
    readme = _zip(patient_client.post(URL)).read("README.txt").decode()

    assert "Maya Patel" in readme
    assert "daily-check-ins.csv: your daily check-ins" in readme
    assert "Pain worst (whole number" in readme
    assert "brace-hours.csv" in readme


def test_it_marks_the_files_for_excel_when_asked(patient_client):
    archive = _zip(patient_client.post(URL, {"excel": "on"}))

    assert archive.read("record.csv").startswith(b"\xef\xbb\xbf")


def test_it_records_the_download_once_naming_the_patient(patient_client, patient):
    patient_client.post(URL)

    record = ExportRecord.objects.get()
    assert (record.dataset, list(record.patients.all())) == ("my_data", [patient])
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (event.patient, event.user) == (patient, patient.user)


def test_it_gives_another_patient_only_their_own_data(client, patient, clinic, clinician):
    logged_history(patient, note=NOTE)
    someone = PatientFactory(
        user=UserFactory(username="sam", first_name="Sam", last_name="Other"),
        clinic=clinic,
        treating_clinician=clinician,
    )
    client.force_login(someone.user)

    archive = _zip(client.post(URL))

    assert [row["Last name"] for row in _table(archive, "record.csv")] == ["Other"]
    assert _table(archive, "daily-check-ins.csv") == []
    assert all(b"Patel" not in archive.read(name) for name in archive.namelist())


def test_it_is_for_the_patient_themself_only(client, clinician, clinic_admin, guardians):
    assert_not_found_for(client, [clinician, clinic_admin, *guardians], URL, "post")
    assert_login_redirect(client, URL, "post")


def test_it_answers_a_get_with_method_not_allowed(patient_client):
    assert patient_client.get(URL).status_code == 405
