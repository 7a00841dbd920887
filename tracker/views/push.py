"""Turning notifications on and off in a browser (static/js/push.js posts here), for a patient
(their check-in reminders) and a clinician (care-team alerts), and the clinician's page for it.

The browser posts its PushSubscription as JSON, with the CSRF token in a header; the answer is
JSON with a `message` in the person's words, 400 for anything that is not a usable subscription.
"""

import json

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST, require_safe

from tracker.access import clinician_required, patient_required
from tracker.models import Patient
from tracker.rules.push import BAD_SUBSCRIPTION
from tracker.selectors.push import push_configured, push_control_for
from tracker.services.push_subscriptions import push_subscription_remove, push_subscription_save
from tracker.utils.user_agent import device_words

NOT_JSON = "ParsTrack could not read what this browser sent. Reload the page and try again."
UNAVAILABLE = "Notifications are not available here; email is used."


def _body(request: HttpRequest) -> dict | None:
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _answer(message: str, status: int = 200) -> JsonResponse:
    return JsonResponse({"message": message}, status=status)


def _subscribe(request: HttpRequest, where: str) -> JsonResponse:
    if not push_configured():
        return _answer(UNAVAILABLE, 400)
    data = _body(request)
    if data is None:
        return _answer(NOT_JSON, 400)
    keys = data.get("keys")
    endpoint = data.get("endpoint")
    if not isinstance(keys, dict) or not isinstance(endpoint, str):
        return _answer(BAD_SUBSCRIPTION, 400)
    try:
        push_subscription_save(
            user=request.user,
            endpoint=endpoint,
            p256dh=keys.get("p256dh"),
            auth=keys.get("auth"),
            user_agent=device_words(request.headers.get("User-Agent", "")),
        )
    except ValidationError as error:
        return _answer(" ".join(error.messages), 400)
    return _answer(f"Notifications are on for this {where}.", 201)


def _unsubscribe(request: HttpRequest, where: str) -> JsonResponse:
    data = _body(request)
    if data is None or not isinstance(data.get("endpoint"), str):
        return _answer(NOT_JSON, 400)
    removal = push_subscription_remove(user=request.user, endpoint=data["endpoint"])
    if not removal.removed:
        return _answer(f"Notifications were not on for this {where}.", 404)
    message = f"Notifications are off for this {where}."
    if removal.back_to_email:
        message += " Your reminders come by email again."
    return _answer(message)


@require_POST
@patient_required
def patient_push_subscribe(request: HttpRequest, patient: Patient) -> JsonResponse:
    return _subscribe(request, "phone")


@require_POST
@patient_required
def patient_push_unsubscribe(request: HttpRequest, patient: Patient) -> JsonResponse:
    return _unsubscribe(request, "phone")


@require_POST
@clinician_required
def clinician_push_subscribe(request: HttpRequest) -> JsonResponse:
    return _subscribe(request, "browser")


@require_POST
@clinician_required
def clinician_push_unsubscribe(request: HttpRequest) -> JsonResponse:
    return _unsubscribe(request, "browser")


@require_safe
@clinician_required
def clinician_notifications(request: HttpRequest) -> HttpResponse:
    """A clinician turns notifications on in this browser, for alerts about their patients."""
    context = push_control_for(
        request.user,
        where="browser",
        subscribe="tracker:clinician_push_subscribe",
        unsubscribe="tracker:clinician_push_unsubscribe",
    )
    return render(request, "tracker/push/notifications.html", context)
