"""Reads of what was prescribed: the exercise library, what is in force on a day, history, and
every prescription of a patient read once for a page."""

import datetime as dt

from django.db.models import F, OuterRef, Q, QuerySet

from rehab.models import (
    ActivityStagePrescription,
    BracePrescription,
    Exercise,
    ProgrammeItem,
    ProgrammeVersion,
)
from tracker.models import Clinic, Patient


def in_force_on(day: dt.date | F | OuterRef, prefix: str = "") -> Q:
    """Versions in force on `day`: valid_from <= day < valid_to (valid_to null: open)."""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


def overlapping(start: dt.date, end: dt.date, prefix: str = "") -> Q:
    """Versions in force on at least one day of [start, end]."""
    return (
        Q(**{f"{prefix}valid_from__lte": end})
        & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": start}))
        & (
            Q(**{f"{prefix}valid_to__isnull": True})
            | Q(**{f"{prefix}valid_to__gt": F(f"{prefix}valid_from")})
        )
    )


# --- The exercise library ---------------------------------------------------------------------


def exercises_for_clinic(clinic: Clinic | int, *, active_only: bool = True) -> QuerySet[Exercise]:
    """Exercises a clinic may see and prescribe: the built-in ones and the clinic's own."""
    clinic_id = clinic if isinstance(clinic, int) else clinic.pk
    exercises = Exercise.objects.filter(Q(clinic__isnull=True) | Q(clinic_id=clinic_id))
    if active_only:
        exercises = exercises.filter(is_active=True)
    return exercises


# --- What is prescribed on a day ----------------------------------------------------------------


def programme_on(patient: Patient, day: dt.date) -> ProgrammeVersion | None:
    return ProgrammeVersion.objects.filter(in_force_on(day), patient=patient).first()


def programme_items_on(patient: Patient, day: dt.date) -> list[ProgrammeItem]:
    """The exercises due on this day, in programme order, with their exercise."""
    return list(
        ProgrammeItem.objects.filter(in_force_on(day, "programme__"), programme__patient=patient)
        .select_related("exercise")
        .order_by("order", "pk")
    )


def brace_on(patient: Patient, day: dt.date) -> BracePrescription | None:
    return BracePrescription.objects.filter(in_force_on(day), patient=patient).first()


def brace_target_on(patient: Patient, day: dt.date) -> float | None:
    """Target hours for this day, or None when no brace is due (no brace, or past its end)."""
    brace = brace_on(patient, day)
    target = brace.target_on(day) if brace else None
    return None if target is None else float(target)


def stage_on(patient: Patient, day: dt.date) -> ActivityStagePrescription | None:
    return ActivityStagePrescription.objects.filter(in_force_on(day), patient=patient).first()


def programme_history(patient: Patient) -> list[ProgrammeVersion]:
    return list(
        ProgrammeVersion.objects.filter(patient=patient)
        .select_related("prescribed_by")
        .prefetch_related("items__exercise")
        .order_by("-valid_from", "-created_at")
    )


def brace_history(patient: Patient) -> QuerySet[BracePrescription]:
    return BracePrescription.objects.filter(patient=patient).select_related("prescribed_by")


def stage_history(patient: Patient) -> QuerySet[ActivityStagePrescription]:
    return ActivityStagePrescription.objects.filter(patient=patient).select_related("prescribed_by")


def programme_versions(patient: Patient) -> list[ProgrammeVersion]:
    """Every programme version, oldest first, with items and exercises."""
    return list(
        ProgrammeVersion.objects.filter(patient=patient)
        .order_by("valid_from", "created_at")
        .prefetch_related("items__exercise")
    )


def brace_prescriptions(patient: Patient) -> list[BracePrescription]:
    """Every brace prescription, oldest first."""
    return list(
        BracePrescription.objects.filter(patient=patient).order_by("valid_from", "created_at")
    )


def prescriptions_of(patient: Patient) -> tuple[list[ProgrammeVersion], list[BracePrescription]]:
    """All of one patient's programme versions (items and exercises prefetched) and brace
    prescriptions, oldest first: read once for a page that needs them for adherence, brace
    targets and the timeline (4 queries)."""
    braces = brace_prescriptions(patient)
    return programme_versions(patient), braces
