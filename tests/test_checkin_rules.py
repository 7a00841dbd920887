"""The diary's pure rules: which days are open, and the streak."""

import datetime as dt

import pytest

from tracker.rules.checkin import (
    CLOSED_AFTER_DISCHARGE,
    answer_problems,
    day_problem,
    edit_problem,
    first_open_day,
    open_days,
    shown_items_problem,
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


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (
            {"pain_now": 6, "pain_worst": 4, "medicine_taken": False, "medicine_doses": 0},
            {"pain_worst": "Your worst pain today can't be lower than your pain right now."},
        ),
        (
            {"pain_now": 1, "pain_worst": 4, "medicine_taken": True, "medicine_doses": None},
            {"medicine_doses": "How many times did you take it? Type 1 or more."},
        ),
        (
            {"pain_now": 1, "pain_worst": 4, "medicine_taken": False, "medicine_doses": 3},
            {"medicine_doses": "You said no medicine. Leave this empty, or pick one."},
        ),
        (
            {
                "pain_now": 1,
                "pain_worst": 4,
                "medicine_taken": None,
                "medicine_doses": None,
                "unrated_activities": {"walking": "Walking"},
            },
            {"pain_walking": "Tap how much walking hurt, from 0 to 10."},
        ),
        ({"pain_now": 1, "pain_worst": 4, "medicine_taken": True, "medicine_doses": 2}, {}),
    ],
    ids=["worst-below-now", "doses-missing", "doses-without-medicine", "unrated-activity", "fine"],
)
def test_it_names_answers_that_do_not_fit_together(answers, expected):
    assert answer_problems(**answers) == expected


@pytest.mark.parametrize(
    ("shown", "problem"),
    [
        ("1,2", None),
        ("2, 1", None),
        ("1", "changed since"),
        ("1,x", "Please reload"),
        ("", "changed"),
    ],
    ids=["same", "any-order", "missing-one", "garbled", "empty"],
)
def test_it_checks_the_exercise_items_answered_are_the_days(shown, problem):
    found = shown_items_problem(shown=shown, due=[1, 2])

    assert found is None if problem is None else problem in found
