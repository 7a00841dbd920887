"""When a parent or guardian's access to a young person's data holds, by age and by the records of
consent and assent (issue 16; docs/guardians.md, docs/security.md).

Plain values only. The access rule (tracker/access.py) asks `link_state` for every guardian link
it is about to honour, with the young person's own calendar day, so a birthday takes effect at
midnight in their time zone, not when a daily job next runs; the daily job
(`manage.py apply_guardian_ages`) records what changed and tells people beforehand.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import TextChoices

from tracker.rules.ages import age_in_years as age_on
from tracker.rules.ages import birthday

# GDPR Article 8: the age of digital consent is 16 unless a member state sets 13 to 15; a clinic
# chooses, within those bounds, the age from which the young person confirms each guardian.
ASSENT_AGE_DEFAULT = 16
ASSENT_AGE_MIN, ASSENT_AGE_MAX = 13, 16
# At 18 the young person is an adult: a guardian's access ends unless the adult renews it.
ADULT_AGE = 18
# How long before a birthday that changes access the guardian and the young person are told.
NOTICE_DAYS = 30


class GuardianRelationship(TextChoices):
    # Codes from HL7 v3 RoleCode (FHIR RelatedPerson.relationship): PRN parent, GUARD guardian.
    PARENT = "parent", "Parent"
    GUARDIAN = "guardian", "Legal guardian"
    OTHER = "other", "Other family member or carer"


class GuardianScope(TextChoices):
    """What one guardian may see or do; chosen per guardian, shown to the young person."""

    PLAN = "plan", "The plan: brace, exercises and activity stage"
    ADHERENCE = "adherence", "How much of the brace and exercise plan is done"
    QUESTIONNAIRES = "questionnaires", "Questionnaires due"
    CALENDAR = "calendar", "The check-in calendar (which days are logged)"
    PAIN = "pain", "Pain trends"
    LOG = "log", "Logging a check-in on the young person's behalf"
    REMINDERS = "reminders", "The young person's check-in reminders"


# The boolean field on GuardianLink that holds each part of the scope.
SCOPE_FIELDS: dict[GuardianScope, str] = {
    GuardianScope.PLAN: "sees_plan",
    GuardianScope.ADHERENCE: "sees_adherence",
    GuardianScope.QUESTIONNAIRES: "sees_questionnaires",
    GuardianScope.CALENDAR: "sees_calendar",
    GuardianScope.PAIN: "sees_pain",
    GuardianScope.LOG: "may_log",
    GuardianScope.REMINDERS: "gets_reminders",
}


class ConsentKind(TextChoices):
    GUARDIAN_PERMISSION = "guardian_permission", "Guardian's permission"
    ASSENT = "assent", "Young person's confirmation"
    ADULT_RENEWAL = "adult_renewal", "Renewed by the patient as an adult"


class LinkEnd(TextChoices):
    """Why a guardian's access ended; an ended link is never honoured again."""

    PERMISSION_WITHDRAWN = "permission_withdrawn", "The guardian withdrew their permission"
    ASSENT_WITHDRAWN = "assent_withdrawn", "The young person withdrew it"
    REMOVED = "removed", "Removed by the care team"
    ADULT = "adult", "The patient turned 18 and did not renew it"


class LinkState(TextChoices):
    ACTIVE = "active", "Has access"
    AWAITING_PERMISSION = "awaiting_permission", "Waiting for the guardian's permission"
    AWAITING_ASSENT = "awaiting_assent", "Waiting for the young person to confirm"
    AWAITING_RENEWAL = "awaiting_renewal", "Paused: the patient is 18 and may renew it"
    ENDED = "ended", "Ended"


# The words each record is given against. A changed wording is a new version: records keep the
# version shown, so what someone agreed to can always be read back.
WORDING: dict[ConsentKind, tuple[str, str]] = {
    ConsentKind.GUARDIAN_PERMISSION: (
        "guardian-permission-1",
        "I am this young person's parent or legal guardian. I ask to see the parts of their "
        "ParsTrack record shown above, to help with their treatment. I understand they can see "
        "that I have access, and that from the age their clinic sets they must confirm it.",
    ),
    ConsentKind.ASSENT: (
        "assent-1",
        "I agree that this person may see the parts of my ParsTrack record listed. I can take "
        "this back at any time on my Account page, and it stops at once.",
    ),
    ConsentKind.ADULT_RENEWAL: (
        "adult-renewal-1",
        "I am 18 or over. I agree that this person may go on seeing the parts of my ParsTrack "
        "record listed. I can take this back at any time, and it stops at once.",
    ),
}


def assent_needed(born: dt.date, today: dt.date, assent_age: int) -> bool:
    return age_on(born, today) >= assent_age


@dataclass(frozen=True)
class ConsentHeld:
    """Which records are given and not withdrawn, for one link."""

    permission: bool = False
    assent: bool = False
    renewal: bool = False


def link_state(
    *, born: dt.date, today: dt.date, assent_age: int, held: ConsentHeld, ended: bool
) -> LinkState:
    """Whether a guardian link gives access on the young person's calendar day `today`."""
    if ended:
        return LinkState.ENDED
    age = age_on(born, today)
    if age >= ADULT_AGE:
        return LinkState.ACTIVE if held.renewal else LinkState.AWAITING_RENEWAL
    if not held.permission:
        return LinkState.AWAITING_PERMISSION
    if age >= assent_age and not held.assent:
        return LinkState.AWAITING_ASSENT
    return LinkState.ACTIVE


def may_withdraw(*, born: dt.date, today: dt.date, assent_age: int) -> bool:
    """May the young person end a guardian's access themself? From the assent age on (below it
    the guardian holds parental responsibility, and the care team ends a link)."""
    return age_on(born, today) >= assent_age


@dataclass(frozen=True)
class AgeChange:
    day: dt.date
    what: str  # "assent" (confirmation becomes needed) or "adult"


def coming_age_changes(
    *, born: dt.date, today: dt.date, assent_age: int, within_days: int = NOTICE_DAYS
) -> list[AgeChange]:
    """The birthdays that change a guardian's access from tomorrow up to `within_days` ahead."""
    changes = [
        AgeChange(birthday(born, assent_age), "assent"),
        AgeChange(birthday(born, ADULT_AGE), "adult"),
    ]
    last = today + dt.timedelta(days=within_days)
    return [change for change in changes if today < change.day <= last]


def assent_age_problem(value: int | None) -> str:
    if value is None or not ASSENT_AGE_MIN <= value <= ASSENT_AGE_MAX:
        return (
            f"Choose an age from {ASSENT_AGE_MIN} to {ASSENT_AGE_MAX} "
            f"(GDPR Article 8; {ASSENT_AGE_DEFAULT} unless your country sets a lower age)."
        )
    return ""


def state_words(state: LinkState, *, young_person: str, guardian: str) -> str:
    """A link's state as the people it concerns read it ("Waiting for Maya to confirm")."""
    return {
        LinkState.ACTIVE: "Has access",
        LinkState.AWAITING_PERMISSION: f"Waiting for {guardian} to accept the invitation",
        LinkState.AWAITING_ASSENT: f"Waiting for {young_person} to confirm",
        LinkState.AWAITING_RENEWAL: f"Paused: {young_person} is 18 and may renew it",
        LinkState.ENDED: "Ended",
    }[LinkState(state)]
