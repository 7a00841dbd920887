"""The Django admin shows a clinic administrator only their own clinic's rows.

Platform superusers see everything. Each admin class names the lookup from its model to the clinic;
rows outside the administrator's clinic are absent from lists, searches and change pages (404).
"""

from django.db.models import Q, QuerySet
from django.http import HttpRequest


def clinic_scope(request: HttpRequest, rows: QuerySet, *lookups: str) -> QuerySet:
    """Rows whose clinic (through any of these lookups) is the administrator's own."""
    user = request.user
    if user.is_superuser:
        return rows
    if not user.clinic_id:
        return rows.none()
    condition = Q()
    for lookup in lookups:
        condition |= Q(**{lookup: user.clinic_id})
    return rows.filter(condition).distinct()


# What a foreign key may point at, for an administrator who is not a superuser.
RELATED_LOOKUPS = {
    "tracker.clinic": ("pk",),
    "tracker.user": ("clinic", "patient__clinic"),
    "tracker.patient": ("clinic",),
}


class ClinicScopedAdmin:
    """Mixin for ModelAdmin and inline classes: `clinic_lookups` lead from the model to its
    clinic's id. Lists show only the administrator's clinic, and foreign keys (clinic, users,
    patients) accept only its rows, so nothing can be moved or linked to another clinic."""

    clinic_lookups: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return clinic_scope(request, super().get_queryset(request), *self.clinic_lookups)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        lookups = RELATED_LOOKUPS.get(db_field.related_model._meta.label_lower)
        if field is not None and lookups:
            field.queryset = clinic_scope(request, field.queryset, *lookups)
        return field
