"""The wide daily table: one row per patient-day, joining the diary, activity pain, exercises,
brace wear and questionnaire scores.

The join is streamed: each source is one query ordered by (patient, day) and aggregated per day
in the database, and `merge_by_patient_day` walks them side by side (like a merge join), holding
one row of each at a time. So memory stays flat however many days are exported.
"""

import itertools
from collections.abc import Iterator

from django.db.models import Avg, Count, Max, Q

from rehab.models import ExerciseLog
from tracker.exports.checkin import DiaryEntry
from tracker.exports.datasets import Column, ColumnType, ExportScope, register, research_variant
from tracker.exports.outcomes import submitted
from tracker.exports.patient_days import (
    PatientDayDataset,
    PatientInfo,
    Record,
    in_range,
    merge_by_patient_day,
)
from tracker.exports.rehab import brace_records

T = ColumnType

# One score column per questionnaire ParsTrack ships (tracker/instruments/); stable names.
INSTRUMENT_CODES = ("psfs", "odi", "groc", "weekly_pain")

DAILY_FIELDS = (
    Column("checked_in", T.BOOLEAN, "The patient checked in that day."),
    Column("pain_now", T.INTEGER, "Pain at check-in (NRS 0-10); empty without a check-in.", "0-10"),
    Column("pain_worst", T.INTEGER, "Worst pain that day (NRS 0-10).", "0-10"),
    Column("pain_below_knee", T.BOOLEAN, "The pain spread below the knee."),
    Column("leg_numbness", T.BOOLEAN, "Numb or tingly leg."),
    Column("leg_weakness", T.BOOLEAN, "Weak leg."),
    Column("night_pain", T.BOOLEAN, "Woken by pain at night."),
    Column("warning_sign", T.BOOLEAN, "Any of the three warning signs was reported."),
    Column("medicine_doses", T.INTEGER, "Doses of pain medicine taken.", "doses"),
    Column("activities_logged", T.INTEGER, "Activities logged with their pain."),
    Column("activity_pain_max", T.INTEGER, "Highest pain an activity provoked.", "0-10"),
    Column("activity_pain_mean", T.DECIMAL, "Mean pain the activities provoked.", "0-10"),
    Column("exercises_logged", T.INTEGER, "Exercises answered (done or not)."),
    Column("exercises_done", T.INTEGER, "Exercises done."),
    Column("exercise_pain_max", T.INTEGER, "Highest pain during an exercise.", "0-10"),
    Column(
        "brace_target_hours",
        T.DECIMAL,
        "Brace hours due that day; empty when no brace was due.",
        "hours",
    ),
    Column("brace_hours_worn", T.DECIMAL, "Brace hours logged; empty if not said.", "hours"),
    Column(
        "brace_worn_fraction",
        T.DECIMAL,
        "min(hours worn / target, 1), a due day not logged counting as 0.",
        "0-1",
    ),
    *(
        Column(
            f"{code}_score",
            T.DECIMAL,
            f"{code} score of a questionnaire submitted that day (the last, if several).",
        )
        for code in INSTRUMENT_CODES
    ),
)


def _diary(scope: ExportScope) -> Iterator[Record]:
    entries = (
        in_range(DiaryEntry.objects.filter(patient__in=scope.patients), scope)
        .annotate(
            n_activities=Count("activities"),
            activity_max=Max("activities__pain"),
            activity_mean=Avg("activities__pain"),
        )
        .order_by("patient_id", "day")
    )
    for e in entries.iterator(chunk_size=scope.chunk_size):
        yield e.patient_id, e.day, e


def _exercises(scope: ExportScope) -> Iterator[Record]:
    rows = (
        in_range(ExerciseLog.objects.filter(patient__in=scope.patients), scope)
        .values("patient_id", "day")
        .annotate(logged=Count("pk"), done=Count("pk", filter=Q(done=True)), pain=Max("pain"))
        .order_by("patient_id", "day")
        .values_list("patient_id", "day", "logged", "done", "pain")
    )
    for patient_id, day, logged, done, pain in rows.iterator(chunk_size=scope.chunk_size):
        yield patient_id, day, (logged, done, pain)


def _scores(scope: ExportScope) -> Iterator[Record]:
    rows = (
        submitted(scope)
        .order_by("patient_id", "submitted_on", "submitted_at", "pk")
        .values_list("patient_id", "submitted_on", "instrument__code", "score")
    )
    days = itertools.groupby(rows.iterator(chunk_size=scope.chunk_size), key=lambda r: r[:2])
    for (patient_id, day), group in days:
        yield patient_id, day, {code: score for _, _, code, score in group}


def _mean(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def daily_records(scope: ExportScope, patients: dict[int, PatientInfo]) -> Iterator[Record]:
    merged = merge_by_patient_day(
        _diary(scope), _exercises(scope), brace_records(scope, patients), _scores(scope)
    )
    for patient_id, day, (entry, exercises, brace, scores) in merged:
        logged, done, exercise_pain = exercises or (None, None, None)
        values = {
            "checked_in": entry is not None,
            "pain_now": entry.pain_now if entry else None,
            "pain_worst": entry.pain_worst if entry else None,
            "pain_below_knee": entry.pain_reach == "below_knee" if entry else None,
            "leg_numbness": entry.leg_numbness if entry else None,
            "leg_weakness": entry.leg_weakness if entry else None,
            "night_pain": entry.night_pain if entry else None,
            "warning_sign": bool(entry.warning_signs) if entry else None,
            "medicine_doses": entry.medicine_doses if entry else None,
            "activities_logged": entry.n_activities if entry else None,
            "activity_pain_max": entry.activity_max if entry else None,
            "activity_pain_mean": _mean(entry.activity_mean) if entry else None,
            "exercises_logged": logged,
            "exercises_done": done,
            "exercise_pain_max": exercise_pain,
            "brace_target_hours": brace["target_hours"] if brace else None,
            "brace_hours_worn": brace["hours_worn"] if brace else None,
            "brace_worn_fraction": brace["worn_fraction"] if brace else None,
        }
        for code in INSTRUMENT_CODES:
            values[f"{code}_score"] = (scores or {}).get(code)
        yield patient_id, day, values


@research_variant("The daily table without names or dates.", title="Daily table")
@register
class DailyDataset(PatientDayDataset):
    slug = "daily"
    title = "Daily table (everything per day)"
    description = (
        "One row per patient per day with a check-in, an exercise answer, brace hours, a brace "
        "due or a questionnaire submitted: the other datasets joined by day."
    )
    for_patients = True
    patient_title = "everything, one row per day"
    fields = DAILY_FIELDS

    def records(self, scope: ExportScope, patients: dict[int, PatientInfo]) -> Iterator[Record]:
        return daily_records(scope, patients)
