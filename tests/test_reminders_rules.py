"""The pure reminder rules: what is due on a patient's wall clock, and quiet hours."""

import datetime as dt

import pytest

from tracker.rules.reminders import ReminderPlan, due_kind, follow_up_time, in_quiet_hours

PLAN = ReminderPlan(dt.time(19), dt.time(22), dt.time(7), follow_up_hours=2)


def _at(clock: str) -> dt.datetime:
    return dt.datetime.combine(dt.date(2026, 11, 2), dt.time.fromisoformat(clock))


@pytest.mark.parametrize(
    ("clock", "reminder", "follow_up", "expected"),
    [
        ("18:59", False, False, None),
        ("19:00", False, False, "reminder"),
        ("20:59", False, False, "reminder"),
        ("21:00", False, False, None),  # more than two hours late: dropped
        ("20:00", True, False, None),
        ("21:00", True, False, "follow_up"),
        ("21:30", True, True, None),
        ("22:30", True, False, None),  # quiet hours
    ],
    ids=[
        "before",
        "on-time",
        "late",
        "too-late",
        "follow-up-not-yet",
        "follow-up",
        "follow-up-done",
        "quiet",
    ],
)
def test_it_says_what_is_due_on_the_patients_clock(clock, reminder, follow_up, expected):
    kind = due_kind(PLAN, _at(clock), reminder_claimed=reminder, follow_up_claimed=follow_up)

    assert kind == expected


@pytest.mark.parametrize(
    ("clock", "quiet"),
    [("21:59", False), ("22:00", True), ("03:00", True), ("06:59", True), ("07:00", False)],
)
def test_quiet_hours_run_past_midnight(clock, quiet):
    assert in_quiet_hours(dt.time.fromisoformat(clock), dt.time(22), dt.time(7)) is quiet


def test_a_follow_up_that_would_be_tomorrow_is_none():
    assert follow_up_time(ReminderPlan(dt.time(22, 30), follow_up_hours=2)) is None
