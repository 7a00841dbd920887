"""Adherence in aggregate: what was prescribed and what was done, week by week, for many patients
in a fixed number of queries (docs/rehab.md, "Adherence")."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Q,
    Subquery,
    When,
)
from django.db.models.functions import TruncWeek

from rehab import adherence
from rehab.models import (
    BraceKind,
    BracePrescription,
    ExerciseLog,
    ProgrammeItem,
    ProgrammeVersion,
)
from rehab.selectors.measured import worn_rows
from rehab.selectors.prescribed import in_force_on, overlapping
from tracker.models import Patient


def brace_target_subquery() -> Subquery:
    """The target hours of the brace prescription in force on the outer log's day (or null);
    for other readers of brace logs (exports, FHIR) too."""
    day = OuterRef("day")
    return Subquery(
        BracePrescription.objects.filter(in_force_on(day), patient_id=OuterRef("patient_id"))
        .exclude(kind=BraceKind.NONE)
        .filter(Q(planned_end__isnull=True) | Q(planned_end__gte=day))
        .annotate(
            target=Case(When(wean_from__lte=day, then=F("wean_hours")), default=F("target_hours"))
        )
        .values("target")[:1]
    )


def _last_day(patient: Patient, end: dt.date) -> dt.date:
    return min(end, patient.discharged_on) if patient.discharged_on else end


def _overlaps(version: BracePrescription | ProgrammeVersion, start: dt.date, end: dt.date) -> bool:
    """`overlapping(start, end)` for a prescription already read."""
    return version.valid_from <= end and (
        version.valid_to is None
        or (version.valid_to > start and version.valid_to > version.valid_from)
    )


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _sessions_prescribed(
    ids: list[int],
    start: dt.date,
    end: dt.date,
    last_day: dict[int, dt.date],
    programmes: Iterable[ProgrammeVersion] | None,
) -> dict[tuple[int, dt.date], dict[int, float]]:
    """Per (patient, week, exercise): sessions_per_week x days in force that week / 7."""
    prescribed: dict[tuple[int, dt.date], dict[int, float]] = defaultdict(
        lambda: defaultdict(float)
    )
    if programmes is None:
        items = ProgrammeItem.objects.filter(
            overlapping(start, end, "programme__"), programme__patient_id__in=ids
        ).values_list(
            "programme__patient_id",
            "programme__valid_from",
            "programme__valid_to",
            "exercise_id",
            "sessions_per_week",
        )
    else:  # the query's order (the models' orderings: newest version first), so sums agree
        wanted = set(ids)
        versions = [v for v in programmes if v.patient_id in wanted and _overlaps(v, start, end)]
        versions.sort(key=lambda v: (v.patient_id, v.valid_from, v.created_at), reverse=True)
        versions.sort(key=lambda v: v.patient_id)
        items = [
            (v.patient_id, v.valid_from, v.valid_to, i.exercise_id, i.sessions_per_week)
            for v in versions
            for i in v.items.all()
        ]
    for patient_id, valid_from, valid_to, exercise_id, per_week in items:
        last = None if valid_to is None else valid_to - dt.timedelta(days=1)
        span = adherence.overlap(valid_from, last, start, last_day[patient_id])
        if span:
            for monday, days in adherence.days_per_week(*span).items():
                prescribed[patient_id, monday][exercise_id] += per_week * days / 7
    return prescribed


def _sessions_done(
    ids: list[int], start: dt.date, end: dt.date
) -> dict[tuple[int, dt.date], dict[int, int]]:
    """Per (patient, week, exercise): logged done on a day when that item's programme was in
    force (one query, counted in the database)."""
    done: dict[tuple[int, dt.date], dict[int, int]] = defaultdict(dict)
    logs = (
        ExerciseLog.objects.filter(patient_id__in=ids, day__gte=start, day__lte=end, done=True)
        .filter(day__gte=F("item__programme__valid_from"))
        .filter(
            Q(item__programme__valid_to__isnull=True) | Q(item__programme__valid_to__gt=F("day"))
        )
        .filter(Q(patient__discharged_on__isnull=True) | Q(day__lte=F("patient__discharged_on")))
        .annotate(week=TruncWeek("day"), exercise_id=F("item__exercise_id"))
        .values("patient_id", "week", "exercise_id")
        .annotate(sessions=Count("id"))
        .values_list("patient_id", "week", "exercise_id", "sessions")
    )
    for patient_id, week, exercise_id, sessions in logs:
        done[patient_id, _as_date(week)][exercise_id] = sessions
    return done


def _brace_days_due(
    ids: list[int],
    start: dt.date,
    end: dt.date,
    last_day: dict[int, dt.date],
    braces: Iterable[BracePrescription] | None,
) -> dict[tuple[int, dt.date], int]:
    """Brace days due per (patient, week): from the prescriptions' ranges (up to the planned
    end)."""
    brace_days: dict[tuple[int, dt.date], int] = defaultdict(int)
    if braces is None:
        brace_rows = (
            BracePrescription.objects.filter(overlapping(start, end), patient_id__in=ids)
            .exclude(kind=BraceKind.NONE)
            .values_list("patient_id", "valid_from", "valid_to", "planned_end")
        )
    else:
        wanted = set(ids)
        brace_rows = [
            (b.patient_id, b.valid_from, b.valid_to, b.planned_end)
            for b in braces
            if b.patient_id in wanted and b.kind != BraceKind.NONE and _overlaps(b, start, end)
        ]
    for patient_id, valid_from, valid_to, planned_end in brace_rows:
        last = None if valid_to is None else valid_to - dt.timedelta(days=1)
        if planned_end is not None:
            last = planned_end if last is None else min(last, planned_end)
        span = adherence.overlap(valid_from, last, start, last_day[patient_id])
        if span:
            for monday, days in adherence.days_per_week(*span).items():
                brace_days[patient_id, monday] += days
    return brace_days


def _brace_worn(ids: list[int], start: dt.date, end: dt.date) -> dict[tuple[int, dt.date], tuple]:
    """Brace worn per (patient, week): (the sum over logged or measured due days of
    min(hours / that day's target, 1), measured days, reported-only days), in the database; the
    hours measured by a sensor where a day has them, else the reported (issue 17)."""
    worn: dict[tuple[int, dt.date], tuple] = {}
    for patient_id, week, total, measured, reported in worn_rows(
        ids, start, end, brace_target_subquery()
    ):
        key = (patient_id, _as_date(week))
        was = worn.get(key, (0.0, 0, 0))
        worn[key] = (was[0] + float(total or 0), was[1] + measured, was[2] + reported)
    return worn


def adherence_for_patients(
    patients: Iterable[Patient],
    start: dt.date,
    end: dt.date,
    *,
    braces: Iterable[BracePrescription] | None = None,
    programmes: Iterable[ProgrammeVersion] | None = None,
) -> dict[int, adherence.AdherenceSummary]:
    """Weekly adherence for [start, end] for each patient, keyed by patient id.

    A fixed number of queries whatever the number of patients: the prescriptions in force (rows,
    not days) and the logs aggregated by patient, week and exercise in the database. Only the
    prescriptions' date ranges are split into weeks in Python. `braces`, `programmes`: every
    brace prescription and programme version (items prefetched) of these patients, already read
    (`prescriptions_of`: one query fewer each).
    """
    patients = list(patients)
    ids = [p.pk for p in patients]
    if not ids or end < start:
        return {p.pk: adherence.AdherenceSummary(start, end, []) for p in patients}
    last_day = {p.pk: _last_day(p, end) for p in patients}
    prescribed = _sessions_prescribed(ids, start, end, last_day, programmes)
    done = _sessions_done(ids, start, end)
    brace_days = _brace_days_due(ids, start, end, last_day, braces)
    worn = _brace_worn(ids, start, end)

    result = {}
    for patient in patients:
        weeks = []
        for monday, first, last in adherence.weeks_between(start, end):
            key = (patient.pk, monday)
            if first > last_day[patient.pk]:
                break
            sessions = prescribed.get(key, {})
            days_due = brace_days.get(key, 0)
            fractions, measured, reported = worn.get(key, (0.0, 0, 0)) if days_due else (0.0, 0, 0)
            weeks.append(
                adherence.WeekAdherence(
                    week=monday,
                    first_day=first,
                    last_day=min(last, last_day[patient.pk]),
                    sessions_prescribed=sum(sessions.values()),
                    sessions_done=adherence.capped_done(sessions, done.get(key, {})),
                    exercise=adherence.exercise_adherence(sessions, done.get(key, {})),
                    brace_days=days_due,
                    brace_worn=fractions,
                    brace_measured_days=measured,
                    brace_reported_days=reported,
                    brace=adherence.brace_adherence(fractions, days_due),
                )
            )
        result[patient.pk] = adherence.AdherenceSummary(start, end, weeks)
    return result


def adherence_for_patient(patient: Patient, start: dt.date, end: dt.date):
    return adherence_for_patients([patient], start, end)[patient.pk]


def recent_weeks(today: dt.date, weeks: int) -> tuple[dt.date, dt.date]:
    """From the Monday `weeks - 1` weeks before this one, up to today (weekly breakdowns)."""
    return adherence.week_start(today) - dt.timedelta(weeks=weeks - 1), today


def rolling_window(end: dt.date, days: int) -> tuple[dt.date, dt.date]:
    """The `days` days ending on `end`, both included (the assessment's adherence window)."""
    return end - dt.timedelta(days=days - 1), end


def adherence_over_windows(
    patients: Iterable[Patient], windows: Mapping[int, tuple[dt.date, dt.date]]
) -> dict[int, adherence.AdherenceSummary]:
    """Each patient's adherence over their own (start, end), keyed by patient id.

    Patients sharing a window share its 4 queries, so a list costs 4 queries a distinct window.
    """
    groups: dict[tuple[dt.date, dt.date], list[Patient]] = defaultdict(list)
    for patient in patients:
        groups[windows[patient.pk]].append(patient)
    result: dict[int, adherence.AdherenceSummary] = {}
    for (start, end), group in groups.items():
        result.update(adherence_for_patients(group, start, end))
    return result
