"""Keeping track of each user's signed-in browsers, and signing out the others."""

from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest

from tracker.models import User, UserSession
from tracker.security.policy import client_ip


def user_session_start(*, request: HttpRequest, user: User) -> UserSession | None:
    """Remember this browser's session for the user (called on sign-in)."""
    key = request.session.session_key
    if not key:
        return None
    session, _ = UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "ip_address": client_ip(request),
            "user_agent": request.headers.get("User-Agent", "")[:200],
        },
    )
    return session


def user_session_end(*, session_key: str | None) -> None:
    """Forget a session that has ended (sign-out, idle or absolute limit)."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


@transaction.atomic
def user_sessions_end_others(*, user: User, keep_session_key: str | None) -> int:
    """Sign the user out of every browser but this one; the number signed out."""
    others = UserSession.objects.filter(user=user).exclude(session_key=keep_session_key)
    keys = list(others.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    others.delete()
    return len(keys)
