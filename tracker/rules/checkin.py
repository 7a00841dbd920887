"""Rules of the daily diary as plain functions over plain values (no ORM, no request).

Which days a patient may fill in, which days are still open, how long their streak is, and
which answers of a day do not fit together (with the words the page and the API show).
"""

import datetime as dt
import hashlib
import json
from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType

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


# -- a day's answers ---------------------------------------------------------------------------
# The words the check-in page and the API both use, so the two never drift apart.

PAIN_ERROR = "Pick a number from 0 to 10."
WORST_BELOW_NOW = "Your worst pain today can't be lower than your pain right now."
DOSES_MISSING = "How many times did you take it? Type 1 or more."
DOSES_WITHOUT_MEDICINE = "You said no medicine. Leave this empty, or pick one."
HOURS_ERRORS = {
    "required": "Type the hours you wore it. Type 0 if you did not wear it today.",
    "min_value": "Hours cannot be less than 0.",
    "max_value": "A day has 24 hours: enter a number from 0 to 24.",
    "step_size": "Use whole or half hours, like 7 or 7.5.",
    "invalid": "Enter a number of hours, like 7 or 7.5.",
    "max_decimal_places": "Use whole or half hours, like 7 or 7.5.",
    "max_digits": "A day has 24 hours: enter a number from 0 to 24.",
    "max_whole_digits": "A day has 24 hours: enter a number from 0 to 24.",
}
BRACE_UNANSWERED = (
    "Tap “I wore my brace as prescribed”, or type the hours you wore it. "
    "Type 0 if you did not wear it."
)
MAX_SETS_DONE = 20
PAGE_BROKEN = "Something went wrong with this page. Please reload it."
EXERCISES_CHANGED = (
    "Your exercise list has changed since this page opened. Please check your exercises again."
)


def count_error(low: int, high: int) -> str:
    return f"Enter a number from {low} to {high}."


def exercise_done_missing(name: str) -> str:
    return f"Tell us if you did “{name}” today."


def answer_problems(
    *,
    pain_now: int | None,
    pain_worst: int | None,
    medicine_taken: bool | None,
    medicine_doses: int | None,
    unrated_activities: Mapping[str, str] = MappingProxyType({}),
) -> dict[str, str]:
    """What does not fit together in a day's answers: field name -> message in the patient's words.

    `medicine_taken` is None when the medicine answer itself was unusable; `unrated_activities`
    maps each activity ticked without a pain to its label. The page and the API both ask this."""
    problems: dict[str, str] = {}
    if pain_now is not None and pain_worst is not None and pain_worst < pain_now:
        problems["pain_worst"] = WORST_BELOW_NOW
    for activity, label in unrated_activities.items():
        problems[f"pain_{activity}"] = f"Tap how much {label.lower()} hurt, from 0 to 10."
    if medicine_taken and not medicine_doses:
        problems["medicine_doses"] = DOSES_MISSING
    if medicine_taken is False and medicine_doses:
        problems["medicine_doses"] = DOSES_WITHOUT_MEDICINE
    return problems


# -- which exercises a day asks about (issue 14) -------------------------------------------------

DAYS_PER_WEEK = 7


def week_monday(day: dt.date) -> dt.date:
    """The Monday of the day's week (weeks run Monday to Sunday, as in adherence)."""
    return day - dt.timedelta(days=day.weekday())


def exercise_is_due(
    *, sessions_per_week: int, done_earlier_this_week: int, answered_that_day: bool
) -> bool:
    """Whether the check-in of a day asks about an exercise prescribed `sessions_per_week`.

    A daily exercise (7 a week) is asked every day. One prescribed N times a week is asked every
    day of the week (Monday to Sunday) until it has been done N times on earlier days of that
    week; after that it is not asked (and adherence, which counts sessions against N a week, does
    not count it as missed). A day that already has an answer for it keeps asking it, so the
    answer can be seen and changed."""
    if answered_that_day or sessions_per_week >= DAYS_PER_WEEK:
        return True
    return done_earlier_this_week < sessions_per_week


def day_words(day: dt.date | None, today: dt.date) -> str:
    """How the questions of a day name it: "today", or "on Tuesday 1 December" for another day."""
    if day is None or day == today:
        return "today"
    return f"on {day:%A} {day.day} {day:%B}"


def all_done_label(words: str) -> str:
    """The one-tap answer for every exercise due, for the day's `day_words`."""
    if words == "today":
        return "I did all of today's exercises"
    return f"I did all my exercises {words}"


def all_done_contradiction(name: str) -> str:
    return (
        f"You ticked that you did all your exercises, but said you did not do “{name}”. "
        "Untick “all”, or change this answer."
    )


def shown_items_problem(*, shown: str, due: Collection[int]) -> str | None:
    """Why the exercise items a page (or an API body) answered are not the day's programme
    (`shown` is their ids, comma-separated); None when they are exactly the items due."""
    try:
        ids = [int(part) for part in shown.split(",") if part.strip()]
    except ValueError:
        return PAGE_BROKEN
    if sorted(ids) != sorted(due):
        return EXERCISES_CHANGED
    return None


# -- which saved state a page or an API client last saw (issue 19, finding 5) -------------------

STALE_DAY = (
    "This day was saved somewhere else (another phone, tab or browser) after you opened this "
    "page, so nothing was saved, to keep both from being lost."
)


def day_version(
    *,
    number: int,
    brace_hours: Decimal | None,
    exercises: Iterable[tuple[int, bool, int | None, int | None]],
) -> str:
    """The version of a day's check-in: the diary's version number (0 before the first save;
    every change of the diary adds one), then a digest of the brace hours and the exercise
    answers (item, done, sets, pain), which change without a new diary version."""
    rehab = json.dumps(
        [
            None if brace_hours is None else str(brace_hours.normalize()),
            sorted([list(answer) for answer in exercises]),
        ]
    )
    return f"{number}.{hashlib.sha256(rehab.encode()).hexdigest()[:12]}"


def version_parts(version: str) -> tuple[int, str] | None:
    """(diary version number, rehab digest) of a `day_version`; None when it is not one."""
    number, _, digest = version.partition(".")
    if not number.isdecimal() or len(number) > 9 or not digest:
        return None
    return int(number), digest


# The check-in page's own words (the form's; the API has no labels).
ASKED_DAILY = "Tap yes or no. We ask every day to keep you safe."
SYMPTOMS_AND_NONE = "You ticked “None of these” and a problem. Untick one of them."
DOSES_WITHOUT_WHICH = "Tap the medicine you took, or leave the number empty."
# The diary's questions for a day other than today ({day}: "on Tuesday 1 December").
PAST_LABELS = {
    "pain_now": "How bad was your back pain {day}?",
    "pain_worst": "What was your worst pain {day}?",
    "activities": "What did you do {day}?",
    "medicine": "Did you take pain medicine {day}?",
}
DONE_CHOICES = [("yes", "Yes, I did it"), ("no", "Not today")]
PAST_DONE_CHOICES = [("yes", "Yes, I did it"), ("no", "No, I didn't")]


def hours_words(hours: float | None) -> str:
    """Hours as the page says them: 23, 7.5; "?" when not known."""
    if hours is None:
        return "?"
    return str(int(hours)) if float(hours).is_integer() else f"{hours:g}"
