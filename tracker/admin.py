from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from tracker.models import (
    AuditAction,
    AuditEvent,
    CareTeamMembership,
    Clinic,
    Invite,
    Patient,
    User,
)
from tracker.services.audit import audit_record


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "time_zone", "require_two_factor"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "clinic", "is_active"]
    list_filter = ["role", "clinic", "is_active"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("ParsTrack", {"fields": ["role", "clinic"]}),
    ]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Users are deactivated, never deleted: their records and audit trail name them.
        return False


class CareTeamInline(admin.TabularInline):
    model = CareTeamMembership
    extra = 0
    autocomplete_fields = ["clinician"]


@admin.register(Patient)
class PatientAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "clinic", "status", "conservative_care_started"]
    list_filter = ["clinic", "status"]
    search_fields = ["user__first_name", "user__last_name", "user__username"]
    inlines = [CareTeamInline]
    raw_id_fields = ["user", "treating_clinician"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Patients are discharged, never deleted: their clinical data must be kept.
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        patient = Patient.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if patient is not None:
            wrote = request.method == "POST" and response.status_code == 302
            audit_record(
                request=request,
                patient=patient,
                action=AuditAction.CHANGE if wrote else AuditAction.VIEW,
                what="admin: patient record",
            )
        return response


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    list_display = ["patient", "created_by", "created_at", "expires_at", "used_at"]
    readonly_fields = ["token_hash"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: nobody, a superuser included, may add, change or delete an audit event."""

    list_display = ["at", "username", "role", "patient", "action", "what", "ip_address"]
    list_filter = ["action", "role"]
    search_fields = ["username", "what", "path"]
    date_hierarchy = "at"
    list_select_related = ["patient__user"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        return {}
