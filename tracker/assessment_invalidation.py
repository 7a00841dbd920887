"""Every model the assessment reads, and how a change to one of its rows reaches the stored
assessments (docs/dashboard.md, "Invalidation").

A save or delete of any of these models marks the affected patients' stored assessments stale
(post_save / post_delete: the net under every service, the admin and the shell). Writes that
skip signals (`bulk_create`, `QuerySet.update`, ...) must call
`tracker.services.assessments.mark_assessments_stale` themselves.
`tests/test_assessment_snapshot.py` checks that every table `patient_assessments()` reads is
listed here, and that a save and a delete of each marks the row stale.
"""

from collections.abc import Callable

from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from rehab.models import BraceLog, BracePrescription, ExerciseLog, ProgrammeItem, ProgrammeVersion
from tracker.models import (
    Clinic,
    ClinicThresholds,
    DiaryEntry,
    ImagingStudy,
    Instrument,
    Patient,
    QuestionnaireResponse,
    WarningSignAlert,
)
from tracker.services.assessments import (
    mark_all_assessments_stale,
    mark_assessments_stale,
    mark_clinic_assessments_stale,
)


def _patient(instance: Model) -> None:
    mark_assessments_stale([instance.patient_id])


def _programme_item(instance: ProgrammeItem) -> None:
    patient_ids = ProgrammeVersion.objects.filter(pk=instance.programme_id).values_list(
        "patient_id", flat=True
    )
    mark_assessments_stale(patient_ids)


# model -> what to mark when one of its rows is saved or deleted
WATCHED: dict[type[Model], Callable[[Model], None]] = {
    Patient: lambda p: mark_assessments_stale([p.pk]),  # care start, discharge, status, zone
    Clinic: lambda c: mark_clinic_assessments_stale([c.pk]),  # its time zone
    ClinicThresholds: lambda t: mark_clinic_assessments_stale([t.clinic_id]),
    Instrument: lambda i: mark_all_assessments_stale(),  # scoring and change thresholds
    DiaryEntry: _patient,
    WarningSignAlert: _patient,  # raised and acknowledged
    QuestionnaireResponse: _patient,
    ImagingStudy: _patient,
    BraceLog: _patient,
    ExerciseLog: _patient,
    BracePrescription: _patient,
    ProgrammeVersion: _patient,
    ProgrammeItem: _programme_item,
}


def _changed(sender: type[Model], instance: Model, **kwargs) -> None:
    WATCHED[sender](instance)


def connect() -> None:
    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"assessment-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"assessment-del-{model.__name__}")
