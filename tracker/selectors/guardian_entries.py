"""Reads for check-ins a guardian enters (issue 16; docs/guardians.md "Entries made by a
guardian"): whether a guardian may open a day, the days they may log, and who entered each day, in
words, for the pages that show entries."""

import datetime as dt
from collections.abc import Iterable

from tracker.models import DiaryEntry, GuardianLink, Patient, User
from tracker.rules.checkin import open_days
from tracker.rules.guardian_entries import entered_by_words, guardian_day_problem


def guardian_day_taken(*, patient: Patient, day: dt.date, guardian: User) -> str:
    """Why a guardian may not open this day's check-in ("" if they may): it holds the answers of
    the young person or another guardian."""
    entry = DiaryEntry.objects.filter(patient=patient, day=day).only("created_by", "updated_by")
    entry = entry.first()
    if entry is None:
        return ""
    return guardian_day_problem(
        name=patient.user.first_name,
        created_by=entry.created_by_id,
        updated_by=entry.updated_by_id,
        guardian=guardian.pk,
    )


def guardian_open_days(*, patient: Patient) -> list[dt.date]:
    """The days a guardian may still log for the young person: today and the window's days
    with no check-in yet, newest first."""
    if not patient.is_active:
        return []
    today = patient.local_today()
    logged = set(
        DiaryEntry.objects.filter(
            patient=patient, day__gte=today - dt.timedelta(days=31)
        ).values_list("day", flat=True)
    )
    days = [today] if today not in logged and today >= patient.enrolled_on else []
    return days + open_days(today=today, enrolled_on=patient.enrolled_on, logged=logged)


def relationships_of(*, patient: Patient, users: Iterable[User | None]) -> dict[int, str]:
    """How each guardian among `users` is related to the patient ("Parent", ...); one query, none
    when no guardian is among them."""
    ids = {user.pk for user in users if user is not None and user.role == "guardian"}
    if not ids:
        return {}
    links = GuardianLink.objects.filter(patient=patient, guardian_id__in=ids).order_by("pk")
    return {link.guardian_id: link.get_relationship_display() for link in links}


def _who(user: User, relationships: dict[int, str], viewer: User | None) -> str:
    return entered_by_words(
        role=user.role,
        name=user.get_full_name() or user.username,
        relationship=relationships.get(user.pk, ""),
        you=viewer is not None and viewer.pk == user.pk,
    )


def entered_by_line(
    *,
    patient: Patient,
    created_by: User | None,
    updated_by: User | None,
    relationships: dict[int, str],
    viewer: User | None = None,
) -> str:
    """ "Entered by Asha Patel (parent)" (and "; changed by ..." when someone else saved it since)
    for a day someone other than the young person entered or changed; "" for their own."""
    authors = [user for user in (created_by, updated_by) if user is not None]
    if all(user.pk == patient.user_id for user in authors):
        return ""
    line = _who(authors[0], relationships, viewer)
    if updated_by is not None and created_by is not None and updated_by.pk != created_by.pk:
        changed = _who(updated_by, relationships, viewer).replace("Entered by", "changed by")
        line = f"{line}; {changed}"
    return line


def entries_entered_by(
    *, patient: Patient, entries: list[DiaryEntry], viewer: User | None = None
) -> list[DiaryEntry]:
    """The entries (created_by and updated_by selected) each with `entered_by`, in words."""
    users = [u for e in entries for u in (e.created_by, e.updated_by)]
    relationships = relationships_of(patient=patient, users=users)
    for entry in entries:
        entry.entered_by = entered_by_line(
            patient=patient,
            created_by=entry.created_by,
            updated_by=entry.updated_by,
            relationships=relationships,
            viewer=viewer,
        )
    return entries


def versions_entered_by(*, patient: Patient, versions: list, viewer: User | None = None) -> list:
    """An entry's versions (`VersionView`s, recorded_by selected), each version with `entered_by`
    ("Entered by Asha Patel (parent)", "Entered by you"; "" when unknown)."""
    users = [view.version.recorded_by for view in versions]
    relationships = relationships_of(patient=patient, users=users)
    for view in versions:
        by = view.version.recorded_by
        view.version.entered_by = "" if by is None else _who(by, relationships, viewer)
    return versions
