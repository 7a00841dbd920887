"""The Django admin shows a clinic administrator only their own clinic's rows, and audits them.

Platform superusers see everything. Each admin class names the lookup from its model to the clinic;
rows outside the administrator's clinic are absent from lists, searches, change pages and the
history pages of django-simple-history (404). A revert from an earlier version restores values; it
never changes whom or which clinic a record belongs to. Every list, change page, history page,
revert, addition and deletion of a patient's data writes an audit event (docs/security.md).
"""

from collections.abc import Iterable

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from simple_history.models import to_historic

from tracker.models import AuditAction, Patient, User
from tracker.services.audit import audit_patients, audit_record


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

# Whom or which clinic a record belongs to: a revert from an earlier version may not change them.
OWNERSHIP_FIELDS = ("user", "clinic", "treating_clinician", "patient")

REVERT_MOVES = (
    "A revert restores earlier values; it cannot change who or which clinic this record "
    "belongs to ({fields}). Change those on the record itself, if you may."
)


class ClinicScopedAdmin:
    """Mixin for ModelAdmin and inline classes: `clinic_lookups` lead from the model to its
    clinic's id. Lists show only the administrator's clinic, and foreign keys (clinic, users,
    patients) accept only its rows, so nothing can be moved or linked to another clinic. History
    pages follow the same scope; reads and writes of a patient's data are audited."""

    clinic_lookups: tuple[str, ...] = ()
    # False for an admin whose rows name patients but hold none of their data (the audit trail).
    audit_patient_data = True

    # --- Scope -----------------------------------------------------------------------------

    def scope_rows(self, request: HttpRequest, rows: QuerySet) -> QuerySet:
        """The rows (of the model or of its history) this administrator may see."""
        return clinic_scope(request, rows, *self.clinic_lookups)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.scope_rows(request, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        lookups = RELATED_LOOKUPS.get(db_field.related_model._meta.label_lower)
        if field is not None and lookups:
            field.queryset = clinic_scope(request, field.queryset, *lookups)
        return field

    # --- History (django-simple-history) ---------------------------------------------------

    def _history_manager(self):
        attribute = getattr(self.model._meta, "simple_history_manager_attribute", None)
        return getattr(self.model, attribute) if attribute else None

    def _history_subject(self, request: HttpRequest, object_id: str) -> Model:
        """The object whose history is asked for, if this administrator may see it, else 404.

        A deleted object is found through its last version, which must have been in scope."""
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            return obj
        history = self._history_manager()
        if history is None:
            raise Http404
        try:
            pk = self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
        if self.model._default_manager.filter(pk=pk).exists():
            raise Http404  # it exists, outside this administrator's clinic
        versions = history.filter(**{self.model._meta.pk.attname: pk})
        last = versions.order_by("-history_date", "-history_id").first()
        if last is None or not self.scope_rows(request, versions.filter(pk=last.pk)).exists():
            raise Http404
        return last.instance

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        subject = self._history_subject(request, object_id)
        response = super().history_view(request, object_id, extra_context)
        self._audit(request, [subject], AuditAction.VIEW, "history")
        return response

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ):
        subject = self._history_subject(request, object_id)
        history = self._history_manager()
        try:
            version = history.model._meta.pk.to_python(version_id)
        except ValidationError:
            raise Http404 from None
        if not history.filter(pk=version, **{self.model._meta.pk.attname: subject.pk}).exists():
            raise Http404
        # The library takes a revert from anyone who may view the history.
        if request.method == "POST" and not self.has_change_history_permission(request, subject):
            raise PermissionDenied
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if not _wrote(request, response):  # a revert is audited by log_change
            self._audit(request, [subject], AuditAction.VIEW, "history")
        return response

    def get_form(self, request: HttpRequest, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None or to_historic(obj) is None:
            return form
        # The history form: its instance is an earlier version, saved over the current one.
        owned = [
            f.name
            for f in self.model._meta.concrete_fields
            if f.name in OWNERSHIP_FIELDS and f.is_relation
        ]
        current = self.model._default_manager.filter(pk=obj.pk).first() or obj
        owners = {name: getattr(current, f"{name}_id") for name in owned}

        class RevertForm(form):
            def clean(self) -> dict:
                data = super().clean()
                moved = [name for name in owned if _chosen_id(self, name) != owners[name]]
                if moved:
                    raise ValidationError(
                        REVERT_MOVES.format(fields=", ".join(n.replace("_", " ") for n in moved))
                    )
                return data

        return RevertForm

    # --- Audit -----------------------------------------------------------------------------

    def changelist_view(self, request: HttpRequest, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            self._audit(request, list(changelist.result_list), AuditAction.VIEW, "list")
        return response

    def change_view(self, request: HttpRequest, object_id: str, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if not _wrote(request, response):  # a write is audited by log_change
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                self._audit(request, [obj], AuditAction.VIEW, "record")
        return response

    def log_addition(self, request: HttpRequest, obj: Model, message):
        self._audit(request, [obj], AuditAction.CREATE, "record")
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Model, message):
        what = "revert" if to_historic(obj) is not None else "record"
        self._audit(request, [obj], AuditAction.CHANGE, what)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Iterable[Model]):
        # Called before the rows go, by the delete page and by the bulk "delete selected" action.
        rows = list(queryset)
        self._audit(request, rows, AuditAction.CHANGE, "deleted")
        return super().log_deletions(request, rows)

    def _audit(
        self, request: HttpRequest, rows: list[Model], action: AuditAction, kind: str
    ) -> None:
        """One event per patient whose data these rows are (none for other rows)."""
        if not self.audit_patient_data:
            return
        what = f"admin: {self.model._meta.verbose_name} {kind}"
        patient_ids = _patient_ids(self.model, rows)
        if not patient_ids:
            return
        patients = list(Patient.objects.filter(pk__in=patient_ids).order_by("pk"))
        if len(patients) == 1:
            audit_record(request=request, patient=patients[0], action=action, what=what)
        else:
            audit_patients(request=request, patients=patients, action=action, what=what)


def _wrote(request: HttpRequest, response: HttpResponse) -> bool:
    """A POST the admin answered with a redirect: it saved (and logged) the change."""
    return request.method == "POST" and response.status_code == 302


def _chosen_id(form: forms.ModelForm, name: str):
    """The id a form would save in this foreign key: posted if the form has it, else kept."""
    if name in form.fields and name in form.cleaned_data:
        value = form.cleaned_data[name]
        return value.pk if value is not None else None
    return getattr(form.instance, f"{name}_id")


def _patient_ids(model: type[Model], rows: list[Model]) -> set[int]:
    """The patients whose data these rows of the model are."""
    if not rows:
        return set()
    if issubclass(model, Patient):
        return {row.pk for row in rows}
    if issubclass(model, User):
        users = [row.pk for row in rows]
        return set(Patient.objects.filter(user__in=users).values_list("pk", flat=True))
    names = {f.name for f in model._meta.concrete_fields}
    if "patient" in names:
        return {row.patient_id for row in rows if row.patient_id is not None}
    if "link" in names:  # a consent record: the patient of its guardian link
        links = model._meta.get_field("link").related_model.objects
        return set(
            links.filter(pk__in={row.link_id for row in rows}).values_list("patient_id", flat=True)
        )
    return set()
