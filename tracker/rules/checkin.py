"""Rules of the daily diary as plain functions over plain values (no ORM, no request).

Which days a patient may fill in, which days are still open, and how long their streak is.
"""

import datetime as dt
from collections.abc import Collection

# Missed days can be filled in up to this many days back (issue 3); older days are read-only.
EDIT_WINDOW_DAYS = 7

# What a discharged patient is told wherever they would add or change a check-in.
CLOSED_AFTER_DISCHARGE = (
    "Your treatment here has finished, so check-ins are closed. You can still read your diary."
)


def first_open_day(*, today: dt.date, enrolled_on: dt.date) -> dt.date:
    """The oldest day that may still be filled in or changed (the window's first day)."""
    return max(today - dt.timedelta(days=EDIT_WINDOW_DAYS), enrolled_on)


def edit_problem(
    *, day: dt.date, today: dt.date, enrolled_on: dt.date, is_active: bool
) -> str | None:
    """Why this patient cannot fill in or change this day now, in their words; None if they can.

    After discharge check-ins are closed whatever the day; before it, the day window applies."""
    if not is_active:
        return CLOSED_AFTER_DISCHARGE
    return day_problem(day=day, today=today, enrolled_on=enrolled_on)


def day_problem(*, day: dt.date, today: dt.date, enrolled_on: dt.date) -> str | None:
    """Why this day cannot be logged, in words for the patient; None if it can."""
    if day > today:
        return "That day hasn't happened yet. Pick today or an earlier day."
    if day < enrolled_on:
        return f"You can only fill in days from {enrolled_on:%-d %B %Y}, when you joined."
    if day < first_open_day(today=today, enrolled_on=enrolled_on):
        return (
            f"You can only fill in the last {EDIT_WINDOW_DAYS} days. "
            "That day is too long ago, so it can't be changed any more."
        )
    return None


def is_day_open(*, day: dt.date, today: dt.date, enrolled_on: dt.date) -> bool:
    return day_problem(day=day, today=today, enrolled_on=enrolled_on) is None


def window_days(*, today: dt.date, enrolled_on: dt.date) -> list[dt.date]:
    """Every day that may be filled in or edited now, newest first."""
    first = first_open_day(today=today, enrolled_on=enrolled_on)
    return [today - dt.timedelta(days=n) for n in range((today - first).days + 1)]


def open_days(
    *, today: dt.date, enrolled_on: dt.date, logged: Collection[dt.date]
) -> list[dt.date]:
    """Days before today, still inside the window, that have no check-in yet, newest first."""
    return [
        day
        for day in window_days(today=today, enrolled_on=enrolled_on)
        if day != today and day not in logged
    ]


def streak(*, today: dt.date, logged: Collection[dt.date]) -> int:
    """Days in a row with a check-in, ending today (or yesterday, while today is still open)."""
    day = today if today in logged else today - dt.timedelta(days=1)
    count = 0
    while day in logged:
        count += 1
        day -= dt.timedelta(days=1)
    return count
