"""Brace wear measured by a sensor (issue 17): one row per patient per measured day, with the
hours the patient reported that day beside the measured hours."""

from collections.abc import Iterator

from rehab.models import BraceLog, MeasuredBraceDay
from tracker.exports.datasets import Column, ColumnType, ExportScope, register, research_variant
from tracker.exports.patient_days import (
    PatientDayDataset,
    PatientInfo,
    Record,
    in_range,
    merge_by_patient_day,
)

T = ColumnType

MEASURED_FIELDS = (
    Column("sensor_kind", T.TEXT, "The logger in the brace: orthotimer or ibutton."),
    Column(
        "sensor_serial",
        T.TEXT,
        "The logger's serial or registration number (identifies the device).",
        research=False,
    ),
    Column(
        "source_file",
        T.TEXT,
        "Name of the imported file the day's hours came from.",
        research=False,
    ),
    Column(
        "hours_measured",
        T.DECIMAL,
        "Hours the sensor recorded the brace as worn (temperature over the clinic's worn "
        "threshold) on the patient's local day; only days the file covers in full.",
        "hours",
    ),
    Column(
        "hours_reported",
        T.DECIMAL,
        "Hours the patient reported wearing the brace that day; empty if not said.",
        "hours",
    ),
)


def _measured(scope: ExportScope) -> Iterator[Record]:
    rows = (
        in_range(MeasuredBraceDay.objects.filter(patient__in=scope.patients), scope)
        .order_by("patient_id", "day")
        .values_list(
            "patient_id", "day", "sensor__kind", "sensor__serial", "source__file_name", "hours"
        )
    )
    for patient_id, day, kind, serial, file_name, hours in rows.iterator(
        chunk_size=scope.chunk_size
    ):
        yield (
            patient_id,
            day,
            {
                "sensor_kind": kind,
                "sensor_serial": serial,
                "source_file": file_name,
                "hours_measured": hours,
            },
        )


def _reported(scope: ExportScope) -> Iterator[Record]:
    measured_days = MeasuredBraceDay.objects.filter(patient__in=scope.patients)
    rows = (
        in_range(BraceLog.objects.filter(patient__in=scope.patients), scope)
        .filter(day__in=measured_days.values("day"))
        .order_by("patient_id", "day")
        .values_list("patient_id", "day", "hours")
    )
    for patient_id, day, hours in rows.iterator(chunk_size=scope.chunk_size):
        yield patient_id, day, {"hours": hours}


def measured_records(scope: ExportScope) -> Iterator[Record]:
    """Measured days, each with its sensor, file and hours, and the hours reported that day."""
    for patient_id, day, (measured, reported) in merge_by_patient_day(
        _measured(scope), _reported(scope)
    ):
        if measured is None:
            continue  # reported on a day measured for another patient only
        yield (
            patient_id,
            day,
            measured | {"hours_reported": reported["hours"] if reported else None},
        )


@research_variant("Measured brace days without names, serials, file names or dates.")
@register
class BraceMeasuredDataset(PatientDayDataset):
    slug = "brace_measured"
    title = "Brace wear measured"
    description = (
        "One row per patient per day a brace sensor measured: the hours measured and the "
        "hours the patient reported that day."
    )
    fields = MEASURED_FIELDS

    def records(self, scope: ExportScope, patients: dict[int, PatientInfo]) -> Iterator[Record]:
        return measured_records(scope)
