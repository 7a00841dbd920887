"""The daily diary: one check-in per patient per day, what provoked pain, earlier versions of an
edited day, and warning-sign alerts that wait for a clinician."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from tracker.models.people import Patient, User

PAIN_MIN, PAIN_MAX = 0, 10  # Pain NRS 0-10 (../shared/clinical.md, Ostelo 2008)
MAX_DOSES = 12
NOTE_MAX_LENGTH = 2000


def _pain_in_range(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": PAIN_MIN, f"{field}__lte": PAIN_MAX}), name=name
    )


class Activity(models.TextChoices):
    """Everyday loads that matter for a pars defect; words a 12-year-old uses."""

    WALKING = "walking", "Walking"
    SITTING = "sitting", "Sitting for a long time"
    STANDING = "standing", "Standing for a long time"
    RUNNING = "running", "Running"
    SPORT = "sport", "Training or playing your sport"
    LIFTING = "lifting", "Lifting or carrying"
    ARCHING = "arching", "Bending backwards (arching your back)"
    TWISTING = "twisting", "Twisting"
    SCHOOL_WORK = "school_work", "School or work"


class PainReach(models.TextChoices):
    """How far the pain spread: further down the leg weighs toward review (clinical.md)."""

    BACK = "back", "Back only"
    BUTTOCK = "buttock", "Down to the bottom (buttock)"
    THIGH = "thigh", "Down to the thigh"
    BELOW_KNEE = "below_knee", "Below the knee"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BOTH = "both", "Both sides"


class Medicine(models.TextChoices):
    NONE = "none", "None"
    ANTI_INFLAMMATORY = "anti_inflammatory", "Anti-inflammatory (like ibuprofen)"
    PARACETAMOL = "paracetamol", "Paracetamol"
    OTHER = "other", "Something else"


class WarningSign(models.TextChoices):
    """Red flags for cauda equina syndrome (NICE NG59; ../shared/clinical.md). Each value is
    also the name of the yes/no field on DiaryEntry and WarningSignAlert."""

    SADDLE_NUMBNESS = "saddle_numbness", "New numbness around the private parts or bottom"
    BLADDER_BOWEL = "bladder_bowel", "New trouble peeing or pooing, or holding it in"
    LEG_WEAKNESS_WORSE = "leg_weakness_worse", "Both legs getting weaker"


class DiaryEntry(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="diary_entries")
    day = models.DateField()
    pain_now = models.PositiveSmallIntegerField()
    pain_worst = models.PositiveSmallIntegerField()
    pain_reach = models.CharField(max_length=20, choices=PainReach, blank=True)
    pain_side = models.CharField(max_length=10, choices=Side, blank=True)
    # The optional symptoms and medicine: null (blank for medicine) is "not answered", never "no"
    # (issue 14): a check-in page left alone on them stores that.
    leg_numbness = models.BooleanField(null=True, blank=True, default=False)
    leg_weakness = models.BooleanField(null=True, blank=True, default=False)
    night_pain = models.BooleanField(null=True, blank=True, default=False)
    medicine = models.CharField(max_length=20, choices=Medicine, default=Medicine.NONE, blank=True)
    medicine_doses = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    # A note the young person keeps private never reaches a parent or guardian (issue 16); notes
    # are private unless they choose to share one, and every note written before guardians were.
    note_private = models.BooleanField(default=True)
    saddle_numbness = models.BooleanField(default=False)
    bladder_bowel = models.BooleanField(default=False)
    leg_weakness_worse = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-day"]
        verbose_name_plural = "diary entries"
        constraints = [
            models.UniqueConstraint(fields=["patient", "day"], name="diary_one_entry_per_day"),
            _pain_in_range("pain_now", "diary_pain_now_0_10"),
            _pain_in_range("pain_worst", "diary_pain_worst_0_10"),
            models.CheckConstraint(
                condition=Q(pain_worst__gte=models.F("pain_now")),
                name="diary_worst_not_below_now",
            ),
            models.CheckConstraint(
                condition=Q(pain_reach__in=["", *PainReach.values]), name="diary_pain_reach_valid"
            ),
            models.CheckConstraint(
                condition=Q(pain_side__in=["", *Side.values]), name="diary_pain_side_valid"
            ),
            models.CheckConstraint(
                condition=Q(medicine__in=["", *Medicine.values]), name="diary_medicine_valid"
            ),
            models.CheckConstraint(
                condition=Q(medicine__in=["", Medicine.NONE], medicine_doses=0)
                | (
                    ~Q(medicine__in=["", Medicine.NONE])
                    & Q(medicine_doses__gte=1, medicine_doses__lte=MAX_DOSES)
                ),
                name="diary_doses_match_medicine",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("note"), NOTE_MAX_LENGTH),
                name="diary_note_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} on {self.day:%Y-%m-%d}"

    @property
    def warning_signs(self) -> list[WarningSign]:
        return [sign for sign in WarningSign if getattr(self, sign.value)]


class DiaryActivity(models.Model):
    """An activity done that day and the pain it provoked: what the clinician most needs."""

    entry = models.ForeignKey(DiaryEntry, on_delete=models.CASCADE, related_name="activities")
    activity = models.CharField(max_length=20, choices=Activity)
    pain = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["entry", "id"]
        verbose_name_plural = "diary activities"
        constraints = [
            models.UniqueConstraint(fields=["entry", "activity"], name="diary_activity_once"),
            _pain_in_range("pain", "diary_activity_pain_0_10"),
            models.CheckConstraint(
                condition=Q(activity__in=Activity.values), name="diary_activity_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_activity_display()}: {self.pain}/10"


class DiaryEntryVersion(models.Model):
    """One saved state of an entry (the first save and every change), so edits stay visible."""

    entry = models.ForeignKey(DiaryEntry, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entry", "number"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="diary_version_number_once"),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="diary_version_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry}, version {self.number}"


class WarningSignAlert(models.Model):
    """A patient reported a red flag; it stays open until a clinician acknowledges it."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="warning_alerts")
    day = models.DateField()
    saddle_numbness = models.BooleanField(default=False)
    bladder_bowel = models.BooleanField(default=False)
    leg_weakness_worse = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "day"],
                condition=Q(acknowledged_at__isnull=True),
                name="warning_alert_one_open_per_day",
            ),
            models.CheckConstraint(
                condition=Q(saddle_numbness=True)
                | Q(bladder_bowel=True)
                | Q(leg_weakness_worse=True),
                name="warning_alert_has_a_sign",
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True, acknowledged_by__isnull=True)
                | Q(acknowledged_at__isnull=False, acknowledged_by__isnull=False),
                name="warning_alert_acknowledged_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"Warning sign from {self.patient} on {self.day:%Y-%m-%d}"

    @property
    def signs(self) -> list[WarningSign]:
        return [sign for sign in WarningSign if getattr(self, sign.value)]

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None
