"""The one access rule for patient data.

A patient's data may be seen by the patient themself and by the clinicians of the patient's care
team. Nobody else: not other patients, not other clinicians of the clinic, not administrators
through the app. Every view, API endpoint and export fetches patients through this module, and
answers 404 (not 403) to anyone else, so that the existence of a record is not revealed.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from tracker.models import AuditAction, Patient, Role, User
from tracker.services.audit import audit_record


def visible_patients(user: User | Any) -> QuerySet[Patient]:
    """Every patient whose data this user may see (possibly none)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Patient.objects.none()
    if user.role == Role.PATIENT:
        return Patient.objects.filter(user=user)
    if user.role == Role.CLINICIAN:
        return Patient.objects.filter(memberships__clinician=user)
    return Patient.objects.none()


def get_patient_for(user: User | Any, patient_id: Any) -> Patient:
    """The patient with this id if the user may see them, else 404."""
    try:
        pk = int(patient_id)
    except (TypeError, ValueError):
        raise Http404("No such patient.") from None
    return get_object_or_404(
        visible_patients(user).select_related("user", "clinic", "treating_clinician"), pk=pk
    )


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
    """Record a clinician's access to one patient's data (views and API endpoints alike).

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
