"""Outcome questionnaires: instruments (loaded from definition files), per-patient schedules,
and responses, which are never edited once submitted."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from tracker.models.people import Patient, User
from tracker.rules.outcomes.schedule import (
    DEFAULT_INTERVAL_WEEKS,
    MAX_INTERVAL_WEEKS,
    MIN_INTERVAL_WEEKS,
)


class Instrument(models.Model):
    """One questionnaire, as its definition file describes it (see tracker/instruments/)."""

    class Licence(models.TextChoices):
        FREE = "free", "Free to use"
        LICENSED = "licensed", "Licensed wording"

    class Better(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40)
    version = models.CharField(max_length=40)
    licence = models.CharField(max_length=20, choices=Licence)
    better = models.CharField(max_length=10, choices=Better)
    score_min = models.FloatField()
    score_max = models.FloatField()
    loinc_code = models.CharField(max_length=20, blank=True)
    loinc_checked = models.BooleanField(default=False)
    # The validated definition file, items and all (tracker/rules/outcomes/definitions.py).
    definition = models.JSONField()
    # Licensed wording a clinic loaded from its own file: item key -> {text, options}.
    wording = models.JSONField(default=dict, blank=True)
    wording_loaded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score_min__lt=F("score_max")), name="instrument_score_range_valid"
            ),
            models.CheckConstraint(
                condition=Q(licence__in=["free", "licensed"]), name="instrument_licence_valid"
            ),
            models.CheckConstraint(
                condition=Q(better__in=["higher", "lower"]), name="instrument_better_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_available(self) -> bool:
        """Free instruments always; licensed ones once a clinic has loaded their wording."""
        return self.licence == self.Licence.FREE or bool(self.wording)

    @property
    def has_activities(self) -> bool:
        return bool(self.definition.get("activities"))

    @property
    def at_baseline(self) -> bool:
        return bool(self.definition.get("at_baseline"))

    @property
    def mcid(self) -> dict[str, Any]:
        return self.definition["mcid"]

    @property
    def score_decimals(self) -> int:
        return int(self.definition.get("score_decimals", 1))

    def items(self) -> list[dict[str, Any]]:
        """The items with their wording (from the definition, or the clinic's wording file)."""
        result = []
        for item in self.definition["items"]:
            worded = dict(item)
            if self.wording.get(item["key"]):
                worded |= self.wording[item["key"]]
            result.append(worded)
        return result


class OutcomeSchedule(models.Model):
    """Which instrument a patient answers, and how often (default: baseline, then 4-weekly)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="outcome_schedules")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="schedules")
    interval_weeks = models.PositiveSmallIntegerField(default=DEFAULT_INTERVAL_WEEKS)
    starts_on = models.DateField(help_text="The baseline's due day; follow-ups repeat from it.")
    active = models.BooleanField(default=True)
    set_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Edited in place: every earlier version is kept (docs/security.md).
    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "instrument"], name="outcome_schedule_one_per_instrument"
            ),
            models.CheckConstraint(
                condition=Q(interval_weeks__gte=MIN_INTERVAL_WEEKS)
                & Q(interval_weeks__lte=MAX_INTERVAL_WEEKS),
                name="outcome_schedule_interval_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.short_name} every {self.interval_weeks} weeks for {self.patient}"


class QuestionnaireResponse(models.Model):
    """One answering of an instrument. A draft keeps answers while the patient is halfway; once
    submitted it is never changed. A correction is a new response naming the one it replaces."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="responses")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="responses")
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    due_on = models.DateField(help_text="The scheduled occasion this response answers.")
    is_baseline = models.BooleanField(default=False)
    # Answers by item key (None = skipped); for instruments with activities, by activity number.
    answers = models.JSONField(default=dict, blank=True)
    # PSFS: the activities named at baseline, copied onto each follow-up so it stands alone.
    activities = models.JSONField(default=list, blank=True)
    instrument_version = models.CharField(max_length=40, blank=True)
    score = models.FloatField(null=True, blank=True)
    band = models.CharField(max_length=60, blank=True)
    answered_count = models.PositiveSmallIntegerField(default=0)
    skipped_count = models.PositiveSmallIntegerField(default=0)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        help_text="The submitted response this one corrects; both are kept.",
    )
    correction_reason = models.CharField(max_length=200, blank=True)
    entered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_on = models.DateField(
        null=True, blank=True, help_text="The patient's local day of submission."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft", submitted_at__isnull=True, score__isnull=True)
                | Q(status="submitted", submitted_at__isnull=False, submitted_on__isnull=False),
                name="response_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted"]), name="response_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(replaces=F("pk")), name="response_does_not_replace_itself"
            ),
            # One open draft per patient and instrument: leaving and returning resumes it.
            models.UniqueConstraint(
                fields=["patient", "instrument"],
                condition=Q(status="draft"),
                name="response_one_draft_per_instrument",
            ),
            # One original answer per occasion; corrections (replaces set) sit beside it.
            models.UniqueConstraint(
                fields=["patient", "instrument", "due_on"],
                condition=Q(replaces__isnull=True, status="submitted"),
                name="response_one_per_occasion",
            ),
        ]
        indexes = [models.Index(fields=["patient", "instrument", "status"])]

    def __str__(self) -> str:
        return f"{self.instrument.short_name} for {self.patient} due {self.due_on:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Submitted answers are clinical records: they are kept exactly as given.
        if getattr(self, "_stored_status", None) == self.Status.SUBMITTED:
            raise ValidationError("A submitted response cannot be changed; submit a correction.")
        super().save(*args, **kwargs)
        self._stored_status = self.status

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_status = instance.__dict__.get("status")
        return instance

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED
