"""One patient over a date range: chart series, their table alternatives, the diary with versions,
alerts and timeline events. A fixed number of queries whatever the number of days
(docs/dashboard.md): every read is one query over the range, and Python only walks the days.

Everything the page shows is worked out here once, as plain values: the charts' JSON (daily
points for the whole range) and each chart's table as rows of display strings, so the template
only loops. Ranges longer than `DAILY_TABLE_MAX_DAYS` get weekly table rows (a year of daily rows
under every chart is unreadable and was most of the page's cost); the chart keeps its daily points.
The diary is one page of `DIARY_PAGE_SIZE` check-ins, newest first, each with its versions.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from statistics import fmean
from typing import Any

from rehab.adherence import AdherenceSummary, week_start
from rehab.models import BraceLog, BracePrescription, ProgrammeVersion
from rehab.selectors import adherence_for_patients, prescriptions_of
from rehab.selectors import timeline_events as rehab_timeline
from tracker.models import (
    Activity,
    DiaryEntry,
    DiaryEntryVersion,
    Patient,
    WarningSignAlert,
)
from tracker.rules.assessment import improvement_threshold
from tracker.rules.outcomes.scoring import Change
from tracker.rules.thresholds import Thresholds
from tracker.selectors.assessment import PatientAssessment
from tracker.selectors.checkin import VersionView, version_views
from tracker.selectors.outcomes import ScorePoint, ScoreSeries
from tracker.selectors.records import timeline_events as clinical_timeline
from tracker.templatetags.dashboard import one_decimal, pct_down, signed
from tracker.utils.timeline import TimelineEvent

MAX_RANGE_DAYS = 3 * 366  # longer ranges are refused by the form: a chart of years is unreadable
DAILY_TABLE_MAX_DAYS = 12 * 7  # longer ranges: weekly rows in the tables under the charts
DIARY_PAGE_SIZE = 28  # check-ins on one page of the diary (4 weeks of daily logging)
_EPS = 1e-9

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
_ACTIVITY_LABEL = {a.value: a.label for a in Activity}


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


# The template filters' "D j M Y" and "j M Y" (English), without a translation look-up per cell.
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _date(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _day(day: dt.date) -> str:
    return f"{_WEEKDAYS[day.weekday()]} {_date(day)}"


def _hours(value: float | None) -> str:
    """Like floatformat:"-1": one decimal, none when whole (20, 7.5)."""
    if value is None:
        return "—"
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _span(values: list[float]) -> str:
    low, high = min(values), max(values)
    return _hours(low) if low == high else f"{_hours(low)}–{_hours(high)}"


@dataclass(frozen=True)
class Table:
    """A chart's table alternative, ready to print: column headers and rows of display strings
    (the first cell of a row is its header). `weekly`: one row a week, not a day."""

    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    weekly: bool = False


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
    table: Table  # day, score, change from baseline judged by the clinic's thresholds


@dataclass(frozen=True)
class DiaryRow:
    entry: DiaryEntry
    activities: str  # "Walking 3/10; Sitting 2/10"
    versions: list[VersionView]

    @property
    def edited(self) -> bool:
        return len(self.versions) > 1


@dataclass(frozen=True)
class DiaryPage:
    """One page of the range's check-ins, newest first."""

    rows: list[DiaryRow]
    number: int
    pages: int
    count: int  # check-ins in the whole range

    @property
    def has_newer(self) -> bool:
        return self.number > 1

    @property
    def has_older(self) -> bool:
        return self.number < self.pages

    @property
    def first_day(self) -> dt.date | None:  # the oldest on this page
        return self.rows[-1].entry.day if self.rows else None

    @property
    def last_day(self) -> dt.date | None:  # the newest on this page
        return self.rows[0].entry.day if self.rows else None


@dataclass(frozen=True)
class PatientTrends:
    patient: Patient
    start: dt.date
    end: dt.date
    thresholds: Thresholds
    assessment: PatientAssessment
    days: int  # in the range
    days_logged: int  # check-ins in the range
    weekly_tables: bool  # the daily charts' tables have a row a week, not a day
    pain_baseline: float | None
    improve_line: float | None
    worse_line: float | None
    pain_table: Table
    activity_table: Table
    brace_table: Table | None  # None: no brace prescribed or logged in the range
    adherence: AdherenceSummary
    adherence_table: Table
    scores: list[ScoreChart]
    events: list[TimelineEvent]
    diary: DiaryPage
    alerts: list[WarningSignAlert]
    chart: dict[str, Any]  # everything charts.js draws (json_script)


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def clinic_important_change(code: str, t: Thresholds) -> tuple[float, float | None] | None:
    """(points, percent of baseline) that make a change in this instrument's score important, as
    the clinic set them for the verdict; None for an instrument the clinic has no threshold for
    (then its own definition decides). The percent counts for improvement only, as in the
    verdict (docs/assessment.md, "Worsening uses the absolute bar only")."""
    if code == "psfs":
        return t.psfs_important_points, None
    if code == "odi":
        return t.odi_important_points, t.odi_important_percent
    if code == "weekly_pain":  # the 0-10 pain scale: the clinic's pain thresholds
        return t.pain_important_points, t.pain_important_percent
    return None


def _bars(series: ScoreSeries, t: Thresholds) -> tuple[float, float] | None:
    """(improvement bar, worsening bar) in score points from the baseline, or None."""
    baseline = series.baseline
    if baseline is None:
        return None
    clinic = clinic_important_change(series.instrument.code, t)
    if clinic is not None:
        points, percent = clinic
    else:
        mcid = series.instrument.definition.get("mcid", {})
        if "points" not in mcid:
            return None  # judged on each answer (a rating of change), not against a baseline
        points, percent = float(mcid["points"]), mcid.get("percent")
    base = float(baseline.score)
    better = improvement_threshold(base, points, percent) if percent else points
    return better, points


def _score_lines(series: ScoreSeries, t: Thresholds) -> tuple[float | None, float | None]:
    """(important improvement, important worsening) as scores, from the clinic's thresholds."""
    bars = _bars(series, t)
    if bars is None:
        return None, None
    base, (better, worse) = float(series.baseline.score), bars
    if series.instrument.better == "higher":
        return round(base + better, 2), round(base - worse, 2)
    return round(base - better, 2), round(base + worse, 2)


def _score_change(point: ScorePoint, series: ScoreSeries, t: Thresholds) -> str:
    """What the table says beside a score: its change from baseline, judged as the verdict
    judges it (the clinic's thresholds); a rating instrument keeps its own rule."""
    if point.is_baseline:
        return "baseline"
    bars = _bars(series, t)
    if bars is None:
        change: Change | None = point.change
        if change is None:
            return "—"
        return f"{signed(change.improvement)} · {change.label.lower()}"
    base = float(series.baseline.score)
    rise = float(point.score) - base
    improvement = rise if series.instrument.better == "higher" else -rise
    better, worse = bars
    if improvement > 0 and improvement >= better - _EPS:
        label = "important improvement"
    elif -improvement >= worse - _EPS:
        label = "important worsening"
    else:
        label = "no important change"
    return f"{signed(improvement)} · {label}"


def _score_table(series: ScoreSeries, shown: list[ScorePoint], t: Thresholds) -> Table:
    rows = [
        (
            _date(p.day),
            f"{p.score:.1f}" + (f" ({p.band})" if p.band else ""),
            _score_change(p, series, t),
        )
        for p in shown
    ]
    return Table(("Day", "Score", "Change"), rows)


def _weeks(start: dt.date, end: dt.date) -> list[tuple[dt.date, int]]:
    """Each week (its Monday) touching [start, end], with the number of its days in the range."""
    result = []
    monday = week_start(start)
    while monday <= end:
        first, last = max(monday, start), min(monday + dt.timedelta(days=6), end)
        result.append((monday, (last - first).days + 1))
        monday += dt.timedelta(days=7)
    return result


def _pain_table(
    days: list[dt.date],
    now: list[int | None],
    worst: list[int | None],
    mean7: list[float | None],
    t: Thresholds,
    weekly: bool,
    weeks: list[tuple[dt.date, int]],
) -> Table:
    if not weekly:
        rows = [
            (_day(d), str(n), str(w), one_decimal(m))
            for d, n, w, m in zip(days, now, worst, mean7, strict=True)
            if n is not None
        ]
        return Table(("Day", "Pain now", "Worst pain", f"{t.recent_days}-day mean"), rows)
    by_week: dict[dt.date, list[tuple[int, int]]] = defaultdict(list)
    for d, n, w in zip(days, now, worst, strict=True):
        if n is not None:
            by_week[week_start(d)].append((n, w))
    rows = []
    for monday, length in weeks:
        found = by_week.get(monday, [])
        nows, worsts = [n for n, _ in found], [w for _, w in found]
        rows.append(
            (
                _date(monday),
                f"{len(found)} of {length}",
                one_decimal(fmean(nows)) if nows else "—",
                _span(nows) if nows else "—",
                one_decimal(fmean(worsts)) if worsts else "—",
                str(max(worsts)) if worsts else "—",
            )
        )
    headers = (
        "Week of",
        "Days logged",
        "Pain now: mean",
        "Pain now: lowest–highest",
        "Worst pain: mean",
        "Worst pain: highest",
    )
    return Table(headers, rows, weekly=True)


def _brace_table(
    days: list[dt.date],
    hours: list[float | None],
    targets: list[float | None],
    weekly: bool,
    weeks: list[tuple[dt.date, int]],
) -> Table | None:
    shown = [
        (d, h, g)
        for d, h, g in zip(days, hours, targets, strict=True)
        if h is not None or g is not None
    ]
    if not shown:
        return None
    if not weekly:
        rows = [
            (
                _day(d),
                "not logged" if h is None else _hours(h),
                "no brace due" if g is None else _hours(g),
            )
            for d, h, g in shown
        ]
        return Table(("Day", "Hours worn", "Target"), rows)
    by_week: dict[dt.date, list[tuple[float | None, float | None]]] = defaultdict(list)
    for d, h, g in shown:
        by_week[week_start(d)].append((h, g))
    rows = []
    for monday, length in weeks:
        if monday not in by_week:
            continue
        worn = [h for h, _ in by_week[monday] if h is not None]
        due = [g for _, g in by_week[monday] if g is not None]
        rows.append(
            (
                _date(monday),
                f"{len(worn)} of {length}",
                one_decimal(fmean(worn)) if worn else "—",
                _span(worn) if worn else "—",
                _span(due) if due else "no brace due",
            )
        )
    headers = (
        "Week of",
        "Days logged",
        "Hours worn: mean",
        "Hours worn: fewest–most",
        "Target (hours a day)",
    )
    return Table(headers, rows, weekly=True)


def patient_trends(
    patient: Patient,
    start: dt.date,
    end: dt.date,
    assessed: PatientAssessment,
    *,
    diary_page: int = 1,
    prescriptions: tuple[list[ProgrammeVersion], list[BracePrescription]] | None = None,
) -> PatientTrends:
    """Charts, tables, diary page, alerts and events for [start, end] (both included).

    `prescriptions`: `rehab.selectors.prescriptions_of(patient)`, when the caller read it already
    (for the assessment): adherence, brace targets and the timeline share it."""
    t = assessed.thresholds
    days = days_between(start, end)
    weekly = len(days) > DAILY_TABLE_MAX_DAYS
    weeks = _weeks(start, end)
    # The 7-day mean on the first days of the range needs the days just before it.
    lead_in = start - dt.timedelta(days=t.recent_days - 1)
    # One query for the days and the activities of each (a left join: a row per activity, one
    # row with no activity for a day without any).
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
    pain_now = [now_by_day.get(d) for d in days]
    pain_worst = [worst_by_day.get(d) for d in days]
    means = rolling_mean(now_by_day, days, t.recent_days, t.min_window_entries)

    pain = assessed.assessment.pain
    improve_line = worse_line = None
    if pain.baseline is not None:
        bar = improvement_threshold(
            pain.baseline, t.pain_important_points, t.pain_important_percent
        )
        improve_line = round(max(pain.baseline - bar, 0), 2)
        worse_line = round(min(pain.baseline + t.pain_important_points, 10), 2)

    # Pain each activity provoked, as weekly means: daily points per activity are too sparse
    # to read, and a week says "still hurts" or "stopped hurting" plainly.
    mondays = [monday for monday, _ in weeks]
    activity_means = {
        a: [round(fmean(sums[a.value, w]), 1) if (a.value, w) in sums else None for w in mondays]
        for a in Activity
    }
    activity_rows = [
        (_date(w), *(one_decimal(activity_means[a][i]) for a in Activity))
        for i, w in enumerate(mondays)
        if any(activity_means[a][i] is not None for a in Activity)
    ]
    activity_table = Table(
        ("Week of", *(ACTIVITY_SHORT[a] for a in Activity)), activity_rows, weekly=True
    )

    hours_by_day = dict(
        BraceLog.objects.filter(patient=patient, day__range=(start, end)).values_list(
            "day", "hours"
        )
    )
    programmes, braces = prescriptions or prescriptions_of(patient)

    def target(day: dt.date) -> float | None:
        for brace in reversed(braces):
            if brace.valid_from <= day and (brace.valid_to is None or day < brace.valid_to):
                value = brace.target_on(day)
                return None if value is None else float(value)
        return None

    hours = [float(hours_by_day[d]) if d in hours_by_day else None for d in days]
    targets = [target(d) for d in days] if braces else [None] * len(days)

    adherence = adherence_for_patients([patient], start, end, braces=braces, programmes=programmes)[
        patient.pk
    ]
    adherence_table = Table(
        ("Week of", "Exercises", "Sessions done / prescribed", "Brace"),
        [
            (
                _date(w.week),
                pct_down(w.exercise),
                f"{w.sessions_done:.1f} / {w.sessions_prescribed:.1f}",
                pct_down(w.brace),
            )
            for w in adherence.weeks
        ],
        weekly=True,
    )

    scores = []
    for code, series in sorted(assessed.scores.items(), key=lambda kv: kv[1].instrument.name):
        shown = [p for p in series.points if start <= p.day <= end]
        if not shown:
            continue
        improve, worse = _score_lines(series, t)
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
                table=_score_table(series, shown, t),
            )
        )

    events = sorted(
        rehab_timeline(patient, start, end, braces=braces, programmes=programmes)
        + clinical_timeline(patient, start, end, studies=assessed.imaging_studies),
        key=lambda e: (e.day, e.kind),
    )

    diary = _diary_page(patient, in_range, by_entry, diary_page)

    alerts = list(
        WarningSignAlert.objects.filter(patient=patient)
        .select_related("acknowledged_by")
        .order_by("acknowledged_at", "-day")
    )
    # Open alerts first (a null sorts first on SQLite, last on PostgreSQL: do it here).
    alerts.sort(key=lambda a: (a.acknowledged_at is not None, -a.day.toordinal()))

    labels = [d.isoformat() for d in days]
    shown_events = [e for e in events if start <= e.day <= end]
    day_events = [{"x": e.day.isoformat(), "label": e.label} for e in shown_events]
    week_events = [{"x": week_start(e.day).isoformat(), "label": e.label} for e in shown_events]
    chart = {
        "pain": {
            "labels": labels,
            "now": pain_now,
            "worst": pain_worst,
            "mean7": means,
            "baseline": None if pain.baseline is None else round(pain.baseline, 2),
            "improve": improve_line,
            "worse": worse_line,
            "events": day_events,
        },
        "activities": {
            "labels": [w.isoformat() for w in mondays],
            "series": [
                {"label": ACTIVITY_SHORT[a], "data": values}
                for a, values in activity_means.items()
                if any(v is not None for v in values)
            ],
            "events": week_events,
        },
        "brace": {"labels": labels, "hours": hours, "target": targets, "events": day_events},
        "exercise": {
            "labels": [w.week.isoformat() for w in adherence.weeks],
            "exercise": [_pct(w.exercise) for w in adherence.weeks],
            "brace": [_pct(w.brace) for w in adherence.weeks],
            "fair": t.fair_adherence_percent,
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
            for s in scores
        ],
    }

    return PatientTrends(
        patient=patient,
        start=start,
        end=end,
        thresholds=t,
        assessment=assessed,
        days=len(days),
        days_logged=len(in_range),
        weekly_tables=weekly,
        pain_baseline=None if pain.baseline is None else round(pain.baseline, 2),
        improve_line=improve_line,
        worse_line=worse_line,
        pain_table=_pain_table(days, pain_now, pain_worst, means, t, weekly, weeks),
        activity_table=activity_table,
        brace_table=_brace_table(days, hours, targets, weekly, weeks),
        adherence=adherence,
        adherence_table=adherence_table,
        scores=scores,
        events=events,
        diary=diary,
        alerts=alerts,
        chart=chart,
    )


def _diary_page(
    patient: Patient,
    in_range: list[tuple[int, dt.date]],
    activities: dict[int, list[tuple[str, int]]],
    number: int,
) -> DiaryPage:
    """One page of the range's check-ins, newest first, with their versions (two queries; a
    page number past the end shows the last page)."""
    count = len(in_range)
    pages = max(1, -(-count // DIARY_PAGE_SIZE))
    number = min(max(number, 1), pages)
    newest_first = in_range[::-1]
    ids = [pk for pk, _ in newest_first[(number - 1) * DIARY_PAGE_SIZE : number * DIARY_PAGE_SIZE]]
    found = {e.pk: e for e in DiaryEntry.objects.filter(pk__in=ids, patient=patient)}
    versions: dict[int, list[DiaryEntryVersion]] = defaultdict(list)
    for version in (
        DiaryEntryVersion.objects.filter(entry_id__in=ids)
        .select_related("recorded_by")
        .order_by("entry_id", "number")
    ):
        versions[version.entry_id].append(version)
    rows = [
        DiaryRow(
            found[pk],
            "; ".join(f"{_ACTIVITY_LABEL[a]} {v}/10" for a, v in activities.get(pk, [])),
            version_views(versions.get(pk, [])),
        )
        for pk in ids
        if pk in found
    ]
    return DiaryPage(rows=rows, number=number, pages=pages, count=count)
