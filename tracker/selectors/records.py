"""Reads for imaging, clinician notes and a clinic's assessment thresholds."""

import datetime as dt
from dataclasses import dataclass

from tracker.models import Clinic, ClinicianNote, ClinicThresholds, ImagingStudy, Patient
from tracker.rules.slip import ROMAN, SlipMeasurement, StudyFlags, study_flags
from tracker.rules.thresholds import DEFAULTS, Thresholds
from tracker.utils.timeline import TimelineEvent


def thresholds_for(clinic: Clinic | int) -> Thresholds:
    """The assessment thresholds for a clinic: its overrides over the defaults."""
    clinic_id = clinic if isinstance(clinic, int) else clinic.pk
    row = ClinicThresholds.objects.filter(clinic_id=clinic_id).first()
    return DEFAULTS.with_overrides(row.overrides()) if row else DEFAULTS


def slip_measurement(study: ImagingStudy) -> SlipMeasurement:
    return SlipMeasurement(
        day=study.taken_on,
        percent=float(study.slip_percent) if study.slip_percent is not None else None,
        grade=study.slip_grade,
        modality=study.get_modality_display(),
    )


@dataclass(frozen=True)
class ImagingRow:
    study: ImagingStudy
    flags: StudyFlags


def imaging_rows(patient: Patient, thresholds: Thresholds | None = None) -> list[ImagingRow]:
    """The patient's imaging, newest first, each flagged if the slip grew or is high grade."""
    t = thresholds or thresholds_for(patient.clinic_id)
    studies = list(ImagingStudy.objects.filter(patient=patient).select_related("created_by"))
    flags = study_flags([slip_measurement(s) for s in studies], t)
    return [ImagingRow(s, f) for s, f in zip(studies, flags, strict=True)]


def notes_for(patient: Patient) -> list[ClinicianNote]:
    return list(ClinicianNote.objects.filter(patient=patient).select_related("author"))


def _imaging_label(study: ImagingStudy) -> str:
    reading = []
    if study.slip_percent is not None:
        reading.append(f"slip {study.slip_percent:g}%")
    if study.slip_grade:
        reading.append(f"grade {ROMAN[study.slip_grade]}")
    label = study.get_modality_display()
    return f"{label}: {', '.join(reading)}" if reading else label


def timeline_events(
    patient: Patient,
    start: dt.date,
    end: dt.date,
    *,
    studies: list[ImagingStudy] | None = None,
) -> list[TimelineEvent]:
    """Imaging and clinician notes between start and end (inclusive), oldest first.

    `studies`: the patient's imaging studies already read (oldest first), to save a query."""
    if studies is None:
        imaging = ImagingStudy.objects.filter(patient=patient, taken_on__range=(start, end))
    else:  # the model's order (newest first), as the query gives them
        imaging = [s for s in reversed(studies) if start <= s.taken_on <= end]
    notes = ClinicianNote.objects.filter(
        patient=patient, written_on__range=(start, end)
    ).select_related("author")
    events = [
        TimelineEvent(
            day=s.taken_on,
            kind="imaging",
            label=_imaging_label(s),
            detail=" ".join(part for part in (s.defect_findings, s.note) if part),
        )
        for s in imaging
    ]
    events += [
        TimelineEvent(day=n.written_on, kind="note", label=f"Note by {n.author}", detail=n.text)
        for n in notes
    ]
    return sorted(events, key=lambda e: (e.day, e.kind))
