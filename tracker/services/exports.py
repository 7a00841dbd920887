"""Recording data exports: an ExportRecord for the export page, and the audit trail's events."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from tracker.models import ExportRecord, Patient, User
from tracker.services.audit import audit_export


@transaction.atomic
def export_recorded(
    *,
    request: HttpRequest,
    user: User,
    dataset: str,
    patients: Iterable[Patient],
    all_patients: bool,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    options: dict[str, Any] | None = None,
    via: str = "web",
) -> ExportRecord:
    """Record that this user exported this dataset about these patients, now."""
    record = ExportRecord.objects.create(
        user=user,
        dataset=dataset,
        all_patients=all_patients,
        date_from=date_from,
        date_to=date_to,
        options=options or {},
        via=via,
    )
    patients = list(patients)
    record.patients.set(patients)
    audit_export(request=request, patients=patients, what=f"export {dataset} ({via})")
    return record
