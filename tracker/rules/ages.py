"""Ages and birthdays: one formula for the patient record, exports and guardian access."""

import datetime as dt


def age_in_years(born: dt.date, on: dt.date) -> int:
    """Whole years between a birth date and a day (29 February birthdays count on 1 March)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def birthday(born: dt.date, years: int) -> dt.date:
    """The day someone turns `years` old (29 February -> 1 March in a common year)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return dt.date(born.year + years, 3, 1)
