"""Everything charts.js draws on the trends page (json_script): daily points for the whole range,
weekly points for activities and adherence, and the events marked on each chart.

Each chart is one generic shape (docs/dashboard.md, "Chart data"): the x values (`labels`, ISO
dates on a time axis from `start` to `end`), the y axis, the series by name, and `datasets`, the
list of what to draw: each names its series (`key`, a list of values or one value for a flat
line), a `style` and a `colour` charts.js knows. Adding a dataset to a chart is adding a series
and an entry here; charts.js needs no change."""

import datetime as dt
from dataclasses import dataclass
from statistics import fmean
from typing import Any

from rehab.adherence import AdherenceSummary
from tracker.models import Activity
from tracker.rules.assessment import improvement_threshold
from tracker.rules.thresholds import Thresholds
from tracker.selectors.trends.days import Daily
from tracker.selectors.trends.scores import ScoreChart
from tracker.selectors.trends.tables import ACTIVITY_SHORT
from tracker.utils.timeline import TimelineEvent

# The activity chart draws this many lines at first; the others are one tap away.
TOP_ACTIVITIES = 3
# An activity reported on fewer days ranks after those reported on more: one bad day is no pattern.
ACTIVITY_MIN_DAYS = 3
# Distinct colours for the few lines shown first, then quieter ones for the rest.
ACTIVITY_COLOURS = ("blue", "red", "green", "amber", "violet", "teal", "pink", "ink", "olive")


@dataclass(frozen=True)
class PainLines:
    """The pain chart's lines: the baseline and the important improvement and worsening."""

    baseline: float | None
    improve: float | None
    worse: float | None


def pain_lines(baseline: float | None, t: Thresholds) -> PainLines:
    if baseline is None:
        return PainLines(None, None, None)
    bar = improvement_threshold(baseline, t.pain_important_points, t.pain_important_percent)
    return PainLines(
        round(baseline, 2),
        round(max(baseline - bar, 0), 2),
        round(min(baseline + t.pain_important_points, 10), 2),
    )


def top_activities(
    reports: dict[Activity, list[int]], count: int = TOP_ACTIVITIES
) -> list[Activity]:
    """The activities the chart shows first: the highest mean pain over the range, those reported
    on `ACTIVITY_MIN_DAYS` days or more first; ties go to the more often reported, then to the
    check-in's order."""
    order = list(Activity)

    def rank(activity: Activity) -> tuple:
        values = reports[activity]
        return (
            len(values) < ACTIVITY_MIN_DAYS,
            -fmean(values),
            -len(values),
            order.index(activity),
        )

    return sorted((a for a, v in reports.items() if v), key=rank)[:count]


def _set(key: str, label: str, style: str, colour: str, **extra: Any) -> dict[str, Any]:
    return {"key": key, "label": label, "style": style, "colour": colour, **extra}


def _brace(daily: Daily, events: list[dict], axis: dict) -> dict[str, Any]:
    """Hours worn against the target; with a sensor's hours beside the reported ones when it
    measured any day of the range (issue 17), else `measured` is null."""
    measured = daily.measured if any(m is not None for m in daily.measured) else None
    datasets = [_set("hours", "Hours reported" if measured else "Hours worn", "bar", "blue")]
    if measured:
        datasets.append(_set("measured", "Hours measured (sensor)", "bar", "amber"))
    return {
        **axis,
        "y": {"title": "Hours a day", "min": 0, "max": 24},
        "hours": daily.hours,
        "measured": measured,
        "target": daily.targets,
        "events": events,
        "datasets": [*datasets, _set("target", "Target", "step", "red")],
    }


def _pain(daily: Daily, lines: PainLines, events: list[dict], axis: dict) -> dict[str, Any]:
    datasets = [
        _set("now", "Pain now", "line", "blue"),
        _set("worst", "Worst pain", "dotted", "red"),
        _set("mean7", "7-day mean", "mean", "ink"),
    ]
    if lines.baseline is not None:
        datasets += [
            _set("worse", "Important worsening", "guide", "amber"),
            _set("improve", "No important change (band)", "band", "green"),
            _set("baseline", "Baseline", "guide", "grey"),
            _set("improve", "Important improvement", "guide", "green"),
        ]
    return {
        **axis,
        "y": {"title": "Pain (0-10)", "min": 0, "max": 10},
        "now": daily.pain_now,
        "worst": daily.pain_worst,
        "mean7": daily.mean7,
        "baseline": lines.baseline,
        "improve": lines.improve,
        "worse": lines.worse,
        "events": events,
        "datasets": datasets,
    }


def _activities(
    mondays: list[dt.date],
    means: dict[Activity, list[float | None]],
    reports: dict[Activity, list[int]],
    events: list[dict],
    axis: dict,
) -> dict[str, Any]:
    top = top_activities(reports)
    drawn = top + [a for a in Activity if reports.get(a) and a not in top]
    return {
        **axis,
        "unit": "week",
        "labels": [w.isoformat() for w in mondays],
        "y": {"title": "Pain during activity (0-10)", "min": 0, "max": 10},
        **{a.value: means[a] for a in drawn},
        "top": [ACTIVITY_SHORT[a] for a in top],
        "others": len(drawn) - len(top),
        "events": events,
        "datasets": [
            _set(a.value, ACTIVITY_SHORT[a], "line", ACTIVITY_COLOURS[i], hidden=a not in top)
            for i, a in enumerate(drawn)
        ],
    }


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _scores(scores: list[ScoreChart], axis: dict) -> list[dict[str, Any]]:
    charts = []
    for s in scores:
        datasets = [_set("scores", s.name, "score", "blue")]
        if s.important_line is not None:
            datasets += [
                _set("important", "Important improvement", "guide", "green"),
                _set("baseline", "Baseline", "guide", "grey"),
                _set("worse", "Important worsening", "guide", "amber"),
            ]
        charts.append(
            {
                **axis,
                "code": s.code,
                "name": s.name,
                "labels": [p.day.isoformat() for p in s.series.points],
                "y": {"title": s.name, "min": s.score_min, "max": s.score_max},
                "scores": [p.score for p in s.series.points],
                "min": s.score_min,
                "max": s.score_max,
                "baseline": s.baseline.score if s.baseline else None,
                "important": s.important_line,
                "worse": s.worse_line,
                "events": [],
                "datasets": datasets,
            }
        )
    return charts


def chart_data(
    daily: Daily,
    lines: PainLines,
    mondays: list[dt.date],
    activity_means: dict[Activity, list[float | None]],
    activity_reports: dict[Activity, list[int]],
    adherence: AdherenceSummary,
    scores: list[ScoreChart],
    events: list[TimelineEvent],
    t: Thresholds,
) -> dict[str, Any]:
    """Every chart of the page. Events sit on their own day on every chart (a time axis), the
    weekly ones included."""
    labels = [d.isoformat() for d in daily.days]
    axis = {"start": daily.start.isoformat(), "end": daily.end.isoformat(), "unit": "day"}
    marks = [
        {"x": e.day.isoformat(), "label": e.label}
        for e in events
        if daily.start <= e.day <= daily.end
    ]
    weekly = {**axis, "unit": "week", "labels": [w.week.isoformat() for w in adherence.weeks]}
    return {
        "pain": _pain(daily, lines, marks, {**axis, "labels": labels}),
        "activities": _activities(mondays, activity_means, activity_reports, marks, axis),
        "brace": _brace(daily, marks, {**axis, "labels": labels}),
        "exercise": {
            **weekly,
            "y": {"title": "% of prescribed", "min": 0, "max": 100},
            "exercise": [_pct(w.exercise) for w in adherence.weeks],
            "brace": [_pct(w.brace) for w in adherence.weeks],
            "fair": t.fair_adherence_percent,
            "events": marks,
            "datasets": [
                _set("exercise", "Exercises done (%)", "bar", "blue"),
                _set("brace", "Brace worn (%)", "bar", "green"),
                _set("fair", "Fair adherence", "guide", "red"),
            ],
        },
        "scores": _scores(scores, axis),
    }
