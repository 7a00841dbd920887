"""ParsTrack's core models, one module per area; import them from here."""

from tracker.models.audit import AuditAction, AuditEvent, AuditLogIsAppendOnly
from tracker.models.people import (
    CareTeamMembership,
    Clinic,
    Invite,
    Patient,
    Role,
    SlipGrade,
    User,
)
from tracker.models.sessions import UserSession

__all__ = [
    "AuditAction",
    "AuditEvent",
    "AuditLogIsAppendOnly",
    "CareTeamMembership",
    "Clinic",
    "Invite",
    "Patient",
    "Role",
    "SlipGrade",
    "User",
    "UserSession",
]
