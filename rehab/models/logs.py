"""What the patient logged in the daily check-in, keyed by (patient, day)."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from rehab.models.prescriptions import ProgrammeItem
from tracker.models import Patient


class BraceLog(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="brace_logs")
    day = models.DateField()
    hours = models.DecimalField("hours worn", max_digits=3, decimal_places=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Edited in place: every earlier version is kept (docs/security.md).
    history = HistoricalRecords()

    class Meta:
        ordering = ["patient", "-day"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "day"], name="brace_log_one_per_day"),
            models.CheckConstraint(
                condition=Q(hours__gte=0, hours__lte=24), name="brace_log_hours_in_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} wore the brace {self.hours} h on {self.day:%Y-%m-%d}"


class ExerciseLog(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="exercise_logs")
    day = models.DateField()
    item = models.ForeignKey(ProgrammeItem, on_delete=models.PROTECT, related_name="logs")
    done = models.BooleanField()
    sets_done = models.PositiveSmallIntegerField(null=True, blank=True)
    pain = models.PositiveSmallIntegerField("pain during the exercise", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Edited in place: every earlier version is kept (docs/security.md).
    history = HistoricalRecords()

    class Meta:
        ordering = ["patient", "-day", "item__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "day", "item"], name="exercise_log_one_per_item_per_day"
            ),
            models.CheckConstraint(
                condition=Q(sets_done__isnull=True) | Q(sets_done__lte=20),
                name="exercise_log_sets_done_valid",
            ),
            models.CheckConstraint(
                condition=Q(pain__isnull=True) | Q(pain__gte=0, pain__lte=10),
                name="exercise_log_pain_0_10",
            ),
            # Not done means no sets and no pain rating to go with it.
            models.CheckConstraint(
                condition=Q(done=True) | Q(sets_done__isnull=True, pain__isnull=True),
                name="exercise_log_not_done_has_no_detail",
            ),
        ]

    def __str__(self) -> str:
        state = "done" if self.done else "not done"
        return f"{self.patient}: {self.item.exercise} {state} on {self.day:%Y-%m-%d}"
