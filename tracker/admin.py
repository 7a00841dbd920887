from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from tracker.models import CareTeamMembership, Clinic, Invite, Patient, User


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "time_zone"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "clinic", "is_active"]
    list_filter = ["role", "clinic", "is_active"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("ParsTrack", {"fields": ["role", "clinic"]}),
    ]


class CareTeamInline(admin.TabularInline):
    model = CareTeamMembership
    extra = 0
    autocomplete_fields = ["clinician"]


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    list_display = ["__str__", "clinic", "status", "conservative_care_started"]
    list_filter = ["clinic", "status"]
    search_fields = ["user__first_name", "user__last_name", "user__username"]
    inlines = [CareTeamInline]
    raw_id_fields = ["user", "treating_clinician"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Patients are discharged, never deleted: their clinical data must be kept.
        return False


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    list_display = ["patient", "created_by", "created_at", "expires_at", "used_at"]
    readonly_fields = ["token_hash"]
