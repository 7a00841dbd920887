"""Scoring rules for outcome questionnaires: plain functions over plain values.

The wording of an instrument is data (tracker/instruments/*.json); how it is scored is code, here.
Thresholds are parameters: each instrument's definition file names its own minimal clinically
important change (MCID) with its source, so the dashboard's verdict can share them later.
Sources (../shared/clinical.md): PSFS Stratford 1995 / Horn 2012; ODI Fairbank & Pynsent 2000,
Spine 25:2940; MCIDs for ODI and pain Ostelo 2008, Spine 33:90.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# Floating-point slack when a change is compared with a threshold, so that a change of exactly
# the threshold (e.g. 44.0 -> 34.0, or 30% of 6.6) counts as meeting it.
EPSILON = 1e-9

RULE_MEAN = "mean"
RULE_PERCENT_OF_MAX = "percent_of_max"
RULE_SINGLE_ITEM = "single_item"
RULES = (RULE_MEAN, RULE_PERCENT_OF_MAX, RULE_SINGLE_ITEM)

HIGHER = "higher"
LOWER = "lower"


class NotScorable(ValueError):
    """The answers cannot be scored under the instrument's rule (too many skipped, etc.)."""


@dataclass(frozen=True)
class Score:
    value: float
    answered: int
    skipped: int
    band: str = ""
    detail: Mapping[str, float | int | None] = field(default_factory=dict)


def _answered(values: Sequence[int | None]) -> list[int]:
    return [v for v in values if v is not None]


def score_mean(values: Sequence[int | None], *, min_items: int, max_items: int) -> Score:
    """PSFS: the mean of the activities' ratings; every named activity must be rated."""
    given = _answered(values)
    if len(given) != len(values):
        raise NotScorable("Every activity needs a rating.")
    if not min_items <= len(given) <= max_items:
        raise NotScorable(f"Needs {min_items} to {max_items} rated activities, got {len(given)}.")
    return Score(value=sum(given) / len(given), answered=len(given), skipped=0)


def score_percent_of_max(values: Sequence[int | None], *, item_max: int, max_skipped: int) -> Score:
    """ODI: sum / (item_max x sections answered) x 100, with at most `max_skipped` skipped."""
    given = _answered(values)
    skipped = len(values) - len(given)
    if skipped > max_skipped:
        raise NotScorable(
            f"{skipped} sections were skipped; the score needs at most {max_skipped} skipped."
        )
    if not given:
        raise NotScorable("No section was answered.")
    return Score(
        value=sum(given) / (item_max * len(given)) * 100, answered=len(given), skipped=skipped
    )


def score_single_item(answers: Mapping[str, int | None], *, item: str) -> Score:
    """GROC and the weekly pain summary: the score is one named item; the others ride along."""
    value = answers.get(item)
    if value is None:
        raise NotScorable(f"The {item!r} question needs an answer.")
    others = {key: v for key, v in answers.items() if key != item}
    return Score(
        value=float(value),
        answered=sum(v is not None for v in answers.values()),
        skipped=sum(v is None for v in answers.values()),
        detail=others,
    )


def band_for(value: float, bands: Sequence[tuple[float, str]]) -> str:
    """The label of the first band whose upper bound is >= value (bands sorted by bound).

    Published ODI bands are integer ranges (0-20, 21-40, ...), but a score with a skipped section
    need not be whole (9/45 x 100 = 20.0, 10/45 x 100 = 22.2). We read each band as "up to and
    including its upper bound", so anything above 20 (20.5, 20.01) is already in 21-40. This never
    understates disability and needs no rounding rule.
    """
    for upper, label in bands:
        if value <= upper + EPSILON:
            return label
    return bands[-1][1] if bands else ""


@dataclass(frozen=True)
class Change:
    baseline: float
    current: float
    delta: float  # current - baseline, in the score's own units
    improvement: float  # positive when better, whatever the instrument's direction
    percent: float | None  # improvement as a % of baseline; None when baseline is 0
    important: bool  # meets the important-change threshold, either way
    improved: bool  # important and better
    worsened: bool  # important and worse

    @property
    def percent_size(self) -> float | None:
        return None if self.percent is None else abs(self.percent)

    @property
    def label(self) -> str:
        if self.improved:
            return "Important improvement"
        if self.worsened:
            return "Important worsening"
        return "No important change"


def change_from_baseline(
    *,
    baseline: float,
    current: float,
    better: str,
    mcid_points: float,
    mcid_percent: float | None = None,
) -> Change:
    """Change from the patient's own baseline, flagged at the important-change threshold.

    The change is important when it reaches `mcid_points` in the score's units, or (when given)
    `mcid_percent` of the baseline; "or" as in Ostelo 2008 for ODI and pain.
    """
    if better not in (HIGHER, LOWER):
        raise ValueError(f"better must be {HIGHER!r} or {LOWER!r}")
    delta = current - baseline
    improvement = delta if better == HIGHER else -delta
    percent = None if math.isclose(baseline, 0) else improvement / abs(baseline) * 100
    important = abs(improvement) + EPSILON >= mcid_points or (
        mcid_percent is not None and percent is not None and abs(percent) + EPSILON >= mcid_percent
    )
    important = important and not math.isclose(improvement, 0, abs_tol=EPSILON)
    return Change(
        baseline=baseline,
        current=current,
        delta=delta,
        improvement=improvement,
        percent=percent,
        important=important,
        improved=important and improvement > 0,
        worsened=important and improvement < 0,
    )


def rating_change(*, rating: float, at_least: float) -> Change:
    """A global rating of change is itself a change since treatment began (-3 .. +3).

    Important when the rating reaches `at_least` ("much better", +2) or its mirror ("much worse").
    """
    important = abs(rating) + EPSILON >= at_least
    return Change(
        baseline=0.0,
        current=rating,
        delta=rating,
        improvement=rating,
        percent=None,
        important=important,
        improved=important and rating > 0,
        worsened=important and rating < 0,
    )


def score_answers(definition: Mapping, answers: Mapping[str, int | None]) -> Score:
    """Score a response's answers under its instrument's definition (validated, plain dict)."""
    scoring = definition["scoring"]
    rule = scoring["rule"]
    if rule == RULE_MEAN:
        score = score_mean(
            list(answers.values()), min_items=scoring["min_items"], max_items=scoring["max_items"]
        )
    elif rule == RULE_PERCENT_OF_MAX:
        values = [answers.get(item["key"]) for item in definition["items"]]
        score = score_percent_of_max(
            values, item_max=scoring["item_max"], max_skipped=scoring["max_skipped"]
        )
    elif rule == RULE_SINGLE_ITEM:
        ordered = {item["key"]: answers.get(item["key"]) for item in definition["items"]}
        score = score_single_item(ordered, item=scoring["item"])
    else:
        raise ValueError(f"unknown scoring rule {rule!r}")
    bands = [(band["up_to"], band["label"]) for band in definition.get("bands", [])]
    if bands:
        score = Score(
            value=score.value,
            answered=score.answered,
            skipped=score.skipped,
            band=band_for(score.value, bands),
            detail=score.detail,
        )
    return score


def change_for(definition: Mapping, *, baseline: float | None, current: float) -> Change | None:
    """Change under the instrument's own MCID: a rating rule, or change from baseline."""
    mcid = definition["mcid"]
    if "rating_at_least" in mcid:
        return rating_change(rating=current, at_least=mcid["rating_at_least"])
    if baseline is None:
        return None
    return change_from_baseline(
        baseline=baseline,
        current=current,
        better=definition["better"],
        mcid_points=mcid["points"],
        mcid_percent=mcid.get("percent"),
    )
