"""Guardian links as the care team and the young person manage them (docs/guardians.md): the
clinician invites a parent, changes their scope or removes them (audited as patient views are);
the young person confirms, withdraws, renews or ends a guardian's access on their Account page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from tracker.access import patient_for_clinician, patient_required
from tracker.forms.guardians import GuardianInviteForm, ScopeForm
from tracker.models import GuardianInvite, Patient
from tracker.rules.guardians import ConsentKind, LinkEnd, LinkState
from tracker.selectors.guardians import LinkRow, open_link_of_patient
from tracker.services.guardian_invites import guardian_invite, guardian_invite_renew
from tracker.services.guardians import (
    consent_give,
    consent_withdraw,
    guardian_link_end,
    guardian_scope_set,
)
from tracker.utils.forms import add_service_errors

LINK_SESSION_KEY = "guardian_invite_link:{}"


def _row(patient: Patient, link_id: int) -> LinkRow:
    row = open_link_of_patient(patient, link_id)
    if row is None:
        raise Http404("No such guardian.")
    return row


def _send(request: HttpRequest, invite: GuardianInvite, token: str) -> None:
    """Email the invitation and keep the link in the session to show the clinician once."""
    link, patient = invite.link, invite.link.patient
    url = request.build_absolute_uri(reverse("tracker:guardian_invite_accept", args=[token]))
    request.session[LINK_SESSION_KEY.format(link.pk)] = url
    send_mail(
        subject=f"ParsTrack: see how {patient.user.first_name} is doing",
        message=(
            f"Hello {link.guardian.first_name},\n\n"
            f"{patient.clinic} invites you to see part of {patient.user.first_name}'s "
            f"ParsTrack record: {', '.join(part.label.lower() for part in link.scope)}.\n"
            f"Open this link to read what you are agreeing to and give your permission:\n\n"
            f"{url}\n\nThe link works once and expires on {invite.expires_at:%d %B %Y}."
        ),
        from_email=None,
        recipient_list=[link.guardian.email],
    )


@patient_for_clinician
@require_http_methods(["GET", "POST"])
def guardian_invite_view(request: HttpRequest, patient: Patient) -> HttpResponse:
    form = GuardianInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invite, token = guardian_invite(patient=patient, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _send(request, invite, token)
            messages.success(request, f"{invite.link.guardian} is invited.")
            return redirect("tracker:guardian_invite_link", patient.pk, invite.link_id)
    return render(request, "tracker/family/invite_form.html", {"patient": patient, "form": form})


@patient_for_clinician
@require_http_methods(["GET", "POST"])
def guardian_invite_link(request: HttpRequest, patient: Patient, link_id: int) -> HttpResponse:
    """POST makes a new link for a guardian who lost theirs; GET shows the link just made, once."""
    row = _row(patient, link_id)
    if request.method == "POST":
        _send(request, *guardian_invite_renew(link=row.link, by=request.user))
        return redirect("tracker:guardian_invite_link", patient.pk, link_id)
    url = request.session.pop(LINK_SESSION_KEY.format(link_id), None)
    context = {"patient": patient, "row": row, "url": url, "invite": row.link.invites.first()}
    return render(request, "tracker/family/invite_link.html", context)


@patient_for_clinician
@require_http_methods(["GET", "POST"])
def guardian_scope_view(request: HttpRequest, patient: Patient, link_id: int) -> HttpResponse:
    row = _row(patient, link_id)
    form = ScopeForm(request.POST or None, initial={"scope": [p.value for p in row.link.scope]})
    if request.method == "POST" and form.is_valid():
        guardian_scope_set(link=row.link, scope=form.cleaned_data["scope"], by=request.user)
        messages.success(request, f"{row.link.guardian}'s access is changed. It applies at once.")
        return redirect("tracker:patient_detail", patient_id=patient.pk)
    return render(
        request, "tracker/family/scope_form.html", {"patient": patient, "row": row, "form": form}
    )


@patient_for_clinician
@require_POST
def guardian_remove(request: HttpRequest, patient: Patient, link_id: int) -> HttpResponse:
    row = _row(patient, link_id)
    guardian_link_end(link=row.link, reason=LinkEnd.REMOVED, by=request.user)
    messages.success(request, f"{row.link.guardian} no longer sees {patient}'s record.")
    return redirect("tracker:patient_detail", patient_id=patient.pk)


# --- The young person, on their Account page ----------------------------------------------------

# action -> (the state it answers, give or withdraw, the record, the message)
YOUNG_PERSON_ACTIONS = {
    "confirm": (LinkState.AWAITING_ASSENT, True, ConsentKind.ASSENT, "{} can now see it."),
    "renew": (LinkState.AWAITING_RENEWAL, True, ConsentKind.ADULT_RENEWAL, "{} can see it again."),
    "end": (LinkState.AWAITING_RENEWAL, False, ConsentKind.ADULT_RENEWAL, "{}'s access ended."),
    "withdraw": (None, False, ConsentKind.ASSENT, "{} can no longer see your record, from now on."),
}


@patient_required
@require_POST
def guardian_link_answer(
    request: HttpRequest, patient: Patient, link_id: int, action: str
) -> HttpResponse:
    """The young person confirms a guardian, withdraws their access, or renews or ends it at 18."""
    if action not in YOUNG_PERSON_ACTIONS:
        raise Http404("No such action.")
    row = _row(patient, link_id)
    state, give, kind, done = YOUNG_PERSON_ACTIONS[action]
    if state is None and not row.young_person_may_withdraw:
        messages.error(request, "Your care team can change this: ask them at your next visit.")
        return redirect("tracker:account")
    if state is not None and row.state != state:
        messages.error(request, "There is nothing to answer for this person now.")
        return redirect("tracker:account")
    try:
        if give:
            consent_give(link=row.link, kind=kind, by=request.user)
        else:
            consent_withdraw(link=row.link, kind=kind, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done.format(row.link.guardian))
    return redirect("tracker:account")
