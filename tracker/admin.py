from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from tracker.access import link_state_now
from tracker.forms.clinics import ClinicAdminForm
from tracker.models import (
    AuditEvent,
    CareTeamMembership,
    Clinic,
    ClinicThresholds,
    ConsentRecord,
    GuardianLink,
    Invite,
    Notification,
    Patient,
    User,
)
from tracker.rules.guardians import GuardianScope, LinkEnd
from tracker.security.admin_scope import ClinicScopedAdmin
from tracker.services.guardians import guardian_link_end


@admin.register(Clinic)
class ClinicAdmin(ClinicScopedAdmin, admin.ModelAdmin):
    clinic_lookups = ("pk",)
    form = ClinicAdminForm
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
        (
            "Parents and guardians",
            {
                "fields": ["guardian_assent_age"],
                "description": "From this age a young patient confirms each parent or "
                "guardian's access, and may take it back. Lowering it pauses the access of "
                "guardians of patients already that age until each young person confirms it.",
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


class ConsentInline(ClinicScopedAdmin, admin.TabularInline):
    """The records of permission and assent behind a link: read-only, as given and withdrawn."""

    clinic_lookups = ("link__patient__clinic",)
    model = ConsentRecord
    extra = 0
    can_delete = False
    fields = readonly_fields = [
        "kind",
        "wording_version",
        "given_by",
        "given_at",
        "withdrawn_at",
        "withdrawn_by",
    ]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# The scope in a word a part, for the list (the change page gives each part in full).
SCOPE_SHORT = {
    GuardianScope.PLAN: "plan",
    GuardianScope.ADHERENCE: "adherence",
    GuardianScope.QUESTIONNAIRES: "questionnaires",
    GuardianScope.CALENDAR: "calendar",
    GuardianScope.PAIN: "pain",
    GuardianScope.LOG: "logging",
    GuardianScope.REMINDERS: "reminders",
}


class LinkOpenFilter(admin.SimpleListFilter):
    title = "access"
    parameter_name = "access"

    def lookups(self, request, model_admin):
        return [("open", "Not ended"), ("ended", "Ended")]

    def queryset(self, request, queryset):
        if self.value() in {"open", "ended"}:
            return queryset.filter(ended_at__isnull=self.value() == "open")
        return queryset


@admin.register(GuardianLink)
class GuardianLinkAdmin(ClinicScopedAdmin, SimpleHistoryAdmin):
    """Who may see which young patient's record, the scope, and whether it holds today. Read
    only: guardians are invited, and consent given or withdrawn, by the people concerned in the
    app; an administrator may only end a link (a safeguarding concern), as the care team can."""

    clinic_lookups = ("patient__clinic",)
    list_display = ["guardian", "patient", "relationship", "scope_short", "state", "ended_at"]
    list_filter = [LinkOpenFilter, "relationship"]
    search_fields = [
        "guardian__first_name",
        "guardian__last_name",
        "guardian__username",
        "patient__user__first_name",
        "patient__user__last_name",
    ]
    list_select_related = ["guardian", "patient__user", "patient__clinic"]
    inlines = [ConsentInline]
    actions = ["end_access"]
    readonly_fields = [
        "guardian",
        "patient",
        "relationship",
        "scope_words",
        "state",
        "invited_by",
        "created_at",
        "ended_at",
        "end_reason",
        "ended_by",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        # The standing records each row's state is worked out from, in one query.
        return super().get_queryset(request).with_standing_consents()

    @admin.display(description="scope")
    def scope_words(self, link: GuardianLink) -> str:
        return "; ".join(part.label for part in link.scope) or "nothing"

    @admin.display(description="scope")
    def scope_short(self, link: GuardianLink) -> str:
        return ", ".join(SCOPE_SHORT[part] for part in link.scope) or "nothing"

    @admin.display(description="state today")
    def state(self, link: GuardianLink) -> str:
        return link_state_now(link).label

    @admin.action(
        description="End the selected guardians' access (removed by the care team)",
        permissions=["end"],
    )
    def end_access(self, request, queryset) -> None:
        links = list(queryset.filter(ended_at__isnull=True))
        for link in links:
            guardian_link_end(link=link, reason=LinkEnd.REMOVED, by=request.user)
        self.message_user(request, f"Ended {len(links)} guardian's access.")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Ended links stay: the record of who had access to a young person's data, and when.
        return False

    def has_end_permission(self, request) -> bool:
        # The one write: for an administrator given the right to change links; the form stays
        # read-only for them too.
        return request.user.has_perm("tracker.change_guardianlink")


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ClinicScopedAdmin, ReadOnlyAdmin):
    """Every permission, assent and renewal given or withdrawn, with the wording version shown."""

    clinic_lookups = ("link__patient__clinic",)
    list_display = ["link", "kind", "wording_version", "given_by", "given_at", "withdrawn_at"]
    list_filter = ["kind", ("withdrawn_at", admin.EmptyFieldListFilter)]
    date_hierarchy = "given_at"
    list_select_related = ["link__guardian", "link__patient__user", "given_by"]
