"""When a warning sign is told to the care team and escalated, and the words (docs/alerts.md).

Plain values only: when the alert was raised, the run's moment and the clinic's escalation hours.
The emails say only that a patient on the team reported a warning sign, with a link that needs a
sign-in: no name, no sign, no health data, so a mail read over a shoulder or forwarded by mistake
gives nothing away.
"""

import datetime as dt
from dataclasses import dataclass

# The clinic's choice of hours before an unacknowledged warning sign is escalated.
ESCALATION_HOURS_MIN = 1
ESCALATION_HOURS_MAX = 72
DEFAULT_ESCALATION_HOURS = 4

# A run reaches an alert late only when the scheduler was down; within a day the email is still
# worth sending (the team may not have opened the dashboard), after that it is not: the dashboard
# shows every open warning sign on top anyway, and an email about last week's would be noise.
LATE_LIMIT = dt.timedelta(hours=24)
# The oldest alert a run needs to read: one whose escalation is at the end of its window.
HORIZON = dt.timedelta(hours=ESCALATION_HOURS_MAX) + LATE_LIMIT

TEAM_SUBJECT = "ParsTrack: a patient on your care team reported a warning sign"
ESCALATION_SUBJECT = "ParsTrack: a warning sign not yet acknowledged"
# A push to a clinician who turned notifications on: shown on a lock screen, so no more than this.
TEAM_PUSH_TITLE = "ParsTrack: a warning sign on your care team"
TEAM_PUSH_BODY = "A patient on your care team reported a warning sign. Open ParsTrack to see it."


def team_alert_due(*, created_at: dt.datetime, now: dt.datetime) -> bool:
    """Is the care team's email due: from the alert's raising until LATE_LIMIT after?"""
    return created_at <= now < created_at + LATE_LIMIT


def escalation_time(*, created_at: dt.datetime, hours: int) -> dt.datetime:
    """When an alert still open is escalated: the clinic's hours after it was raised."""
    return created_at + dt.timedelta(hours=hours)


def escalation_due(*, created_at: dt.datetime, now: dt.datetime, hours: int) -> bool:
    """Is the escalation due (for an alert still open): from its time until LATE_LIMIT after?"""
    at = escalation_time(created_at=created_at, hours=hours)
    return at <= now < at + LATE_LIMIT


def team_body(*, url: str) -> str:
    """The care-team clinician's email: that there is a warning sign, and where to see it."""
    return (
        "A patient on your care team reported a warning sign in their ParsTrack check-in.\n\n"
        "Sign in to see who and what, and acknowledge it:\n"
        f"{url}\n\n"
        "You get this email because you are on the patient's care team. It is sent once for "
        "each warning sign.\n"
    )


def escalation_body(*, clinic: str, hours: int, url: str) -> str:
    """The escalation contact's email: a warning sign nobody acknowledged within the hours."""
    span = "1 hour" if hours == 1 else f"{hours} hours"
    return (
        f"A patient of {clinic} reported a warning sign in their ParsTrack check-in more than "
        f"{span} ago, and no clinician on their care team has acknowledged it yet.\n\n"
        "Sign in to see who and what, and act on it:\n"
        f"{url}\n\n"
        f"You get this email because this address is {clinic}'s escalation contact for "
        "warning signs in ParsTrack.\n"
    )


@dataclass(frozen=True)
class AlertTold:
    """What was sent about one open alert, for the dashboard; every time in the same zone."""

    now: dt.datetime
    team_emailed_at: dt.datetime | None
    team_failed: bool
    escalated_at: dt.datetime | None
    escalation_at: dt.datetime | None  # when it is due; None: the clinic has no contact


def _clock(moment: dt.datetime, now: dt.datetime) -> str:
    return f"{moment:%H:%M}" if moment.date() == now.date() else f"{moment:%-d %b %H:%M}"


def told_words(told: AlertTold) -> str:
    """Two short sentences beside an open warning sign: was the team emailed, was it escalated."""
    if told.team_emailed_at is not None:
        team = f"Care team emailed at {_clock(told.team_emailed_at, told.now)}."
    elif told.team_failed:
        team = "The email to the care team failed."
    else:
        team = "Care team not emailed yet."
    if told.escalated_at is not None:
        return f"{team} Escalated to the clinic's contact at {_clock(told.escalated_at, told.now)}."
    if told.escalation_at is None:
        return f"{team} Not escalated: the clinic has no escalation contact."
    at = _clock(told.escalation_at, told.now)
    if told.escalation_at > told.now:
        return f"{team} Not escalated; it will be at {at} if still open."
    return f"{team} Not escalated (it was due at {at})."
