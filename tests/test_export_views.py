"""The clinician's Export page, the patient's own download, and the export API endpoint."""

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from tests.factories import PatientFactory, UserFactory
from tests.helpers import assert_login_redirect, assert_not_found_for
from tracker.exports.datasets import DATASETS
from tracker.models import ExportRecord, Patient
from tracker.services.api_tokens import api_token_create

pytestmark = pytest.mark.django_db


def _rows(response) -> list[dict[str, str]]:
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body, newline="")))


def _export(client, **data):
    return client.post(reverse("tracker:export"), {"dataset": "patients", **data})


def test_it_exports_the_clinicians_patients_matching_the_database(clinician_client, patient):
    second = PatientFactory(
        user=UserFactory(first_name="Zoë", last_name="Ødegård"),
        clinic=patient.clinic,
        treating_clinician=patient.treating_clinician,
        spondylolisthesis=True,
        slip_grade=2,
        sport='=HYPERLINK("http://evil.example","click")',
        diagnosis_notes="CT: bilateral defects; نتيجة; 结果",
    )

    response = _export(clinician_client)

    rows = {int(r["patient_id"]): r for r in _rows(response)}
    assert set(rows) == {patient.pk, second.pk}
    for p in Patient.objects.filter(pk__in=rows).select_related("user", "clinic"):
        row = rows[p.pk]
        today = p.local_today()
        assert row["first_name"] == p.user.first_name
        assert row["last_name"] == p.user.last_name
        assert row["date_of_birth"] == p.date_of_birth.isoformat()
        assert row["as_of_date"] == today.isoformat()
        assert row["age_years"] == str(p.age_on(today))
        assert row["weeks_of_care"] == str(p.weeks_of_care(today))
        assert row["conservative_care_started"] == p.conservative_care_started.isoformat()
        assert row["clinic"] == p.clinic.name
        assert row["status"] == p.status
    assert rows[second.pk]["first_name"] == "Zoë"
    assert rows[second.pk]["last_name"] == "Ødegård"
    assert rows[second.pk]["diagnosis_notes"] == "CT: bilateral defects; نتيجة; 结果"
    assert rows[second.pk]["sport"] == '\'=HYPERLINK("http://evil.example","click")'
    assert rows[second.pk]["spondylolisthesis"] == "true"
    assert rows[second.pk]["slip_grade"] == "2"
    assert rows[patient.pk]["slip_grade"] == ""
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert list(rows[patient.pk]) == DATASETS["patients"].header()


def test_it_adds_a_byte_order_mark_for_excel(clinician_client, patient):
    plain = b"".join(_export(clinician_client).streaming_content)
    excel = b"".join(_export(clinician_client, excel="on").streaming_content)

    assert not plain.startswith(b"\xef\xbb\xbf")
    assert excel.startswith(b"\xef\xbb\xbf")


def test_it_exports_one_patient(clinician_client, clinician, patient):
    PatientFactory(clinic=patient.clinic, treating_clinician=clinician)

    rows = _rows(_export(clinician_client, patient=patient.pk))

    assert [int(r["patient_id"]) for r in rows] == [patient.pk]


def test_it_keeps_other_clinicians_patients_out_of_all_patients(
    clinician_client, patient, other_patient, foreign_clinician
):
    foreign = PatientFactory(clinic=foreign_clinician.clinic, treating_clinician=foreign_clinician)

    rows = _rows(_export(clinician_client))

    assert {int(r["patient_id"]) for r in rows} == {patient.pk}
    assert foreign.pk != patient.pk and other_patient.pk != patient.pk


@pytest.mark.parametrize("whose", ["other_patient", "foreign"], ids=["same-clinic", "other-clinic"])
def test_it_refuses_a_patient_filter_naming_someone_elses_patient(
    clinician_client, patient, other_patient, foreign_clinician, whose
):
    foreign = PatientFactory(clinic=foreign_clinician.clinic, treating_clinician=foreign_clinician)
    target = other_patient if whose == "other_patient" else foreign

    response = _export(clinician_client, patient=target.pk)

    assert response.status_code == 400
    assert not isinstance(response, StreamingHttpResponse)
    assert target.user.last_name not in response.content.decode()
    assert "Choose one of your patients." in response.content.decode()
    assert ExportRecord.objects.count() == 0


def test_it_limits_patients_to_those_in_care_during_the_range(clinician_client, clinician, patient):
    later = PatientFactory(
        clinic=patient.clinic,
        treating_clinician=clinician,
        conservative_care_started=dt.date(2030, 1, 1),
        enrolled_on=dt.date(2030, 1, 1),
    )
    gone = PatientFactory(
        clinic=patient.clinic,
        treating_clinician=clinician,
        status=Patient.Status.DISCHARGED,
        discharged_on=dt.date(2020, 1, 1),
        conservative_care_started=dt.date(2019, 1, 1),
        enrolled_on=dt.date(2019, 1, 1),
    )
    start = patient.enrolled_on

    rows = _rows(_export(clinician_client, date_from=start, date_to=start + dt.timedelta(days=7)))

    assert {int(r["patient_id"]) for r in rows} == {patient.pk}
    assert rows[0]["as_of_date"] == (start + dt.timedelta(days=7)).isoformat()
    assert later.pk and gone.pk


def test_it_rejects_a_range_that_ends_before_it_starts(clinician_client, patient):
    response = _export(clinician_client, date_from="2026-02-01", date_to="2026-01-01")

    assert response.status_code == 400
    assert "on or after its start" in response.content.decode()


def test_it_records_every_export(clinician_client, clinician, patient):
    _export(clinician_client, patient=patient.pk, date_from="2026-01-01", excel="on")

    record = ExportRecord.objects.get()
    assert record.user == clinician
    assert record.dataset == "patients"
    assert list(record.patients.all()) == [patient]
    assert record.all_patients is False
    assert record.date_from == dt.date(2026, 1, 1)
    assert record.options == {"excel": True}
    assert record.via == "web"


def test_it_pseudonymises_the_research_export(clinician_client, clinician, patient):
    twin = PatientFactory(clinic=patient.clinic, treating_clinician=clinician)

    first = _rows(_export(clinician_client, dataset="research_patients"))
    again = _rows(_export(clinician_client, dataset="research_patients"))

    body = str(first)
    for p in (patient, twin):
        assert p.user.first_name not in body and p.user.last_name not in body
        assert p.date_of_birth.isoformat() not in body
    pseudonyms = [r["pseudonym"] for r in first]
    assert len(set(pseudonyms)) == 2
    assert all(re.fullmatch(r"P-[0-9a-f]{16}", p) for p in pseudonyms)
    assert pseudonyms == [r["pseudonym"] for r in again]
    assert "patient_id" not in first[0] and "date_of_birth" not in first[0]


def test_it_changes_pseudonyms_when_the_secret_rotates(clinician_client, patient, settings):
    settings.RESEARCH_PSEUDONYM_KEY = "first secret"
    before = _rows(_export(clinician_client, dataset="research_patients"))[0]["pseudonym"]
    settings.RESEARCH_PSEUDONYM_KEY = "second secret"
    after = _rows(_export(clinician_client, dataset="research_patients"))[0]["pseudonym"]

    assert before != after


def test_it_shows_the_export_page_only_to_clinicians(client, patient, clinic_admin, guardians):
    url = reverse("tracker:export")

    assert_not_found_for(client, [patient.user, clinic_admin, *guardians], url)
    assert_not_found_for(
        client,
        [patient.user, clinic_admin, *guardians],
        url,
        "post",
    )
    assert_login_redirect(client, url)
    assert_login_redirect(client, url, "post")


def test_it_shows_the_export_options(clinician_client, patient):
    response = clinician_client.get(reverse("tracker:export"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Patients (research, pseudonymised)" in page
    assert str(patient) in page
    assert "All my patients" in page


# The patient's own data


def test_it_lets_a_patient_download_their_own_record(patient_client, patient, other_patient):
    account = patient_client.get(reverse("tracker:account"))

    response = patient_client.post(reverse("tracker:my_data_download"), {"dataset": "patients"})

    assert "Download your record (CSV)" in account.content.decode()
    rows = _rows(response)
    assert [int(r["patient_id"]) for r in rows] == [patient.pk]
    assert rows[0]["last_name"] == "Patel"
    record = ExportRecord.objects.get()
    assert record.user == patient.user and list(record.patients.all()) == [patient]


def test_it_offers_patients_only_patient_datasets(patient_client):
    response = patient_client.post(
        reverse("tracker:my_data_download"), {"dataset": "research_patients"}
    )

    assert response.status_code == 404


def test_it_keeps_the_patient_download_to_patients(client, clinician, clinic_admin, guardians):
    url = reverse("tracker:my_data_download")

    assert_not_found_for(client, [clinician, clinic_admin, *guardians], url, "post")
    assert_login_redirect(client, url, "post")


# The API endpoint


@pytest.fixture
def token_client(client, clinician):
    _, raw = api_token_create(user=clinician, name="test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {raw}"
    return client


def test_it_streams_the_export_through_the_api(token_client, patient):
    response = token_client.get(reverse("api:export", args=["patients"]), {"excel": "true"})

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbfpatient_id,")
    assert ExportRecord.objects.get().via == "api"


@pytest.mark.parametrize("whose", ["other_patient", "foreign"], ids=["same-clinic", "other-clinic"])
def test_it_answers_404_for_someone_elses_patient_in_the_api(
    token_client, other_patient, foreign_clinician, whose
):
    foreign = PatientFactory(clinic=foreign_clinician.clinic, treating_clinician=foreign_clinician)
    target = other_patient if whose == "other_patient" else foreign

    response = token_client.get(reverse("api:export", args=["patients"]), {"patient": target.pk})

    assert response.status_code == 404
    assert target.user.last_name not in response.content.decode()
    assert ExportRecord.objects.count() == 0


def test_it_answers_404_for_an_unknown_dataset(token_client):
    response = token_client.get(reverse("api:export", args=["everything"]))

    assert response.status_code == 404


def test_it_keeps_api_exports_from_patients_and_anonymous(client, patient, guardians):
    url = reverse("api:export", args=["patients"])
    anonymous = client.get(url)
    client.force_login(patient.user)

    as_patient = client.get(url)

    assert anonymous.status_code == 401
    assert as_patient.status_code == 404
    for guardian in guardians:
        client.force_login(guardian)
        assert client.get(url).status_code == 404, guardian.username
    assert not ExportRecord.objects.exists()


# The data dictionary


def test_it_documents_every_column_of_every_dataset():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "export.md").read_text(
        encoding="utf-8"
    )

    for dataset in DATASETS.values():
        assert f"`{dataset.slug}`" in doc, dataset.slug
        for column in dataset.columns:
            assert re.search(rf"^\| `{column.name}` \| {column.type} \|", doc, re.M), (
                f"{dataset.slug}.{column.name} is missing from docs/export.md"
            )
