"""The calendar window every date typed into a range must fall in.

Python's dates end at years 1 and 9999, so a range at either end overflowed as soon as anything
counted days from it (the trends page steps back 12 weeks from "To", rounds to Mondays, looks a
window back for rolling means): an OverflowError, a 500. No date of this app's is near either
end, so the range forms and the API's range parameters refuse any day outside 1900-2100 with a
form error or 400, and the code behind them never sees one (tests/test_hostile_input.py).
"""

import datetime as dt

from django.core.exceptions import ValidationError

FIRST_YEAR = 1900
LAST_YEAR = 2100
OUTSIDE_WINDOW = f"Enter a date between {FIRST_YEAR} and {LAST_YEAR}."


def validate_day_in_window(day: dt.date) -> None:
    """A field validator (forms and DRF serializers alike): a day in 1900-2100, else an error."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(OUTSIDE_WINDOW, code="outside_window")
