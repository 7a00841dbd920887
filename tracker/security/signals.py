"""Sign-in and sign-out: stamp the session, remember it, and write the audit trail."""

from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import F
from django.dispatch import receiver
from django.http import HttpRequest

from tracker.models import AuditAction, GuardianLink, Patient, Role, User
from tracker.security.middleware import session_stamp_sign_in
from tracker.security.policy import client_ip
from tracker.services.audit import audit_record
from tracker.services.sessions import user_session_end, user_session_start


@receiver(user_logged_in, dispatch_uid="tracker_signed_in")
def signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None:
        return
    session_stamp_sign_in(request, user)
    user_session_start(request=request, user=user)
    sign_in_failures_forget(request=request, user=user)
    audit_record(
        request=request,
        user=user,
        action=AuditAction.LOGIN,
        what="sign-in",
        clinic_id=_home_clinic_id(user),
    )


def _home_clinic_id(user: Any) -> int | None:
    """The clinic a user belongs to: a clinician's own, a patient's (kept on Patient), or for a
    parent or guardian that of the first young person they were linked to."""
    if getattr(user, "clinic_id", None):
        return user.clinic_id
    if getattr(user, "role", None) == Role.GUARDIAN:
        links = GuardianLink.objects.filter(guardian_id=user.pk).order_by(
            F("ended_at").asc(nulls_first=True), "pk"
        )
        return links.values_list("patient__clinic_id", flat=True).first()
    return Patient.objects.filter(user_id=user.pk).values_list("clinic_id", flat=True).first()


def _clinic_id_of_username(username: Any) -> int | None:
    # NUL would make PostgreSQL refuse the query; no account has one, or so long a name.
    if not isinstance(username, str) or not username or len(username) > 150 or "\x00" in username:
        return None
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
    return _home_clinic_id(user) if user is not None else None


def sign_in_failures_forget(*, request: HttpRequest, user: Any) -> None:
    """Clear this account's failed sign-ins from this address, and nobody else's.

    axes' AXES_RESET_ON_SUCCESS would clear by username or by address, so a patient's correct
    password would reset the count of guesses at a clinician's account from the same address.
    """
    ip = getattr(request, "axes_ip_address", None) or client_ip(request)
    if ip:
        axes_reset(ip=ip, username=user.get_username())


@receiver(user_logged_out, dispatch_uid="tracker_signed_out")
def signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None:
        return
    user_session_end(session_key=request.session.session_key)
    if user is not None:
        audit_record(
            request=request,
            user=user,
            action=AuditAction.LOGOUT,
            what="sign-out",
            clinic_id=_home_clinic_id(user),
        )


@receiver(user_login_failed, dispatch_uid="tracker_sign_in_failed")
def sign_in_failed(sender: Any, credentials: dict, request: HttpRequest | None = None, **kw: Any):
    # No username: a mistyped password often lands in the username box. The clinic of the
    # account it names, if any, so that clinic's administrators see guesses at their people.
    audit_record(
        request=request,
        action=AuditAction.LOGIN_FAILED,
        what="failed sign-in",
        clinic_id=_clinic_id_of_username(credentials.get("username")),
    )
