"""Reads for guardian links as people see them (docs/guardians.md): each open link with its state
and scope in words, for the young person's Account page, the clinician's patient page and the
guardian's home; and the parts of a record only guardian pages show (the check-in calendar,
notes the young person shared)."""

import datetime as dt
from dataclasses import dataclass

from tracker.access import link_state_now
from tracker.models import DiaryEntry, GuardianLink, Patient, User
from tracker.rules.guardians import ConsentKind, GuardianScope, LinkState, may_withdraw, state_words

# The guardian pages, one per part of the scope, by URL name (tracker/app_urls.py).
PART_PAGES: dict[GuardianScope, tuple[str, str]] = {
    GuardianScope.PLAN: ("guardian_plan", "The plan"),
    GuardianScope.ADHERENCE: ("guardian_adherence", "Brace and exercises done"),
    GuardianScope.QUESTIONNAIRES: ("guardian_questionnaires", "Questionnaires due"),
    GuardianScope.CALENDAR: ("guardian_calendar", "Check-in calendar"),
    GuardianScope.PAIN: ("guardian_pain", "Pain trends"),
    GuardianScope.LOG: ("guardian_checkin", "Log a check-in"),
}
CALENDAR_WEEKS = 6


def pages_of(link: GuardianLink) -> list[tuple[str, str]]:
    """The guardian pages a link opens: (URL name, title), in the scope's order."""
    return [PART_PAGES[part] for part in link.scope if part in PART_PAGES]


@dataclass(frozen=True)
class LinkRow:
    link: GuardianLink
    state: LinkState
    state_text: str
    scope_words: list[str]
    permission_given_at: dt.datetime | None
    assent_given_at: dt.datetime | None
    # May the young person end it themself (from the clinic's assent age)?
    young_person_may_withdraw: bool

    @property
    def pages(self) -> list[tuple[str, str]]:
        return pages_of(self.link)


def _row(link: GuardianLink) -> LinkRow:
    patient = link.patient
    state = link_state_now(link)
    given = {record.kind: record.given_at for record in link.standing_consents}
    renewed = given.get(ConsentKind.ADULT_RENEWAL)
    return LinkRow(
        link=link,
        state=state,
        state_text=state_words(
            state, young_person=patient.user.first_name, guardian=link.guardian.first_name
        ),
        scope_words=[part.label for part in link.scope],
        permission_given_at=given.get(ConsentKind.GUARDIAN_PERMISSION),
        assent_given_at=renewed or given.get(ConsentKind.ASSENT),
        young_person_may_withdraw=may_withdraw(
            born=patient.date_of_birth,
            today=patient.local_today(),
            assent_age=patient.clinic.guardian_assent_age,
        ),
    )


def _open_links():
    return (
        GuardianLink.objects.open()
        .select_related("guardian", "patient__user", "patient__clinic")
        .with_standing_consents()
    )


def links_of_patient(patient: Patient) -> list[LinkRow]:
    """Who can see (or has been invited to see) this patient's record, with what and why."""
    return [_row(link) for link in _open_links().filter(patient=patient)]


def links_of_guardian(guardian: User) -> list[LinkRow]:
    """Each young person this guardian is linked to, whether or not the link gives access yet."""
    return [_row(link) for link in _open_links().filter(guardian=guardian)]


def open_link_of_patient(patient: Patient, link_id: int) -> LinkRow | None:
    link = _open_links().filter(patient=patient, pk=link_id).first()
    return _row(link) if link else None


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    logged: bool
    future: bool


def calendar_weeks(
    patient: Patient, today: dt.date, weeks: int = CALENDAR_WEEKS
) -> list[list[CalendarDay]]:
    """Monday-to-Sunday weeks up to this one: which days have a check-in (never what it says)."""
    start = today - dt.timedelta(days=today.weekday() + 7 * (weeks - 1))
    end = start + dt.timedelta(days=7 * weeks - 1)
    logged = set(
        DiaryEntry.objects.filter(patient=patient, day__range=(start, today)).values_list(
            "day", flat=True
        )
    )
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    cells = [CalendarDay(day, day in logged, day > today) for day in days]
    return [cells[n : n + 7] for n in range(0, len(cells), 7)]


def shared_notes(patient: Patient, start: dt.date, end: dt.date) -> list[DiaryEntry]:
    """The diary notes the young person chose to share (note_private False); never a private one."""
    return list(
        DiaryEntry.objects.filter(patient=patient, day__range=(start, end), note_private=False)
        .exclude(note="")
        .only("day", "note", "note_private")
        .order_by("-day")
    )
