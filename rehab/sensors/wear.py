"""Worn or not per sample, and hours worn per local day (pure: samples in, days out).

A sample stands for the time until the next one. When the next one comes more than
`GAP_FACTOR` intervals later, the sample stands for one interval only and the rest is a gap:
missing, never "not worn". A local day (in the patient's zone, so 23 or 25 hours long when the
clocks change) is counted only if samples cover all of it; the partial first and last days and
days with a gap are reported as partial and not stored. docs/brace-sensors.md.

Worn or not: a temperature threshold with hysteresis. A sample at or above `worn_celsius` is
worn; once worn, the brace counts as worn until a sample falls below `worn_celsius - band`, so a
reading that wobbles by the logger's resolution around the threshold does not flip it. After a
gap the state starts afresh from the plain threshold.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from rehab.sensors.formats import Sample

# A step up to 1.5 intervals is clock jitter; longer is a gap (the logger stopped or was read).
GAP_FACTOR = 1.5
HOUR = Decimal("0.01")


@dataclass(frozen=True)
class DayWear:
    day: dt.date
    hours: Decimal  # worn, to 0.01 h
    length_hours: int  # 24, or 23 / 25 on the days the clocks change


@dataclass(frozen=True)
class Wear:
    days: list[DayWear]  # the fully covered days, in order
    partial_days: list[dt.date]  # touched by the file but not covered in full: not stored


def worn_flags(celsius: list[float], *, worn_celsius: float, band: float) -> list[bool]:
    """Worn or not for each of a run of consecutive samples (threshold with hysteresis)."""
    flags, worn = [], False
    for value in celsius:
        worn = value >= worn_celsius or (worn and value >= worn_celsius - band)
        flags.append(worn)
    return flags


def _spans(
    samples: list[Sample], interval: dt.timedelta, *, worn_celsius: float, band: float
) -> list[tuple[dt.datetime, dt.datetime, bool]]:
    """(start, end, worn) for each sample: the time it stands for."""
    longest = interval * GAP_FACTOR
    runs: list[list[int]] = [[]]
    for i, sample in enumerate(samples):
        if runs[-1] and sample.at - samples[i - 1].at > longest:
            runs.append([])
        runs[-1].append(i)
    spans = []
    for run in runs:
        flags = worn_flags([samples[i].celsius for i in run], worn_celsius=worn_celsius, band=band)
        for position, (i, worn) in enumerate(zip(run, flags, strict=True)):
            start = samples[i].at
            last = position == len(run) - 1
            end = start + interval if last else samples[i + 1].at
            spans.append((start, end, worn))
    return spans


def _day_bounds(first: dt.date, last: dt.date, zone: ZoneInfo) -> list[dt.datetime]:
    """The UTC instants of each local midnight from `first` to the day after `last`."""
    bounds, day = [], first
    while day <= last + dt.timedelta(days=1):
        bounds.append(dt.datetime.combine(day, dt.time(0), tzinfo=zone).astimezone(dt.UTC))
        day += dt.timedelta(days=1)
    return bounds


def hours_per_day(
    samples: list[Sample],
    interval: dt.timedelta,
    *,
    zone: ZoneInfo,
    worn_celsius: float,
    band: float,
) -> Wear:
    """Hours worn on each local day the samples cover in full, and the days they only touch."""
    if not samples:
        return Wear(days=[], partial_days=[])
    spans = _spans(samples, interval, worn_celsius=worn_celsius, band=band)
    first = spans[0][0].astimezone(zone).date()
    last = (spans[-1][1] - dt.timedelta(microseconds=1)).astimezone(zone).date()
    bounds = _day_bounds(first, last, zone)
    covered = [0.0] * (len(bounds) - 1)
    worn = [0.0] * (len(bounds) - 1)
    day_index = 0
    for start, end, is_worn in spans:
        while bounds[day_index + 1] <= start:
            day_index += 1
        index, at = day_index, start
        while at < end:
            piece_end = min(end, bounds[index + 1])
            seconds = (piece_end - at).total_seconds()
            covered[index] += seconds
            if is_worn:
                worn[index] += seconds
            at = piece_end
            index += 1
    days, partial = [], []
    for index in range(len(bounds) - 1):
        day = first + dt.timedelta(days=index)
        length = (bounds[index + 1] - bounds[index]).total_seconds()
        if covered[index] >= length - 0.5:  # float sums of whole seconds
            hours = Decimal(str(worn[index] / 3600)).quantize(HOUR, rounding=ROUND_HALF_UP)
            days.append(DayWear(day=day, hours=hours, length_hours=round(length / 3600)))
        elif covered[index] > 0:
            partial.append(day)
    return Wear(days=days, partial_days=partial)
