"""How a measure and a category read beside the numbers: the trend arrow and the thin-data caveat
(docs/assessment.md, "Arrows" and "Not enough data").

Both follow the verdict's own reading, so an arrow or a badge never says more than the
assessment does: the arrow points only at an important change (the clinic's
`pain_important_points` / `pain_important_percent`, as `pain_change` judges it), and a measure
with fewer check-ins than the rules need (`min_window_entries`) gets no arrow at all.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from tracker.rules.assessment.measures import MeasureChange

NOT_ENOUGH_DATA = "not enough data"

# The categories a measure's change decides: a thin measure beside one of these is worth saying.
MEASURE_DECIDED = ("worsening", "improving", "plateau")


@dataclass(frozen=True)
class Trend:
    arrow: str  # "↓", "↑", "→" or ""
    label: str  # the same for screen readers and the title
    css: str  # "better" | "worse" | "same" | "none"


def pain_trend(
    base: float | None,
    now: float | None,
    *,
    improved: bool,
    worsened: bool,
    shortfall: str = "",
) -> Trend:
    """The arrow beside the 7-day mean, from the verdict's reading of pain (`MeasureChange`):
    down only at an important improvement, up only at an important worsening."""
    if shortfall:
        return Trend("", f"{NOT_ENOUGH_DATA} to compare: {shortfall}", "none")
    if base is None or now is None:
        return Trend("", "not enough check-ins to compare", "none")
    if improved:
        return Trend("↓", f"better: down {base - now:.1f} from baseline, important", "better")
    if worsened:
        return Trend("↑", f"worse: up {now - base:.1f} from baseline, important", "worse")
    change = now - base
    moved = "" if abs(change) < 0.05 else f" ({'up' if change > 0 else 'down'} {abs(change):.1f})"
    return Trend("→", f"no important change from baseline{moved}", "same")


def measure_trend(change: MeasureChange) -> Trend:
    """`pain_trend` for a live measure."""
    return pain_trend(
        change.baseline,
        change.latest,
        improved=change.improved,
        worsened=change.worsened,
        shortfall=change.shortfall,
    )


def thin_measures(category: str, measures: Sequence[MeasureChange]) -> list[MeasureChange]:
    """The measures too thin to judge beside a category that measures decided (improving on
    PSFS while pain has 1 check-in this week): the badge and its "Why" must say so."""
    if category not in MEASURE_DECIDED:
        return []
    return [m for m in measures if m.thin]


def short_name(change: MeasureChange) -> str:
    """ "pain" for "7-day mean pain", else the measure's own name."""
    return "pain" if change.name.endswith("pain") else change.name


def badge_caveat(names: Sequence[str]) -> str:
    """The words beside the badge: "pain: not enough data"."""
    return f"{', '.join(names)}: {NOT_ENOUGH_DATA}" if names else ""


def caveat_sentence(thin: Sequence[MeasureChange]) -> str:
    """The sentence added to the deciding reason."""
    return " ".join(
        f"Not judged on {short_name(m)}: {NOT_ENOUGH_DATA} ({m.shortfall})." for m in thin
    )
