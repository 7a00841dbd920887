"""The parent's or guardian's pages (docs/guardians.md): their home listing each young person, one
page per part of the scope (each through the access rule with that part, and audited), the
invitation they sign up or sign in with, and withdrawing their own permission."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from rehab import selectors as rehab_selectors
from tracker.access import guardian_required, patient_for_guardian
from tracker.forms.guardians import AgreeForm, GuardianSignUpForm
from tracker.models import GuardianLink
from tracker.rules.guardians import WORDING, ConsentKind, GuardianScope
from tracker.selectors.adherence import patient_window_adherence
from tracker.selectors.checkin import pain_chart
from tracker.selectors.guardians import calendar_weeks, links_of_guardian, pages_of, shared_notes
from tracker.selectors.outcomes import due_for_patient
from tracker.services.guardian_invites import (
    GuardianInviteInvalid,
    guardian_invite_lookup,
    guardian_invite_use,
    guardian_sign_up,
    needs_sign_up,
)
from tracker.services.guardians import consent_withdraw
from tracker.utils.forms import add_service_errors

ADHERENCE_WEEKS = 4
PAIN_DAYS = 30


@guardian_required
def family_home(request: HttpRequest) -> HttpResponse:
    return render(request, "tracker/family/home.html", {"rows": links_of_guardian(request.user)})


def _page(request: HttpRequest, link: GuardianLink, template: str, **context) -> HttpResponse:
    patient = link.patient
    context = {
        "patient": patient,
        "link": link,
        "today": patient.local_today(),
        "pages": pages_of(link),
        **context,
    }
    return render(request, f"tracker/family/{template}", context)


@patient_for_guardian(GuardianScope.PLAN)
def family_plan(request: HttpRequest, link: GuardianLink) -> HttpResponse:
    patient = link.patient
    today = patient.local_today()
    brace = rehab_selectors.brace_on(patient, today)
    return _page(
        request,
        link,
        "plan.html",
        brace=brace,
        brace_target=brace.target_on(today) if brace else None,
        stage=rehab_selectors.stage_on(patient, today),
        phases=rehab_selectors.items_by_phase(rehab_selectors.programme_items_on(patient, today)),
    )


@patient_for_guardian(GuardianScope.ADHERENCE)
def family_adherence(request: HttpRequest, link: GuardianLink) -> HttpResponse:
    patient = link.patient
    start, end = rehab_selectors.recent_weeks(patient.local_today(), ADHERENCE_WEEKS)
    weekly = rehab_selectors.adherence_for_patient(patient, start, end)
    return _page(
        request,
        link,
        "adherence.html",
        summary=patient_window_adherence(patient),
        weeks=list(reversed(weekly.weeks)),
    )


@patient_for_guardian(GuardianScope.QUESTIONNAIRES)
def family_questionnaires(request: HttpRequest, link: GuardianLink) -> HttpResponse:
    rows = due_for_patient(link.patient, link.patient.local_today())
    return _page(request, link, "questionnaires.html", rows=rows)


@patient_for_guardian(GuardianScope.CALENDAR)
def family_calendar(request: HttpRequest, link: GuardianLink) -> HttpResponse:
    weeks = calendar_weeks(link.patient, link.patient.local_today())
    logged = sum(day.logged for week in weeks for day in week)
    return _page(request, link, "calendar.html", weeks=weeks, logged=logged)


@patient_for_guardian(GuardianScope.PAIN)
def family_pain(request: HttpRequest, link: GuardianLink) -> HttpResponse:
    patient = link.patient
    today = patient.local_today()
    start = today - dt.timedelta(days=PAIN_DAYS - 1)
    return _page(
        request,
        link,
        "pain.html",
        chart=pain_chart(patient=patient, end=today, days=PAIN_DAYS),
        notes=shared_notes(patient, start, today),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def guardian_invite_accept(request: HttpRequest, token: str) -> HttpResponse:
    """A new guardian chooses a username and password; one with an account signs in first.
    Either way they read the scope and the words of their permission and tick to give it."""
    try:
        invite = guardian_invite_lookup(token=token)
    except GuardianInviteInvalid:
        return render(request, "tracker/accounts/invite_invalid.html", status=404)
    link = invite.link
    signing_up = needs_sign_up(invite)
    # Someone else signed in on this device (the young person's phone) logs out first.
    if request.user.is_authenticated:
        may_answer = request.user.pk == link.guardian_id
    else:
        may_answer = signing_up
    form_class = GuardianSignUpForm if signing_up else AgreeForm
    form = form_class(request.POST or None, initial={"username": link.guardian.username})
    if request.method == "POST" and may_answer and form.is_valid():
        try:
            if signing_up:
                guardian = guardian_sign_up(
                    token=token,
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password1"],
                )
                login(request, guardian, backend="django.contrib.auth.backends.ModelBackend")
            else:
                guardian_invite_use(token=token, by=request.user)
        except GuardianInviteInvalid:
            return render(request, "tracker/accounts/invite_invalid.html", status=404)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Thank you. Your permission for {link.patient} is saved.")
            return redirect("tracker:family_home")
    context = {
        "invite": invite,
        "link": link,
        "form": form,
        "signing_up": signing_up,
        "may_answer": may_answer,
        "wording": WORDING[ConsentKind.GUARDIAN_PERMISSION][1],
        "login_url": f"{reverse('login')}?next={request.path}",
    }
    return render(request, "tracker/family/invite_accept.html", context)


@guardian_required
@require_POST
def guardian_permission_withdraw(request: HttpRequest, link_id: int) -> HttpResponse:
    link = get_object_or_404(
        GuardianLink.objects.select_related("patient__user"),
        pk=link_id,
        guardian=request.user,
        ended_at__isnull=True,
    )
    consent_withdraw(link=link, kind=ConsentKind.GUARDIAN_PERMISSION, by=request.user)
    messages.success(
        request,
        f"Your permission is withdrawn: you no longer see {link.patient.user.first_name}'s record.",
    )
    return redirect("tracker:account")
