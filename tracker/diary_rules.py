"""Rules of the daily diary as plain functions over plain values (no ORM, no request).

Which days a patient may fill in, which days are still open, and how long their streak is.
"""

import datetime as dt
from collections.abc import Collection

# Missed days can be filled in up to this many days back (issue 3); older days are read-only.
EDIT_WINDOW_DAYS = 7


def day_problem(*, day: dt.date, today: dt.date, enrolled_on: dt.date) -> str | None:
    """Why this day cannot be logged, in words for the patient; None if it can."""
    if day > today:
        return "That day hasn't happened yet. Pick today or an earlier day."
    if day < enrolled_on:
        return f"You can only fill in days from {enrolled_on:%-d %B %Y}, when you joined."
    if day < today - dt.timedelta(days=EDIT_WINDOW_DAYS):
        return f"You can only fill in the last {EDIT_WINDOW_DAYS} days. That day is too long ago."
    return None


def is_day_open(*, day: dt.date, today: dt.date, enrolled_on: dt.date) -> bool:
    return day_problem(day=day, today=today, enrolled_on=enrolled_on) is None


def window_days(*, today: dt.date, enrolled_on: dt.date) -> list[dt.date]:
    """Every day that may be filled in or edited now, newest first."""
    first = max(today - dt.timedelta(days=EDIT_WINDOW_DAYS), enrolled_on)
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
