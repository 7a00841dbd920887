"""Reads of what was prescribed: the exercise library, what is in force on a day, history, and
every prescription of a patient read once for a page."""

import datetime as dt
from collections import defaultdict
from itertools import groupby

from django.db.models import F, OuterRef, Q, QuerySet

from rehab.models import (
    ActivityStagePrescription,
    BracePrescription,
    Exercise,
    ExerciseLog,
    Phase,
    ProgrammeItem,
    ProgrammeVersion,
)
from tracker.models import Clinic, Patient
from tracker.rules.checkin import DAYS_PER_WEEK, exercise_is_due, week_monday


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


def items_by_phase(items: list[ProgrammeItem]) -> list[tuple[str, list[ProgrammeItem]]]:
    """Programme items grouped by phase (its label), in the order a patient does them."""
    items = sorted(items, key=lambda i: (Phase.rank(i.phase), i.order, i.pk))
    return [(Phase(phase).label, list(group)) for phase, group in groupby(items, lambda i: i.phase)]


def exercises_due_on(
    patient: Patient, day: dt.date, items: list[ProgrammeItem] | None = None
) -> list[ProgrammeItem]:
    """The exercises the check-in of this day asks about (`exercise_is_due`): the programme's
    items in force that day (`items`, when already read), less those prescribed fewer than 7 times
    a week that were already done that often earlier in the week. One query more, only when the
    programme has such an item."""
    items = programme_items_on(patient, day) if items is None else items
    if all(item.sessions_per_week >= DAYS_PER_WEEK for item in items):
        return items
    logs = ExerciseLog.objects.filter(
        patient=patient, day__gte=week_monday(day), day__lte=day
    ).values_list("day", "done", "item_id", "item__exercise_id")
    done_before: dict[int, int] = defaultdict(int)
    answered: set[int] = set()
    for log_day, done, item_id, exercise_id in logs.order_by():
        if log_day == day:
            answered.add(item_id)
        elif done:
            done_before[exercise_id] += 1
    return [
        item
        for item in items
        if exercise_is_due(
            sessions_per_week=item.sessions_per_week,
            done_earlier_this_week=done_before.get(item.exercise_id, 0),
            answered_that_day=item.pk in answered,
        )
    ]


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
