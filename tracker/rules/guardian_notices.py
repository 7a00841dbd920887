"""What the daily age job (`manage.py apply_guardian_ages`) does to one guardian link on the young
person's calendar day: which notice is due, and whether an unrenewed link ends (issue 16;
docs/guardians.md "The age rules"). Plain values only.

The access rule already judges every link by age on every request (tracker/rules/guardians.py
`link_state`), so access never waits for this job: the job tells people beforehand, and records
the end of a link the young person did not renew at 18.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import TextChoices

from tracker.rules.ages import birthday
from tracker.rules.guardians import ADULT_AGE, LinkState, coming_age_changes

# How long a link waits, paused, after the 18th birthday for the adult to renew it.
RENEWAL_DAYS = 30


class GuardianNoticeKind(TextChoices):
    ASSENT_SOON = "assent_soon", "The young person will be asked to confirm each guardian"
    ADULT_SOON = "adult_soon", "Access pauses at 18 unless renewed"
    ENDED_ADULT = "ended_adult", "Access ended: not renewed after 18"


@dataclass(frozen=True)
class AgeStep:
    notices: tuple[GuardianNoticeKind, ...] = ()
    end: bool = False


def renewal_deadline(born: dt.date) -> dt.date:
    """The day an unrenewed link ends: 30 days after the 18th birthday."""
    return birthday(born, ADULT_AGE) + dt.timedelta(days=RENEWAL_DAYS)


def age_step(
    *, born: dt.date, today: dt.date, assent_age: int, state: LinkState, assent_held: bool
) -> AgeStep:
    """What is due for one open link on the young person's day `today`: the notices (each is sent
    once; the caller records them) and whether the link ends."""
    if state == LinkState.ENDED:
        return AgeStep()
    notices = []
    for change in coming_age_changes(born=born, today=today, assent_age=assent_age):
        if change.what == "adult":
            notices.append(GuardianNoticeKind.ADULT_SOON)
        elif not assent_held:
            notices.append(GuardianNoticeKind.ASSENT_SOON)
    end = state == LinkState.AWAITING_RENEWAL and today >= renewal_deadline(born)
    if end:
        notices.append(GuardianNoticeKind.ENDED_ADULT)
    return AgeStep(tuple(notices), end)


@dataclass(frozen=True)
class NoticeWords:
    subject: str
    body: str


def notice_words(
    kind: GuardianNoticeKind,
    *,
    to_young_person: bool,
    young: str,
    guardian: str,
    born: dt.date,
    assent_age: int,
) -> NoticeWords:
    """The email for one notice, to the young person or the guardian: names and dates only, never
    health data."""
    adult_day = f"{birthday(born, ADULT_AGE):%-d %B %Y}"
    if kind == GuardianNoticeKind.ASSENT_SOON:
        day = f"{birthday(born, assent_age):%-d %B %Y}"
        if to_young_person:
            return NoticeWords(
                "You will be asked to confirm who sees your ParsTrack record",
                f"Hello {young},\n\nFrom {day} you will be asked to confirm that {guardian} may "
                "go on seeing parts of your ParsTrack record. Until you confirm, they will not "
                "see it. Sign in to ParsTrack and open your Account page to do it.\n",
            )
        return NoticeWords(
            f"{young} will be asked to confirm your access",
            f"Hello {guardian},\n\nFrom {day} {young} will be asked to confirm that you may go "
            "on seeing parts of their ParsTrack record. Until they confirm, you will not see "
            "it.\n",
        )
    if kind == GuardianNoticeKind.ADULT_SOON:
        if to_young_person:
            return NoticeWords(
                "At 18 you decide who sees your ParsTrack record",
                f"Hello {young},\n\nOn {adult_day} you turn 18. From then {guardian} no longer "
                "sees any of your ParsTrack record unless you renew their access on your Account "
                f"page. If you do not, it ends {RENEWAL_DAYS} days later.\n",
            )
        return NoticeWords(
            f"Your access to {young}'s record pauses at 18",
            f"Hello {guardian},\n\nOn {adult_day} {young} turns 18. From then your access to "
            f"their ParsTrack record pauses unless they renew it; if they do not, it ends "
            f"{RENEWAL_DAYS} days later.\n",
        )
    if to_young_person:
        return NoticeWords(
            f"{guardian}'s access to your ParsTrack record has ended",
            f"Hello {young},\n\nYou did not renew {guardian}'s access after you turned 18, so it "
            "has ended. Your care team can send them a new invitation if you want one.\n",
        )
    return NoticeWords(
        f"Your access to {young}'s record has ended",
        f"Hello {guardian},\n\n{young} did not renew your access after turning 18, so it has "
        "ended.\n",
    )
