"""Recording data exports. The audit trail takes this over: keep `export_recorded` the one call."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from tracker.models import ExportRecord, Patient, User


@transaction.atomic
def export_recorded(
    *,
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
    record.patients.set(list(patients))
    return record
