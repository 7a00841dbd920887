"""The audit trail: who saw, changed or exported which patient's data, when and from where.

Append-only. A row is written once by `tracker.services.audit.audit_record` and never changed or
deleted: the model and its queryset refuse, the admin is read-only, and on PostgreSQL a trigger
(migration) refuses UPDATE and DELETE from any client. One page view or export is one event,
naming all its patients in `patient_ids`. It holds no passwords, tokens or free-text
health notes: `what` names a page or an object kind, never its contents.
"""

from typing import Any, NoReturn

from django.db import models
from django.db.models import Lookup


class PatientIdList(models.JSONField):
    """A JSON list of patient ids, searchable with `__includes=<id>` on PostgreSQL and SQLite
    (Django's JSON `contains` does not work on SQLite)."""


@PatientIdList.register_lookup
class Includes(Lookup):
    lookup_name = "includes"
    prepare_rhs = False

    def get_db_prep_lookup(self, value: Any, connection: Any) -> tuple[str, list[int]]:
        return "%s", [int(value)]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        # lhs is the compiler's quoted column and rhs a "%s" placeholder: no value is in the text.
        sql = f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value = {rhs})"  # noqa: S608
        return sql, [*lhs_params, *rhs_params]

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @> jsonb_build_array({rhs})", [*lhs_params, *rhs_params]


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    CHANGE = "change", "Changed"
    CREATE = "create", "Created"
    EXPORT = "export", "Exported"
    ACKNOWLEDGE = "acknowledge", "Acknowledged"
    LOGIN = "login", "Signed in"
    LOGOUT = "logout", "Signed out"
    LOGIN_FAILED = "login_failed", "Failed sign-in"
    TWO_FACTOR = "two_factor", "Two-factor change"


class AuditLogIsAppendOnly(Exception):
    """Audit events cannot be changed or deleted."""


class AuditEventQuerySet(models.QuerySet):
    def about(self, patient_id: int) -> "AuditEventQuerySet":
        """Events naming this patient: alone (`patient`) or among others (`patient_ids`)."""
        return self.filter(
            models.Q(patient_id=patient_id) | models.Q(patient_ids__includes=patient_id)
        )

    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("Audit events cannot be changed.")

    def delete(self) -> NoReturn:
        raise AuditLogIsAppendOnly("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # PROTECT: a user or patient with an audit trail cannot be deleted (they are deactivated or
    # discharged instead), so the trail always names them.
    user = models.ForeignKey(
        "tracker.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Copies, so the record says who it was even if the user is renamed later.
    username = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=20, blank=True)
    # The clinic whose administrators may read this event (the patient's, else the user's).
    clinic = models.ForeignKey(
        "tracker.Clinic", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    patient = models.ForeignKey(
        "tracker.Patient", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Every patient whose data the page or file showed, one event per page view or export
    # (`patient` too when there is just one). Null on events about no patient, and on events
    # written before issue 18, which named their one patient in `patient` only. Nullable so that
    # adding it is an ALTER TABLE: SQLite's table rebuild would drop the append-only triggers.
    patient_ids = PatientIdList(null=True, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction)
    what = models.CharField(max_length=200)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    method = models.CharField(max_length=10, blank=True)
    path = models.CharField(max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["clinic", "-at"], name="audit_clinic_at"),
            models.Index(fields=["patient", "-at"], name="audit_patient_at"),
            models.Index(fields=["user", "-at"], name="audit_user_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    action__in=[
                        "view",
                        "change",
                        "create",
                        "export",
                        "acknowledge",
                        "login",
                        "logout",
                        "login_failed",
                        "two_factor",
                    ]
                ),
                name="audit_action_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or '-'} {self.action} {self.what}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("Audit events cannot be deleted.")
