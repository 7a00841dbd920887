"""The clinician's record of a patient: imaging studies and notes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from tracker.access import patient_for_clinician
from tracker.forms.records import ImagingForm, NoteForm
from tracker.models import Patient
from tracker.rules.slip import ROMAN
from tracker.selectors.records import imaging_rows, notes_for, thresholds_for
from tracker.services.records import imaging_create, note_create
from tracker.utils.forms import add_service_errors


@patient_for_clinician
def imaging_list(request: HttpRequest, patient: Patient) -> HttpResponse:
    thresholds = thresholds_for(patient.clinic_id)
    context = {
        "patient": patient,
        "rows": imaging_rows(patient, thresholds),
        "thresholds": thresholds,
        "high_grade_roman": ROMAN[thresholds.referral_slip_grade],
    }
    return render(request, "tracker/records/imaging_list.html", context)


@patient_for_clinician
@require_http_methods(["GET", "POST"])
def imaging_add(request: HttpRequest, patient: Patient) -> HttpResponse:
    today = patient.local_today()
    form = ImagingForm(request.POST or None, today=today, initial={"taken_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            study = imaging_create(patient=patient, created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{study.get_modality_display()} of {study.taken_on} saved.")
            return redirect("tracker:imaging_list", patient_id=patient.pk)
    return render(request, "tracker/records/imaging_form.html", {"patient": patient, "form": form})


@patient_for_clinician
@require_http_methods(["GET", "POST"])
def note_list(request: HttpRequest, patient: Patient) -> HttpResponse:
    """The patient's notes, newest first, with a form to add one."""
    today = patient.local_today()
    form = NoteForm(request.POST or None, today=today, initial={"written_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            note_create(patient=patient, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Note saved.")
            return redirect("tracker:note_list", patient_id=patient.pk)
    context = {"patient": patient, "form": form, "notes": notes_for(patient)}
    return render(request, "tracker/records/note_list.html", context)
