"""Imaging and clinician notes as timeline events for the patient page and referral summary."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import ClinicianNoteFactory, ImagingStudyFactory, PatientFactory
from tracker.selectors.assessment import patient_assessment
from tracker.selectors.records import timeline_events
from tracker.utils.timeline import TimelineEvent

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 3, 10)


def test_it_returns_imaging_and_notes_in_the_range_oldest_first(patient, clinician):
    ImagingStudyFactory(
        patient=patient,
        taken_on=DAY,
        modality="mri",
        slip_percent=Decimal("12.5"),
        slip_grade=1,
        defect_findings="Bilateral L5 pars defects",
        note="No oedema.",
    )
    ClinicianNoteFactory(
        patient=patient, written_on=DAY - dt.timedelta(days=2), text="Brace fitted."
    )
    ClinicianNoteFactory(patient=patient, written_on=DAY + dt.timedelta(days=40), text="Later")
    ImagingStudyFactory(patient=PatientFactory(), taken_on=DAY)

    events = timeline_events(patient, DAY - dt.timedelta(days=7), DAY + dt.timedelta(days=7))

    assert events == [
        TimelineEvent(DAY - dt.timedelta(days=2), "note", "Note by Amara Okafor", "Brace fitted."),
        TimelineEvent(
            DAY, "imaging", "MRI: slip 12.5%, grade I", "Bilateral L5 pars defects No oedema."
        ),
    ]


def test_it_gives_the_assessment_every_slip_reading_oldest_first(patient):
    ImagingStudyFactory(patient=patient, taken_on=DAY, slip_percent=Decimal("20"), slip_grade=1)
    ImagingStudyFactory(patient=patient, taken_on=DAY - dt.timedelta(days=90), slip_grade=1)

    series = patient_assessment(patient).data.imaging

    assert [(m.day, m.percent, m.grade, m.modality) for m in series] == [
        (DAY - dt.timedelta(days=90), None, 1, "X-ray"),
        (DAY, 20.0, 1, "X-ray"),
    ]
