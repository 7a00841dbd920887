"""ParsTrack's core models, one module per area; import them from here."""

from tracker.models.api import ApiToken, ExportRecord
from tracker.models.people import (
    CareTeamMembership,
    Clinic,
    Invite,
    Patient,
    Role,
    SlipGrade,
    User,
)

__all__ = [
    "ApiToken",
    "ExportRecord",
    "CareTeamMembership",
    "Clinic",
    "Invite",
    "Patient",
    "Role",
    "SlipGrade",
    "User",
]
