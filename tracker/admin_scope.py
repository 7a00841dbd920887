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


class ClinicScopedAdmin:
    """Mixin for ModelAdmin classes: `clinic_lookups` lead from the model to its clinic's id."""

    clinic_lookups: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return clinic_scope(request, super().get_queryset(request), *self.clinic_lookups)
