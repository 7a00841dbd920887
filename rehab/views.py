"""Rehab pages: the patient's programme, and the clinician's prescribing pages and library."""

import datetime as dt
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from rehab import selectors, services
from rehab.adherence import as_percent
from rehab.forms import BraceForm, ExerciseForm, ProgrammeForm, SensorFileForm, StageForm
from rehab.models import Exercise, Phase
from rehab.selectors.sensor_files import sensors_with_files
from rehab.sensors.importing import sensor_file_import
from tracker.access import (
    clinician_required,
    own_patient_record,
    patient_for_clinician,
    patient_required,
    visible_patients,
)
from tracker.models import AuditAction, Patient, Role
from tracker.rules.thresholds import THRESHOLD_INFO
from tracker.security.uploads import IMAGE_SUFFIXES
from tracker.selectors.adherence import patient_window_adherence, window_adherence
from tracker.selectors.records import thresholds_for
from tracker.services.audit import audit_patients
from tracker.utils.forms import add_service_errors

# The weekly breakdowns (Monday to Sunday) under the headline figure, which is the assessment's
# rolling adherence window (tracker.selectors.adherence).
ADHERENCE_WEEKS_PATIENT = 4
ADHERENCE_WEEKS_CLINICIAN = 8


# --- Patient ----------------------------------------------------------------------------------


@patient_required
def my_programme(request: HttpRequest, patient: Patient) -> HttpResponse:
    today = patient.local_today()
    items = selectors.programme_items_on(patient, today)
    brace = selectors.brace_on(patient, today)
    start, end = selectors.recent_weeks(today, ADHERENCE_WEEKS_PATIENT)
    weekly = selectors.adherence_for_patient(patient, start, end)
    context = {
        "patient": patient,
        "today": today,
        "phases": selectors.items_by_phase(items),
        "brace": brace,
        "brace_target": brace.target_on(today) if brace else None,
        "stage": selectors.stage_on(patient, today),
        "summary": patient_window_adherence(patient),
        "weeks": list(reversed(weekly.weeks)),
    }
    return render(request, "rehab/my_programme.html", context)


# --- Clinician: one patient --------------------------------------------------------------------


@patient_for_clinician
def patient_rehab(request: HttpRequest, patient: Patient) -> HttpResponse:
    today = patient.local_today()
    start, end = selectors.recent_weeks(today, ADHERENCE_WEEKS_CLINICIAN)
    weekly = selectors.adherence_for_patient(patient, start, end)
    brace = selectors.brace_on(patient, today)
    context = {
        "patient": patient,
        "today": today,
        "phases": selectors.items_by_phase(selectors.programme_items_on(patient, today)),
        "programme": selectors.programme_on(patient, today),
        "brace": brace,
        "brace_target": brace.target_on(today) if brace else None,
        "stage": selectors.stage_on(patient, today),
        "summary": patient_window_adherence(patient),
        "weeks": list(reversed(weekly.weeks)),
        "programmes": selectors.programme_history(patient),
        "braces": selectors.brace_history(patient),
        "stages": selectors.stage_history(patient),
        "events": list(
            reversed(
                selectors.timeline_events(
                    patient, dt.date(2000, 1, 1), today + dt.timedelta(days=366)
                )
            )
        ),
    }
    return render(request, "rehab/patient_rehab.html", context)


@patient_for_clinician
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, patient: Patient) -> HttpResponse:
    today = patient.local_today()
    current = selectors.programme_items_on(patient, today)
    library = list(selectors.exercises_for_clinic(patient.clinic_id).order_by("name"))
    # Exercises archived since they were prescribed stay choosable for this patient.
    library += [i.exercise for i in current if i.exercise not in library]
    library.sort(key=lambda e: (Phase.rank(e.phase), e.name))
    form = ProgrammeForm(
        request.POST or None,
        exercises=library,
        current=current,
        initial={"valid_from": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_prescribe(
                patient=patient,
                prescribed_by=request.user,
                valid_from=form.cleaned_data["valid_from"],
                items=[services.ItemSpec(**item) for item in form.items()],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "The new programme was saved. The old one is kept in history."
            )
            return redirect("rehab:patient_rehab", patient_id=patient.pk)
    return render(request, "rehab/programme_form.html", {"patient": patient, "form": form})


@patient_for_clinician
@require_http_methods(["GET", "POST"])
def brace_edit(request: HttpRequest, patient: Patient) -> HttpResponse:
    today = patient.local_today()
    current = selectors.brace_on(patient, today)
    initial = {"valid_from": today}
    if current is not None:
        initial.update(
            kind=current.kind,
            target_hours=current.target_hours,
            planned_end=current.planned_end,
            wean_from=current.wean_from,
            wean_hours=current.wean_hours,
        )
    form = BraceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.brace_prescribe(patient=patient, prescribed_by=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The brace prescription was saved.")
            return redirect("rehab:patient_rehab", patient_id=patient.pk)
    return render(
        request, "rehab/brace_form.html", {"patient": patient, "form": form, "current": current}
    )


@patient_for_clinician
@require_http_methods(["GET", "POST"])
def stage_edit(request: HttpRequest, patient: Patient) -> HttpResponse:
    today = patient.local_today()
    current = selectors.stage_on(patient, today)
    initial = {"valid_from": today, "stage": current.stage if current else None}
    form = StageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_stage_set(
                patient=patient, prescribed_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The activity stage was saved. The patient sees it now.")
            return redirect("rehab:patient_rehab", patient_id=patient.pk)
    return render(
        request, "rehab/stage_form.html", {"patient": patient, "form": form, "current": current}
    )


@patient_for_clinician
@require_http_methods(["GET", "POST"])
def brace_sensor_import(request: HttpRequest, patient: Patient) -> HttpResponse:
    form = SensorFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = sensor_file_import(
                patient=patient,
                content=data["file"],
                file_name=request.FILES["file"].name,
                imported_by=request.user,
                serial=data["serial"],
                date_order=data["date_order"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if result.already_imported:
                messages.info(request, result.summary())
            else:
                messages.success(request, f"Imported {result.sensor}: {result.summary()}.")
            return redirect("rehab:brace_sensor_import", patient_id=patient.pk)
    t = thresholds_for(patient.clinic_id)
    context = {
        "patient": patient,
        "form": form,
        "sensors": sensors_with_files(patient),
        "worn_celsius": t.sensor_worn_celsius,
        "off_below": t.sensor_worn_celsius - t.sensor_hysteresis_celsius,
        "worn_source": THRESHOLD_INFO["sensor_worn_celsius"].source,
    }
    return render(request, "rehab/brace_sensor_import.html", context)


# --- Clinician: whole patient list --------------------------------------------------------------


@clinician_required
def adherence_overview(request: HttpRequest) -> HttpResponse:
    patients = list(
        visible_patients(request.user)
        .filter(status=Patient.Status.ACTIVE)
        .select_related("user", "clinic")
    )
    # Each patient's figure is the assessment's: their clinic's window, ending on their own today.
    summaries = window_adherence(patients)
    rows = [
        {
            "patient": p,
            "summary": summaries[p.pk],
            "exercise": as_percent(summaries[p.pk].exercise),
            "brace": as_percent(summaries[p.pk].brace),
        }
        for p in patients
    ]
    lengths = {summary.days for summary in summaries.values()}
    # A clinic-wide page outside the one-patient decorator: each patient shown is recorded.
    audit_patients(
        request=request, patients=patients, action=AuditAction.VIEW, what="adherence overview"
    )
    return render(
        request,
        "rehab/adherence_overview.html",
        {"rows": rows, "window_days": lengths.pop() if len(lengths) == 1 else None},
    )


# --- Clinician: the clinic's exercise library --------------------------------------------------


def _library_exercise(request: HttpRequest, exercise_id: int, *, own: bool) -> Exercise:
    """An exercise this clinician's clinic may see (own=True: only the clinic's own), else 404."""
    exercises = selectors.exercises_for_clinic(request.user.clinic_id, active_only=False)
    if own:
        exercises = exercises.filter(clinic_id=request.user.clinic_id)
    return get_object_or_404(exercises, pk=exercise_id)


@clinician_required
def library(request: HttpRequest) -> HttpResponse:
    exercises = selectors.exercises_for_clinic(request.user.clinic_id, active_only=False)
    ordered = sorted(exercises, key=lambda e: (not e.is_active, Phase.rank(e.phase), e.name))
    return render(request, "rehab/library.html", {"exercises": ordered})


@clinician_required
def exercise_detail(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = _library_exercise(request, exercise_id, own=False)
    return render(request, "rehab/exercise_detail.html", {"exercise": exercise})


@clinician_required
@require_http_methods(["GET", "POST"])
def exercise_add(request: HttpRequest) -> HttpResponse:
    form = ExerciseForm(request.POST or None, request.FILES or None, clinic=request.user.clinic)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ExerciseForm.Meta.fields}
        data["image"] = data["image"] or ""
        try:
            exercise = services.exercise_create(
                clinic=request.user.clinic, created_by=request.user, **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{exercise}” was added to your clinic's library.")
            return redirect("rehab:exercise_detail", exercise_id=exercise.pk)
    return render(request, "rehab/exercise_form.html", {"form": form, "adding": True})


@clinician_required
@require_http_methods(["GET", "POST"])
def exercise_edit(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = _library_exercise(request, exercise_id, own=True)
    form = ExerciseForm(
        request.POST or None, request.FILES or None, instance=exercise, clinic=exercise.clinic
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ExerciseForm.Meta.fields}
        if not data["image"]:  # None: there was none; False: the clinician cleared it
            data["image"] = ""
        # The form already put its values on the instance; reload so the service sees the change.
        exercise.refresh_from_db()
        try:
            services.exercise_update(exercise=exercise, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{exercise}” was saved.")
            return redirect("rehab:exercise_detail", exercise_id=exercise.pk)
    return render(
        request, "rehab/exercise_form.html", {"form": form, "exercise": exercise, "adding": False}
    )


@clinician_required
@require_POST
def exercise_archive(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = _library_exercise(request, exercise_id, own=True)
    services.exercise_set_active(exercise=exercise, active=not exercise.is_active)
    state = "restored" if exercise.is_active else "archived"
    messages.success(request, f"“{exercise}” was {state}.")
    return redirect("rehab:exercise_detail", exercise_id=exercise.pk)


@login_required
def exercise_image(request: HttpRequest, exercise_id: int) -> HttpResponse:
    """An exercise's picture, only for the users of the clinic it belongs to."""
    user = request.user
    if user.role == Role.CLINICIAN and user.clinic_id:
        clinic_id = user.clinic_id
    elif user.role == Role.PATIENT:
        clinic_id = own_patient_record(user).clinic_id
    else:
        raise Http404("No such picture.")
    exercise = get_object_or_404(
        selectors.exercises_for_clinic(clinic_id, active_only=False), pk=exercise_id
    )
    # Served only as the picture it was checked to be (tracker/security/uploads.py).
    content_type = IMAGE_SUFFIXES.get(Path(exercise.image.name).suffix.lower())
    if content_type is None:
        raise Http404("No such picture.")
    try:
        handle = exercise.image.open("rb")
    except FileNotFoundError:
        raise Http404("No such picture.") from None
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response
