"""The one write for brace sensor files: read, measure and store a file for a patient."""

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from rehab.models import BraceSensor, BraceSensorFile, MeasuredBraceDay
from rehab.sensors.formats import DateOrder, SensorFileError, SensorReading, read_sensor_file
from rehab.sensors.wear import DayWear, Wear, hours_per_day
from tracker.models import AuditAction, Patient, User
from tracker.selectors.records import thresholds_for
from tracker.services.audit import audit_record
from tracker.services.stored_assessment import mark_assessments_stale

_DAY_FIELDS = ["hours", "sensor", "source", "updated_at"]


@dataclass(frozen=True)
class SensorImport:
    """What one import found and did, for the page and the command to report."""

    sensor: BraceSensor
    file: BraceSensorFile
    days: list[DayWear]
    partial_days: list[dt.date]
    already_imported: bool = False
    replaced: int = 0  # days that had earlier measured hours, now replaced

    def summary(self) -> str:
        if self.already_imported:
            return (
                f"This file was already imported on {self.file.imported_at:%Y-%m-%d}: "
                "nothing changed."
            )
        minutes = self.file.interval_seconds / 60
        interval = f"{minutes:g}-minute" if minutes < 120 else f"{minutes / 60:g}-hour"
        days = _count(len(self.days), "day") if self.days else "no full day stored"
        text = f"{days}, {interval} samples"
        if self.days:
            text += f", {_short(self.days[0].day)} - {_short(self.days[-1].day)}"
        if self.partial_days:
            text += f"; {_count(len(self.partial_days), 'partial day')} not counted"
        if self.replaced:
            text += f"; {_count(self.replaced, 'earlier day')} replaced (history kept)"
        return text


def _refuse(field: str, message: str, code: str) -> ValidationError:
    """An error the upload form shows next to `field` (and the command prints as it is)."""
    return ValidationError({field: ValidationError(message, code=code)})


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _short(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


def _read(
    *, patient: Patient, content: bytes, file_name: str, serial: str, date_order: DateOrder | None
) -> tuple[SensorReading, Wear]:
    # An Orthotimer file names no sensor: the clinician's serial, else the file's name, less
    # the " (2)" a browser adds to a second download of the same name.
    serial = serial.strip() or re.sub(r"\s*\(\d+\)$", "", PurePath(file_name).stem).strip()
    zone = patient.zone
    try:
        reading = read_sensor_file(content, serial=serial, zone=zone, date_order=date_order)
    except SensorFileError as error:
        field = "date_order" if "date order" in str(error) else "file"
        raise _refuse(field, str(error), "sensor_file") from None
    today = patient.local_today()
    late = reading.samples[-1].at.astimezone(zone)
    if late.date() > today:
        raise _refuse(
            "file",
            f"The file has samples dated {late:%Y-%m-%d}, after today ({today:%Y-%m-%d}) in the "
            f"patient's time zone ({zone.key}): check the sensor's clock. Nothing was imported.",
            "sensor_future",
        )
    t = thresholds_for(patient.clinic_id)
    wear = hours_per_day(
        reading.samples,
        reading.interval,
        zone=zone,
        worn_celsius=t.sensor_worn_celsius,
        band=t.sensor_hysteresis_celsius,
    )
    return reading, wear


def _sensor(*, patient: Patient, reading: SensorReading) -> BraceSensor:
    try:
        with transaction.atomic():
            sensor, _ = BraceSensor.objects.get_or_create(
                kind=reading.kind, serial=reading.serial, defaults={"patient": patient}
            )
    except IntegrityError:  # another import created it meanwhile
        sensor = BraceSensor.objects.get(kind=reading.kind, serial=reading.serial)
    if sensor.patient_id != patient.pk:
        raise _refuse(
            "file",
            f"This sensor ({sensor}) is already linked to another patient. Check that the file "
            "is this patient's. Nothing was imported.",
            "sensor_other_patient",
        )
    return sensor


def _store_days(
    *, patient: Patient, record: BraceSensorFile, days: list[DayWear], user: User | None
) -> int:
    """Insert the new days and replace the ones already measured; returns how many replaced."""
    stored = {
        row.day: row
        for row in MeasuredBraceDay.objects.select_for_update().filter(
            patient=patient, day__in=[d.day for d in days]
        )
    }
    now = timezone.now()
    created, changed = [], []
    for day in days:
        row = stored.get(day.day)
        if row is None:
            created.append(
                MeasuredBraceDay(
                    patient=patient,
                    day=day.day,
                    hours=day.hours,
                    sensor=record.sensor,
                    source=record,
                )
            )
        else:
            row.hours, row.sensor, row.source = day.hours, record.sensor, record
            row.updated_at = now  # bulk_update does not set auto_now
            changed.append(row)
    if created:
        bulk_create_with_history(created, MeasuredBraceDay, default_user=user)
    if changed:
        bulk_update_with_history(changed, MeasuredBraceDay, fields=_DAY_FIELDS, default_user=user)
    # Bulk writes send no signals: the stored assessment is told here, in the same transaction.
    mark_assessments_stale([patient.pk])
    return len(changed)


def sensor_file_import(
    *,
    patient: Patient,
    content: bytes,
    file_name: str,
    imported_by: User | None,
    serial: str = "",
    date_order: DateOrder | None = None,
) -> SensorImport:
    """Read a sensor file and store its measured hours per day for the patient, in one go."""
    sha256 = hashlib.sha256(content).hexdigest()
    # The same file again for this patient: nothing to read, nothing changes.
    earlier = (
        BraceSensorFile.objects.filter(sha256=sha256, sensor__patient=patient)
        .select_related("sensor")
        .first()
    )
    if earlier is not None:
        return SensorImport(earlier.sensor, earlier, [], [], already_imported=True)
    reading, wear = _read(
        patient=patient, content=content, file_name=file_name, serial=serial, date_order=date_order
    )
    with transaction.atomic():
        Patient.objects.select_for_update().filter(pk=patient.pk).first()
        sensor = _sensor(patient=patient, reading=reading)
        earlier = BraceSensorFile.objects.filter(sensor=sensor, sha256=sha256).first()
        if earlier is not None:
            return SensorImport(
                sensor, earlier, wear.days, wear.partial_days, already_imported=True
            )
        try:
            with transaction.atomic():
                record = BraceSensorFile.objects.create(
                    sensor=sensor,
                    sha256=sha256,
                    file_name=PurePath(file_name).name[:255] or "sensor file",
                    imported_by=imported_by,
                    first_sample=reading.samples[0].at,
                    last_sample=reading.samples[-1].at,
                    interval_seconds=int(reading.interval.total_seconds()),
                    samples=len(reading.samples),
                )
        except IntegrityError:  # the same file, imported by a request that committed meanwhile
            earlier = BraceSensorFile.objects.get(sensor=sensor, sha256=sha256)
            return SensorImport(sensor, earlier, [], [], already_imported=True)
        replaced = _store_days(patient=patient, record=record, days=wear.days, user=imported_by)
        result = SensorImport(sensor, record, wear.days, wear.partial_days, replaced=replaced)
        audit_record(
            action=AuditAction.CREATE,
            what=f"brace sensor file {record.file_name}: {result.summary()}",
            user=imported_by,
            patient=patient,
        )
    return result
