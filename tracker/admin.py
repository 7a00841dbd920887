from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from tracker.models import (
    AuditEvent,
    CareTeamMembership,
    Clinic,
    ClinicThresholds,
    Invite,
    Notification,
    Patient,
    User,
)
from tracker.security.admin_scope import ClinicScopedAdmin


@admin.register(Clinic)
class ClinicAdmin(ClinicScopedAdmin, admin.ModelAdmin):
    clinic_lookups = ("pk",)
    list_display = ["name", "time_zone", "require_two_factor", "emergency_number"]
    fieldsets = [
        (None, {"fields": ["name", "time_zone", "require_two_factor"]}),
        (
            "Urgent advice to patients",
            {
                "fields": ["emergency_number", "urgent_advice_number"],
                "description": "Shown to a patient who reports a warning sign on the check-in.",
            },
        ),
        (
            "Warning signs: escalation",
            {
                "fields": ["alert_escalation_hours", "escalation_email"],
                "description": "Each clinician on the patient's care team is emailed within "
                "minutes of a warning sign (the email names no patient and no symptom). One "
                "nobody has acknowledged after these hours is emailed once to the escalation "
                "contact; with no contact, only the care team is told.",
            },
        ),
        (
            "Letterhead",
            {
                "fields": ["address", "phone"],
                "description": "Printed under the clinic's name at the top of a referral letter.",
            },
        ),
    ]


@admin.register(User)
class UserAdmin(ClinicScopedAdmin, BaseUserAdmin):
    clinic_lookups = ("clinic", "patient__clinic")
    list_display = ["username", "first_name", "last_name", "role", "clinic", "is_active"]
    # Filters offer only the clinics of the rows the administrator may see, never others' names.
    list_filter = ["role", ("clinic", admin.RelatedOnlyFieldListFilter), "is_active"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("ParsTrack", {"fields": ["role", "clinic"]}),
    ]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Users are deactivated, never deleted: their records and audit trail name them.
        return False

    def get_readonly_fields(self, request, obj=None):
        # Only a platform superuser grants admin rights or moves people between clinics.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "is_staff", "groups", "user_permissions", "role", "clinic"]
        return fields


class CareTeamInline(ClinicScopedAdmin, admin.TabularInline):
    clinic_lookups = ("patient__clinic",)
    model = CareTeamMembership
    extra = 0
    autocomplete_fields = ["clinician"]


@admin.register(Patient)
class PatientAdmin(ClinicScopedAdmin, SimpleHistoryAdmin):
    clinic_lookups = ("clinic",)
    list_display = ["__str__", "clinic", "status", "conservative_care_started"]
    list_filter = [("clinic", admin.RelatedOnlyFieldListFilter), "status"]
    search_fields = ["user__first_name", "user__last_name", "user__username", "hospital_number"]
    inlines = [CareTeamInline]
    raw_id_fields = ["user", "treating_clinician"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Patients are discharged, never deleted: their clinical data must be kept.
        return False


@admin.register(Invite)
class InviteAdmin(ClinicScopedAdmin, admin.ModelAdmin):
    clinic_lookups = ("patient__clinic",)
    list_display = ["patient", "created_by", "created_at", "expires_at", "used_at"]
    readonly_fields = ["token_hash"]


@admin.register(ClinicThresholds)
class ClinicThresholdsAdmin(ClinicScopedAdmin, SimpleHistoryAdmin):
    """A clinic administrator sets their own clinic's assessment thresholds, and no other's."""

    clinic_lookups = ("clinic",)
    list_display = ["clinic", "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["clinic"]}),
        (
            "Important change",
            {
                "fields": [
                    "pain_important_points",
                    "pain_important_percent",
                    "psfs_important_points",
                    "odi_important_points",
                    "odi_important_percent",
                ]
            },
        ),
        (
            "Time and adherence",
            {
                "fields": [
                    "fair_adherence_percent",
                    "adherence_window_days",
                    "too_early_weeks",
                    "min_checkins_per_week",
                    "plateau_weeks",
                    "referral_weeks",
                    "baseline_days",
                    "recent_days",
                    "min_window_entries",
                ]
            },
        ),
        (
            "Slip and leg symptoms",
            {
                "fields": [
                    "referral_slip_grade",
                    "slip_progression_points",
                    "radicular_window_days",
                    "radicular_worsening_percent",
                ]
            },
        ),
        (
            "Brace sensor (worn or not)",
            {"fields": ["sensor_worn_celsius", "sensor_hysteresis_celsius"]},
        ),
        ("History", {"fields": ["updated_at", "updated_by"]}),
    ]

    def _allowed(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or (user.is_staff and user.is_clinic_admin))

    def has_module_permission(self, request) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting the row returns the clinic to the defaults.
        return self._allowed(request)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("clinic", "updated_by")

    def save_model(self, request, obj, form, change) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record nobody edits in the admin: no add, change, delete or bulk actions."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        return {}


@admin.register(AuditEvent)
class AuditEventAdmin(ClinicScopedAdmin, ReadOnlyAdmin):
    """Read-only: nobody, a superuser included, may add, change or delete an audit event."""

    clinic_lookups = ("clinic",)
    # The trail names patients but holds none of their data; auditing its reading would only
    # grow it with every look.
    audit_patient_data = False

    list_display = ["at", "username", "role", "patient", "action", "what", "ip_address"]
    list_filter = ["action", "role"]
    search_fields = ["username", "what", "path"]
    date_hierarchy = "at"
    list_select_related = ["patient__user"]


@admin.register(Notification)
class NotificationAdmin(ClinicScopedAdmin, ReadOnlyAdmin):
    """Every notification sent or tried (check-in reminders, warning signs told to the care team
    and escalated): read-only, the clinic's own."""

    clinic_lookups = ("patient__clinic",)
    list_display = [
        "created_at",
        "recipient",
        "address",
        "kind",
        "channel",
        "local_day",
        "outcome",
        "sent_at",
    ]
    list_filter = ["outcome", "kind", "channel"]
    search_fields = [
        "recipient__username",
        "recipient__first_name",
        "recipient__last_name",
        "address",
    ]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
