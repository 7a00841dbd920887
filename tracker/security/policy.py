"""Small security rules shared by the middleware, the audit trail and django-axes.

Plain functions over the request or user, so that one rule answers "what is this client's
address", "how long may this user stay idle" and "must this user use two-factor sign-in".
"""

import ipaddress
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from tracker.models import Role


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest | Any) -> str | None:
    """The client's address: REMOTE_ADDR, or the proxy's header only when CLIENT_IP_HEADER is set.

    The header is trusted only when configured, because a client can send any header it likes;
    the reverse proxy in front must overwrite it. With X-Forwarded-For the right-most address is
    the one our proxy saw.
    """
    meta = getattr(request, "META", {}) or {}
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header and meta.get(header):
        forwarded = [part for part in meta[header].split(",") if part.strip()]
        if forwarded:
            ip = _valid_ip(forwarded[-1])
            if ip:
                return ip
    return _valid_ip(meta.get("REMOTE_ADDR", "") or "")


def is_staff_role(user: Any) -> bool:
    """Clinicians and clinic administrators: people who see other people's health data."""
    return getattr(user, "role", None) in {Role.CLINICIAN, Role.CLINIC_ADMIN} or bool(
        getattr(user, "is_superuser", False)
    )


def idle_limit_seconds(user: Any) -> int:
    """How long this user may stay signed in without doing anything."""
    if getattr(user, "role", None) == Role.PATIENT and not user.is_staff:
        return settings.PATIENT_IDLE_MINUTES * 60
    return settings.CLINICIAN_IDLE_MINUTES * 60


def absolute_limit_seconds(user: Any) -> int:
    """How long one sign-in lasts at most, however active the user is."""
    if getattr(user, "role", None) == Role.PATIENT and not user.is_staff:
        return settings.PATIENT_SESSION_ABSOLUTE_HOURS * 3600
    return settings.SESSION_ABSOLUTE_HOURS * 3600


def two_factor_required(user: Any) -> bool:
    """Does the user's clinic insist that they sign in with a second factor?

    Patients are never forced. A user who has set up an authenticator is always asked for it
    (see TwoFactorMiddleware), whatever the clinic says.
    """
    if not is_staff_role(user):
        return False
    clinic = getattr(user, "clinic", None)
    return bool(clinic and clinic.require_two_factor)
