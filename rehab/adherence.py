"""Adherence arithmetic: plain functions over plain values (no ORM), as docs/rehab.md defines it.

Weeks run Monday to Sunday. For one week:

- Sessions prescribed, per exercise: sessions_per_week x (days that exercise was in the programme in
  force, within the week and the period asked for) / 7. So a partial week, or a programme changed
  mid-week, prescribes pro rata: each day counts by the prescription in force on that day.
- Sessions done, per exercise: days on which it was logged "done" while it was in the programme in
  force that day (one session a day at most: the check-in asks once per exercise per day). A day
  with no check-in counts as not done.
- Exercise adherence = sum over exercises of min(done, prescribed) / sum of prescribed. Capping
  each exercise stops extra sessions of one exercise hiding skipped ones. None when nothing was
  prescribed (not applicable, never 0 % or 100 %).
- Brace adherence = mean, over the days a brace was due (a brace prescription in force, before its
  planned end), of min(hours worn / target that day, 1), where the target is the weaning target
  once weaning has started. A due day with no log counts as 0 hours. None when no brace was due.
  Hours worn are those a brace sensor measured where a day has them, else those reported (issue
  17, docs/assessment.md "Measured brace wear").
"""

import datetime as dt
import math
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass


def week_start(day: dt.date) -> dt.date:
    """The Monday of the day's week."""
    return day - dt.timedelta(days=day.weekday())


def weeks_between(first: dt.date, last: dt.date) -> Iterator[tuple[dt.date, dt.date, dt.date]]:
    """(Monday, first day, last day) of each week touching [first, last], clipped to it."""
    monday = week_start(first)
    while monday <= last:
        sunday = monday + dt.timedelta(days=6)
        yield monday, max(monday, first), min(sunday, last)
        monday += dt.timedelta(days=7)


def overlap(
    first: dt.date, last: dt.date | None, start: dt.date, end: dt.date
) -> tuple[dt.date, dt.date] | None:
    """The days [first, last] (last None: open) shares with [start, end], or None."""
    lo = max(first, start)
    hi = end if last is None else min(last, end)
    return (lo, hi) if lo <= hi else None


def days_per_week(first: dt.date, last: dt.date) -> dict[dt.date, int]:
    """How many of the days [first, last] fall in each week, keyed by Monday."""
    return {monday: (hi - lo).days + 1 for monday, lo, hi in weeks_between(first, last)}


def exercise_adherence(
    prescribed: Mapping[Hashable, float], done: Mapping[Hashable, float]
) -> float | None:
    """Sessions done / sessions prescribed, each exercise capped at its prescription."""
    total = sum(prescribed.values())
    if total <= 0:
        return None
    return capped_done(prescribed, done) / total


def capped_done(prescribed: Mapping[Hashable, float], done: Mapping[Hashable, float]) -> float:
    return sum(min(done.get(key, 0), sessions) for key, sessions in prescribed.items())


def brace_adherence(worn_fraction_sum: float, days_due: int) -> float | None:
    """Mean of min(hours / target, 1) over the days a brace was due; None if none was."""
    if days_due <= 0:
        return None
    return min(worn_fraction_sum / days_due, 1.0)


@dataclass(frozen=True)
class WeekAdherence:
    week: dt.date  # the Monday
    first_day: dt.date
    last_day: dt.date
    sessions_prescribed: float
    sessions_done: float  # capped per exercise, as counted in the ratio
    exercise: float | None
    brace_days: int
    brace_worn: float  # sum of the days' worn fractions
    brace: float | None
    # Of `brace_days`, those whose hours a sensor measured (issue 17), and those with reported
    # hours only; the others had neither (0 hours).
    brace_measured_days: int = 0
    brace_reported_days: int = 0

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


@dataclass(frozen=True)
class AdherenceSummary:
    start: dt.date
    end: dt.date
    weeks: list[WeekAdherence]

    @property
    def days(self) -> int:
        """The days of the period asked for (the rolling window's length, for its heading)."""
        return (self.end - self.start).days + 1

    @property
    def sessions_prescribed(self) -> float:
        return sum(w.sessions_prescribed for w in self.weeks)

    @property
    def sessions_done(self) -> float:
        return sum(w.sessions_done for w in self.weeks)

    @property
    def exercise(self) -> float | None:
        total = self.sessions_prescribed
        return self.sessions_done / total if total > 0 else None

    @property
    def brace_days(self) -> int:
        return sum(w.brace_days for w in self.weeks)

    @property
    def brace_measured_days(self) -> int:
        """Due days whose hours a sensor measured; the brace figure used them over the
        patient's reported hours."""
        return sum(w.brace_measured_days for w in self.weeks)

    @property
    def brace_reported_days(self) -> int:
        """Due days with reported hours and no measurement."""
        return sum(w.brace_reported_days for w in self.weeks)

    @property
    def brace(self) -> float | None:
        return brace_adherence(
            sum(w.brace_worn for w in self.weeks), sum(w.brace_days for w in self.weeks)
        )


def as_percent(value: float | None) -> int | None:
    """A share as a whole percent, rounded down: 69.8% must not read as the 70% bar of fair
    adherence (the dashboard's `pct_down` uses it, so every page shows one figure)."""
    return None if value is None else int(value * 100 + 1e-9)


def _half_up(value: float) -> int:
    return math.floor(value + 0.5 + 1e-9)


def whole_sessions(done: float, prescribed: float) -> tuple[int, int]:
    """(done, prescribed) in whole sessions for display, as docs/rehab.md says: sessions are
    prorated for part weeks, but a person does whole sessions. Each is rounded half up, with two
    guards so the pair never contradicts the percentage beside it: "all done" (7 / 7) only when
    every session was done, and any prescription shows at least one session. The percentages are
    worked from the exact values, unchanged."""
    if prescribed <= 0:
        return 0, 0
    shown = max(_half_up(prescribed), 1)
    if done >= prescribed - 1e-9:
        return shown, shown
    return min(_half_up(done), shown - 1), shown
