from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
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
from tracker.models import Role
from tracker.security.admin_scope import ClinicScopedAdmin


@admin.register(Exercise)
class ExerciseAdmin(ClinicScopedAdmin, SimpleHistoryAdmin):
    """A clinic administrator keeps their own clinic's library; the built-ins are the platform's."""

    clinic_lookups = ("clinic",)
    list_display = ["name", "clinic", "phase", "is_active"]
    list_filter = ["phase", "is_active", ("clinic", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "code"]

    def scope_rows(self, request: HttpRequest, rows: QuerySet) -> QuerySet:
        # Built-in exercises (no clinic) are shared by every clinic; a clinic's own are its own.
        if request.user.is_superuser:
            return rows
        return rows.filter(Q(clinic__isnull=True) | Q(clinic_id=request.user.clinic_id))

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is None:
            return field
        if db_field.name == "clinic" and not request.user.is_superuser:
            # Their own clinic's library only (the mixin limits the choice): never a built-in.
            field.required = True
            field.empty_label = None
        if db_field.name == "created_by":
            field.queryset = field.queryset.exclude(role=Role.PATIENT)
        return field

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("created_by", request.user.pk)
        if request.user.clinic_id:
            initial.setdefault("clinic", request.user.clinic_id)
        return initial

    def _builtin_for(self, request: HttpRequest, obj: Exercise | None) -> bool:
        # The built-in library is the platform's, not one clinic's.
        return obj is not None and obj.clinic_id is None and not request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Exercise | None = None) -> bool:
        if self._builtin_for(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Exercise | None = None) -> bool:
        if self._builtin_for(request, obj):
            return False
        return super().has_delete_permission(request, obj)


class ProgrammeItemInline(admin.TabularInline):
    model = ProgrammeItem
    extra = 0
    can_delete = False
    readonly_fields = ["exercise", "phase", "sets", "reps", "hold_seconds", "sessions_per_week"]


class HistoryAdmin(ClinicScopedAdmin, admin.ModelAdmin):
    """Prescriptions are history: change them through the app (a new version), never here."""

    clinic_lookups = ("patient__clinic",)

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


class LogAdmin(ClinicScopedAdmin, SimpleHistoryAdmin):
    """A daily log belongs to its patient and day for good: moved to another patient it would
    change two patients' adherence while only one stored assessment is told (docs/dashboard.md)."""

    fixed_on_change: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        fixed = self.fixed_on_change if obj is not None else ()
        return (*super().get_readonly_fields(request, obj), *fixed)


@admin.register(BraceLog)
class BraceLogAdmin(LogAdmin):
    clinic_lookups = ("patient__clinic",)
    list_display = ["patient", "day", "hours"]
    raw_id_fields = ["patient"]
    fixed_on_change = ("patient", "day")


@admin.register(ExerciseLog)
class ExerciseLogAdmin(LogAdmin):
    clinic_lookups = ("patient__clinic",)
    list_display = ["patient", "day", "item", "done", "sets_done", "pain"]
    raw_id_fields = ["patient", "item"]
    fixed_on_change = ("patient", "day", "item")
