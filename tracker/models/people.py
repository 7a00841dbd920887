"""Clinics, users and their roles, patients and care teams, and enrolment invites."""

import datetime as dt
import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tracker.rules.ages import age_in_years
from tracker.rules.alerts import (
    DEFAULT_ESCALATION_HOURS,
    ESCALATION_HOURS_MAX,
    ESCALATION_HOURS_MIN,
)
from tracker.rules.guardians import ASSENT_AGE_DEFAULT, ASSENT_AGE_MAX, ASSENT_AGE_MIN
from tracker.rules.identifiers import (
    HOSPITAL_NUMBER_MAX_LENGTH,
    display_hospital_number,
    hospital_number_label,
    hospital_number_problem,
    normalise_hospital_number,
)
from tracker.rules.usernames import mixed_script_message

# A number a patient dials: digits, optionally a leading + and spaces between groups.
validate_phone_number = RegexValidator(
    r"^\+?[0-9]+( [0-9]+)*$",
    "Enter a number to dial: digits, optionally a leading + and single spaces (for example 999).",
)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a known time zone (for example Europe/London).")


def validate_hospital_number(value: str) -> None:
    problem = hospital_number_problem(value)
    if problem:
        raise ValidationError(problem, code="hospital_number")


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class Role(models.TextChoices):
    PATIENT = "patient", "Patient"
    CLINICIAN = "clinician", "Clinician"
    CLINIC_ADMIN = "clinic_admin", "Clinic administrator"
    # A parent or guardian of a young patient: sees what their links allow (tracker/access.py).
    GUARDIAN = "guardian", "Parent or guardian"


class SlipGrade(models.IntegerChoices):
    """Meyerding grade of an isthmic spondylolisthesis (../shared/clinical.md)."""

    I = 1, "Grade I (under 25%)"  # noqa: E741 - the grade's own name
    II = 2, "Grade II (25-50%)"
    III = 3, "Grade III (50-75%)"
    IV = 4, "Grade IV (75-100%)"
    V = 5, "Grade V (over 100%)"


class Clinic(models.Model):
    name = models.CharField(max_length=200, unique=True)
    time_zone = models.CharField(
        max_length=64, default="Europe/London", validators=[validate_time_zone]
    )
    require_two_factor = models.BooleanField(
        "require two-factor sign-in",
        default=False,
        help_text="Clinicians and administrators must use a code from an authenticator app.",
    )
    # The numbers the urgent advice tells a patient to call (a warning sign on the check-in):
    # the UK's by default, changed for a clinic elsewhere (docs/checkin.md).
    emergency_number = models.CharField(
        "emergency number",
        max_length=20,
        default="999",
        validators=[validate_phone_number],
        help_text="Emergency services, shown with “go to A&E now” (UK: 999; EU: 112; US: 911).",
    )
    urgent_advice_number = models.CharField(
        "urgent advice number",
        max_length=20,
        default="111",
        blank=True,
        validators=[validate_phone_number],
        help_text="Urgent medical advice for a patient not sure what to do (UK: NHS 111). "
        "Leave blank where there is none: patients are told to call their care team instead.",
    )
    # The letterhead of the referral letter (docs/dashboard.md).
    address = models.TextField(
        "postal address",
        blank=True,
        max_length=300,
        help_text="One line each, as it should appear under the clinic's name on a letter.",
    )
    phone = models.CharField(
        "telephone",
        max_length=20,
        blank=True,
        validators=[validate_phone_number],
        help_text="The number a surgeon's team calls about a referral.",
    )
    # From this age a young patient confirms each guardian's access (tracker/rules/guardians.py).
    guardian_assent_age = models.PositiveSmallIntegerField(
        "age from which a young person confirms a guardian's access",
        default=ASSENT_AGE_DEFAULT,
        help_text=f"{ASSENT_AGE_MIN} to {ASSENT_AGE_MAX}: GDPR Article 8's default is 16; "
        "some countries set 13, 14 or 15.",
    )
    # A warning sign nobody on the care team acknowledged in time goes here (docs/alerts.md).
    alert_escalation_hours = models.PositiveSmallIntegerField(
        "escalate after (hours)",
        default=DEFAULT_ESCALATION_HOURS,
        validators=[
            MinValueValidator(ESCALATION_HOURS_MIN),
            MaxValueValidator(ESCALATION_HOURS_MAX),
        ],
        help_text=f"Hours a warning sign may stay unacknowledged before it goes to the escalation "
        f"contact ({ESCALATION_HOURS_MIN} to {ESCALATION_HOURS_MAX}).",
    )
    escalation_email = models.EmailField(
        "escalation contact (email)",
        blank=True,
        help_text="A monitored address: the duty clinician's or the department's shared mailbox. "
        "Leave blank for no escalation: only the care team is emailed.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(guardian_assent_age__gte=ASSENT_AGE_MIN)
                & Q(guardian_assent_age__lte=ASSENT_AGE_MAX),
                name="clinic_guardian_assent_age_13_16",
            ),
            models.CheckConstraint(
                condition=Q(
                    alert_escalation_hours__gte=ESCALATION_HOURS_MIN,
                    alert_escalation_hours__lte=ESCALATION_HOURS_MAX,
                ),
                name="clinic_alert_escalation_hours_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]


class User(AbstractUser):
    """Everyone who signs in. Patients' clinical record lives on Patient, not here."""

    role = models.CharField(max_length=20, choices=Role, default=Role.PATIENT)
    # Clinicians and clinic administrators work for one clinic; a patient's clinic is on Patient.
    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            # The Django admin is for clinic administrators (and the platform's superusers) only.
            models.CheckConstraint(
                condition=Q(is_staff=False) | Q(role="clinic_admin") | Q(is_superuser=True),
                name="user_only_admins_are_staff",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["patient", "clinician", "clinic_admin", "guardian"]),
                name="user_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean_fields(self, exclude: set[str] | None = None) -> None:
        # Every form that edits a username (the admin's included) validates the model: refuse
        # one that could pass for someone else's (tracker/rules/usernames.py).
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.error_dict
        if "username" not in (exclude or ()) and "username" not in errors:
            problem = mixed_script_message(self.username or "")
            if problem:
                errors["username"] = [ValidationError(problem, code="mixed_script")]
        if errors:
            raise ValidationError(errors)

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    @property
    def is_clinician(self) -> bool:
        return self.role == Role.CLINICIAN

    @property
    def is_clinic_admin(self) -> bool:
        return self.role == Role.CLINIC_ADMIN

    @property
    def is_guardian(self) -> bool:
        return self.role == Role.GUARDIAN


class Patient(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        DISCHARGED = "discharged", "Discharged"

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="patient")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    date_of_birth = models.DateField()
    # As typed, except an NHS number: its ten digits (tracker/rules/identifiers.py).
    hospital_number = models.CharField(
        "hospital or NHS number",
        max_length=HOSPITAL_NUMBER_MAX_LENGTH,
        blank=True,
        validators=[validate_hospital_number],
        help_text="Optional. An NHS number (10 digits, for example 943 476 5919) is checked.",
    )
    diagnosis = models.CharField(max_length=200, default="Chronic bilateral L5 pars defects")
    spondylolisthesis = models.BooleanField(
        default=False, help_text="Has L5 slipped forward over S1 (isthmic spondylolisthesis)?"
    )
    slip_grade = models.PositiveSmallIntegerField(
        choices=SlipGrade, null=True, blank=True, help_text="Meyerding grade, if there is a slip."
    )
    diagnosis_notes = models.TextField(blank=True, max_length=4000)
    conservative_care_started = models.DateField(
        help_text="The day conservative management (rest from sport, physio, brace) began."
    )
    sport = models.CharField("main sport or activity", max_length=100, blank=True)
    treating_clinician = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="treated_patients"
    )
    care_team = models.ManyToManyField(
        User, through="CareTeamMembership", related_name="care_team_patients"
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.ACTIVE)
    discharged_on = models.DateField(null=True, blank=True)
    # Blank means the clinic's time zone; the patient may choose their own.
    time_zone = models.CharField(max_length=64, blank=True, validators=[validate_time_zone])
    enrolled_on = models.DateField(help_text="First day the patient may log.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Every change keeps the previous values and who made it (docs/security.md).
    history = HistoricalRecords()

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(slip_grade__isnull=True)
                | Q(spondylolisthesis=True, slip_grade__gte=1, slip_grade__lte=5),
                name="patient_slip_grade_needs_slip",
            ),
            models.CheckConstraint(
                condition=Q(status="active", discharged_on__isnull=True)
                | Q(status="discharged", discharged_on__isnull=False),
                name="patient_discharge_date_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def name(self) -> str:
        return str(self.user)

    def clean(self) -> None:
        # The admin stores what the form would: an NHS number as its ten digits.
        self.hospital_number = normalise_hospital_number(self.hospital_number)

    @property
    def hospital_number_label(self) -> str:
        """ "NHS number" or "Hospital number", for the number as recorded."""
        return hospital_number_label(self.hospital_number)

    @property
    def hospital_number_display(self) -> str:
        """An NHS number spaced 3-3-4, as the NHS prints it; a hospital number as recorded."""
        return display_hospital_number(self.hospital_number)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone or self.clinic.time_zone)

    def local_today(self, now: dt.datetime | None = None) -> dt.date:
        """The calendar day it is for the patient, in their own time zone."""
        return (now or timezone.now()).astimezone(self.zone).date()

    def age_on(self, day: dt.date) -> int:
        return age_in_years(self.date_of_birth, day)

    def weeks_of_care(self, day: dt.date) -> int:
        return max((day - self.conservative_care_started).days // 7, 0)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class CareTeamMembership(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="memberships")
    clinician = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "clinician"], name="care_team_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.clinician} cares for {self.patient}"


class OneTimeLink(models.Model):
    """A single-use link that expires. Only a hash of the token is stored, so a database leak
    does not leak working links."""

    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def is_usable(self, now: dt.datetime | None = None) -> bool:
        return self.used_at is None and (now or timezone.now()) < self.expires_at


class Invite(OneTimeLink):
    """The link that lets a newly added patient set their password."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="invites")

    class Meta(OneTimeLink.Meta):
        pass

    def __str__(self) -> str:
        return f"Invite for {self.patient} (expires {self.expires_at:%Y-%m-%d})"
