"""The pure rules of warning-sign alerts: when the team's email and the escalation are due, and
the dashboard's words."""

import datetime as dt

import pytest

from tracker.rules.alerts import (
    LATE_LIMIT,
    AlertTold,
    escalation_body,
    escalation_due,
    team_alert_due,
    told_words,
)

RAISED = dt.datetime(2026, 11, 2, 10, 0, 30, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("after", "due"),
    [(-MINUTE, False), (dt.timedelta(0), True), (LATE_LIMIT - MINUTE, True), (LATE_LIMIT, False)],
    ids=["before-it-was-raised", "at-once", "within-a-day", "a-day-late"],
)
def test_the_teams_email_is_due_from_the_alert_for_a_day(after, due):
    assert team_alert_due(created_at=RAISED, now=RAISED + after) is due


@pytest.mark.parametrize(
    ("after", "due"),
    [
        (dt.timedelta(hours=4) - MINUTE, False),
        (dt.timedelta(hours=4), True),
        (dt.timedelta(hours=4) + LATE_LIMIT - MINUTE, True),
        (dt.timedelta(hours=4) + LATE_LIMIT, False),
    ],
    ids=["a-minute-early", "on-the-hour", "late-within-a-day", "too-late"],
)
def test_the_escalation_is_due_at_the_clinics_hours(after, due):
    assert escalation_due(created_at=RAISED, now=RAISED + after, hours=4) is due


def test_the_escalation_says_the_hours_in_words():
    assert "more than 1 hour ago" in escalation_body(clinic="C", hours=1, url="u")
    assert "more than 6 hours ago" in escalation_body(clinic="C", hours=6, url="u")


def _at(day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=dt.UTC)


NOW = _at(2, 12, 0)
AT_10 = _at(2, 10, 1)


@pytest.mark.parametrize(
    ("told", "words"),
    [
        (
            AlertTold(NOW, AT_10, False, None, _at(2, 14, 0)),
            "Care team emailed at 10:01. Not escalated; it will be at 14:00 if still open.",
        ),
        (
            AlertTold(NOW, AT_10, False, _at(2, 11, 0), AT_10),
            "Care team emailed at 10:01. Escalated to the clinic's contact at 11:00.",
        ),
        (
            AlertTold(NOW, None, False, None, None),
            "Care team not emailed yet. Not escalated: the clinic has no escalation contact.",
        ),
        (
            AlertTold(NOW, None, True, None, _at(2, 11, 0)),
            "The email to the care team failed. Not escalated (it was due at 11:00).",
        ),
        (
            AlertTold(NOW, _at(1, 23, 5), False, None, None),
            "Care team emailed at 1 Nov 23:05. Not escalated: the clinic has no escalation "
            "contact.",
        ),
    ],
    ids=["emailed-escalation-to-come", "escalated", "nothing-yet", "failed-overdue", "yesterday"],
)
def test_the_dashboard_says_what_was_sent_in_words(told, words):
    assert told_words(told) == words
