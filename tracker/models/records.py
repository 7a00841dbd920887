"""The clinician's record beside the diary: imaging, notes, and the clinic's own thresholds."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from simple_history.models import HistoricalRecords

from tracker.models.people import Clinic, Patient, SlipGrade, User
from tracker.rules.thresholds import DEFAULTS, THRESHOLD_INFO, describe_default

NOTE_MAX_LENGTH = 4000


class Modality(models.TextChoices):
    XRAY = "xray", "X-ray"
    CT = "ct", "CT"
    MRI = "mri", "MRI"


def _grade_matches_percent() -> Q:
    # The Meyerding bands of tracker.rules.slip, upper bounds inclusive; 0% is no slip.
    return (
        Q(slip_percent__isnull=True)
        | Q(slip_percent=0, slip_grade__isnull=True)
        | Q(slip_percent__gt=0, slip_percent__lte=25, slip_grade=1)
        | Q(slip_percent__gt=25, slip_percent__lte=50, slip_grade=2)
        | Q(slip_percent__gt=50, slip_percent__lte=75, slip_grade=3)
        | Q(slip_percent__gt=75, slip_percent__lte=100, slip_grade=4)
        | Q(slip_percent__gt=100, slip_grade=5)
    )


class ImagingStudy(models.Model):
    """One imaging report. The patient's enrolment slip grade stays as entered; this is history."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="imaging")
    taken_on = models.DateField("date of imaging")
    modality = models.CharField(max_length=10, choices=Modality)
    slip_percent = models.DecimalField(
        "slip (%)", max_digits=4, decimal_places=1, null=True, blank=True
    )
    slip_grade = models.PositiveSmallIntegerField(
        "Meyerding grade", choices=SlipGrade, null=True, blank=True
    )
    defect_findings = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True, max_length=2000)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Edited in place: every earlier version is kept (docs/security.md).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-taken_on", "-created_at"]
        verbose_name_plural = "imaging studies"
        constraints = [
            models.CheckConstraint(
                condition=Q(slip_percent__isnull=True)
                | Q(slip_percent__gte=0, slip_percent__lte=150),
                name="imaging_slip_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(slip_grade__isnull=True) | Q(slip_grade__gte=1, slip_grade__lte=5),
                name="imaging_slip_grade_range",
            ),
            models.CheckConstraint(
                condition=Q(modality__in=["xray", "ct", "mri"]), name="imaging_modality_valid"
            ),
            models.CheckConstraint(
                condition=_grade_matches_percent(), name="imaging_grade_matches_percent"
            ),
        ]
        indexes = [models.Index(fields=["patient", "taken_on"])]

    def __str__(self) -> str:
        return f"{self.get_modality_display()} {self.taken_on:%Y-%m-%d} for {self.patient}"


class ClinicianNote(models.Model):
    """A clinician's dated note on a patient. Shown to the care team only, never to the patient."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="clinician_notes")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    written_on = models.DateField("date")
    text = models.TextField(max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    # Edited in place: every earlier version is kept (docs/security.md).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-written_on", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="note_text_not_empty"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), NOTE_MAX_LENGTH),
                name="note_text_max_length",
            ),
        ]
        indexes = [models.Index(fields=["patient", "written_on"])]

    def __str__(self) -> str:
        return f"Note on {self.patient} by {self.author} ({self.written_on:%Y-%m-%d})"


def _override(name: str, decimal: bool = True) -> models.Field:
    label = THRESHOLD_INFO[name].label
    help_text = describe_default(name)
    if decimal:
        return models.DecimalField(
            label, max_digits=5, decimal_places=1, null=True, blank=True, help_text=help_text
        )
    return models.PositiveSmallIntegerField(label, null=True, blank=True, help_text=help_text)


def _in_range(name: str) -> models.CheckConstraint:
    info = THRESHOLD_INFO[name]
    return models.CheckConstraint(
        condition=Q(**{f"{name}__isnull": True})
        | Q(**{f"{name}__gte": info.minimum, f"{name}__lte": info.maximum}),
        name=f"clinic_thresholds_{name}_range",
    )


class ClinicThresholds(models.Model):
    """A clinic's own values for the assessment's thresholds; blank keeps the default."""

    clinic = models.OneToOneField(Clinic, on_delete=models.CASCADE, related_name="thresholds")
    pain_important_points = _override("pain_important_points")
    pain_important_percent = _override("pain_important_percent")
    psfs_important_points = _override("psfs_important_points")
    odi_important_points = _override("odi_important_points")
    odi_important_percent = _override("odi_important_percent")
    fair_adherence_percent = _override("fair_adherence_percent")
    adherence_window_days = _override("adherence_window_days", decimal=False)
    too_early_weeks = _override("too_early_weeks", decimal=False)
    min_checkins_per_week = _override("min_checkins_per_week")
    plateau_weeks = _override("plateau_weeks", decimal=False)
    referral_weeks = _override("referral_weeks", decimal=False)
    baseline_days = _override("baseline_days", decimal=False)
    recent_days = _override("recent_days", decimal=False)
    min_window_entries = _override("min_window_entries", decimal=False)
    referral_slip_grade = _override("referral_slip_grade", decimal=False)
    slip_progression_points = _override("slip_progression_points")
    radicular_window_days = _override("radicular_window_days", decimal=False)
    radicular_worsening_percent = _override("radicular_worsening_percent")
    sensor_worn_celsius = _override("sensor_worn_celsius")
    sensor_hysteresis_celsius = _override("sensor_hysteresis_celsius")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # Edited in place: every earlier version is kept (docs/security.md).
    history = HistoricalRecords()

    class Meta:
        verbose_name = "clinic's assessment thresholds"
        verbose_name_plural = "clinics' assessment thresholds"
        constraints = [_in_range(name) for name in THRESHOLD_INFO]

    def __str__(self) -> str:
        return f"Assessment thresholds for {self.clinic}"

    def overrides(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in THRESHOLD_INFO}

    def clean(self) -> None:
        problems = DEFAULTS.with_overrides(self.overrides()).problems()
        if problems:
            raise ValidationError(problems)
