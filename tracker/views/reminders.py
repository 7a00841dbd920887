"""The patient's check-in reminder settings, and the one-click stop link from a reminder email."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tracker.access import patient_required
from tracker.forms.reminders import ReminderPreferenceForm
from tracker.models import Patient
from tracker.rules.reminders import ReminderChannel, plan_summary
from tracker.selectors.push import push_configured, push_control_for
from tracker.services.reminders import (
    StopLinkInvalid,
    guardian_reminders_stop,
    guardian_stop_link,
    reminder_preference_for,
    reminder_preference_set,
    reminders_stop,
    stop_link_patient,
)
from tracker.utils.forms import add_service_errors


@require_http_methods(["GET", "POST"])
@patient_required
def reminder_settings(request: HttpRequest, patient: Patient) -> HttpResponse:
    preference = reminder_preference_for(patient=patient)
    push = push_configured()
    form = ReminderPreferenceForm.for_preference(preference, request.POST or None, push=push)
    if request.method == "POST" and form.is_valid():
        try:
            preference = reminder_preference_set(patient=patient, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            zone = patient.time_zone or patient.clinic.time_zone
            if preference.enabled:
                summary = plan_summary(preference.plan, zone=zone)
                way = "a notification" if preference.channel == ReminderChannel.PUSH else "an email"
                messages.success(request, f"Saved. You will get {way} {summary}.")
            else:
                messages.success(request, "Saved. Reminders are off.")
            return redirect("tracker:reminder_settings")
    context = push_control_for(
        request.user,
        where="phone",
        subscribe="tracker:patient_push_subscribe",
        unsubscribe="tracker:patient_push_unsubscribe",
    ) | {
        "patient": patient,
        "form": form,
        "preference": preference,
        "zone": (patient.time_zone or patient.clinic.time_zone).replace("_", " "),
        "summary": plan_summary(preference.plan, zone=patient.time_zone or patient.clinic.time_zone)
        if preference.enabled and preference.pk
        else "",
    }
    return render(request, "tracker/reminders/settings.html", context)


def _one_click_stop(request, token, *, find, stop, templates: tuple[str, str]) -> HttpResponse:
    """GET shows what the link stops (`find`), POST stops it (`stop`); a forged link is a 404.
    A link checker that opens the link must not stop anything: a button does."""
    asking, done = templates
    try:
        if request.method == "GET":
            return render(request, asking, {"token": token, "subject": find(token=token)})
        subject = stop(token=token)
    except StopLinkInvalid:
        return render(request, "tracker/reminders/stop_invalid.html", status=404)
    return render(request, done, {"subject": subject})


# A mail client's one-click unsubscribe (RFC 8058) posts here without cookies, so no CSRF
# token: the signed link is the authority, and all it can do is turn reminders off.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def reminders_stop_view(request: HttpRequest, token: str) -> HttpResponse:
    return _one_click_stop(
        request,
        token,
        find=stop_link_patient,
        stop=reminders_stop,
        templates=("tracker/reminders/stop.html", "tracker/reminders/stopped.html"),
    )


# The same for a guardian's copies of a young person's reminders (the subject is the link).
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def guardian_reminders_stop_view(request: HttpRequest, token: str) -> HttpResponse:
    return _one_click_stop(
        request,
        token,
        find=guardian_stop_link,
        stop=guardian_reminders_stop,
        templates=(
            "tracker/reminders/guardian_stop.html",
            "tracker/reminders/guardian_stopped.html",
        ),
    )
