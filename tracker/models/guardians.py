"""Parents and guardians of young patients: who is linked to whom, with what scope, and the records
of permission and assent that make a link count (issue 16; docs/guardians.md)."""

import datetime as dt

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from tracker.models.people import OneTimeLink, Patient, User
from tracker.rules.guardians import (
    SCOPE_FIELDS,
    ConsentKind,
    GuardianRelationship,
    GuardianScope,
    LinkEnd,
)


class GuardianLinkQuerySet(models.QuerySet):
    def open(self) -> "GuardianLinkQuerySet":
        """Links not ended (an ended link never gives access again)."""
        return self.filter(ended_at__isnull=True)

    def with_standing_consents(self) -> "GuardianLinkQuerySet":
        """Each link with its consent records not withdrawn as `standing_consents` (one query
        for them all), what the access rule's `link_state_now` reads."""
        return self.prefetch_related(
            models.Prefetch(
                "consents",
                queryset=ConsentRecord.objects.filter(withdrawn_at__isnull=True),
                to_attr="standing_consents",
            )
        )


class GuardianLink(models.Model):
    """One guardian's access to one young patient. A guardian may have several (siblings) and a
    patient several guardians. Ended links stay, as the record of who had access and when."""

    guardian = models.ForeignKey(User, on_delete=models.PROTECT, related_name="guardian_links")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="guardian_links")
    relationship = models.CharField(
        max_length=20, choices=GuardianRelationship, default=GuardianRelationship.PARENT
    )
    # The scope: one yes/no for each part (tracker.rules.guardians.GuardianScope, SCOPE_FIELDS).
    sees_plan = models.BooleanField("sees the plan", default=True)
    sees_adherence = models.BooleanField("sees adherence", default=True)
    sees_questionnaires = models.BooleanField("sees questionnaires due", default=True)
    sees_calendar = models.BooleanField("sees the check-in calendar", default=True)
    sees_pain = models.BooleanField("sees pain trends", default=False)
    may_log = models.BooleanField("may log a check-in for the young person", default=False)
    gets_reminders = models.BooleanField("gets the check-in reminders", default=False)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=30, choices=LinkEnd, blank=True)
    ended_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Every change of scope keeps the previous one and who made it.
    history = HistoricalRecords()

    objects = GuardianLinkQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["guardian", "patient"],
                condition=Q(ended_at__isnull=True),
                name="guardian_link_one_open_per_pair",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True, end_reason="")
                | (Q(ended_at__isnull=False) & Q(end_reason__in=LinkEnd.values)),
                name="guardian_link_end_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(relationship__in=GuardianRelationship.values),
                name="guardian_link_relationship_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guardian} ({self.get_relationship_display().lower()}) of {self.patient}"

    def allows(self, scope: GuardianScope) -> bool:
        return bool(getattr(self, SCOPE_FIELDS[scope]))

    @property
    def scope(self) -> list[GuardianScope]:
        """The parts of the scope this link allows, in the order they are listed."""
        return [scope for scope in GuardianScope if self.allows(scope)]

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class ConsentRecord(models.Model):
    """A guardian's permission, a young person's assent, or an adult's renewal: the wording version
    shown, who, when; withdrawn (by whom, when) rather than deleted."""

    link = models.ForeignKey(GuardianLink, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=30, choices=ConsentKind)
    wording_version = models.CharField(max_length=40)
    given_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["given_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["link", "kind"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_standing_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ConsentKind.values), name="consent_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True)
                | Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False),
                name="consent_withdrawal_has_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        state = "withdrawn" if self.withdrawn_at else "given"
        return f"{self.get_kind_display()} ({self.wording_version}) {state} by {self.given_by}"

    @property
    def is_standing(self) -> bool:
        return self.withdrawn_at is None


class GuardianInvite(OneTimeLink):
    """The link that lets an invited guardian sign up (or sign in) and give their permission."""

    link = models.ForeignKey(GuardianLink, on_delete=models.CASCADE, related_name="invites")

    class Meta(OneTimeLink.Meta):
        pass

    def __str__(self) -> str:
        return f"Invite for {self.link.guardian} (expires {self.expires_at:%Y-%m-%d})"

    def is_usable(self, now: dt.datetime | None = None) -> bool:
        return self.link.ended_at is None and super().is_usable(now)
