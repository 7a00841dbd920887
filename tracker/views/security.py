"""Two-factor sign-in, signed-in devices, the lockout page and the clinic's audit log."""

import zoneinfo

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker.access import clinic_admin_required
from tracker.exports.csv_writer import streaming_csv_response
from tracker.forms.security import AuditSearchForm, OTPCodeForm
from tracker.models import AuditAction, AuditEvent, Clinic, UserSession
from tracker.security.middleware import TWO_FACTOR
from tracker.security.policy import two_factor_required
from tracker.selectors.audit import audit_events_for_clinic, audit_rows
from tracker.services.audit import audit_record
from tracker.services.sessions import user_sessions_end_others
from tracker.services.two_factor import (
    recovery_codes_replace,
    totp_device_confirm,
    totp_device_pending,
    two_factor_disable,
)
from tracker.utils.http import safe_next

RECOVERY_CODES_KEY = "pt_recovery_codes"
AUDIT_PAGE_SIZE = 50


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Show a QR code for the authenticator app; a correct code from it turns two-factor on."""
    if user_has_device(request.user, confirmed=True) and not request.user.is_verified():
        # Replacing an authenticator needs the current one first, or a stolen password would be
        # enough to enrol the thief's phone and get in.
        return redirect("tracker:two_factor_verify")
    device = totp_device_pending(user=request.user)
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = totp_device_confirm(user=request.user, device=device)
            otp_login(request, device)
            request.session[TWO_FACTOR] = "verify"
            request.session[RECOVERY_CODES_KEY] = codes
            messages.success(request, "Two-factor sign-in is on.")
            return redirect("tracker:two_factor_recovery")
        form.add_error(
            "code", "That code did not match. Check the time on your phone and try again."
        )
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "qr_data_uri": qr.svg_data_uri(scale=5, border=2),
        "secret": _grouped(device.config_url.split("secret=")[1].split("&")[0]),
        "required": two_factor_required(request.user),
    }
    return render(request, "tracker/security/two_factor_setup.html", context)


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Ask for the code from the authenticator app (or a recovery code) after the password."""
    if request.user.is_verified():
        return redirect(safe_next(request) or "tracker:home")
    devices = list(devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect("tracker:two_factor_setup")
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        device = next(
            (d for d in devices if d.verify_is_allowed()[0] and d.verify_token(code)), None
        )
        if device is not None:
            otp_login(request, device)
            if not isinstance(device, TOTPDevice):
                messages.warning(
                    request, "You used a recovery code. Each one works once: make new ones soon."
                )
            return redirect(safe_next(request) or "tracker:home")
        audit_record(request=request, action=AuditAction.LOGIN_FAILED, what="wrong two-factor code")
        # django-otp doubles the wait after each wrong code, so guessing is hopeless.
        failures = max(getattr(d, "throttling_failure_count", 0) for d in devices)
        if failures >= 3:
            form.add_error("code", "Too many wrong codes. Please wait a minute, then try again.")
        else:
            form.add_error(
                "code", "That code did not work. Wait a few seconds, then try the newest code."
            )
    return render(
        request,
        "tracker/security/two_factor_verify.html",
        {"form": form, "next": safe_next(request)},
    )


@never_cache
@login_required
def two_factor_recovery(request: HttpRequest) -> HttpResponse:
    """New recovery codes are shown once, straight after they are made."""
    codes = request.session.pop(RECOVERY_CODES_KEY, None)
    if codes is None:
        return redirect("tracker:account_security")
    return render(request, "tracker/security/recovery_codes.html", {"codes": codes})


@login_required
@require_POST
def two_factor_recovery_new(request: HttpRequest) -> HttpResponse:
    if not request.user.is_verified():
        return redirect("tracker:account_security")
    request.session[RECOVERY_CODES_KEY] = recovery_codes_replace(user=request.user)
    return redirect("tracker:two_factor_recovery")


@login_required
@require_POST
def two_factor_off(request: HttpRequest) -> HttpResponse:
    if two_factor_required(request.user):
        messages.error(
            request, "Your clinic requires two-factor sign-in, so it cannot be turned off."
        )
    elif request.user.is_verified():
        two_factor_disable(user=request.user)
        request.session[TWO_FACTOR] = ""
        messages.success(request, "Two-factor sign-in is off.")
    return redirect("tracker:account_security")


@login_required
def account_security(request: HttpRequest) -> HttpResponse:
    """Two-factor status and the browsers where this user is signed in."""
    sessions = UserSession.objects.filter(user=request.user)
    context = {
        "has_two_factor": any(
            isinstance(d, TOTPDevice) for d in devices_for_user(request.user, confirmed=True)
        ),
        "required": two_factor_required(request.user),
        "sessions": sessions,
        "current_key": request.session.session_key,
        "others": sum(1 for s in sessions if s.session_key != request.session.session_key),
    }
    return render(request, "tracker/security/account_security.html", context)


@login_required
@require_POST
def sessions_sign_out_others(request: HttpRequest) -> HttpResponse:
    count = user_sessions_end_others(
        user=request.user, keep_session_key=request.session.session_key
    )
    messages.success(
        request,
        f"Signed out of {count} other device{'s' if count != 1 else ''}."
        if count
        else "You were not signed in anywhere else.",
    )
    return redirect("tracker:account_security")


@clinic_admin_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """Search the clinic's audit trail by user, patient and date; export the result as CSV."""
    clinic = request.user.clinic
    form = AuditSearchForm(request.GET, clinic=clinic)
    events = AuditEvent.objects.none()
    if form.is_valid():
        events = audit_events_for_clinic(
            clinic=clinic,
            user=form.cleaned_data["user"],
            patient=form.cleaned_data["patient"],
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
        )
        if request.GET.get("format") == "csv":
            audit_record(request=request, action=AuditAction.EXPORT, what="audit log CSV")
            return _audit_csv(events, clinic)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(audit_rows(page.object_list, clinic=clinic))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "tracker/security/audit_log.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "clinic": clinic,
        },
    )


def _audit_csv(events: QuerySet[AuditEvent], clinic: Clinic) -> StreamingHttpResponse:
    """The log as CSV through the export writer: streamed, formula-safe, not cached. The stored
    values first (what a program matches on), then the same event in words and its patients."""
    zone = zoneinfo.ZoneInfo(clinic.time_zone)
    rows = (
        [
            row.event.at.astimezone(zone).isoformat(timespec="seconds"),
            row.event.username,
            row.event.role,
            "; ".join(row.patients),
            row.event.action,
            row.event.what,
            row.event.ip_address or "",
            row.event.method,
            row.event.path,
            row.who,
            row.action,
            len(row.patients),
        ]
        for row in audit_rows(events.iterator(chunk_size=500), clinic=clinic)
    )
    return streaming_csv_response(
        filename=f"audit-log-{timezone.localdate().isoformat()}.csv",
        header=[
            "when",
            "user",
            "role",
            "patient",
            "action",
            "what",
            "address",
            "method",
            "path",
            "who_in_words",
            "action_in_words",
            "patient_count",
        ],
        rows=rows,
    )
