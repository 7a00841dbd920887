"""Importing a brace sensor file for a patient: the page, the service and the command."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from rehab.models import BraceSensor, BraceSensorFile, MeasuredBraceDay
from rehab.sensors.importing import sensor_file_import
from tests.helpers import assert_login_redirect, assert_not_found_for
from tests.sensor_files import (
    evening_and_night,
    expected_hours,
    ibutton_file,
    orthotimer_file,
    samples,
)
from tracker.models import AuditAction, AuditEvent, ClinicThresholds
from tracker.services.stored_assessment import refresh_assessments, snapshot_states

pytestmark = pytest.mark.django_db


def _file(patient, *, days=10, start=None, minutes=15, pattern=None, **options):
    zone = patient.zone
    pattern = pattern or evening_and_night(zone)
    start = start or dt.datetime.combine(
        patient.local_today() - dt.timedelta(days=days + 2), dt.time(9, 7), tzinfo=zone
    )
    return orthotimer_file(samples(start, days=days, minutes=minutes, worn=pattern), **options)


def _import(patient, content, name="OT-4711.csv", **kw):
    return sensor_file_import(
        patient=patient,
        content=content,
        file_name=name,
        imported_by=patient.treating_clinician,
        **kw,
    )


def test_it_stores_the_measured_hours_of_each_full_day(patient):
    pattern = evening_and_night(patient.zone)

    result = _import(patient, _file(patient, pattern=pattern))

    stored = list(MeasuredBraceDay.objects.filter(patient=patient).order_by("day"))
    assert len(stored) == 9  # 10 days of samples from 09:07: 9 full days, 2 partial
    for row in stored:
        assert abs(float(row.hours) - expected_hours(row.day, patient.zone, pattern)) <= 0.25
    assert {row.source for row in stored} == {result.file}
    assert result.sensor.serial == "OT-4711"
    assert result.sensor.patient == patient
    assert "9 days, 15-minute samples" in result.summary()
    assert "2 partial days not counted" in result.summary()


def test_it_measures_across_the_clocks_going_back_in_london(patient):
    pattern = evening_and_night(patient.zone)
    start = dt.datetime(2025, 10, 22, tzinfo=patient.zone)
    content = ibutton_file(samples(start, days=8, minutes=10, worn=pattern), zone=patient.zone)

    _import(patient, content, name="export.csv")

    autumn = MeasuredBraceDay.objects.get(patient=patient, day=dt.date(2025, 10, 26))
    expected = expected_hours(autumn.day, patient.zone, pattern)
    assert abs(float(autumn.hours) - expected) <= 1 / 6
    assert BraceSensor.objects.get().serial == "5D0000001A2B3C21"


def test_it_changes_nothing_when_the_same_file_comes_again(patient):
    content = _file(patient)
    _import(patient, content)
    before = (MeasuredBraceDay.history.count(), BraceSensorFile.objects.count())

    again = _import(patient, content)

    assert again.already_imported
    assert "already imported" in again.summary() and "nothing changed" in again.summary()
    assert (MeasuredBraceDay.history.count(), BraceSensorFile.objects.count()) == before


def test_it_replaces_overlapping_days_and_keeps_their_history(patient):
    zone = patient.zone
    first = _import(patient, _file(patient, days=10))
    overlap_start = dt.datetime.combine(
        patient.local_today() - dt.timedelta(days=6), dt.time(0), tzinfo=zone
    )

    second = _import(
        patient,
        _file(patient, days=3, start=overlap_start, pattern=lambda at: True),
        name="OT-4711 (2).csv",
    )

    replaced_day = MeasuredBraceDay.objects.get(patient=patient, day=overlap_start.date())
    kept_day = MeasuredBraceDay.objects.get(
        patient=patient, day=patient.local_today() - dt.timedelta(days=9)
    )
    assert replaced_day.hours == Decimal("24.00")
    assert replaced_day.source == second.file
    assert kept_day.source == first.file
    assert [h.hours < 24 for h in replaced_day.history.order_by("history_date")] == [True, False]
    assert second.sensor == first.sensor  # "OT-4711 (2).csv" is the same logger's download
    assert second.replaced == 3
    assert "3 earlier days replaced" in second.summary()


def test_it_refuses_a_sensor_already_linked_to_another_patient(patient, other_patient):
    content = _file(other_patient)
    _import(other_patient, content)

    with pytest.raises(ValidationError, match="already linked to another patient"):
        _import(patient, _file(patient, days=5))

    assert not MeasuredBraceDay.objects.filter(patient=patient).exists()


def test_it_refuses_samples_dated_after_the_patients_today(patient):
    start = dt.datetime.combine(
        patient.local_today() - dt.timedelta(days=2), dt.time(0), tzinfo=patient.zone
    )

    with pytest.raises(ValidationError, match="after today"):
        _import(patient, _file(patient, days=4, start=start))

    assert not BraceSensorFile.objects.exists()
    assert not BraceSensor.objects.exists()


def test_it_uses_the_clinics_worn_threshold(patient):
    ClinicThresholds.objects.create(clinic=patient.clinic, sensor_worn_celsius=Decimal("34"))

    _import(patient, _file(patient))

    assert set(MeasuredBraceDay.objects.values_list("hours", flat=True)) == {Decimal("0.00")}


def test_it_makes_the_stored_assessment_out_of_date(patient):
    refresh_assessments([patient.pk])
    assert snapshot_states([patient.pk])[0].valid

    _import(patient, _file(patient))

    assert not snapshot_states([patient.pk])[0].valid


def test_it_records_the_import_in_the_audit_trail(patient):
    _import(patient, _file(patient))

    event = AuditEvent.objects.get(action=AuditAction.CREATE, patient=patient)
    assert event.user == patient.treating_clinician
    assert "OT-4711.csv" in event.what and "9 days" in event.what


# --- The page ---------------------------------------------------------------------------------


def _url(patient):
    return reverse("rehab:brace_sensor_import", args=[patient.pk])


def test_it_shows_the_upload_form_linked_from_the_rehab_page(clinician_client, patient):
    rehab = clinician_client.get(reverse("rehab:patient_rehab", args=[patient.pk]))
    page = clinician_client.get(_url(patient))

    assert _url(patient) in rehab.content.decode()
    html = page.content.decode()
    assert "Sensor file" in html and ">Import</button>" in html
    assert "No sensor file imported yet." in html
    assert "25 °C or above" in html and "Ehrmann 2018" in html and "below 24.5 °C" in html


def test_it_imports_an_upload_and_says_what_it_found(clinician_client, patient):
    upload = SimpleUploadedFile("OT-4711.csv", _file(patient), content_type="text/csv")

    response = clinician_client.post(_url(patient), {"file": upload}, follow=True)

    html = response.content.decode()
    assert "Imported Orthotimer OT-4711: 9 days, 15-minute samples" in html
    assert "2 partial days not counted" in html
    assert "OT-4711.csv" in html
    assert MeasuredBraceDay.objects.filter(patient=patient).count() == 9
    assert AuditEvent.objects.filter(patient=patient, action=AuditAction.CHANGE).exists()


def test_it_tells_the_clinician_a_file_was_already_imported(clinician_client, patient):
    content = _file(patient)
    clinician_client.post(_url(patient), {"file": SimpleUploadedFile("a.csv", content)})

    response = clinician_client.post(
        _url(patient), {"file": SimpleUploadedFile("a.csv", content)}, follow=True
    )

    assert "already imported" in response.content.decode()


BAD_UPLOADS = {
    "binary": (b"\x7fELF\x02\x01\x01\x00" * 64, "binary file"),
    "empty": (b"", "empty"),
    "wrong-columns": (b"Date,Temp\n01/06/2025,31\n", "Wrong columns"),
    "out-of-range": (
        b"Date (UTC),Time (UTC),Value\n01/06/2025,9:00 AM,150\n01/06/2025,9:15 AM,31\n",
        "-40 to 85",
    ),
}


@pytest.mark.parametrize("case", BAD_UPLOADS.values(), ids=BAD_UPLOADS.keys())
def test_it_shows_why_a_bad_file_was_refused_next_to_the_field(clinician_client, patient, case):
    content, message = case

    response = clinician_client.post(
        _url(patient), {"file": SimpleUploadedFile("x.csv", content), "serial": "OT-9"}
    )

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["file"])
    assert response.context["form"]["serial"].value() == "OT-9"
    assert not BraceSensor.objects.exists()


def test_it_refuses_a_file_over_5_mb_before_reading_it(clinician_client, patient):
    big = SimpleUploadedFile("big.csv", b"x" * (5 * 1024 * 1024 + 1))

    response = clinician_client.post(_url(patient), {"file": big})

    assert "the limit is 5 MB" in response.context["form"].errors["file"][0]


def test_it_hides_the_page_from_anyone_outside_the_care_team(
    client,
    patient,
    other_patient,
    other_clinician,
    foreign_clinician,
    guardians,
):
    users = [other_clinician, foreign_clinician, patient.user, other_patient.user]
    users += guardians

    assert_not_found_for(client, users, _url(patient))
    assert_not_found_for(client, users, _url(patient), method="post")
    assert_login_redirect(client, _url(patient))
    assert_login_redirect(client, _url(patient), method="post")
    assert not BraceSensor.objects.exists()


# --- The command ------------------------------------------------------------------------------


def test_the_command_prints_the_days_and_hours_it_found(patient, tmp_path):
    path = tmp_path / "OT-77.csv"
    path.write_bytes(_file(patient, days=3))
    out = io.StringIO()

    call_command("import_brace_sensor", str(patient.pk), str(path), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("OT-77.csv: Orthotimer OT-77, 2 days, 15-minute samples")
    assert sum(line.endswith(" h") for line in lines) == 2
    assert sum("partial, not counted" in line for line in lines) == 2


def test_the_command_fails_with_a_clear_error_on_a_bad_file(patient, tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")

    with pytest.raises(CommandError, match="binary file"):
        call_command("import_brace_sensor", str(patient.pk), str(path))
    with pytest.raises(CommandError, match="No patient"):
        call_command("import_brace_sensor", "999999", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_brace_sensor", str(patient.pk), str(tmp_path / "missing.csv"))
    assert not BraceSensor.objects.exists()
