"""Writes to the audit trail. Every record goes through `audit_record`.

Views of one patient are recorded by the access rule (`tracker.access.patient_for_clinician`), so
a new clinician page is audited by using that decorator. Exports call `audit_export` naming every
patient in the file; pages listing several patients' data call `audit_patients`: one event per
page view or export, its patients in `patient_ids` (searched with `AuditEvent.objects.about`).
Sign-in and sign-out are recorded from Django's auth signals (tracker.apps).
"""

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest

from tracker.models import AuditAction, AuditEvent, Patient, User
from tracker.security.policy import client_ip

WHAT_MAX = 200


def audit_record(
    *,
    action: AuditAction | str,
    what: str,
    request: HttpRequest | None = None,
    user: User | Any = None,
    patient: Patient | None = None,
    clinic_id: int | None = None,
) -> AuditEvent:
    """Append one event: who (from the request or `user`), which patient, what, when, where."""
    event = _event(action=action, what=what, request=request, user=user, patient=patient)
    if clinic_id is not None and patient is None:
        # Sign-ins: a patient's clinic is on Patient, and a failed sign-in has no user.
        event.clinic_id = clinic_id
    event.save()
    return event


def _event(
    *,
    action: AuditAction | str,
    what: str,
    request: HttpRequest | None,
    user: User | Any,
    patient: Patient | None,
) -> AuditEvent:
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    clinic_id = patient.clinic_id if patient is not None else getattr(user, "clinic_id", None)
    return AuditEvent(
        user=user,
        username=user.get_username() if user else "",
        role=getattr(user, "role", "") if user else "",
        clinic_id=clinic_id,
        patient=patient,
        patient_ids=[patient.pk] if patient is not None else None,
        action=AuditAction(action),
        what=what[:WHAT_MAX],
        ip_address=client_ip(request) if request is not None else None,
        method=(request.method or "")[:10] if request is not None else "",
        # The path only: query strings may carry search words or tokens.
        path=request.path[:300] if request is not None else "",
    )


def audit_export(
    *,
    request: HttpRequest,
    patients: Iterable[Patient],
    what: str,
) -> list[AuditEvent]:
    """Record an export: one event naming every patient whose data is in the file."""
    return audit_patients(request=request, patients=patients, action=AuditAction.EXPORT, what=what)


def audit_patients(
    *,
    request: HttpRequest,
    patients: Iterable[Patient],
    action: AuditAction | str,
    what: str,
) -> list[AuditEvent]:
    """Record one page view (a list page, an export) as one event naming all its patients, in
    one insert; a patient named twice (a dashboard row with a warning sign in the box above) is
    named once. Patients of another clinic (none today: a care team is one clinic's) would get
    their clinic's own event, so each clinic's administrators see what concerns their clinic."""
    # Who, what and where are the request's: worked out once, not once a patient.
    base = _event(request=request, user=None, patient=None, action=action, what=what)
    by_clinic: dict[int, dict[int, Patient]] = {}
    for patient in patients:
        by_clinic.setdefault(patient.clinic_id, {})[patient.pk] = patient
    return AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                user=base.user,
                username=base.username,
                role=base.role,
                clinic_id=clinic_id,
                # One patient: named in `patient` too, as a one-patient page's event is.
                patient=next(iter(shown.values())) if len(shown) == 1 else None,
                patient_ids=sorted(shown),
                action=base.action,
                what=base.what,
                ip_address=base.ip_address,
                method=base.method,
                path=base.path,
            )
            for clinic_id, shown in by_clinic.items()
        ]
    )
