"""Inviting a parent or guardian (issue 16, docs/guardians.md): their account, or the one they
already have for a brother or sister; the link with its scope; a single-use invite; and using it,
which records the guardian's permission with the wording shown."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tracker.models import GuardianInvite, GuardianLink, Patient, Role, User
from tracker.rules.guardians import ConsentKind, GuardianRelationship, GuardianScope
from tracker.services.guardians import consent_give, guardian_link_create
from tracker.services.people import (
    account_activate,
    hash_token,
    invited_user_create,
    one_time_link_create,
)


class GuardianInviteInvalid(Exception):
    """The guardian's invite link is unknown, used, expired, or its link has ended."""


def _guardian_for_email(*, email: str, first_name: str, last_name: str) -> User:
    """The guardian account with this email (a sibling's parent), else a new one that cannot
    sign in until the invite is used."""
    same_email = User.objects.filter(email__iexact=email)
    if same_email.exclude(role=Role.GUARDIAN).exists():
        raise ValidationError(
            {
                "email": "This email belongs to a patient's or a clinician's account. "
                "A parent or guardian needs an email address of their own."
            }
        )
    guardian = same_email.order_by("pk").first()
    if guardian is not None:
        return guardian
    return invited_user_create(
        first_name=first_name, last_name=last_name, email=email, role=Role.GUARDIAN
    )


@transaction.atomic
def guardian_invite(
    *,
    patient: Patient,
    first_name: str,
    last_name: str,
    email: str,
    relationship: GuardianRelationship,
    scope: Iterable[GuardianScope],
    by: User,
) -> tuple[GuardianInvite, str]:
    """Invite a parent or guardian of this patient with a scope; returns the invite and its
    token (shown once, never stored)."""
    guardian = _guardian_for_email(email=email, first_name=first_name, last_name=last_name)
    try:
        link = guardian_link_create(
            patient=patient, guardian=guardian, relationship=relationship, scope=scope, by=by
        )
    except ValidationError as error:
        # The form asks for an email, not an account: say it there, with the person's name.
        raise ValidationError(
            {"email": f"{guardian} is already linked to {patient.user.first_name}."}
        ) from error
    return guardian_invite_renew(link=link, by=by)


@transaction.atomic
def guardian_invite_renew(*, link: GuardianLink, by: User) -> tuple[GuardianInvite, str]:
    """A fresh invite link for a guardian; their earlier unused links stop working."""
    if link.ended_at is not None:
        raise ValidationError("This access has ended; invite the guardian again.")
    return one_time_link_create(GuardianInvite, created_by=by, link=link)


def guardian_invite_lookup(*, token: str) -> GuardianInvite:
    """The usable guardian invite for this token, or GuardianInviteInvalid."""
    invite = (
        GuardianInvite.objects.select_related(
            "link__guardian", "link__patient__user", "link__patient__clinic"
        )
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invite is None or not invite.is_usable():
        raise GuardianInviteInvalid
    return invite


def needs_sign_up(invite: GuardianInvite) -> bool:
    """A guardian new to ParsTrack chooses a password; one with an account signs in instead."""
    return not invite.link.guardian.has_usable_password()


def _use(token: str) -> GuardianInvite:
    invite = guardian_invite_lookup(token=token)
    # Locked, so that two tabs using the same link cannot both succeed.
    invite = (
        GuardianInvite.objects.select_for_update()
        .select_related("link__guardian")
        .get(pk=invite.pk)
    )
    if not invite.is_usable():
        raise GuardianInviteInvalid
    invite.used_at = timezone.now()
    invite.save(update_fields=["used_at"])
    return invite


@transaction.atomic
def guardian_sign_up(*, token: str, username: str, password: str) -> User:
    """A new guardian chooses a username and password and gives their permission."""
    invite = _use(token)
    if not needs_sign_up(invite):
        raise GuardianInviteInvalid
    guardian = account_activate(user=invite.link.guardian, username=username, password=password)
    consent_give(link=invite.link, kind=ConsentKind.GUARDIAN_PERMISSION, by=guardian)
    return guardian


@transaction.atomic
def guardian_invite_use(*, token: str, by: User) -> GuardianLink:
    """A guardian already signed in gives their permission for the invite's young person."""
    invite = _use(token)
    if invite.link.guardian_id != by.pk:
        raise ValidationError("This invitation is for someone else. Log out and open it again.")
    consent_give(link=invite.link, kind=ConsentKind.GUARDIAN_PERMISSION, by=by)
    return invite.link
