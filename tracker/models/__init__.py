"""ParsTrack's core models, one module per area; import them from here."""

from tracker.models.diary import (
    Activity,
    DiaryActivity,
    DiaryEntry,
    DiaryEntryVersion,
    Medicine,
    PainReach,
    Side,
    WarningSign,
    WarningSignAlert,
)
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
    "Activity",
    "DiaryActivity",
    "DiaryEntry",
    "DiaryEntryVersion",
    "Medicine",
    "PainReach",
    "Side",
    "WarningSign",
    "WarningSignAlert",
    "CareTeamMembership",
    "Clinic",
    "Invite",
    "Patient",
    "Role",
    "SlipGrade",
    "User",
]
