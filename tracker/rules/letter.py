"""The assessment's reasons as a referral letter gives them to a surgeon: the rules that decided, in
clinical words, dates as "18 Nov 2026", without the instructions meant for the care team.

The rules' own sentences (tracker/rules/assessment/verdict.py) are written for the clinician who
acts on the dashboard; the letter reuses them rather than saying the same rule twice, and only
rewords what a reader outside the clinic should not meet.
"""

import datetime as dt
import re

from tracker.rules.assessment import Assessment, Category

_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")

# What the care team is told to do, and how the letter says the same fact instead.
_CARE_TEAM_WORDS = (
    ("; check they did, then acknowledge the alert", ""),
    ("Urgent: unacknowledged warning sign:", "Urgent: warning sign not yet reviewed by the team:"),
    (": review the plan", ""),
    ("no brace or exercise programme in ParsTrack", "no brace or exercise programme recorded"),
)
_OUTRANKED = re.compile(r" \(Outranked by [^)]*\.\)")


def letter_date(day: dt.date) -> str:
    """The one date format of the letter: "18 Nov 2026"."""
    return f"{day.day} {day:%b %Y}"


def _date_words(match: re.Match) -> str:
    try:
        day = dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return match[0]
    return letter_date(day)


def surgeon_words(text: str) -> str:
    """One reason as the letter prints it."""
    for said, written in _CARE_TEAM_WORDS:
        text = text.replace(said, written)
    text = _OUTRANKED.sub("", text)
    return _ISO_DATE.sub(_date_words, text)


def letter_reasons(assessment: Assessment) -> list[str]:
    """The rules that fired, the deciding one first, and always the referral criteria (met or
    not): the question a surgeon reads the letter for. The rules that did not fire (not a
    plateau, not worsening, ...) stay on the clinician's pages."""
    decider = next(c for c in assessment.checks if c.category == assessment.category)
    shown = [decider] + [
        c
        for c in assessment.checks
        if c is not decider and (c.fired or c.category == Category.REFERRAL)
    ]
    return [surgeon_words(c.reason) for c in shown]
