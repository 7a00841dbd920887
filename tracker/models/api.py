"""API tokens for integrations, and the record of every data export."""

from django.db import models
from django.db.models import Q

from tracker.models.people import Patient, User


class ApiToken(models.Model):
    """A clinician's token for the REST API. Only a SHA-256 of the token is stored.

    The token itself is shown once, when it is created; `prefix` (its first characters) lets the
    clinician tell tokens apart afterwards. Revoked tokens are kept, so the list shows what existed.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for.")
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="api_token_has_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class ExportRecord(models.Model):
    """Who exported which dataset about which patients, and when (shown by the audit trail)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="export_records")
    dataset = models.CharField(max_length=50)
    patients = models.ManyToManyField(Patient, related_name="export_records", blank=True)
    all_patients = models.BooleanField(
        default=False, help_text="The export covered every patient the user could see."
    )
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    options = models.JSONField(default=dict, blank=True)
    via = models.CharField(max_length=10, default="web", help_text="web or api")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_from__isnull=True)
                | Q(date_to__isnull=True)
                | Q(date_from__lte=models.F("date_to")),
                name="export_record_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} exported {self.dataset} at {self.created_at:%Y-%m-%d %H:%M}"
