"""One patient over a date range: chart series, their table alternatives, the diary with versions,
alerts and timeline events. A fixed number of queries whatever the number of days
(docs/dashboard.md): every read is one query over the range, and Python only walks the days."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from statistics import fmean
from typing import Any

from rehab.adherence import AdherenceSummary, week_start
from rehab.models import BraceLog, BracePrescription
from rehab.selectors import adherence_for_patients
from rehab.selectors import timeline_events as rehab_timeline
from tracker.clinical.thresholds import Thresholds
from tracker.models import (
    Activity,
    DiaryEntry,
    DiaryEntryVersion,
    Patient,
    WarningSignAlert,
)
from tracker.selectors.assessment import PatientAssessment
from tracker.selectors.clinical import timeline_events as clinical_timeline
from tracker.selectors.diary import VersionView, version_views
from tracker.selectors.outcomes import ScorePoint, ScoreSeries
from tracker.timeline import TimelineEvent

MAX_RANGE_DAYS = 3 * 366  # longer ranges are refused by the form: a chart of years is unreadable

# Short names for chart legends and table headers; the check-in's labels are for a 12-year-old.
ACTIVITY_SHORT = {
    Activity.WALKING: "Walking",
    Activity.SITTING: "Sitting",
    Activity.STANDING: "Standing",
    Activity.RUNNING: "Running",
    Activity.SPORT: "Sport",
    Activity.LIFTING: "Lifting",
    Activity.ARCHING: "Arching",
    Activity.TWISTING: "Twisting",
    Activity.SCHOOL_WORK: "School/work",
}


def days_between(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def rolling_mean(
    values: dict[dt.date, float], days: list[dt.date], window: int, needed: int
) -> list[float | None]:
    """The mean of the logged values of the `window` days ending on each day, when at least
    `needed` were logged (the assessment's rule for a window), else None."""
    result = []
    for day in days:
        found = [
            values[d]
            for d in (day - dt.timedelta(days=n) for n in range(window))
            if d in values and values[d] is not None
        ]
        result.append(round(fmean(found), 2) if len(found) >= needed else None)
    return result


@dataclass(frozen=True)
class PainRow:
    day: dt.date
    now: int | None
    worst: int | None
    mean7: float | None


@dataclass(frozen=True)
class BraceRow:
    day: dt.date
    hours: float | None
    target: float | None


@dataclass(frozen=True)
class ScoreChart:
    code: str
    name: str
    better: str  # "higher" | "lower"
    score_min: float
    score_max: float
    series: ScoreSeries  # the points inside the chosen date range
    # The patient's baseline, kept even when the date range starts after it.
    baseline: ScorePoint | None
    important_line: float | None  # the score that would be an important improvement
    worse_line: float | None  # the score that would be an important worsening


@dataclass
class DiaryRow:
    entry: DiaryEntry
    versions: list[VersionView] = field(default_factory=list)

    @property
    def edited(self) -> bool:
        return len(self.versions) > 1


@dataclass(frozen=True)
class PatientTrends:
    patient: Patient
    start: dt.date
    end: dt.date
    thresholds: Thresholds
    assessment: PatientAssessment
    pain_rows: list[PainRow]
    pain_baseline: float | None
    improve_line: float | None
    worse_line: float | None
    activity_weeks: list[dt.date]
    activity_means: dict[str, list[float | None]]  # activity label -> weekly mean, per week
    brace_rows: list[BraceRow]
    adherence: AdherenceSummary
    scores: list[ScoreChart]
    events: list[TimelineEvent]
    diary: list[DiaryRow]
    alerts: list[WarningSignAlert]

    @property
    def logged_pain_rows(self) -> list[PainRow]:
        return [r for r in self.pain_rows if r.now is not None]

    @property
    def logged_brace_rows(self) -> list[BraceRow]:
        return [r for r in self.brace_rows if r.target is not None or r.hours is not None]

    @property
    def activity_table(self) -> list[tuple[dt.date, list[float | None]]]:
        names = list(self.activity_means)
        return [
            (week, [self.activity_means[n][i] for n in names])
            for i, week in enumerate(self.activity_weeks)
            if any(self.activity_means[n][i] is not None for n in names)
        ]

    def chart_data(self) -> dict[str, Any]:
        """Everything charts.js draws, as plain JSON (rendered with json_script)."""
        days = [r.day.isoformat() for r in self.pain_rows]
        day_events = [
            {"x": e.day.isoformat(), "label": e.label}
            for e in self.events
            if self.start <= e.day <= self.end
        ]
        week_labels = [w.isoformat() for w in self.activity_weeks]
        week_events = [
            {"x": week_start(e.day).isoformat(), "label": e.label}
            for e in self.events
            if self.start <= e.day <= self.end
        ]
        return {
            "pain": {
                "labels": days,
                "now": [r.now for r in self.pain_rows],
                "worst": [r.worst for r in self.pain_rows],
                "mean7": [r.mean7 for r in self.pain_rows],
                "baseline": self.pain_baseline,
                "improve": self.improve_line,
                "worse": self.worse_line,
                "events": day_events,
            },
            "activities": {
                "labels": week_labels,
                "series": [
                    {"label": name, "data": values}
                    for name, values in self.activity_means.items()
                    if any(v is not None for v in values)
                ],
                "events": week_events,
            },
            "brace": {
                "labels": days,
                "hours": [r.hours for r in self.brace_rows],
                "target": [r.target for r in self.brace_rows],
                "events": day_events,
            },
            "exercise": {
                "labels": [w.week.isoformat() for w in self.adherence.weeks],
                "exercise": [_pct(w.exercise) for w in self.adherence.weeks],
                "brace": [_pct(w.brace) for w in self.adherence.weeks],
                "fair": self.thresholds.fair_adherence_percent,
                "events": week_events,
            },
            "scores": [
                {
                    "code": s.code,
                    "name": s.name,
                    "labels": [p.day.isoformat() for p in s.series.points],
                    "scores": [p.score for p in s.series.points],
                    "min": s.score_min,
                    "max": s.score_max,
                    "baseline": s.baseline.score if s.baseline else None,
                    "important": s.important_line,
                    "worse": s.worse_line,
                }
                for s in self.scores
            ],
        }


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _score_lines(series: ScoreSeries) -> tuple[float | None, float | None]:
    """(important improvement, important worsening) as scores, from the instrument's MCID."""
    baseline = series.baseline
    mcid = series.instrument.definition.get("mcid", {})
    if baseline is None or "points" not in mcid:
        return None, None
    base, points = float(baseline.score), float(mcid["points"])
    better_bar = points
    if mcid.get("percent") and base > 0:
        better_bar = min(points, base * float(mcid["percent"]) / 100)
    if series.instrument.better == "higher":
        return base + better_bar, base - points
    return base - better_bar, base + points


def patient_trends(
    patient: Patient, start: dt.date, end: dt.date, assessed: PatientAssessment
) -> PatientTrends:
    """Charts, tables, diary, alerts and events for [start, end] (both included)."""
    t = assessed.thresholds
    days = days_between(start, end)
    # The 7-day mean on the first days of the range needs the days just before it.
    lead_in = start - dt.timedelta(days=t.recent_days - 1)
    entries = list(
        DiaryEntry.objects.filter(patient=patient, day__range=(lead_in, end))
        .prefetch_related("activities")
        .order_by("day")
    )
    by_day = {e.day: e for e in entries}
    now = {e.day: e.pain_now for e in entries}
    means = rolling_mean(now, days, t.recent_days, t.min_window_entries)
    pain_rows = [
        PainRow(
            d,
            by_day[d].pain_now if d in by_day else None,
            by_day[d].pain_worst if d in by_day else None,
            m,
        )
        for d, m in zip(days, means, strict=True)
    ]

    pain = assessed.assessment.pain
    improve_line = worse_line = None
    if pain.baseline is not None:
        bar = t.pain_important_points
        if pain.baseline > 0:
            bar = min(bar, pain.baseline * t.pain_important_percent / 100)
        improve_line = round(max(pain.baseline - bar, 0), 2)
        worse_line = round(min(pain.baseline + t.pain_important_points, 10), 2)

    # Pain each activity provoked, as weekly means: daily points per activity are too sparse
    # to read, and a week says "still hurts" or "stopped hurting" plainly.
    weeks = sorted({week_start(d) for d in days})
    sums: dict[tuple[str, dt.date], list[int]] = defaultdict(list)
    for entry in entries:
        if entry.day < start:
            continue
        for act in entry.activities.all():
            sums[act.activity, week_start(entry.day)].append(act.pain)
    activity_means = {
        ACTIVITY_SHORT[a]: [
            round(fmean(sums[a.value, w]), 1) if sums.get((a.value, w)) else None for w in weeks
        ]
        for a in Activity
    }

    hours = dict(
        BraceLog.objects.filter(patient=patient, day__range=(start, end)).values_list(
            "day", "hours"
        )
    )
    braces = list(
        BracePrescription.objects.filter(patient=patient).order_by("valid_from", "created_at")
    )

    def target(day: dt.date) -> float | None:
        for brace in reversed(braces):
            if brace.valid_from <= day and (brace.valid_to is None or day < brace.valid_to):
                value = brace.target_on(day)
                return None if value is None else float(value)
        return None

    brace_rows = [BraceRow(d, float(hours[d]) if d in hours else None, target(d)) for d in days]

    adherence = adherence_for_patients([patient], start, end)[patient.pk]

    scores = []
    for code, series in sorted(assessed.scores.items(), key=lambda kv: kv[1].instrument.name):
        shown = [p for p in series.points if start <= p.day <= end]
        if not shown:
            continue
        improve, worse = _score_lines(series)
        instrument = series.instrument
        scores.append(
            ScoreChart(
                code=code,
                name=instrument.short_name or instrument.name,
                better=instrument.better,
                score_min=instrument.score_min,
                score_max=instrument.score_max,
                series=ScoreSeries(instrument=instrument, points=shown),
                baseline=series.baseline,
                important_line=improve,
                worse_line=worse,
            )
        )

    events = sorted(
        rehab_timeline(patient, start, end) + clinical_timeline(patient, start, end),
        key=lambda e: (e.day, e.kind),
    )

    versions: dict[int, list[DiaryEntryVersion]] = defaultdict(list)
    for version in (
        DiaryEntryVersion.objects.filter(entry__patient=patient, entry__day__range=(start, end))
        .select_related("recorded_by")
        .order_by("entry_id", "number")
    ):
        versions[version.entry_id].append(version)
    diary = [
        DiaryRow(e, version_views(versions.get(e.pk, [])))
        for e in reversed(entries)
        if e.day >= start
    ]

    alerts = list(
        WarningSignAlert.objects.filter(patient=patient)
        .select_related("acknowledged_by")
        .order_by("acknowledged_at", "-day")
    )
    # Open alerts first (a null sorts first on SQLite, last on PostgreSQL: do it here).
    alerts.sort(key=lambda a: (a.acknowledged_at is not None, -a.day.toordinal()))

    return PatientTrends(
        patient=patient,
        start=start,
        end=end,
        thresholds=t,
        assessment=assessed,
        pain_rows=pain_rows,
        pain_baseline=None if pain.baseline is None else round(pain.baseline, 2),
        improve_line=improve_line,
        worse_line=worse_line,
        activity_weeks=weeks,
        activity_means=activity_means,
        brace_rows=brace_rows,
        adherence=adherence,
        scores=scores,
        events=events,
        diary=diary,
        alerts=alerts,
    )
