"""Datasets about the patients themselves: the clinician's patient list, and its research form."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Q, QuerySet

from tracker.exports.datasets import Column, ColumnType, Dataset, ExportScope, register
from tracker.exports.pseudonym import age_in_years
from tracker.models import Patient

T = ColumnType


def patients_in_care(scope: ExportScope) -> QuerySet[Patient]:
    """Patients in care at some point of the date range: enrolled by its end, not discharged
    before its start."""
    patients = scope.patients
    if scope.date_to:
        patients = patients.filter(enrolled_on__lte=scope.date_to)
    if scope.date_from:
        patients = patients.filter(
            Q(discharged_on__isnull=True) | Q(discharged_on__gte=scope.date_from)
        )
    return patients


def as_of(scope: ExportScope, patient: Patient) -> dt.date:
    """The day ages and weeks of care are counted to: the range's end, or the patient's today."""
    today = patient.local_today()
    return min(scope.date_to, today) if scope.date_to else today


@register
class PatientsDataset(Dataset):
    slug = "patients"
    title = "Patients"
    description = "One row per patient: the clinical record (named, for the care team)."
    for_patients = True
    patient_title = "your record"
    columns = (
        Column("patient_id", T.INTEGER, "ParsTrack's id for the patient."),
        Column("first_name", T.TEXT, "Given name."),
        Column("last_name", T.TEXT, "Family name."),
        Column("date_of_birth", T.DATE, "Date of birth."),
        Column(
            "as_of_date",
            T.DATE,
            "Day the age and weeks of care are counted to: the end "
            "of the date range, or today if there is none (never in the future).",
        ),
        Column("age_years", T.INTEGER, "Age on as_of_date.", "years"),
        Column("clinic", T.TEXT, "The clinic that treats the patient."),
        Column("diagnosis", T.TEXT, "Diagnosis."),
        Column("spondylolisthesis", T.BOOLEAN, "L5 has slipped forward over S1."),
        Column(
            "slip_grade",
            T.INTEGER,
            "Meyerding grade of the slip (1-5); empty if no slip or not known.",
        ),
        Column("diagnosis_notes", T.TEXT, "The clinician's free-text notes on the diagnosis."),
        Column("conservative_care_started", T.DATE, "Day conservative management began."),
        Column(
            "weeks_of_care",
            T.INTEGER,
            "Whole weeks from conservative_care_started to as_of_date.",
            "weeks",
        ),
        Column("sport", T.TEXT, "Main sport or activity."),
        Column("status", T.TEXT, "active or discharged."),
        Column("enrolled_on", T.DATE, "First day the patient could log."),
        Column("discharged_on", T.DATE, "Day of discharge; empty while active."),
        Column("treating_clinician", T.TEXT, "Name of the treating clinician."),
        Column("time_zone", T.TEXT, "IANA time zone the patient's days are counted in."),
    )

    def rows(self, scope: ExportScope) -> Iterator[dict[str, Any]]:
        patients = (
            patients_in_care(scope)
            .select_related("user", "clinic", "treating_clinician")
            .order_by("pk")
        )
        for p in patients.iterator(chunk_size=scope.chunk_size):
            day = as_of(scope, p)
            yield {
                "patient_id": p.pk,
                "first_name": p.user.first_name,
                "last_name": p.user.last_name,
                "date_of_birth": p.date_of_birth,
                "as_of_date": day,
                "age_years": age_in_years(p.date_of_birth, day),
                "clinic": p.clinic.name,
                "diagnosis": p.diagnosis,
                "spondylolisthesis": p.spondylolisthesis,
                "slip_grade": p.slip_grade,
                "diagnosis_notes": p.diagnosis_notes,
                "conservative_care_started": p.conservative_care_started,
                "weeks_of_care": p.weeks_of_care(day),
                "sport": p.sport,
                "status": p.status,
                "enrolled_on": p.enrolled_on,
                "discharged_on": p.discharged_on,
                "treating_clinician": str(p.treating_clinician),
                "time_zone": p.time_zone or p.clinic.time_zone,
            }


@register
class ResearchPatientsDataset(Dataset):
    slug = "research_patients"
    title = "Patients (research, pseudonymised)"
    description = (
        "One row per patient with no names, dates of birth, dates of care or free text; "
        "each patient is a pseudonym that is stable across exports."
    )
    research = True
    columns = (
        Column(
            "pseudonym",
            T.TEXT,
            "Stable pseudonym of the patient (HMAC-SHA256 under the "
            "clinic's secret); the same in every export until the secret is rotated.",
        ),
        # No calendar date: one, with weeks of care, would date the start of care and so every
        # care_day in the other research datasets.
        Column(
            "age_years",
            T.INTEGER,
            "Age at the end of the date range (or today if there is none).",
            "years",
        ),
        Column("spondylolisthesis", T.BOOLEAN, "L5 has slipped forward over S1."),
        Column("slip_grade", T.INTEGER, "Meyerding grade of the slip (1-5); empty if none."),
        Column(
            "weeks_of_care",
            T.INTEGER,
            "Whole weeks of conservative care by the end of the date range (or today).",
            "weeks",
        ),
        Column("status", T.TEXT, "active or discharged."),
    )

    def rows(self, scope: ExportScope) -> Iterator[dict[str, Any]]:
        patients = patients_in_care(scope).select_related("clinic").order_by("pk")
        for p in patients.iterator(chunk_size=scope.chunk_size):
            day = as_of(scope, p)
            yield {
                "pseudonym": scope.pseudonymise(patient_id=p.pk, clinic_id=p.clinic_id),
                "age_years": age_in_years(p.date_of_birth, day),
                "spondylolisthesis": p.spondylolisthesis,
                "slip_grade": p.slip_grade,
                "weeks_of_care": p.weeks_of_care(day),
                "status": p.status,
            }
