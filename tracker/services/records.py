"""Writes for the clinician's record: imaging studies and notes."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError

from tracker.models import ClinicianNote, ImagingStudy, Patient, User
from tracker.rules.slip import ROMAN, meyerding_grade


def slip_grade_problem(percent: Decimal | None, grade: int | None) -> str | None:
    """Why this grade cannot go with this percentage, or None if they agree."""
    if percent is None or grade is None:
        return None
    derived = meyerding_grade(percent)
    if derived == grade:
        return None
    if derived is None:
        return "A 0% slip has no grade. Leave the grade blank, or check the percentage."
    return (
        f"A {percent:g}% slip is Meyerding grade {ROMAN[derived]}, not grade {ROMAN[grade]}. "
        "Leave the grade blank to have it worked out, or check the percentage."
    )


def imaging_create(
    *,
    patient: Patient,
    created_by: User,
    taken_on: dt.date,
    modality: str,
    slip_percent: Decimal | None = None,
    slip_grade: int | None = None,
    defect_findings: str = "",
    note: str = "",
) -> ImagingStudy:
    """Record an imaging study; the grade is worked out from the slip percentage when given."""
    if taken_on > patient.local_today():
        raise ValidationError({"taken_on": "The imaging date cannot be in the future."})
    problem = slip_grade_problem(slip_percent, slip_grade)
    if problem:
        raise ValidationError({"slip_grade": problem})
    if slip_percent is not None:
        slip_grade = meyerding_grade(slip_percent)
    study = ImagingStudy(
        patient=patient,
        created_by=created_by,
        taken_on=taken_on,
        modality=modality,
        slip_percent=slip_percent,
        slip_grade=slip_grade,
        defect_findings=defect_findings,
        note=note,
    )
    study.full_clean(exclude=["patient", "created_by"])
    study.save()
    return study


def note_create(*, patient: Patient, author: User, written_on: dt.date, text: str) -> ClinicianNote:
    """Add a clinician's note to a patient's record (for the care team, not the patient)."""
    if written_on > patient.local_today():
        raise ValidationError({"written_on": "A note cannot be dated in the future."})
    note = ClinicianNote(patient=patient, author=author, written_on=written_on, text=text.strip())
    note.full_clean(exclude=["patient", "author"])
    note.save()
    return note
