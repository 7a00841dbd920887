"""The one access rule for patient data.

A patient's data may be seen by the patient themself and by the clinicians of the patient's care
team; a parent or guardian sees the parts of a young patient's record their link allows (its
scope), while the link holds by the records of consent and assent and the young person's age
(tracker/rules/guardians.py). Nobody else: not other patients, not other clinicians of the clinic,
not administrators through the app. Every view, API endpoint and export fetches patients through
this module, and answers 404 (not 403) to anyone else, so that the existence of a record is not
revealed. Asked without a scope (the whole record), the rule shows a guardian nobody: only pages
built for a guardian name the part they show.
"""

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from tracker.models import AuditAction, GuardianLink, Patient, Role, User
from tracker.rules.guardians import SCOPE_FIELDS, ConsentHeld, ConsentKind, GuardianScope, LinkState
from tracker.rules.guardians import link_state as guardian_link_state
from tracker.services.audit import audit_record

# A guardian's home lists the young people they may see anything of: any part of the scope.
ANY_PART = "any"


def _signed_in(user: User | Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def visible_patients(
    user: User | Any, *, scope: GuardianScope | str | None = None
) -> QuerySet[Patient]:
    """Every patient whose data this user may see (possibly none).

    `scope` is the part of the record a guardian's page shows (GuardianScope, or ANY_PART for a
    list of names); patients and clinicians see the whole record whatever it says."""
    if not _signed_in(user):
        return Patient.objects.none()
    if user.role == Role.PATIENT:
        return Patient.objects.filter(user=user)
    if user.role == Role.CLINICIAN:
        return Patient.objects.filter(memberships__clinician=user)
    if user.role == Role.GUARDIAN and scope is not None:
        return Patient.objects.filter(
            pk__in=[link.patient_id for link in honoured_links(user, scope)]
        )
    return Patient.objects.none()


def honoured_links(user: User | Any, scope: GuardianScope | str = ANY_PART) -> list[GuardianLink]:
    """The guardian's links that give access now, for this part of the record (each with its
    patient, clinic and user), judged on each young person's own calendar day."""
    if not _signed_in(user) or user.role != Role.GUARDIAN:
        return []
    links = GuardianLink.objects.open().filter(guardian=user)
    if scope != ANY_PART:
        links = links.filter(**{SCOPE_FIELDS[GuardianScope(scope)]: True})
    links = list(links.select_related("patient__user", "patient__clinic").with_standing_consents())
    return [link for link in links if link_state_now(link) == LinkState.ACTIVE]


def link_state_now(link: GuardianLink, now: dt.datetime | None = None) -> LinkState:
    """The state of a link today (or at `now`) in the young person's time zone (its consents
    prefetched as `standing_consents`, or read here)."""
    standing = getattr(link, "standing_consents", None)
    if standing is None:
        standing = list(link.consents.filter(withdrawn_at__isnull=True))
    kinds = {record.kind for record in standing}
    patient = link.patient
    return guardian_link_state(
        born=patient.date_of_birth,
        today=patient.local_today(now),
        assent_age=patient.clinic.guardian_assent_age,
        held=ConsentHeld(
            permission=ConsentKind.GUARDIAN_PERMISSION in kinds,
            assent=ConsentKind.ASSENT in kinds,
            renewal=ConsentKind.ADULT_RENEWAL in kinds,
        ),
        ended=link.ended_at is not None,
    )


def _patient_pk(patient_id: Any) -> int:
    try:
        return int(patient_id)
    except (TypeError, ValueError):
        raise Http404("No such patient.") from None


def get_patient_for(
    user: User | Any, patient_id: Any, *, scope: GuardianScope | str | None = None
) -> Patient:
    """The patient with this id if the user may see them (a guardian: this part), else 404."""
    return get_object_or_404(
        visible_patients(user, scope=scope).select_related("user", "clinic", "treating_clinician"),
        pk=_patient_pk(patient_id),
    )


def guardian_link_for(
    user: User | Any, patient_id: Any, scope: GuardianScope | str = ANY_PART
) -> GuardianLink:
    """The guardian's honoured link to this patient allowing this part, else 404."""
    pk = _patient_pk(patient_id)
    for link in honoured_links(user, scope):
        if link.patient_id == pk:
            return link
    raise Http404("No such patient.")


def own_patient_record(user: User | Any) -> Patient:
    """The signed-in patient's own record; 404 for anyone who is not a patient."""
    patient = (
        visible_patients(user).filter(user=user).select_related("clinic").order_by("pk").first()
    )
    if patient is None:
        raise Http404("This page is for patients.")
    patient.user = user  # the very row filtered on: no second copy of the user to read
    return patient


ViewFunc = Callable[..., HttpResponse]


def clinician_required(view: ViewFunc) -> ViewFunc:
    """Signed-in clinicians only: anonymous users go to log in, everyone else gets 404."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.role != Role.CLINICIAN or request.user.clinic_id is None:
            raise Http404("This page is for clinicians.")
        return view(request, *args, **kwargs)

    return wrapper


def clinic_admin_required(view: ViewFunc) -> ViewFunc:
    """Signed-in clinic administrators of a clinic only; everyone else gets 404."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.role != Role.CLINIC_ADMIN or request.user.clinic_id is None:
            raise Http404("This page is for clinic administrators.")
        return view(request, *args, **kwargs)

    return wrapper


def patient_required(view: ViewFunc) -> ViewFunc:
    """Signed-in patients only; the view receives their record as `patient`."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, *args, patient=own_patient_record(request.user), **kwargs)

    return wrapper


def guardian_required(view: ViewFunc) -> ViewFunc:
    """Signed-in parents and guardians only: anonymous users go to log in, everyone else 404."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.role != Role.GUARDIAN:
            raise Http404("This page is for parents and guardians.")
        return view(request, *args, **kwargs)

    return wrapper


def patient_for_guardian(scope: GuardianScope | str) -> Callable[[ViewFunc], ViewFunc]:
    """Guardian views of one part of a young patient's record: `patient_id` in the URL becomes
    `link` (with `link.patient`), or 404 outside the link's scope. Every use is audited."""

    def decorate(view: ViewFunc) -> ViewFunc:
        @guardian_required
        @wraps(view)
        def wrapper(
            request: HttpRequest, patient_id: Any, *args: Any, **kwargs: Any
        ) -> HttpResponse:
            link = guardian_link_for(request.user, patient_id, scope)
            response = view(request, *args, link=link, **kwargs)
            audit_clinician_access(request, link.patient, response)
            return response

        return wrapper

    return decorate


def patient_for_clinician(view: ViewFunc) -> ViewFunc:
    """Clinician views of one patient: `patient_id` in the URL becomes `patient`, or 404.

    Every use is written to the audit trail: a change when a write succeeded (a redirect after
    POST), otherwise a view.
    """

    @clinician_required
    @wraps(view)
    def wrapper(request: HttpRequest, patient_id: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        patient = get_patient_for(request.user, patient_id)
        response = view(request, *args, patient=patient, **kwargs)
        audit_clinician_access(request, patient, response)
        return response

    return wrapper


def audit_clinician_access(request: HttpRequest, patient: Patient, response: HttpResponse) -> None:
    """Record a clinician's or guardian's access to one patient's data (views and API alike).

    An answer that is an error (405 to a HEAD or a wrong method, ...) showed none of the
    patient's data and is not recorded: pages re-shown with form errors answer 200 and are."""
    if response.status_code >= 400:
        return
    wrote = request.method not in {"GET", "HEAD", "OPTIONS"} and response.status_code in {
        201,
        204,
        301,
        302,
        303,
    }
    match = request.resolver_match
    what = match.view_name.removeprefix("tracker:").replace("_", " ") if match else request.path
    audit_record(
        request=request,
        patient=patient,
        action=AuditAction.CHANGE if wrote else AuditAction.VIEW,
        what=what,
    )
