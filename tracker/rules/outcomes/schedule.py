"""When questionnaires fall due: plain date arithmetic, no ORM.

A schedule starts on a day (by default the patient's enrolment: the baseline) and repeats every
`interval_weeks`. Each due day is an occasion. An occasion is answered by a response made for it;
it is "due" from its day, "overdue" after OVERDUE_AFTER_DAYS, and "missed" once the next occasion
has come without an answer. Instruments that make no sense at baseline (a global rating of change
asks "since treatment started") skip the first occasion.
"""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

DEFAULT_INTERVAL_WEEKS = 4
MIN_INTERVAL_WEEKS = 1
MAX_INTERVAL_WEEKS = 26
# A questionnaire is still just "due" for a week, then shown as overdue to patient and clinician.
OVERDUE_AFTER_DAYS = 7

DUE = "due"
OVERDUE = "overdue"
DONE = "done"
MISSED = "missed"
UPCOMING = "upcoming"


@dataclass(frozen=True)
class Occasion:
    due_on: dt.date
    status: str  # due | overdue | done | missed | upcoming
    is_baseline: bool

    @property
    def is_open(self) -> bool:
        return self.status in (DUE, OVERDUE)


def occasion_days(
    *, starts_on: dt.date, interval_weeks: int, at_baseline: bool, until: dt.date
) -> list[dt.date]:
    """Every due day from the start up to and including `until`."""
    step = dt.timedelta(weeks=interval_weeks)
    day = starts_on if at_baseline else starts_on + step
    days = []
    while day <= until:
        days.append(day)
        day += step
    return days


def next_day(
    *, starts_on: dt.date, interval_weeks: int, at_baseline: bool, after: dt.date
) -> dt.date:
    """The first due day strictly after `after`."""
    days = occasion_days(
        starts_on=starts_on, interval_weeks=interval_weeks, at_baseline=at_baseline, until=after
    )
    if not days:
        return starts_on if at_baseline else starts_on + dt.timedelta(weeks=interval_weeks)
    return days[-1] + dt.timedelta(weeks=interval_weeks)


def occasions(
    *,
    starts_on: dt.date,
    interval_weeks: int,
    at_baseline: bool,
    today: dt.date,
    answered: Collection[dt.date],
) -> list[Occasion]:
    """The occasions up to today with their status; `answered` holds the due days answered."""
    days = occasion_days(
        starts_on=starts_on, interval_weeks=interval_weeks, at_baseline=at_baseline, until=today
    )
    result = []
    for i, day in enumerate(days):
        if day in answered:
            status = DONE
        elif i < len(days) - 1:
            status = MISSED
        elif (today - day).days > OVERDUE_AFTER_DAYS:
            status = OVERDUE
        else:
            status = DUE
        result.append(Occasion(due_on=day, status=status, is_baseline=at_baseline and i == 0))
    return result


def current_day(
    *, starts_on: dt.date, interval_weeks: int, at_baseline: bool, today: dt.date
) -> dt.date | None:
    """The latest due day on or before today: the occasion a response made today answers."""
    days = occasion_days(
        starts_on=starts_on, interval_weeks=interval_weeks, at_baseline=at_baseline, until=today
    )
    return days[-1] if days else None
