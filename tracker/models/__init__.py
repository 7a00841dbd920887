"""ParsTrack's core models, one module per area; import them from here."""

from tracker.models.outcomes import Instrument, OutcomeSchedule, QuestionnaireResponse
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
    "CareTeamMembership",
    "Clinic",
    "Instrument",
    "Invite",
    "OutcomeSchedule",
    "Patient",
    "QuestionnaireResponse",
    "Role",
    "SlipGrade",
    "User",
]
