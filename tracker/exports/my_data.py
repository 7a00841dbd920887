"""The patient's own download: one zip file of their datasets, headers in words, with a readme.

Each dataset offered to patients (`for_patients`) is one CSV in the zip, named for what it
holds ("daily-check-ins.csv"), its header row in words ("Pain worst", not "pain_worst"); the
README.txt says what each file and each column holds, from the datasets' own column lists (the
source docs/export.md and the in-app data dictionary show too). A patient's data is small (a
year is a few thousand rows), so the zip is built in memory; the export is recorded once, for
the one file, before any row is read (`tracker/exports/run.py`).
"""

import datetime as dt
import io
import textwrap
import zipfile

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.text import slugify

from tracker.exports.datasets import Dataset, ExportScope, patient_datasets
from tracker.exports.run import dataset_csv, recorded_scope
from tracker.models import Patient

MY_DATA = "my_data"
WRAP = 78


def file_name(dataset: type[Dataset]) -> str:
    """ "daily-check-ins.csv": the dataset's name for patients, without "your" or "the"."""
    words = dataset.patient_title or dataset.title
    for lead in ("your ", "the "):
        words = words.removeprefix(lead)
    return f"{slugify(words)}.csv"


def readme(*, patient: Patient, today: dt.date, excel: bool) -> str:
    """What each file and column holds, in words."""
    lines = [
        f"Your data from ParsTrack, {patient.name}, downloaded on {today.day} {today:%B %Y}.",
        "",
        *_wrapped(
            "Each file below opens in a spreadsheet (Excel, Numbers, Google Sheets, "
            "LibreOffice). The first row of each names its columns; then there is one row per "
            "record. Dates are written year-month-day (2026-03-01); times are in UTC. An empty "
            "cell means nothing was recorded."
            + (" The files start with a mark that tells Excel they are UTF-8." if excel else "")
        ),
        "",
    ]
    for dataset in patient_datasets():
        title = f"{file_name(dataset)}: {dataset.patient_title or dataset.title}"
        lines += [title, "=" * len(title), *_wrapped(dataset.description), ""]
        for column in dataset.columns:
            unit = f", {column.unit}" if column.unit else ""
            lines += _wrapped(
                f"{column.label} ({column.type_words}{unit}): {column.meaning}", indent="  "
            )
        lines.append("")
    return "\r\n".join(lines)


def _wrapped(text: str, indent: str = "") -> list[str]:
    hanging = indent + "  " if indent else ""
    return textwrap.wrap(text, WRAP, initial_indent=indent, subsequent_indent=hanging)


def my_data_zip(
    *, patients: QuerySet[Patient], patient: Patient, today: dt.date, excel: bool
) -> bytes:
    """The zip's bytes: README.txt, then one CSV per dataset, for `patients` (the access rule's
    queryset, narrowed to this one patient)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme(patient=patient, today=today, excel=excel))
        for dataset in patient_datasets():
            scope = ExportScope(patients=patients)
            header = [column.label for column in dataset.columns]
            body = b"".join(dataset_csv(dataset(), scope, bom=excel, header=header))
            archive.writestr(file_name(dataset), body)
    return buffer.getvalue()


def my_data_zip_response(
    *, http_request: HttpRequest, patient: Patient, excel: bool
) -> HttpResponse:
    """Record the patient's download of their own data (one export, one event), then answer
    the zip of all their datasets (tracker/exports/my_data.py)."""
    patients = recorded_scope(
        http_request=http_request,
        dataset=MY_DATA,
        patient=patient,
        date_from=None,
        date_to=None,
        options={"excel": excel, "format": "zip"},
        via="web",
    )
    today = patient.local_today()
    body = my_data_zip(patients=patients, patient=patient, today=today, excel=excel)
    response = HttpResponse(body, content_type="application/zip")
    filename = f"parstrack-my-data-{today.isoformat()}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
