"""Clinicians managing their patients: list, add, edit, discharge, care team, invite links."""

from django.contrib import messages
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from tracker.access import clinician_required, patient_for_clinician
from tracker.forms.people import PatientForm
from tracker.models import Patient
from tracker.selectors.guardians import links_of_patient
from tracker.services.people import (
    invite_create,
    patient_create,
    patient_discharge,
    patient_reactivate,
    patient_update,
)

INVITE_SESSION_KEY = "invite_link:{}"


def _issue_invite(request: HttpRequest, patient: Patient) -> None:
    """Create an invite, email it when we have an address, and show it once to the clinician."""
    invite, token = invite_create(patient=patient, created_by=request.user)
    link = request.build_absolute_uri(reverse("tracker:invite_accept", args=[token]))
    request.session[INVITE_SESSION_KEY.format(patient.pk)] = link
    if patient.user.email:
        send_mail(
            subject="Your ParsTrack invitation",
            message=(
                f"Hello {patient.user.first_name},\n\n"
                f"Your care team at {patient.clinic} has set up ParsTrack for you.\n"
                f"Open this link on your phone to choose a password:\n\n{link}\n\n"
                f"The link works once and expires on {invite.expires_at:%d %B %Y}."
            ),
            from_email=None,
            recipient_list=[patient.user.email],
        )


@clinician_required
@require_http_methods(["GET", "POST"])
def patient_add(request: HttpRequest) -> HttpResponse:
    clinic = request.user.clinic
    form = PatientForm(
        request.POST or None, clinic=clinic, initial={"treating_clinician": request.user}
    )
    if request.method == "POST" and form.is_valid():
        patient = patient_create(clinic=clinic, created_by=request.user, **form.cleaned_data)
        _issue_invite(request, patient)
        messages.success(request, f"{patient} was added. Give them the invite link below.")
        return redirect("tracker:patient_invite", patient_id=patient.pk)
    return render(request, "tracker/patients/patient_form.html", {"form": form, "adding": True})


@patient_for_clinician
def patient_detail(request: HttpRequest, patient: Patient) -> HttpResponse:
    today = patient.local_today()
    context = {
        "patient": patient,
        "care_team": patient.care_team.order_by("last_name", "first_name"),
        "latest_invite": patient.invites.first(),
        "guardian_rows": links_of_patient(patient),
        "today": today,
        "age": patient.age_on(today),
        "weeks_of_care": patient.weeks_of_care(today),
    }
    return render(request, "tracker/patients/patient_detail.html", context)


@patient_for_clinician
@require_http_methods(["GET", "POST"])
def patient_edit(request: HttpRequest, patient: Patient) -> HttpResponse:
    form = PatientForm(
        request.POST or None, clinic=patient.clinic, initial=PatientForm.initial_for(patient)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        # The editing clinician stays on the team: removing yourself would lock you out mid-edit.
        data["care_team"] = [*data["care_team"], request.user]
        patient = patient_update(patient=patient, **data)
        messages.success(request, "The patient's record was saved.")
        return redirect("tracker:patient_detail", patient_id=patient.pk)
    return render(
        request,
        "tracker/patients/patient_form.html",
        {"form": form, "patient": patient, "adding": False},
    )


@patient_for_clinician
@require_POST
def patient_discharge_view(request: HttpRequest, patient: Patient) -> HttpResponse:
    patient_discharge(patient=patient)
    messages.success(request, f"{patient} was discharged. Their data is kept.")
    return redirect("tracker:patient_detail", patient_id=patient.pk)


@patient_for_clinician
@require_POST
def patient_reactivate_view(request: HttpRequest, patient: Patient) -> HttpResponse:
    patient_reactivate(patient=patient)
    messages.success(request, f"{patient} is back in active care.")
    return redirect("tracker:patient_detail", patient_id=patient.pk)


@patient_for_clinician
@require_http_methods(["GET", "POST"])
def patient_invite(request: HttpRequest, patient: Patient) -> HttpResponse:
    """POST makes a new link; GET shows the link just made, once."""
    if request.method == "POST":
        if patient.user.is_active:
            messages.error(request, f"{patient} already has an account.")
            return redirect("tracker:patient_detail", patient_id=patient.pk)
        _issue_invite(request, patient)
        return redirect("tracker:patient_invite", patient_id=patient.pk)
    link = request.session.pop(INVITE_SESSION_KEY.format(patient.pk), None)
    return render(
        request,
        "tracker/patients/patient_invite.html",
        {"patient": patient, "link": link, "invite": patient.invites.first()},
    )
