"""Each outcome measure against the patient's own baseline: pain, PSFS and ODI, with the sentence
the clinician reads (docs/assessment.md, "Important change")."""

import datetime as dt
from dataclasses import dataclass

from tracker.rules.assessment.inputs import EPS, AssessmentInput, fmt, mean_in
from tracker.rules.thresholds import DEFAULTS, Thresholds


@dataclass(frozen=True)
class MeasureChange:
    """One outcome measure against the patient's own baseline."""

    name: str
    baseline: float | None
    latest: float | None
    improvement: float | None  # positive is better, whichever way the scale runs
    improved: bool
    worsened: bool
    sentence: str
    # Set when there are scores but fewer than the rules need to compare (docs/assessment.md,
    # "Not enough data"): the shortfall in a few words, "1 check-in in the last 7 days; 4 needed".
    shortfall: str = ""

    @property
    def compared(self) -> bool:
        return self.improvement is not None

    @property
    def thin(self) -> bool:
        """Scores exist, but too few for the rules to judge this measure."""
        return bool(self.shortfall)


def improvement_threshold(baseline: float, points: float, percent: float) -> float:
    """The smallest improvement that is important: `points`, or `percent` of the baseline."""
    # Ostelo 2008 gives "2 points or 30% of baseline": either is an important improvement, so
    # the smaller bar applies. 30% lets a patient with a low baseline count (4 -> 2.8 is 30%).
    if baseline <= 0:
        return points
    return min(points, baseline * percent / 100)


def _change_sentence(
    label: str,
    baseline: float,
    latest: float,
    improvement: float,
    better_bar: float,
    worse_bar: float,
    higher_is_better: bool,
    bar_text: str,
    worse_text: str,
) -> str:
    rise = latest - baseline
    direction = "up" if rise > 0 else "down" if rise < 0 else "unchanged"
    head = f"{label} {fmt(latest)} vs baseline {fmt(baseline)}: {direction}"
    if direction != "unchanged":
        head += f" {fmt(abs(rise))}"
        if not higher_is_better and baseline > 0:
            head += f" ({abs(rise) / baseline * 100:.0f}%)"
    if improvement >= better_bar - EPS and improvement > 0:
        return f"{head}, past the {bar_text} important improvement"
    if -improvement >= worse_bar - EPS:
        return f"{head}, past the {worse_text} important worsening"
    if improvement > 0:
        return f"{head}, short of the {bar_text} important improvement"
    if improvement < 0:
        return f"{head}, short of the {worse_text} important worsening"
    return head


def _few(n: int, window: str, needed: int) -> str:
    return f"{n} check-in{'s' if n != 1 else ''} in {window}; {needed} needed"


def pain_change(data: AssessmentInput, t: Thresholds = DEFAULTS) -> MeasureChange:
    """Mean pain now over the recent window against the baseline window (first days logged)."""
    label = f"{t.recent_days}-day mean pain"
    if not data.pain:
        return MeasureChange(label, None, None, None, False, False, "No pain scores logged yet.")
    first_day = min(d.day for d in data.pain)
    baseline_end = first_day + dt.timedelta(days=t.baseline_days - 1)
    recent_start = data.today - dt.timedelta(days=t.recent_days - 1)
    baseline, n_base = mean_in(data.pain, first_day, baseline_end, "now")
    recent, n_recent = mean_in(data.pain, recent_start, data.today, "now")
    missing = shortfall = None
    if recent_start <= baseline_end:
        # Overlapping windows would compare the baseline partly with itself.
        ready = baseline_end + dt.timedelta(days=t.recent_days)
        missing = (
            f"Pain: the baseline is the first {t.baseline_days} days of logging (from "
            f"{first_day.isoformat()}); change can be judged from {ready.isoformat()}."
        )
        shortfall = f"baseline still being set, judged from {ready.isoformat()}"
    elif n_base < t.min_window_entries:
        missing = (
            f"Pain: only {n_base} check-in{'s' if n_base != 1 else ''} in the "
            f"{t.baseline_days}-day baseline; {t.min_window_entries} are needed for a baseline."
        )
        shortfall = _few(n_base, f"the {t.baseline_days}-day baseline", t.min_window_entries)
    elif n_recent < t.min_window_entries:
        missing = (
            f"Pain: only {n_recent} check-in{'s' if n_recent != 1 else ''} in the last "
            f"{t.recent_days} days; {t.min_window_entries} are needed to compare with baseline."
        )
        shortfall = _few(n_recent, f"the last {t.recent_days} days", t.min_window_entries)
    if missing:
        return MeasureChange(label, baseline, recent, None, False, False, missing, shortfall)
    improvement = baseline - recent
    better_bar = improvement_threshold(baseline, t.pain_important_points, t.pain_important_percent)
    bar_text = f"{t.pain_important_points:g}-point or {t.pain_important_percent:g}%"
    if better_bar < t.pain_important_points:
        bar_text += f" (here {fmt(better_bar)})"
    sentence = _change_sentence(
        label,
        baseline,
        recent,
        improvement,
        better_bar,
        t.pain_important_points,
        higher_is_better=False,
        bar_text=bar_text,
        worse_text=f"{t.pain_important_points:g}-point",
    )
    return MeasureChange(
        label,
        baseline,
        recent,
        improvement,
        improvement >= better_bar - EPS and improvement > 0,
        -improvement >= t.pain_important_points - EPS,
        sentence + ".",
    )


def psfs_change(data: AssessmentInput, t: Thresholds = DEFAULTS) -> MeasureChange:
    label = "PSFS mean"
    if data.psfs_baseline is None:
        return MeasureChange(label, None, None, None, False, False, "PSFS not recorded.")
    if data.psfs_latest is None:
        return MeasureChange(
            label, data.psfs_baseline, None, None, False, False, "PSFS: no follow-up score yet."
        )
    improvement = data.psfs_latest - data.psfs_baseline
    bar = t.psfs_important_points
    sentence = _change_sentence(
        label,
        data.psfs_baseline,
        data.psfs_latest,
        improvement,
        bar,
        bar,
        higher_is_better=True,
        bar_text=f"{bar:g}-point",
        worse_text=f"{bar:g}-point",
    )
    return MeasureChange(
        label,
        data.psfs_baseline,
        data.psfs_latest,
        improvement,
        improvement >= bar - EPS,
        -improvement >= bar - EPS,
        sentence + ".",
    )


def odi_change(data: AssessmentInput, t: Thresholds = DEFAULTS) -> MeasureChange:
    label = "ODI"
    if data.odi_baseline is None:
        return MeasureChange(label, None, None, None, False, False, "ODI not recorded.")
    if data.odi_latest is None:
        return MeasureChange(
            label, data.odi_baseline, None, None, False, False, "ODI: no follow-up score yet."
        )
    improvement = data.odi_baseline - data.odi_latest
    better_bar = improvement_threshold(
        data.odi_baseline, t.odi_important_points, t.odi_important_percent
    )
    bar_text = f"{t.odi_important_points:g}-point or {t.odi_important_percent:g}%"
    if better_bar < t.odi_important_points:
        bar_text += f" (here {fmt(better_bar)})"
    sentence = _change_sentence(
        label,
        data.odi_baseline,
        data.odi_latest,
        improvement,
        better_bar,
        t.odi_important_points,
        higher_is_better=False,
        bar_text=bar_text,
        worse_text=f"{t.odi_important_points:g}-point",
    )
    return MeasureChange(
        label,
        data.odi_baseline,
        data.odi_latest,
        improvement,
        improvement >= better_bar - EPS and improvement > 0,
        -improvement >= t.odi_important_points - EPS,
        sentence + ".",
    )
