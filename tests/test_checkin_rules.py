"""The diary's pure rules: which days are open, and the streak."""

import datetime as dt

import pytest

from tracker.rules.checkin import (
    CLOSED_AFTER_DISCHARGE,
    day_problem,
    edit_problem,
    first_open_day,
    open_days,
    streak,
)

TODAY = dt.date(2026, 3, 10)
ENROLLED = dt.date(2026, 1, 1)


@pytest.mark.parametrize(
    ("day", "allowed"),
    [
        (TODAY, True),
        (TODAY - dt.timedelta(days=7), True),
        (TODAY - dt.timedelta(days=8), False),
        (TODAY + dt.timedelta(days=1), False),
    ],
    ids=["today", "seven-back", "eight-back", "tomorrow"],
)
def test_it_opens_today_and_the_seven_days_before(day, allowed):
    assert (day_problem(day=day, today=TODAY, enrolled_on=ENROLLED) is None) is allowed


def test_it_closes_days_before_enrolment():
    problem = day_problem(day=TODAY - dt.timedelta(days=2), today=TODAY, enrolled_on=TODAY)

    assert problem == "You can only fill in days from 10 March 2026, when you joined."


def test_it_lists_missed_days_of_the_last_week_newest_first():
    logged = {TODAY - dt.timedelta(days=n) for n in (1, 2, 4, 5, 6)}

    missed = open_days(today=TODAY, enrolled_on=ENROLLED, logged=logged)

    assert missed == [TODAY - dt.timedelta(days=3), TODAY - dt.timedelta(days=7)]


def test_it_lists_no_missed_days_before_enrolment():
    assert open_days(today=TODAY, enrolled_on=TODAY - dt.timedelta(days=1), logged=set()) == [
        TODAY - dt.timedelta(days=1)
    ]


@pytest.mark.parametrize(
    ("logged_back", "expected"),
    [((0, 1, 2), 3), ((1, 2), 2), ((0, 2, 3), 1), ((2, 3), 0), ((), 0)],
    ids=["through-today", "today-still-open", "broken", "gap-yesterday", "none"],
)
def test_it_counts_the_streak(logged_back, expected):
    logged = {TODAY - dt.timedelta(days=n) for n in logged_back}

    assert streak(today=TODAY, logged=logged) == expected


def test_it_opens_the_window_seven_days_back_or_at_enrolment():
    assert first_open_day(today=TODAY, enrolled_on=ENROLLED) == TODAY - dt.timedelta(days=7)
    recent = TODAY - dt.timedelta(days=2)
    assert first_open_day(today=TODAY, enrolled_on=recent) == recent


def test_it_closes_every_day_after_discharge_and_says_so():
    for day in (TODAY, TODAY - dt.timedelta(days=30)):
        problem = edit_problem(day=day, today=TODAY, enrolled_on=ENROLLED, is_active=False)
        assert problem == CLOSED_AFTER_DISCHARGE
    assert edit_problem(day=TODAY, today=TODAY, enrolled_on=ENROLLED, is_active=True) is None
