"""Writes for guardian links: create one, give or withdraw consent and assent, end one, change
its scope. Each takes effect at once: the access rule reads these rows on every request."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tracker.models import ConsentRecord, GuardianLink, Patient, Role, User
from tracker.rules.guardians import (
    SCOPE_FIELDS,
    WORDING,
    ConsentKind,
    GuardianRelationship,
    GuardianScope,
    LinkEnd,
)

# Who gives each record: the guardian their permission, the young person the rest.
WITHDRAWN_END = {
    ConsentKind.GUARDIAN_PERMISSION: LinkEnd.PERMISSION_WITHDRAWN,
    ConsentKind.ASSENT: LinkEnd.ASSENT_WITHDRAWN,
    ConsentKind.ADULT_RENEWAL: LinkEnd.ASSENT_WITHDRAWN,
}


def _scope_values(scope: Iterable[GuardianScope]) -> dict[str, bool]:
    chosen = {GuardianScope(part) for part in scope}
    return {field: part in chosen for part, field in SCOPE_FIELDS.items()}


def _giver_problem(link: GuardianLink, kind: ConsentKind, by: User) -> str:
    if kind == ConsentKind.GUARDIAN_PERMISSION:
        return "" if by.pk == link.guardian_id else "Only the guardian gives their permission."
    if by.pk != link.patient.user_id:
        return "Only the young person confirms a guardian's access."
    return ""


@transaction.atomic
def guardian_link_create(
    *,
    patient: Patient,
    guardian: User,
    relationship: GuardianRelationship,
    scope: Iterable[GuardianScope],
    by: User,
) -> GuardianLink:
    """Link a guardian to a young patient with a scope; it gives no access until permission
    (and, from the clinic's assent age, the young person's confirmation) is recorded."""
    if guardian.role != Role.GUARDIAN:
        raise ValidationError({"guardian": ["That account is not a parent or guardian's."]})
    if GuardianLink.objects.open().filter(guardian=guardian, patient=patient).exists():
        raise ValidationError({"guardian": ["This person is already linked to this patient."]})
    return GuardianLink.objects.create(
        guardian=guardian,
        patient=patient,
        relationship=relationship,
        invited_by=by,
        **_scope_values(scope),
    )


@transaction.atomic
def consent_give(
    *, link: GuardianLink, kind: ConsentKind, by: User, now: dt.datetime | None = None
) -> ConsentRecord:
    """Record a permission, an assent or an adult's renewal, with the wording version shown."""
    locked = GuardianLink.objects.select_for_update().select_related("patient").get(pk=link.pk)
    if locked.ended_at is not None:
        raise ValidationError("This access has ended; the care team can send a new invitation.")
    problem = _giver_problem(locked, ConsentKind(kind), by)
    if problem:
        raise ValidationError(problem)
    standing = locked.consents.filter(kind=kind, withdrawn_at__isnull=True).first()
    if standing is not None:
        return standing
    version, _ = WORDING[ConsentKind(kind)]
    return ConsentRecord.objects.create(
        link=locked,
        kind=kind,
        wording_version=version,
        given_by=by,
        given_at=now or timezone.now(),
    )


@transaction.atomic
def consent_withdraw(
    *, link: GuardianLink, kind: ConsentKind, by: User, now: dt.datetime | None = None
) -> GuardianLink:
    """Withdraw a permission or an assent: one action, and the guardian's access ends at once."""
    moment = now or timezone.now()
    locked = GuardianLink.objects.select_for_update().select_related("patient").get(pk=link.pk)
    problem = _giver_problem(locked, ConsentKind(kind), by)
    if problem:
        raise ValidationError(problem)
    locked.consents.filter(kind=kind, withdrawn_at__isnull=True).update(
        withdrawn_at=moment, withdrawn_by=by
    )
    return _end(locked, WITHDRAWN_END[ConsentKind(kind)], by, moment)


@transaction.atomic
def guardian_link_end(
    *, link: GuardianLink, reason: LinkEnd, by: User | None, now: dt.datetime | None = None
) -> GuardianLink:
    """End a link (the care team removes it; the daily job, `by` None, at 18 without a renewal)."""
    locked = GuardianLink.objects.select_for_update().get(pk=link.pk)
    return _end(locked, reason, by, now or timezone.now())


def _end(link: GuardianLink, reason: LinkEnd, by: User | None, moment: dt.datetime) -> GuardianLink:
    if link.ended_at is None:
        link.ended_at, link.end_reason, link.ended_by = moment, reason, by
        link.save(update_fields=["ended_at", "end_reason", "ended_by", "updated_at"])
    return link


@transaction.atomic
def guardian_scope_set(
    *, link: GuardianLink, scope: Iterable[GuardianScope], by: User
) -> GuardianLink:
    """Change what a guardian may see or do (the history keeps the previous scope and who)."""
    locked = GuardianLink.objects.select_for_update().get(pk=link.pk)
    if locked.ended_at is not None:
        raise ValidationError("This access has ended.")
    for field, value in _scope_values(scope).items():
        setattr(locked, field, value)
    locked._change_reason = f"scope changed by {by}"
    locked.save()
    return locked
