"""Writes for patients, care teams and enrolment invites."""

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from tracker.models import CareTeamMembership, Clinic, Invite, Patient, Role, User
from tracker.models.people import OneTimeLink
from tracker.rules.usernames import mixed_script_message
from tracker.services.outcomes import outcome_schedule_defaults


class InviteInvalid(Exception):
    """The invite link is unknown, used or expired."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def free_username(first_name: str, last_name: str) -> str:
    """A username nobody has, made from the person's name (they may choose another)."""
    base = re.sub(r"[^a-z0-9]+", ".", f"{first_name} {last_name}".lower()).strip(".") or "patient"
    base = base[:140]
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def invited_user_create(*, first_name: str, last_name: str, email: str, role: Role) -> User:
    """An account that cannot sign in until its invite is used (the person sets a password)."""
    user = User(
        username=free_username(first_name, last_name),
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=role,
        is_active=False,
    )
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def patient_create(
    *,
    clinic: Clinic,
    created_by: User,
    first_name: str,
    last_name: str,
    email: str,
    date_of_birth: dt.date,
    conservative_care_started: dt.date,
    treating_clinician: User,
    care_team: Iterable[User] = (),
    spondylolisthesis: bool = False,
    slip_grade: int | None = None,
    diagnosis_notes: str = "",
    sport: str = "",
    time_zone: str = "",
    hospital_number: str = "",
) -> Patient:
    """Add a patient to a clinic; they cannot sign in until they accept an invite."""
    user = invited_user_create(
        first_name=first_name, last_name=last_name, email=email, role=Role.PATIENT
    )
    patient = Patient(
        user=user,
        clinic=clinic,
        date_of_birth=date_of_birth,
        hospital_number=hospital_number,
        spondylolisthesis=spondylolisthesis,
        slip_grade=slip_grade if spondylolisthesis else None,
        diagnosis_notes=diagnosis_notes,
        conservative_care_started=conservative_care_started,
        sport=sport,
        treating_clinician=treating_clinician,
        time_zone=time_zone,
        enrolled_on=dt.date.min,  # set just below, once the time zone is known
    )
    patient.enrolled_on = min(patient.local_today(), conservative_care_started)
    patient.full_clean(exclude=["user", "treating_clinician", "clinic"])
    patient.save()
    care_team_set(patient=patient, clinicians=[created_by, treating_clinician, *care_team])
    outcome_schedule_defaults(patient=patient, set_by=created_by)
    return patient


@transaction.atomic
def patient_update(
    *,
    patient: Patient,
    first_name: str,
    last_name: str,
    email: str,
    date_of_birth: dt.date,
    conservative_care_started: dt.date,
    treating_clinician: User,
    spondylolisthesis: bool,
    slip_grade: int | None,
    diagnosis_notes: str,
    sport: str,
    time_zone: str,
    care_team: Iterable[User],
    hospital_number: str,
) -> Patient:
    """Change a patient's record and care team (the treating clinician is always on it)."""
    user = patient.user
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.save(update_fields=["first_name", "last_name", "email"])
    patient.date_of_birth = date_of_birth
    patient.hospital_number = hospital_number
    patient.conservative_care_started = conservative_care_started
    patient.treating_clinician = treating_clinician
    patient.spondylolisthesis = spondylolisthesis
    patient.slip_grade = slip_grade if spondylolisthesis else None
    patient.diagnosis_notes = diagnosis_notes
    patient.sport = sport
    patient.time_zone = time_zone
    patient.full_clean(exclude=["user", "treating_clinician", "clinic"])
    patient.save()
    care_team_set(patient=patient, clinicians=care_team)
    return patient


def care_team_set(*, patient: Patient, clinicians: Iterable[User]) -> None:
    """Make the care team exactly these clinicians of the clinic (treating one always stays)."""
    wanted = {c.pk: c for c in clinicians}
    wanted[patient.treating_clinician_id] = patient.treating_clinician
    for clinician in wanted.values():
        if clinician.role != Role.CLINICIAN or clinician.clinic_id != patient.clinic_id:
            raise ValidationError(f"{clinician} is not a clinician of {patient.clinic}.")
    with transaction.atomic():
        CareTeamMembership.objects.filter(patient=patient).exclude(clinician_id__in=wanted).delete()
        existing = set(
            CareTeamMembership.objects.filter(patient=patient).values_list(
                "clinician_id", flat=True
            )
        )
        # With history: who was added to the care team, and by whom, is part of the record.
        bulk_create_with_history(
            [
                CareTeamMembership(patient=patient, clinician=c)
                for pk, c in wanted.items()
                if pk not in existing
            ],
            CareTeamMembership,
            default_user=_request_user(),
        )


def _request_user() -> User | None:
    """The signed-in user of the request being served (simple-history's middleware keeps it)."""
    user = getattr(getattr(HistoricalRecords.context, "request", None), "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def patient_discharge(*, patient: Patient, on: dt.date | None = None) -> Patient:
    """Discharge a patient. All their data is kept; they can still sign in and read it."""
    patient.status = Patient.Status.DISCHARGED
    patient.discharged_on = on or patient.local_today()
    patient.save(update_fields=["status", "discharged_on", "updated_at"])
    return patient


def patient_reactivate(*, patient: Patient) -> Patient:
    """Bring a discharged patient back into active care."""
    patient.status = Patient.Status.ACTIVE
    patient.discharged_on = None
    patient.save(update_fields=["status", "discharged_on", "updated_at"])
    return patient


def invite_create(*, patient: Patient, created_by: User) -> tuple[Invite, str]:
    """A fresh invite link for the patient; earlier unused links stop working."""
    return one_time_link_create(Invite, created_by=created_by, patient=patient)


@transaction.atomic
def one_time_link_create(
    model: type[OneTimeLink], *, created_by: User, **owner: object
) -> tuple[OneTimeLink, str]:
    """A new single-use link of this kind for its owner (`patient=`, `link=`), and its token
    (shown once, never stored); the owner's earlier unused links stop working."""
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    model.objects.filter(**owner, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    created = model.objects.create(
        **owner,
        token_hash=hash_token(token),
        created_by=created_by,
        expires_at=now + dt.timedelta(days=settings.INVITE_VALID_DAYS),
    )
    return created, token


def invite_lookup(*, token: str) -> Invite:
    """The usable invite for this token, or InviteInvalid."""
    invite = (
        Invite.objects.select_related("patient__user").filter(token_hash=hash_token(token)).first()
    )
    if invite is None or not invite.is_usable():
        raise InviteInvalid
    return invite


def invite_accept(*, token: str, username: str, password: str) -> User:
    """Use an invite: the patient chooses a username and password and can then sign in."""
    with transaction.atomic():
        invite = invite_lookup(token=token)
        # Lock the row so that two tabs accepting the same link cannot both succeed.
        invite = Invite.objects.select_for_update().get(pk=invite.pk)
        if not invite.is_usable():
            raise InviteInvalid
        user = account_activate(user=invite.patient.user, username=username, password=password)
        invite.used_at = timezone.now()
        invite.save(update_fields=["used_at"])
    return user


def account_activate(*, user: User, username: str, password: str) -> User:
    """The invited person's chosen username and password: the account can then sign in."""
    problem = mixed_script_message(username)
    if problem:
        raise ValidationError({"username": problem})
    if User.objects.filter(username__iexact=username).exclude(pk=user.pk).exists():
        raise ValidationError({"username": "That username is taken. Please pick another."})
    user.username = username
    validate_password(password, user)
    user.set_password(password)
    user.is_active = True
    user.save()
    return user


def patient_time_zone_set(*, patient: Patient, time_zone: str) -> Patient:
    """The patient's own time zone (blank: the clinic's), which decides what "today" is."""
    patient.time_zone = time_zone
    patient.full_clean(exclude=["user", "treating_clinician", "clinic"])
    patient.save(update_fields=["time_zone", "updated_at"])
    return patient
