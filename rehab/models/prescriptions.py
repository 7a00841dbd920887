"""What a clinician prescribed, effective-dated: programme, brace and activity stage.

Each kind is a chain of versions per patient. A version is in force on day d when
valid_from <= d < valid_to (valid_to null: still in force). A change closes the current version
(sets its valid_to) and opens a new one; a version is never edited, so "what was prescribed on
day d" is one query. A version closed on the day it started (valid_to == valid_from) was corrected
the same day and was never in force; it is kept so the record shows what was written.
"""

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import F, Q

from rehab.models.library import Exercise, Phase
from tracker.models import Patient, User


class EffectiveDated(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="First day no longer in force.")
    prescribed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["patient", "-valid_from", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="%(app_label)s_%(class)s_ends_after_start",
            ),
            # At most one open (current) version per patient.
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(valid_to__isnull=True),
                name="%(app_label)s_%(class)s_one_current",
            ),
        ]

    def in_force_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    @property
    def was_in_force(self) -> bool:
        return self.valid_to is None or self.valid_to > self.valid_from

    @property
    def last_day(self) -> dt.date | None:
        return None if self.valid_to is None else self.valid_to - dt.timedelta(days=1)


class ProgrammeVersion(EffectiveDated):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="programmes")

    class Meta(EffectiveDated.Meta):
        verbose_name = "exercise programme version"

    def __str__(self) -> str:
        return f"Programme for {self.patient} from {self.valid_from:%Y-%m-%d}"


class ProgrammeItem(models.Model):
    programme = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    phase = models.CharField(max_length=20, choices=Phase)
    sets = models.PositiveSmallIntegerField()
    reps = models.PositiveSmallIntegerField()
    hold_seconds = models.PositiveSmallIntegerField(default=0)
    # At most 7: the check-in records one session of each exercise per day.
    sessions_per_week = models.PositiveSmallIntegerField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "exercise"], name="programme_item_exercise_once"
            ),
            models.CheckConstraint(
                condition=Q(sets__gte=1, sets__lte=20)
                & Q(reps__gte=1, reps__lte=100)
                & Q(hold_seconds__lte=300)
                & Q(sessions_per_week__gte=1, sessions_per_week__lte=7),
                name="programme_item_dosage_valid",
            ),
            models.CheckConstraint(
                condition=Q(phase__in=["protect", "stabilise", "return"]),
                name="programme_item_phase_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exercise}: {self.dosage}"

    @property
    def dosage(self) -> str:
        text = f"{self.sets} × {self.reps}"
        if self.hold_seconds:
            text += f", hold {self.hold_seconds} s"
        return f"{text}, {self.sessions_per_week}/week"


class BraceKind(models.TextChoices):
    RIGID = "rigid", "Rigid lumbosacral orthosis (e.g. Boston brace)"
    SOFT = "soft", "Soft elastic support"
    NONE = "none", "No brace"


class BracePrescription(EffectiveDated):
    """A brace prescription. "No brace" is a prescription too: it says the brace was stopped."""

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="brace_prescriptions"
    )
    kind = models.CharField("brace", max_length=10, choices=BraceKind)
    target_hours = models.DecimalField(
        "target hours per day", max_digits=3, decimal_places=1, null=True, blank=True
    )
    planned_end = models.DateField(
        null=True, blank=True, help_text="Last day the brace is planned to be worn."
    )
    wean_from = models.DateField("weaning starts", null=True, blank=True)
    wean_hours = models.DecimalField(
        "target hours per day while weaning", max_digits=3, decimal_places=1, null=True, blank=True
    )

    class Meta(EffectiveDated.Meta):
        constraints = [
            *EffectiveDated.Meta.constraints,
            models.CheckConstraint(
                condition=Q(kind="none", target_hours__isnull=True, wean_from__isnull=True)
                | Q(kind__in=["rigid", "soft"], target_hours__gt=0, target_hours__lte=24),
                name="brace_target_hours_match_kind",
            ),
            models.CheckConstraint(
                condition=Q(wean_from__isnull=True, wean_hours__isnull=True)
                | Q(
                    wean_from__isnull=False,
                    wean_from__gt=F("valid_from"),
                    wean_hours__gt=0,
                    wean_hours__lte=24,
                ),
                name="brace_weaning_plan_complete",
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True) | Q(planned_end__gte=F("valid_from")),
                name="brace_planned_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.patient} from {self.valid_from:%Y-%m-%d}"

    @property
    def is_brace(self) -> bool:
        return self.kind != BraceKind.NONE

    def target_on(self, day: dt.date) -> Decimal | None:
        """Hours a day the brace should be worn on this day; None when no brace is due."""
        if not self.is_brace or not self.in_force_on(day):
            return None
        if self.planned_end is not None and day > self.planned_end:
            return None
        if self.wean_from is not None and day >= self.wean_from:
            return self.wean_hours
        return self.target_hours


class ActivityStage(models.TextChoices):
    """Activity restriction / return-to-sport stages, from rest to full return."""

    REST = "rest", "Rest from sport"
    DAILY = "daily", "Everyday activity and gentle exercise"
    TRAINING = "training", "Non-contact training, no back-bending"
    SPORT = "sport", "Sport-specific training"
    FULL = "full", "Full return to sport"


# What each stage means, in words for the patient (a 12-year-old should follow them).
STAGE_FOR_PATIENT = {
    ActivityStage.REST: "No sport for now. Walking, school and your exercises are fine.",
    ActivityStage.DAILY: (
        "Walk, swim gently or ride a bike on the flat. No sport training yet. "
        "Stop if your back hurts more."
    ),
    ActivityStage.TRAINING: (
        "You can train again, but no contact, no jumping and no bending your back backwards."
    ),
    ActivityStage.SPORT: (
        "You can do most of your sport's training. Build up slowly. Not full matches yet."
    ),
    ActivityStage.FULL: "You can do all of your sport again, including matches.",
}


class ActivityStagePrescription(EffectiveDated):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="activity_stages")
    stage = models.CharField(max_length=20, choices=ActivityStage)

    class Meta(EffectiveDated.Meta):
        constraints = [
            *EffectiveDated.Meta.constraints,
            models.CheckConstraint(
                condition=Q(stage__in=[s.value for s in ActivityStage]),
                name="activity_stage_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} for {self.patient} from {self.valid_from:%Y-%m-%d}"

    @property
    def for_patient(self) -> str:
        return STAGE_FOR_PATIENT[ActivityStage(self.stage)]
