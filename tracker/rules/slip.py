"""Meyerding grading and slip progression across a patient's imaging (../shared/clinical.md)."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from tracker.rules.thresholds import DEFAULTS, Thresholds

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V"}

# Upper bounds are inclusive ("I 0-25%, II 26-50%, ..."), so 50% is grade II and only a slip
# "over 50%" is grade III, as in the referral criterion of Global Spine J 2018.
_GRADE_UPPER_BOUNDS = ((1, 25), (2, 50), (3, 75), (4, 100))


def meyerding_grade(percent: float | Decimal | None) -> int | None:
    """The Meyerding grade of a slip percentage; None for no slip (0%) or no measurement."""
    if percent is None or percent <= 0:
        return None
    for grade, upper in _GRADE_UPPER_BOUNDS:
        if percent <= upper:
            return grade
    return 5


@dataclass(frozen=True)
class SlipMeasurement:
    day: dt.date
    percent: float | None = None
    grade: int | None = None  # as entered; derived from percent when not given
    modality: str = ""  # "X-ray", "CT", "MRI": named in the reasons

    @property
    def effective_grade(self) -> int | None:
        return self.grade if self.grade is not None else meyerding_grade(self.percent)

    def describe(self) -> str:
        parts = [f"{self.modality} " if self.modality else "", self.day.isoformat()]
        reading = []
        if self.percent is not None:
            reading.append(f"slip {float(self.percent):g}%")
        if self.effective_grade is not None:
            reading.append(f"grade {ROMAN[self.effective_grade]}")
        elif self.percent is not None:
            reading.append("no slip")
        return "".join(parts) + (f": {', '.join(reading)}" if reading else "")


@dataclass(frozen=True)
class StudyFlags:
    """What to flag on one imaging study, compared with the patient's first measured study."""

    grown: bool
    high_grade: bool
    change_points: float | None  # slip % now minus at the first study, when both measured


@dataclass(frozen=True)
class SlipFinding:
    progressed: bool
    high_grade: bool
    sentences: tuple[str, ...]
    change_points: float | None = None

    @property
    def fired(self) -> bool:
        return self.progressed or self.high_grade


def _measured(series: Sequence[SlipMeasurement]) -> list[SlipMeasurement]:
    return sorted(
        (m for m in series if m.percent is not None or m.grade is not None), key=lambda m: m.day
    )


def _grown(first: SlipMeasurement, later: SlipMeasurement, t: Thresholds) -> bool:
    # With both percentages, only a rise beyond measurement error counts: 24% -> 26% crosses a
    # grade line but is noise. Without them, a higher grade is all we can compare.
    if first.percent is not None and later.percent is not None:
        return float(later.percent) - float(first.percent) >= t.slip_progression_points - 1e-9
    first_grade, later_grade = first.effective_grade or 0, later.effective_grade or 0
    return later_grade > first_grade


def study_flags(
    series: Sequence[SlipMeasurement], thresholds: Thresholds = DEFAULTS
) -> list[StudyFlags]:
    """Flags for each study, in the order given."""
    measured = _measured(series)
    first = measured[0] if measured else None
    flags = []
    for study in series:
        comparable = first is not None and study is not first and study.day > first.day
        change = None
        if comparable and study.percent is not None and first.percent is not None:
            change = float(study.percent) - float(first.percent)
        flags.append(
            StudyFlags(
                grown=comparable and _grown(first, study, thresholds),
                high_grade=(study.effective_grade or 0) >= thresholds.referral_slip_grade,
                change_points=change,
            )
        )
    return flags


def assess_slip(
    series: Sequence[SlipMeasurement], thresholds: Thresholds = DEFAULTS
) -> SlipFinding:
    """Has the slip progressed from the first imaging to the latest, or is it high grade?"""
    t = thresholds
    measured = _measured(series)
    if not measured:
        return SlipFinding(False, False, ("no imaging with a slip measurement",))
    sentences = []
    highest = max(measured, key=lambda m: (m.effective_grade or 0, m.day))
    high_grade = (highest.effective_grade or 0) >= t.referral_slip_grade
    if high_grade:
        # The highest reading counts, not the latest: a later supine CT/MRI often reads lower
        # than a standing X-ray without the slip having reduced.
        sentences.append(
            f"high-grade slip ({highest.describe()}; grade {ROMAN[t.referral_slip_grade]} "
            f"or above is a reason to refer)"
        )
    else:
        sentences.append(
            f"no high-grade slip (highest {highest.describe()}; under grade "
            f"{ROMAN[t.referral_slip_grade]})"
        )
    first, latest = measured[0], measured[-1]
    change = None
    if latest.day <= first.day:
        sentences.append("one imaging study, so no progression can be judged")
        return SlipFinding(False, high_grade, tuple(sentences))
    progressed = _grown(first, latest, t)
    if first.percent is not None and latest.percent is not None:
        change = float(latest.percent) - float(first.percent)
        verdict = "progression" if progressed else "no progression"
        rule = f"{t.slip_progression_points:g} points or more counts"
        comparison = (
            f"{verdict}: {first.describe()} to {latest.describe()} ({change:+g} points; {rule})"
        )
    else:
        verdict = "progression" if progressed else "no progression"
        comparison = f"{verdict}: {first.describe()} to {latest.describe()} (by grade)"
    if first.modality and latest.modality and first.modality != latest.modality:
        comparison += (
            "; the modalities differ, and supine CT/MRI can read lower than standing X-ray"
        )
    sentences.append(comparison)
    return SlipFinding(progressed, high_grade, tuple(sentences), change)
