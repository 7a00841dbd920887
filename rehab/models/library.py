"""The exercise library: built-in exercises (no clinic) and each clinic's own."""

import uuid

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from tracker.models import Clinic, User
from tracker.security.uploads import image_upload_suffix, validate_image_upload


class Phase(models.TextChoices):
    """Programmes progress in phases (../shared/clinical.md, O'Sullivan 1997)."""

    PROTECT = "protect", "Phase 1: protect and activate"
    STABILISE = "stabilise", "Phase 2: stabilise and strengthen"
    RETURN = "return", "Phase 3: prepare for sport"

    @classmethod
    def rank(cls, value: str) -> int:
        """Where a phase stands in the progression: the order pages list phases in."""
        return cls.values.index(value)


def exercise_image_path(instance: "Exercise", filename: str) -> str:
    # A random name: the original file name may hold a patient's or clinician's name. The suffix
    # (and so the Content-Type it is served with) follows what the file is, not what it was called.
    suffix = image_upload_suffix(instance.image)
    return f"rehab/exercises/{instance.clinic_id or 'builtin'}/{uuid.uuid4().hex}{suffix}"


class Exercise(models.Model):
    # Null clinic: a built-in exercise every clinic can prescribe (seeded by a data migration).
    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="exercises"
    )
    code = models.SlugField(
        max_length=60,
        blank=True,
        help_text="Stable key of a built-in exercise; blank for a clinic's.",
    )
    name = models.CharField(max_length=120)
    purpose = models.CharField(max_length=300)
    instructions = models.TextField(max_length=4000, help_text="One step per line.")
    cautions = models.TextField(max_length=2000, blank=True)
    phase = models.CharField(max_length=20, choices=Phase, default=Phase.PROTECT)
    sets = models.PositiveSmallIntegerField(default=2)
    reps = models.PositiveSmallIntegerField(default=10)
    hold_seconds = models.PositiveSmallIntegerField(default=0)
    sessions_per_week = models.PositiveSmallIntegerField(default=5)
    image = models.ImageField(
        upload_to=exercise_image_path, blank=True, validators=[validate_image_upload]
    )
    image_alt = models.CharField("image description", max_length=200, blank=True)
    is_active = models.BooleanField(
        default=True, help_text="Archived exercises stay in old programmes but cannot be added."
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Edited in place: every earlier version is kept (docs/security.md).
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(clinic__isnull=True),
                name="exercise_builtin_code_unique",
            ),
            models.UniqueConstraint(
                fields=["clinic", "name"],
                condition=Q(clinic__isnull=False),
                name="exercise_clinic_name_unique",
            ),
            models.CheckConstraint(
                condition=Q(sets__gte=1, sets__lte=20)
                & Q(reps__gte=1, reps__lte=100)
                & Q(hold_seconds__lte=300)
                & Q(sessions_per_week__gte=1, sessions_per_week__lte=7),
                name="exercise_default_dosage_valid",
            ),
            models.CheckConstraint(
                condition=Q(phase__in=["protect", "stabilise", "return"]),
                name="exercise_phase_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.clinic_id is None

    @property
    def steps(self) -> list[str]:
        return [line.strip() for line in self.instructions.splitlines() if line.strip()]

    @property
    def caution_lines(self) -> list[str]:
        return [line.strip() for line in self.cautions.splitlines() if line.strip()]
