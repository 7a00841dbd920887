"""The daily age job (`manage.py apply_guardian_ages`, docs/guardians.md "The age rules"): for
every open guardian link, tell the young person and the guardian 30 days before the assent age
and before 18, and end a link the adult has not renewed 30 days after their 18th birthday.

Each notice is recorded (`GuardianNotice`, unique per link and kind) before its emails go, so a
second run, or two at once, never sends it again. Emails carry names and dates, no health data.
"""

import dataclasses
import datetime as dt

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from tracker.access import link_state_now
from tracker.models import GuardianLink, GuardianNotice
from tracker.rules.guardian_notices import GuardianNoticeKind, age_step, notice_words
from tracker.rules.guardians import ConsentKind, LinkEnd
from tracker.services.guardians import guardian_link_end


@dataclasses.dataclass
class AgeRun:
    links: int = 0
    notices: int = 0
    ended: int = 0


def guardian_ages_apply(*, now: dt.datetime | None = None) -> AgeRun:
    """Apply the age rules to every open link, on each young person's own calendar day."""
    moment = now or timezone.now()
    run = AgeRun()
    links = (
        GuardianLink.objects.open()
        .select_related("guardian", "patient__user", "patient__clinic")
        .with_standing_consents()
        .order_by("pk")
    )
    for link in links:
        run.links += 1
        patient = link.patient
        step = age_step(
            born=patient.date_of_birth,
            today=patient.local_today(moment),
            assent_age=patient.clinic.guardian_assent_age,
            state=link_state_now(link, moment),
            assent_held=any(c.kind == ConsentKind.ASSENT for c in link.standing_consents),
        )
        if step.end:
            guardian_link_end(link=link, reason=LinkEnd.ADULT, by=None, now=moment)
            run.ended += 1
        for kind in step.notices:
            run.notices += _notice_send(link, kind, moment)
    return run


def _notice_send(link: GuardianLink, kind: GuardianNoticeKind, moment: dt.datetime) -> int:
    """Claim the notice (insert under its unique constraint), then email both; 0 if sent before."""
    patient, guardian = link.patient, link.guardian
    to = [(user, user is patient.user) for user in (patient.user, guardian) if user.email]
    try:
        with transaction.atomic():
            GuardianNotice.objects.create(
                link=link,
                kind=kind,
                local_day=patient.local_today(moment),
                sent_to=", ".join(user.email for user, _ in to)[:600],
            )
    except IntegrityError:
        return 0
    for user, young in to:
        words = notice_words(
            kind,
            to_young_person=young,
            young=patient.user.get_full_name() or patient.user.username,
            guardian=guardian.get_full_name() or guardian.username,
            born=patient.date_of_birth,
            assent_age=patient.clinic.guardian_assent_age,
        )
        EmailMessage(subject=words.subject, body=words.body, to=[user.email]).send()
    return 1
