"""Everything charts.js draws on the trends page (json_script): daily points for the whole range,
weekly points for activities and adherence, and the events marked on each chart."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from rehab.adherence import AdherenceSummary, week_start
from tracker.models import Activity
from tracker.rules.assessment import improvement_threshold
from tracker.rules.thresholds import Thresholds
from tracker.selectors.trends.days import Daily
from tracker.selectors.trends.scores import ScoreChart
from tracker.selectors.trends.tables import ACTIVITY_SHORT
from tracker.utils.timeline import TimelineEvent


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


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def chart_data(
    daily: Daily,
    lines: PainLines,
    mondays: list[dt.date],
    activity_means: dict[Activity, list[float | None]],
    adherence: AdherenceSummary,
    scores: list[ScoreChart],
    events: list[TimelineEvent],
    t: Thresholds,
) -> dict[str, Any]:
    labels = [d.isoformat() for d in daily.days]
    shown_events = [e for e in events if daily.start <= e.day <= daily.end]
    day_events = [{"x": e.day.isoformat(), "label": e.label} for e in shown_events]
    week_events = [{"x": week_start(e.day).isoformat(), "label": e.label} for e in shown_events]
    return {
        "pain": {
            "labels": labels,
            "now": daily.pain_now,
            "worst": daily.pain_worst,
            "mean7": daily.mean7,
            "baseline": lines.baseline,
            "improve": lines.improve,
            "worse": lines.worse,
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
        "brace": {
            "labels": labels,
            "hours": daily.hours,
            "target": daily.targets,
            # A second dataset when a sensor measured any day of the range (issue 17), else null.
            "measured": daily.measured if any(m is not None for m in daily.measured) else None,
            "events": day_events,
        },
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
