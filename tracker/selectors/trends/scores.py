"""Questionnaire scores on the trends page: each instrument's chart with its important-change
lines and table, judged by the clinic's thresholds as the verdict judges them."""

import datetime as dt
from dataclasses import dataclass

from tracker.rules.assessment import improvement_threshold
from tracker.rules.outcomes.scoring import Change
from tracker.rules.thresholds import Thresholds
from tracker.selectors.assessment import PatientAssessment
from tracker.selectors.outcomes import ScorePoint, ScoreSeries
from tracker.selectors.trends.tables import Table, date_text
from tracker.templatetags.dashboard import signed

_EPS = 1e-9


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


def score_lines(series: ScoreSeries, t: Thresholds) -> tuple[float | None, float | None]:
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


def score_table(series: ScoreSeries, shown: list[ScorePoint], t: Thresholds) -> Table:
    rows = [
        (
            date_text(p.day),
            f"{p.score:.1f}" + (f" ({p.band})" if p.band else ""),
            _score_change(p, series, t),
        )
        for p in shown
    ]
    return Table(("Day", "Score", "Change"), rows)


def score_charts(assessed: PatientAssessment, start: dt.date, end: dt.date) -> list[ScoreChart]:
    """A chart for each instrument scored in [start, end], by instrument name."""
    t = assessed.thresholds
    scores = []
    for code, series in sorted(assessed.scores.items(), key=lambda kv: kv[1].instrument.name):
        shown = [p for p in series.points if start <= p.day <= end]
        if not shown:
            continue
        improve, worse = score_lines(series, t)
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
                table=score_table(series, shown, t),
            )
        )
    return scores
