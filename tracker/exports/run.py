"""Running an export for a user: the access rule, the record, the streamed response.

The HTML export page, the patient's own download and the API endpoint all come through
`export_response`, so each export is recorded in exactly one place.
"""

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from tracker.access import visible_patients
from tracker.db_router import replica_stream
from tracker.exports.csv_writer import csv_chunks, csv_download
from tracker.exports.datasets import Dataset, ExportScope
from tracker.exports.sql_csv import sql_csv_chunks
from tracker.fhir.resources import patient_bundle
from tracker.models import Patient
from tracker.services.exports import export_recorded


@dataclass(frozen=True)
class ExportRequest:
    dataset: type[Dataset]
    # One patient (already fetched through the access rule), or None for all the user may see.
    patient: Patient | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    excel: bool = False


def export_filename(request: ExportRequest, today: dt.date) -> str:
    parts = ["parstrack", request.dataset.slug.replace("_", "-")]
    if request.patient is not None and not request.dataset.research:
        parts.append(f"patient-{request.patient.pk}")
    if request.date_from or request.date_to:
        parts.append(f"{request.date_from or 'start'}-to-{request.date_to or 'now'}")
    else:
        parts.append(today.isoformat())
    return "_".join(parts) + ".csv"


def recorded_scope(
    *,
    http_request: HttpRequest,
    dataset: str,
    patient: Patient | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    options: dict,
    via: str,
    holds_rows: Callable[[QuerySet[Patient]], bool] | None = None,
) -> QuerySet[Patient]:
    """The patients this user may export (narrowed to one if asked), recorded before any byte.

    Every export, CSV or FHIR, comes through here: the one call of `export_recorded`. An export
    event means a disclosure (docs/security.md), so when `holds_rows` says the file will hold no
    row (a date range with nothing in it) the export is recorded with no patients: its
    ExportRecord keeps the attempt, and no patient gets an `export` event.
    """
    user = http_request.user
    patients = visible_patients(user)
    if patient is not None:
        patients = patients.filter(pk=patient.pk)
    disclosed = patients if holds_rows is None or holds_rows(patients) else patients.none()
    export_recorded(
        request=http_request,
        user=user,
        dataset=dataset,
        patients=disclosed,
        all_patients=patient is None,
        date_from=date_from,
        date_to=date_to,
        options=options,
        via=via,
    )
    return patients


def export_response(
    *, http_request: HttpRequest, request: ExportRequest, via: str
) -> StreamingHttpResponse:
    """Record the export, then stream it. Patients outside the access rule never reach a row."""
    dataset = request.dataset()

    def holds_rows(patients: QuerySet[Patient]) -> bool:
        scope = ExportScope(patients=patients, date_from=request.date_from, date_to=request.date_to)
        return dataset_holds_rows(dataset, scope)

    patients = recorded_scope(
        http_request=http_request,
        dataset=request.dataset.slug,
        patient=request.patient,
        date_from=request.date_from,
        date_to=request.date_to,
        options={"excel": request.excel},
        via=via,
        # Only a date range can leave a file empty of patients in care; one read when asked.
        holds_rows=holds_rows if request.date_from or request.date_to else None,
    )
    scope = ExportScope(patients=patients, date_from=request.date_from, date_to=request.date_to)
    return csv_download(
        filename=export_filename(request, timezone.localdate()),
        # The rows are read as the response streams: from the replica, when there is one.
        chunks=replica_stream(dataset_csv(dataset, scope, bom=request.excel), batch=1),
    )


def dataset_holds_rows(dataset: Dataset, scope: ExportScope) -> bool:
    """Whether the dataset's file for this scope has at least one row. One EXISTS where SQL can
    write the rows (a research variant has the rows of its named variant, one for one), else
    the first row of the general path."""
    named = getattr(dataset, "named_sql_rows", None)
    fast = dataset.sql_rows(scope) or (named(scope) if named is not None else None)
    if fast is not None:
        return fast.queryset.exists()
    rows = iter(dataset.rows(scope))
    try:
        return next(rows, None) is not None
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()


def dataset_csv(
    dataset: Dataset, scope: ExportScope, *, bom: bool = False, header: list[str] | None = None
) -> Iterator[bytes]:
    """The dataset's CSV in chunks: written in SQL where the dataset can (the same bytes).
    `header` replaces the column names (the patient's download has them in words)."""
    header = header or dataset.header()
    fast = dataset.sql_rows(scope)
    if fast is not None:
        return sql_csv_chunks(header, fast, bom=bom, fetch=scope.chunk_size)
    return csv_chunks(header, dataset.ordered_rows(scope), bom=bom)


FHIR_DATASET = "fhir"
FHIR_CONTENT_TYPE = "application/fhir+json"


def fhir_bundle_response(*, http_request: HttpRequest, patient: Patient, via: str) -> HttpResponse:
    """Record the export, then answer one patient's FHIR R4 Bundle (a download)."""
    patients = recorded_scope(
        http_request=http_request,
        dataset=FHIR_DATASET,
        patient=patient,
        date_from=None,
        date_to=None,
        options={},
        via=via,
    )
    # The access rule again, so a patient outside it can never be read even by a wrong caller.
    patient = patients.select_related("user", "clinic").get(pk=patient.pk)
    body = json.dumps(patient_bundle(patient, now=timezone.now()), ensure_ascii=False)
    response = HttpResponse(body.encode(), content_type=f"{FHIR_CONTENT_TYPE}; charset=utf-8")
    filename = f"parstrack_fhir_patient-{patient.pk}_{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
