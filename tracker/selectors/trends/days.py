"""The range's days: check-ins and brace hours (reported and measured) read in one query each,
as daily series."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from statistics import fmean

from rehab.adherence import week_start
from rehab.models import BracePrescription
from rehab.selectors.measured import brace_hours_both
from tracker.models import Activity, DiaryEntry, Patient


def days_between(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def rolling_mean(
    values: dict[dt.date, float], days: list[dt.date], window: int, needed: int
) -> list[float | None]:
    """The mean of the logged values of the `window` days ending on each day, when at least
    `needed` were logged (the assessment's rule for a window), else None. One pass: a running
    sum and count over consecutive days."""
    if not days:
        return []
    first = days[0] - dt.timedelta(days=window - 1)
    span = [values.get(first + dt.timedelta(days=n)) for n in range((days[-1] - first).days + 1)]
    result: list[float | None] = []
    total, count = 0.0, 0
    for i, value in enumerate(span):
        if value is not None:
            total, count = total + value, count + 1
        if i >= window:
            old = span[i - window]
            if old is not None:
                total, count = total - old, count - 1
        if i >= window - 1:
            result.append(round(total / count, 2) if count >= needed else None)
    return result


@dataclass(frozen=True)
class LoggedDays:
    """The check-ins of a range, with the days before it that the first rolling means need."""

    now: dict[dt.date, int]  # pain now by day, lead-in included
    worst: dict[dt.date, int]
    in_range: list[tuple[int, dt.date]]  # (entry id, day) of the range's check-ins, oldest first
    activity_pain: dict[tuple[str, dt.date], list[int]]  # (activity, Monday) -> pain values
    activities: dict[int, list[tuple[str, int]]]  # entry id -> (activity, pain)


def logged_days(patient: Patient, lead_in: dt.date, start: dt.date, end: dt.date) -> LoggedDays:
    """One query for the days and the activities of each (a left join: a row per activity, one
    row with no activity for a day without any)."""
    rows = (
        DiaryEntry.objects.filter(patient=patient, day__range=(lead_in, end))
        .order_by("day", "activities__id")
        .values_list(
            "id", "day", "pain_now", "pain_worst", "activities__activity", "activities__pain"
        )
    )
    now_by_day: dict[dt.date, int] = {}
    worst_by_day: dict[dt.date, int] = {}
    in_range: list[tuple[int, dt.date]] = []
    sums: dict[tuple[str, dt.date], list[int]] = defaultdict(list)
    by_entry: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for pk, day, now, worst, activity, value in rows:
        if day not in now_by_day:
            now_by_day[day], worst_by_day[day] = now, worst
            if day >= start:
                in_range.append((pk, day))
        if activity is not None and day >= start:
            sums[activity, week_start(day)].append(value)
            by_entry[pk].append((activity, value))
    return LoggedDays(now_by_day, worst_by_day, in_range, sums, by_entry)


def weekly_activity_means(
    logged: LoggedDays, mondays: list[dt.date]
) -> dict[Activity, list[float | None]]:
    """Pain each activity provoked, as weekly means: daily points per activity are too sparse
    to read, and a week says "still hurts" or "stopped hurting" plainly."""
    sums = logged.activity_pain
    return {
        a: [round(fmean(sums[a.value, w]), 1) if (a.value, w) in sums else None for w in mondays]
        for a in Activity
    }


def activity_reports(logged: LoggedDays) -> dict[Activity, list[int]]:
    """Every pain each activity provoked in the range (a value a check-in), for ranking them."""
    reports: dict[Activity, list[int]] = {a: [] for a in Activity}
    for (activity, _monday), values in logged.activity_pain.items():
        reports[Activity(activity)].extend(values)
    return reports


def brace_hours(
    patient: Patient, start: dt.date, end: dt.date, days: list[dt.date]
) -> tuple[list[float | None], list[float | None]]:
    """Hours worn each of `days`, the days of [start, end], as reported and as measured by a
    brace sensor (one query for both); None: not logged, not measured."""
    both = brace_hours_both(patient, start, end)

    def series(by_day: dict) -> list[float | None]:
        return [float(by_day[d]) if d in by_day else None for d in days]

    return series(both.reported), series(both.measured)


def brace_targets(braces: list[BracePrescription], days: list[dt.date]) -> list[float | None]:
    """The target hours each day from the prescriptions already read; None: no brace due."""

    def target(day: dt.date) -> float | None:
        for brace in reversed(braces):
            if brace.valid_from <= day and (brace.valid_to is None or day < brace.valid_to):
                value = brace.target_on(day)
                return None if value is None else float(value)
        return None

    return [target(d) for d in days] if braces else [None] * len(days)


@dataclass(frozen=True)
class Daily:
    """The range's daily series: a value (or None) for each of `days`, [start, end]."""

    start: dt.date
    end: dt.date
    days: list[dt.date]
    pain_now: list[int | None]
    pain_worst: list[int | None]
    mean7: list[float | None]  # the rolling mean of pain now over the recent window
    hours: list[float | None]  # brace hours worn, as the patient reported them
    targets: list[float | None]  # brace target hours
    measured: list[float | None]  # brace hours worn, as a sensor measured them (issue 17)
