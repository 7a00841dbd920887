"""Reading the audit trail: a clinic administrator's search, in words.

An event names its people and its action in the words an administrator reads ("Amara Okafor
(clinician)", "Exported the research daily table (web)"), worked out here from what the event
stored, so events written before the words existed read the same way.
"""

import datetime as dt
import itertools
import re
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from tracker.exports.datasets import DATASETS
from tracker.models import AuditAction, AuditEvent, Clinic, Patient, Role, User
from tracker.rules.guardians import GuardianScope

NAMES_BATCH = 500
EXPORT_WHAT = re.compile(r"^export (?P<slug>[a-z_]+) \((?P<via>[a-z]+)\)$")
# Page names whose plain "Viewed <what>" would not read well.
PAGE_WORDS = {
    "dashboard": "the dashboard",
    "export page": "the export page",
    "adherence overview": "the adherence overview",
    "api patient list": "the patient list (API)",
    "data dictionary": "the data dictionary",
}
ACTION_ALONE = {AuditAction.LOGIN, AuditAction.LOGOUT}
# A guardian's page names the part of the young person's record it shows (the scope): in words,
# "Viewed Maya Patel's plan". Pages are named guardian_<part> or live under family: (issue 16).
GUARDIAN_PART_WORDS = {
    GuardianScope.PLAN: "plan",
    GuardianScope.ADHERENCE: "brace and exercise adherence",
    GuardianScope.QUESTIONNAIRES: "questionnaires due",
    GuardianScope.CALENDAR: "check-in calendar",
    GuardianScope.PAIN: "pain trends",
    GuardianScope.LOG: "check-in",
    GuardianScope.REMINDERS: "check-in reminders",
}
GUARDIAN_PAGE = re.compile(r"^(?:family:)?(?:guardian )?(?P<part>.+)$")


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    who: str
    action: str
    patients: list[str]


def audit_events_for_clinic(
    *,
    clinic: Clinic,
    user: User | None = None,
    patient: Patient | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """The clinic's events, newest first; dates are whole days in the clinic's time zone."""
    events = AuditEvent.objects.filter(clinic=clinic).select_related("user")
    if user is not None:
        events = events.filter(user=user)
    if patient is not None:
        events = events.about(patient.pk)
    zone = zoneinfo.ZoneInfo(clinic.time_zone)
    if date_from is not None:
        events = events.filter(at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=zone))
    if date_to is not None:
        end = date_to + dt.timedelta(days=1)
        events = events.filter(at__lt=dt.datetime.combine(end, dt.time.min, tzinfo=zone))
    return events


def audit_rows(events: Iterable[AuditEvent], *, clinic: Clinic) -> Iterator[AuditRow]:
    """Each event in words, its patients by name: one query for the names of each batch."""
    iterator = iter(events)
    while batch := list(itertools.islice(iterator, NAMES_BATCH)):
        ids = {pk for event in batch for pk in _patient_ids(event)}
        names = {
            p.pk: p.name
            for p in Patient.objects.filter(clinic=clinic, pk__in=ids).select_related("user")
        }
        for event in batch:
            patients = sorted(names.get(pk, f"patient {pk}") for pk in _patient_ids(event))
            action = action_words(event.action, event.what)
            if event.role == Role.GUARDIAN and len(patients) == 1:
                action = guardian_action_words(event.action, event.what, patients[0]) or action
            yield AuditRow(event=event, who=person_words(event), action=action, patients=patients)


def _patient_ids(event: AuditEvent) -> list[int]:
    if event.patient_ids:
        return event.patient_ids
    return [event.patient_id] if event.patient_id else []


def person_words(event: AuditEvent) -> str:
    """The person in words, "Amara Okafor (clinician)": their name now, else their username."""
    name = (event.user.get_full_name() if event.user else "") or event.username
    if not name:
        return "Someone not signed in"
    role = Role(event.role).label.lower() if event.role in Role.values else ""
    return f"{name} ({role})" if role else name


def action_words(action: str, what: str) -> str:
    """The action in words: "Exported the research daily table (web)", "Signed in"."""
    action = AuditAction(action)
    if action in ACTION_ALONE:
        return action.label
    if action == AuditAction.EXPORT and (match := EXPORT_WHAT.match(what)):
        return f"Exported {dataset_words(match['slug'])} ({match['via']})"
    if action == AuditAction.EXPORT and what == "audit log CSV":
        return "Exported the audit log (CSV)"
    if action == AuditAction.LOGIN_FAILED:
        return action.label if what == "failed sign-in" else f"{action.label}: {what}"
    if action == AuditAction.TWO_FACTOR:
        return what[:1].upper() + what[1:]
    return f"{action.label} {PAGE_WORDS.get(what, what)}"


def guardian_action_words(action: str, what: str, patient: str) -> str:
    """A guardian's look at one young person's record: "Viewed Maya Patel's plan" ("" if the
    event is not a page view or change)."""
    verb = {AuditAction.VIEW: "Viewed", AuditAction.CHANGE: "Changed"}.get(AuditAction(action))
    match = GUARDIAN_PAGE.match(what)
    if verb is None or match is None:
        return ""
    part = match["part"]
    words = GUARDIAN_PART_WORDS.get(part) or next(
        (words for scope, words in GUARDIAN_PART_WORDS.items() if part.startswith(scope)), part
    )
    return f"{verb} {patient}'s {words}"


def dataset_words(slug: str) -> str:
    """A dataset in words: "the research daily table", "the FHIR record"."""
    if slug == "fhir":
        return "the FHIR record"
    if slug == "my_data":
        return "their own data (one zip file)"
    dataset = DATASETS.get(slug)
    if dataset is None:
        return f"the {slug.replace('_', ' ')} table"
    # The title without its brackets: "Daily table (everything per day)" is "daily table".
    core = re.sub(r"\s*\([^)]*\)", "", dataset.title).strip().lower()
    table = core if core.endswith("table") else f"{core} table"
    return f"the research {table}" if dataset.research else f"the {table}"
