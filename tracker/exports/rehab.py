"""Rehab datasets: one row per exercise answer, and one row per brace day."""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from rehab.models import BraceKind, BraceLog, BracePrescription, ExerciseLog
from tracker.exports.datasets import Column, ColumnType, ExportScope, register, research_variant
from tracker.exports.patient_days import (
    PatientDayDataset,
    PatientInfo,
    Record,
    in_range,
    merge_by_patient_day,
)

T = ColumnType

EXERCISE_FIELDS = (
    Column("exercise_id", T.INTEGER, "ParsTrack's id for the exercise in the library."),
    Column("exercise_code", T.TEXT, "Stable key of a built-in exercise; empty for a clinic's own."),
    Column("exercise", T.TEXT, "Name of the exercise.", research=False),
    Column("phase", T.TEXT, "Programme phase: protect, stabilise or return."),
    Column("prescribed_sets", T.INTEGER, "Sets prescribed.", "sets"),
    Column("prescribed_reps", T.INTEGER, "Repetitions per set prescribed.", "repetitions"),
    Column("prescribed_hold_seconds", T.INTEGER, "Hold per repetition prescribed.", "seconds"),
    Column("sessions_per_week", T.INTEGER, "Sessions a week prescribed.", "sessions/week"),
    Column("done", T.BOOLEAN, "The patient did the exercise that day."),
    Column("sets_done", T.INTEGER, "Sets done; empty if not done or not said.", "sets"),
    Column(
        "pain", T.INTEGER, "Pain during the exercise (0-10); empty if not done or not said.", "0-10"
    ),
)


def exercise_records(scope: ExportScope) -> Iterator[Record]:
    logs = (
        in_range(ExerciseLog.objects.filter(patient__in=scope.patients), scope)
        .select_related("item__exercise")
        .order_by("patient_id", "day", "item__order", "item_id")
    )
    for log in logs.iterator(chunk_size=scope.chunk_size):
        item = log.item
        yield (
            log.patient_id,
            log.day,
            {
                "exercise_id": item.exercise_id,
                "exercise_code": item.exercise.code,
                "exercise": item.exercise.name,
                "phase": item.phase,
                "prescribed_sets": item.sets,
                "prescribed_reps": item.reps,
                "prescribed_hold_seconds": item.hold_seconds,
                "sessions_per_week": item.sessions_per_week,
                "done": log.done,
                "sets_done": log.sets_done,
                "pain": log.pain,
            },
        )


@research_variant("The exercise answers without names or dates.")
@register
class ExercisesDataset(PatientDayDataset):
    slug = "exercises"
    title = "Exercises"
    description = "One row per exercise answered in a check-in, with what was prescribed."
    for_patients = True
    patient_title = "your exercises"
    fields = EXERCISE_FIELDS

    def records(self, scope: ExportScope, patients: dict[int, PatientInfo]) -> Iterator[Record]:
        return exercise_records(scope)


BRACE_FIELDS = (
    Column("brace_kind", T.TEXT, "Brace in force: rigid or soft; empty when none was due."),
    Column(
        "target_hours",
        T.DECIMAL,
        "Hours a day the brace should be worn that day (the weaning target once weaning has "
        "started); empty when no brace was due.",
        "hours",
    ),
    Column("weaning", T.BOOLEAN, "The brace was being weaned that day."),
    Column("logged", T.BOOLEAN, "The patient said how long they wore it that day."),
    Column(
        "hours_worn", T.DECIMAL, "Hours the patient wore the brace; empty if not said.", "hours"
    ),
    Column(
        "worn_fraction",
        T.DECIMAL,
        "min(hours_worn / target_hours, 1), a day not logged counting as 0 hours (as in "
        "adherence, docs/rehab.md); empty when no brace was due.",
        "0-1",
    ),
)


def _days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    for n in range((last - first).days + 1):
        yield first + dt.timedelta(days=n)


def brace_due_days(scope: ExportScope, patients: dict[int, PatientInfo]) -> Iterator[Record]:
    """Every day a brace was due, from the prescriptions (a chain per patient, never
    overlapping), up to the patient's today or discharge; ordered by patient and day."""
    prescriptions = (
        BracePrescription.objects.filter(patient__in=scope.patients)
        .exclude(kind=BraceKind.NONE)
        .order_by("patient_id", "valid_from", "created_at")
    )
    for brace in prescriptions.iterator(chunk_size=scope.chunk_size):
        if not brace.was_in_force:
            continue  # corrected the day it was written: never in force
        info = patients[brace.patient_id]
        last = info.last_day if brace.last_day is None else min(brace.last_day, info.last_day)
        if brace.planned_end is not None:
            last = min(last, brace.planned_end)
        first = brace.valid_from
        if scope.date_from:
            first = max(first, scope.date_from)
        if scope.date_to:
            last = min(last, scope.date_to)
        for day in _days(first, last) if first <= last else ():
            yield (
                brace.patient_id,
                day,
                {
                    "brace_kind": brace.kind,
                    "target_hours": brace.target_on(day),
                    "weaning": brace.wean_from is not None and day >= brace.wean_from,
                },
            )


def brace_log_records(scope: ExportScope) -> Iterator[Record]:
    logs = (
        in_range(BraceLog.objects.filter(patient__in=scope.patients), scope)
        .order_by("patient_id", "day")
        .values_list("patient_id", "day", "hours")
    )
    for patient_id, day, hours in logs.iterator(chunk_size=scope.chunk_size):
        yield patient_id, day, {"hours_worn": hours}


def brace_records(scope: ExportScope, patients: dict[int, PatientInfo]) -> Iterator[Record]:
    """Days a brace was due, joined with the days hours were logged (either may be missing)."""
    merged = merge_by_patient_day(brace_due_days(scope, patients), brace_log_records(scope))
    for patient_id, day, (due, log) in merged:
        target = due["target_hours"] if due else None
        hours = log["hours_worn"] if log else None
        fraction = None
        if target:
            fraction = min((hours or Decimal(0)) / target, Decimal(1)).quantize(Decimal("0.001"))
        yield (
            patient_id,
            day,
            {
                "brace_kind": due["brace_kind"] if due else "",
                "target_hours": target,
                "weaning": bool(due and due["weaning"]),
                "logged": log is not None,
                "hours_worn": hours,
                "worn_fraction": fraction,
            },
        )


@research_variant("Brace days without names or dates.")
@register
class BraceDataset(PatientDayDataset):
    slug = "brace"
    title = "Brace wear"
    description = (
        "One row per patient per day a brace was due or brace hours were logged: the target "
        "in force and the hours worn."
    )
    for_patients = True
    patient_title = "your brace hours"
    fields = BRACE_FIELDS

    def records(self, scope: ExportScope, patients: dict[int, PatientInfo]) -> Iterator[Record]:
        return brace_records(scope, patients)
