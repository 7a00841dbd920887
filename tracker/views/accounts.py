"""Landing after login, the patient's home, accepting an invite, the account page."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from tracker.access import own_patient_record, patient_required
from tracker.exports.datasets import patient_datasets
from tracker.forms.people import InviteAcceptForm
from tracker.models import Patient, Role
from tracker.rules.guardians import WORDING
from tracker.selectors.checkin import diary_home
from tracker.selectors.guardians import links_of_guardian, links_of_patient
from tracker.selectors.outcomes import due_for_patient
from tracker.services.people import InviteInvalid, invite_accept, invite_lookup


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to where its work starts."""
    if request.user.role == Role.PATIENT:
        return redirect("tracker:patient_home")
    if request.user.role == Role.CLINICIAN:
        return redirect("tracker:patient_list")
    if request.user.role == Role.GUARDIAN:
        return redirect("tracker:family_home")
    if request.user.is_staff:
        return redirect("admin:index")
    return render(request, "tracker/accounts/no_role.html")


@patient_required
def patient_home(request: HttpRequest, patient: Patient) -> HttpResponse:
    today = patient.local_today()
    context = {
        "patient": patient,
        "today": today,
        "weeks_of_care": patient.weeks_of_care(today),
        "care_team": patient.care_team.order_by("last_name", "first_name"),
        "outcomes_due": due_for_patient(patient, today),
        "diary": diary_home(patient=patient, today=today),
    }
    return render(request, "tracker/patients/patient_home.html", context)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {"my_datasets": patient_datasets() if user.role == Role.PATIENT else []}
    if user.role == Role.PATIENT:
        context["guardian_rows"] = links_of_patient(own_patient_record(user))
        context["wording"] = {kind.name: words for kind, (_, words) in WORDING.items()}
    elif user.role == Role.GUARDIAN:
        context["guardian_rows"] = links_of_guardian(user)
    return render(request, "tracker/accounts/account.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def invite_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invite = invite_lookup(token=token)
    except InviteInvalid:
        return render(request, "tracker/accounts/invite_invalid.html", status=404)
    user = invite.patient.user
    form = InviteAcceptForm(request.POST or None, initial={"username": user.username})
    if request.method == "POST" and form.is_valid():
        try:
            user = invite_accept(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
        except InviteInvalid:
            return render(request, "tracker/accounts/invite_invalid.html", status=404)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field, errors)
            else:
                form.add_error("password1", error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome to ParsTrack! You are logged in.")
            return redirect("tracker:home")
    return render(request, "tracker/accounts/invite_accept.html", {"form": form, "invite": invite})
