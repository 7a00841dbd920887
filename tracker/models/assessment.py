"""A stored copy of each patient's assessment, for the dashboard (docs/dashboard.md).

A cache, never a source of truth: a row is used only when it is *valid*, that is computed for
the patient's assessment day of today, not marked stale, and stored under the current
`RULES_FORMAT`. Every write to an input marks the row stale; the dashboard recomputes invalid rows
with the live assessment before it shows or sorts anything. All of it lives in
`tracker.services.stored_assessment`.
"""

from django.db import models

from tracker.models.people import Patient
from tracker.rules.assessment import Category


class AssessmentSnapshot(models.Model):
    patient = models.OneToOneField(
        Patient, on_delete=models.CASCADE, primary_key=True, related_name="assessment_snapshot"
    )
    # Validity: the assessment day it was computed for, the stale mark, and the rules' format
    # number it was computed under (0: none, so rows stored before the number existed are
    # recomputed).
    computed_for = models.DateField(null=True, blank=True)
    stale = models.BooleanField(default=True)
    rules_format = models.PositiveIntegerField(default=0)
    # Bumped by every invalidation, so a recomputation that raced a write can tell (see
    # `refresh_assessments`): it is never overwritten by the recomputation itself.
    generation = models.PositiveBigIntegerField(default=0)
    computed_at = models.DateTimeField(null=True, blank=True)

    # What the dashboard filters and sorts on, as columns.
    category = models.CharField(max_length=20, choices=Category, blank=True)
    priority = models.PositiveSmallIntegerField(default=0)
    weeks_of_care = models.IntegerField(default=0)
    pain_baseline = models.FloatField(null=True, blank=True)
    pain_recent = models.FloatField(null=True, blank=True)
    pain_rise = models.FloatField(null=True, blank=True)  # recent minus baseline
    brace_adherence = models.FloatField(null=True, blank=True)
    exercise_adherence = models.FloatField(null=True, blank=True)
    checkins = models.IntegerField(default=0)
    last_checkin = models.DateField(null=True, blank=True)
    days_since_checkin = models.IntegerField(null=True, blank=True)
    not_logged = models.BooleanField(default=False)  # "not logged for 3+ days"
    # What is only shown: the deciding reason and the function score with its change.
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["category", "priority"], name="snapshot_category")]

    def __str__(self) -> str:
        return f"Assessment of patient {self.patient_id} for {self.computed_for}"
