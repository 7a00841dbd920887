"""What the assessment reads: one patient's data as plain values, and the helpers that read it."""

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean

from django.db.models import TextChoices

from tracker.rules.slip import SlipMeasurement

# Means of whole-number scores land exactly on thresholds ("down 2.0"); floating point must not
# turn "exactly 2 points" into 1.9999999.
EPS = 1e-9


@dataclass(frozen=True)
class PainDay:
    day: dt.date
    now: float  # pain now, 0-10
    worst: float | None = None  # worst pain in the last 24 h, 0-10


@dataclass(frozen=True)
class RadicularDay:
    """What the patient reported that day about symptoms in the leg."""

    day: dt.date
    leg_weakness: bool = False
    numbness: bool = False  # numbness or tingling in the leg
    pain_below_knee: bool = False


@dataclass(frozen=True)
class WarningSign:
    """A red flag the patient reported that no clinician has acknowledged yet."""

    day: dt.date
    label: str


@dataclass(frozen=True)
class AssessmentInput:
    today: dt.date
    care_started: dt.date
    pain: Sequence[PainDay] = ()
    checkins: int | None = None  # None: count the days in `pain`
    logging_started: dt.date | None = None  # None: the first day in `pain`
    # Fraction (0-1) of what was prescribed, over the adherence window; None: not prescribed.
    brace_adherence: float | None = None
    # Of the brace's due days in the window, those whose hours a sensor measured (issue 17) and
    # those with reported hours only: `brace_adherence` used the measured hours where measured.
    brace_measured_days: int = 0
    brace_reported_days: int = 0
    exercise_adherence: float | None = None
    psfs_baseline: float | None = None  # mean of the activities, 0 (unable) - 10 (as before)
    psfs_latest: float | None = None
    odi_baseline: float | None = None  # 0-100, higher is worse
    odi_latest: float | None = None
    warning_signs: Sequence[WarningSign] = ()
    imaging: Sequence[SlipMeasurement] = ()
    radicular: Sequence[RadicularDay] = ()


class BraceSource(TextChoices):
    """Where the brace adherence figure's hours came from (docs/assessment.md)."""

    REPORTED = "reported", "reported by the patient"
    MEASURED = "measured", "measured by sensor"
    MIXED = "mixed", "partly measured by sensor"


def brace_source(measured_days: int, reported_days: int) -> BraceSource:
    """Measured when every due day with hours was measured, mixed when some days' hours were
    measured and others only reported (days with neither count 0 hours either way)."""
    if measured_days <= 0:
        return BraceSource.REPORTED
    return BraceSource.MIXED if reported_days > 0 else BraceSource.MEASURED


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def brace_source_text(measured_days: int, reported_days: int) -> str:
    """What follows the brace figure in a reason: nothing for reported hours (as before the
    sensors), "(measured by sensor)" when every day with hours was measured, and both counts
    when not: "(measured by sensor on 20 days, reported on 8)"."""
    source = brace_source(measured_days, reported_days)
    if source == BraceSource.MEASURED:
        return " (measured by sensor)"
    if source == BraceSource.MIXED:
        return f" (measured by sensor on {_days(measured_days)}, reported on {reported_days})"
    return ""


def fmt(value: float) -> str:
    return f"{value:.1f}"


def pct(fraction: float) -> str:
    # Rounded down: 69.8% shown as "70%" beside "below 70%" would contradict itself.
    return f"{math.floor(fraction * 100 + EPS):.0f}%"


def weeks_text(days: int) -> str:
    weeks, rest = divmod(max(days, 0), 7)
    text = f"{weeks} week{'s' if weeks != 1 else ''}"
    return text + (f" {rest} day{'s' if rest != 1 else ''}" if rest else "")


def mean_in(
    days: Sequence[PainDay], start: dt.date, end: dt.date, attr: str
) -> tuple[float | None, int]:
    values = [getattr(d, attr) for d in days if start <= d.day <= end]
    values = [v for v in values if v is not None]
    return (fmean(values) if values else None), len(values)
