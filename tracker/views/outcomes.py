"""Outcome questionnaires: patients answer on their phone; clinicians schedule and read them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from tracker.access import patient_for_clinician, patient_required
from tracker.forms.outcomes import ActivitiesForm, AnswersForm, ScheduleForm
from tracker.models import Instrument, Patient, QuestionnaireResponse
from tracker.rules.outcomes.schedule import DEFAULT_INTERVAL_WEEKS
from tracker.rules.outcomes.steps import ACTIVITIES, first_open_step, max_skipped, steps_for
from tracker.selectors.outcomes import due_for_patient, schedule_rows, score_series
from tracker.services.outcomes import (
    outcome_schedule_set,
    response_correct_start,
    response_discard,
    response_save_answers,
    response_start,
    response_submit,
)

# --- Patient side ---------------------------------------------------------------------------


def _own_response(patient: Patient, response_id: int, **filters) -> QuestionnaireResponse:
    return get_object_or_404(
        QuestionnaireResponse.objects.select_related("instrument", "replaces"),
        pk=response_id,
        patient=patient,
        **filters,
    )


def _steps(response: QuestionnaireResponse) -> list:
    return steps_for(
        definition=response.instrument.definition,
        items=response.instrument.items(),
        activities=response.activities,
        names_activities=response.is_baseline,
    )


@patient_required
def questionnaire_list(request: HttpRequest, patient: Patient) -> HttpResponse:
    today = patient.local_today()
    done = (
        QuestionnaireResponse.objects.filter(
            patient=patient, status=QuestionnaireResponse.Status.SUBMITTED
        )
        .select_related("instrument", "replaced_by")
        .order_by("-submitted_at")
    )
    context = {"due": due_for_patient(patient, today), "done": done, "patient": patient}
    return render(request, "tracker/outcomes/questionnaire_list.html", context)


@patient_required
@require_POST
def questionnaire_start(request: HttpRequest, patient: Patient, code: str) -> HttpResponse:
    schedule = get_object_or_404(
        patient.outcome_schedules.select_related("instrument"), instrument__code=code, active=True
    )
    try:
        response = response_start(
            patient=patient, schedule=schedule, entered_by=request.user, today=patient.local_today()
        )
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect("tracker:patient_home")
    spec = response.instrument.definition.get("activities") or {}
    step = first_open_step(
        _steps(response),
        response.answers,
        response.activities,
        min_activities=spec.get("min", 0),
    )
    return redirect("tracker:questionnaire_step", response_id=response.pk, step=step)


@patient_required
@require_http_methods(["GET", "POST"])
def questionnaire_step(
    request: HttpRequest, patient: Patient, response_id: int, step: int
) -> HttpResponse:
    response = _own_response(patient, response_id, status=QuestionnaireResponse.Status.DRAFT)
    instrument = response.instrument
    steps = _steps(response)
    if not 1 <= step <= len(steps):
        raise Http404("No such step.")
    current = steps[step - 1]
    definition = instrument.definition
    if (
        current.kind != ACTIVITIES
        and instrument.has_activities
        and len(response.activities) < definition["activities"]["min"]
    ):
        return redirect("tracker:questionnaire_step", response_id=response.pk, step=1)
    data = request.POST if request.method == "POST" else None
    later = data is not None and "later" in data
    skip = data is not None and "skip" in data
    if current.kind == ACTIVITIES:
        form = ActivitiesForm(
            data, spec=definition["activities"], initial_activities=response.activities
        )
    else:
        initial = {
            f"item_{item['key']}": response.answers.get(item["key"]) for item in current.items
        }
        form = AnswersForm(
            data, items=list(current.items), require=not (later or skip), initial=initial
        )
    if later and current.kind == ACTIVITIES:
        # Leaving halfway keeps whatever activities are named so far, even fewer than needed.
        spec = definition["activities"]
        named = [
            (data.get(f"activity_{n}") or "").strip()[: spec["max_length"]]
            for n in range(1, spec["max"] + 1)
        ]
        response_save_answers(response=response, answers={}, activities=[a for a in named if a])
        messages.success(request, "Your answers are saved. You can finish later.")
        return redirect("tracker:patient_home")
    if data is not None and form.is_valid():
        done = _save_step(request, response, current, form, skip=skip)
        if done and later:
            messages.success(request, "Your answers are saved. You can finish later.")
            return redirect("tracker:patient_home")
        if done and step < len(steps):
            return redirect("tracker:questionnaire_step", response_id=response.pk, step=step + 1)
        if done:
            try:
                response_submit(response=response)
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                messages.success(request, "Thank you! Your answers were sent to your care team.")
                return redirect("tracker:patient_home")
    context = {
        "response": response,
        "instrument": instrument,
        "step": current,
        "number": step,
        "total": len(steps),
        "form": form,
        "can_skip": current.kind != ACTIVITIES
        and max_skipped(definition) > 0
        and len(current.items) == 1,
        "is_last": step == len(steps),
        "activities_spec": definition.get("activities"),
    }
    return render(request, "tracker/outcomes/questionnaire_step.html", context)


def _save_step(request, response, current, form, *, skip: bool) -> bool:
    """Store this screen's answers on the draft; False (with an error on the form) if refused."""
    if current.kind == ACTIVITIES:
        response_save_answers(response=response, answers={}, activities=form.activities())
        return True
    if skip:
        allowed = max_skipped(response.instrument.definition)
        skipped = sum(
            1
            for key, value in response.answers.items()
            if value is None and key not in {i["key"] for i in current.items}
        )
        if skipped + len(current.items) > allowed:
            field = f"item_{current.items[0]['key']}"
            form.add_error(
                field,
                f"You have already skipped {skipped} questions, the most allowed. "
                "Please pick the answer that fits best.",
            )
            return False
        response_save_answers(response=response, answers={i["key"]: None for i in current.items})
        return True
    response_save_answers(response=response, answers=form.answers())
    return True


@patient_required
@require_POST
def questionnaire_correct(request: HttpRequest, patient: Patient, response_id: int) -> HttpResponse:
    response = _own_response(patient, response_id, status=QuestionnaireResponse.Status.SUBMITTED)
    try:
        draft = response_correct_start(response=response, entered_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("tracker:questionnaire_list")
    return redirect("tracker:questionnaire_step", response_id=draft.pk, step=1)


@patient_required
@require_POST
def questionnaire_discard(request: HttpRequest, patient: Patient, response_id: int) -> HttpResponse:
    response = _own_response(patient, response_id, status=QuestionnaireResponse.Status.DRAFT)
    response_discard(response=response)
    messages.success(request, "Those unfinished answers were thrown away.")
    return redirect("tracker:questionnaire_list")


# --- Clinician side -------------------------------------------------------------------------


@patient_for_clinician
def patient_outcomes(request: HttpRequest, patient: Patient) -> HttpResponse:
    today = patient.local_today()
    series = score_series([patient])[patient.pk]
    instruments = list(Instrument.objects.all())
    context = {
        "patient": patient,
        "today": today,
        "rows": schedule_rows(patient, today),
        "series": [series[i.code] for i in instruments if i.code in series],
        "unavailable": [i for i in instruments if not i.is_available],
    }
    return render(request, "tracker/outcomes/patient_outcomes.html", context)


@patient_for_clinician
@require_http_methods(["GET", "POST"])
def patient_outcome_schedule(request: HttpRequest, patient: Patient) -> HttpResponse:
    instruments = list(Instrument.objects.all())
    existing = {s.instrument_id: s for s in patient.outcome_schedules.all()}
    initial_rows = {
        i.pk: {
            "active": existing[i.pk].active if i.pk in existing else False,
            "interval_weeks": existing[i.pk].interval_weeks
            if i.pk in existing
            else DEFAULT_INTERVAL_WEEKS,
            "starts_on": existing[i.pk].starts_on if i.pk in existing else patient.enrolled_on,
        }
        for i in instruments
    }
    form = ScheduleForm(request.POST or None, instruments=instruments, initial_rows=initial_rows)
    if request.method == "POST" and form.is_valid():
        for instrument in instruments:
            if not instrument.is_available:
                continue
            active = form.cleaned_data[f"{instrument.code}_active"]
            if not active and instrument.pk not in existing:
                continue
            outcome_schedule_set(
                patient=patient,
                instrument=instrument,
                active=active,
                interval_weeks=form.cleaned_data[f"{instrument.code}_interval_weeks"],
                starts_on=form.cleaned_data[f"{instrument.code}_starts_on"],
                set_by=request.user,
            )
        messages.success(request, "The questionnaire schedule was saved.")
        return redirect("tracker:patient_outcomes", patient_id=patient.pk)
    return render(
        request,
        "tracker/outcomes/schedule_form.html",
        {"patient": patient, "form": form, "rows": form.rows()},
    )


@patient_for_clinician
def patient_response(request: HttpRequest, patient: Patient, response_id: int) -> HttpResponse:
    response = get_object_or_404(
        QuestionnaireResponse.objects.select_related("instrument", "replaces", "entered_by"),
        pk=response_id,
        patient=patient,
        status=QuestionnaireResponse.Status.SUBMITTED,
    )
    corrected_by = QuestionnaireResponse.objects.filter(
        replaces=response, status=QuestionnaireResponse.Status.SUBMITTED
    ).first()
    steps = _steps(response)
    answers = [
        {
            "section": item.get("section") or "",
            "label": item["label"] if response.instrument.is_available else item.get("section"),
            "value": response.answers.get(item["key"]),
            "answer": _answer_label(item, response.answers.get(item["key"])),
        }
        for step in steps
        if step.kind != ACTIVITIES
        for item in step.items
    ]
    context = {
        "patient": patient,
        "response": response,
        "answers": answers,
        "corrected_by": corrected_by,
    }
    return render(request, "tracker/outcomes/response_detail.html", context)


def _answer_label(item: dict, value: int | None) -> str:
    if value is None:
        return "Skipped"
    for option in item.get("options") or []:
        if option["value"] == value:
            return option["label"]
    return str(value)
