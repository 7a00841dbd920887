"""Running an export for a user: the access rule, the record, the streamed response.

The HTML export page, the patient's own download and the API endpoint all come through
`export_response`, so each export is recorded in exactly one place.
"""

import datetime as dt
from dataclasses import dataclass

from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from tracker.access import visible_patients
from tracker.db_router import replica_stream
from tracker.exports.csv_writer import streaming_csv_response
from tracker.exports.datasets import Dataset, ExportScope
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


def export_response(
    *, http_request: HttpRequest, request: ExportRequest, via: str
) -> StreamingHttpResponse:
    """Record the export, then stream it. Patients outside the access rule never reach a row."""
    user = http_request.user
    patients = visible_patients(user)
    if request.patient is not None:
        patients = patients.filter(pk=request.patient.pk)
    export_recorded(
        request=http_request,
        user=user,
        dataset=request.dataset.slug,
        patients=patients,
        all_patients=request.patient is None,
        date_from=request.date_from,
        date_to=request.date_to,
        options={"excel": request.excel},
        via=via,
    )
    scope = ExportScope(patients=patients, date_from=request.date_from, date_to=request.date_to)
    dataset = request.dataset()
    return streaming_csv_response(
        filename=export_filename(request, timezone.localdate()),
        header=dataset.header(),
        # The rows are read as the response streams: from the replica, when there is one.
        rows=replica_stream(dataset.ordered_rows(scope)),
        bom=request.excel,
    )
