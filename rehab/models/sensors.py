"""Brace wear measured by a temperature logger in the brace, beside what the patient reports.

A sensor (an Orthotimer or an iButton thermochron) is linked to one patient. Each imported file
is kept as a record (its SHA-256, so the same file twice changes nothing); the hours it measured
are stored per day in the patient's time zone, with the file they came from. A later file that
overlaps replaces those days (history keeps what they said before). Days the file does not cover
in full (the partial first and last days, gaps) are not stored: missing, never "not worn".
"""

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from tracker.models import Patient, User


class SensorKind(models.TextChoices):
    ORTHOTIMER = "orthotimer", "Orthotimer"
    IBUTTON = "ibutton", "iButton thermochron"


class BraceSensor(models.Model):
    kind = models.CharField(max_length=20, choices=SensorKind.choices)
    serial = models.CharField(
        max_length=64, help_text="The logger's serial or registration number."
    )
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="brace_sensors")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["patient", "kind", "serial"]
        constraints = [
            # A logger belongs to one patient: a file from another patient's sensor is refused.
            models.UniqueConstraint(fields=["kind", "serial"], name="brace_sensor_one_patient"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.serial}"


class BraceSensorFile(models.Model):
    sensor = models.ForeignKey(BraceSensor, on_delete=models.PROTECT, related_name="files")
    sha256 = models.CharField(max_length=64)
    file_name = models.CharField(max_length=255)
    imported_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    first_sample = models.DateTimeField()
    last_sample = models.DateTimeField()
    interval_seconds = models.PositiveIntegerField()
    samples = models.PositiveIntegerField()

    class Meta:
        ordering = ["sensor", "-imported_at"]
        constraints = [
            models.UniqueConstraint(fields=["sensor", "sha256"], name="brace_sensor_file_once"),
            models.CheckConstraint(
                condition=Q(last_sample__gte=F("first_sample")),
                name="brace_sensor_file_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(interval_seconds__gt=0), name="brace_sensor_file_interval_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.sensor})"


class MeasuredBraceDay(models.Model):
    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="measured_brace_days"
    )
    day = models.DateField()
    hours = models.DecimalField("hours worn (measured)", max_digits=4, decimal_places=2)
    sensor = models.ForeignKey(BraceSensor, on_delete=models.PROTECT, related_name="days")
    source = models.ForeignKey(BraceSensorFile, on_delete=models.PROTECT, related_name="days")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Replaced in place by an overlapping file: every earlier version is kept.
    history = HistoricalRecords()

    class Meta:
        ordering = ["patient", "-day"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "day"], name="measured_brace_one_per_day"),
            # A local day is 25 hours long when the clocks go back.
            models.CheckConstraint(
                condition=Q(hours__gte=0, hours__lte=25), name="measured_brace_hours_in_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} wore the brace {self.hours} h (measured) on {self.day:%Y-%m-%d}"
