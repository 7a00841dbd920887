"""ParsTrack's core models, one module per area; import them from here."""

from tracker.models.api import ApiToken, ExportRecord
from tracker.models.assessment import AssessmentSnapshot
from tracker.models.audit import AuditAction, AuditEvent, AuditLogIsAppendOnly
from tracker.models.checkin import (
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
from tracker.models.guardian_notices import GuardianNotice
from tracker.models.guardians import ConsentRecord, GuardianInvite, GuardianLink
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
from tracker.models.push import PushSubscription
from tracker.models.records import ClinicianNote, ClinicThresholds, ImagingStudy, Modality
from tracker.models.reminders import Notification, ReminderPreference
from tracker.models.sessions import UserSession

__all__ = [
    "AssessmentSnapshot",
    "ClinicianNote",
    "ClinicThresholds",
    "ImagingStudy",
    "Modality",
    "Activity",
    "DiaryActivity",
    "DiaryEntry",
    "DiaryEntryVersion",
    "Medicine",
    "PainReach",
    "Side",
    "WarningSign",
    "WarningSignAlert",
    "ApiToken",
    "ExportRecord",
    "AuditAction",
    "AuditEvent",
    "AuditLogIsAppendOnly",
    "CareTeamMembership",
    "Clinic",
    "ConsentRecord",
    "GuardianInvite",
    "GuardianLink",
    "GuardianNotice",
    "Instrument",
    "Invite",
    "OutcomeSchedule",
    "Patient",
    "PushSubscription",
    "QuestionnaireResponse",
    "Role",
    "SlipGrade",
    "User",
    "UserSession",
    "Notification",
    "ReminderPreference",
]
