from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from rehab.models import (
    ActivityStagePrescription,
    BraceLog,
    BracePrescription,
    Exercise,
    ExerciseLog,
    ProgrammeItem,
    ProgrammeVersion,
)


@admin.register(Exercise)
class ExerciseAdmin(SimpleHistoryAdmin):
    list_display = ["name", "clinic", "phase", "is_active"]
    list_filter = ["phase", "is_active", "clinic"]
    search_fields = ["name", "code"]


class ProgrammeItemInline(admin.TabularInline):
    model = ProgrammeItem
    extra = 0
    can_delete = False
    readonly_fields = ["exercise", "phase", "sets", "reps", "hold_seconds", "sessions_per_week"]


class HistoryAdmin(admin.ModelAdmin):
    """Prescriptions are history: change them through the app (a new version), never here."""

    list_display = ["patient", "valid_from", "valid_to", "prescribed_by"]
    list_filter = ["valid_to"]
    raw_id_fields = ["patient", "prescribed_by"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ProgrammeVersion)
class ProgrammeVersionAdmin(HistoryAdmin):
    inlines = [ProgrammeItemInline]


@admin.register(BracePrescription)
class BracePrescriptionAdmin(HistoryAdmin):
    list_display = [*HistoryAdmin.list_display, "kind", "target_hours"]


@admin.register(ActivityStagePrescription)
class ActivityStageAdmin(HistoryAdmin):
    list_display = [*HistoryAdmin.list_display, "stage"]


@admin.register(BraceLog)
class BraceLogAdmin(SimpleHistoryAdmin):
    list_display = ["patient", "day", "hours"]
    raw_id_fields = ["patient"]


@admin.register(ExerciseLog)
class ExerciseLogAdmin(SimpleHistoryAdmin):
    list_display = ["patient", "day", "item", "done", "sets_done", "pain"]
    raw_id_fields = ["patient", "item"]
