"""The fast path (cells written in SQL, streamed from the cursor or COPY) writes the same bytes
as the general path (Python's `cell` over model rows), which stays as the reference here."""

import dataclasses
import datetime as dt

import pytest
from django.db import connection
from django.db.models import Value
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PatientFactory, logged_history
from tracker.access import visible_patients
from tracker.exports.csv_writer import FORMULA_TRIGGERS, csv_chunks, neutralise
from tracker.exports.datasets import DATASETS, ExportScope
from tracker.exports.sql_csv import CsvText, sql_csv_chunks
from tracker.models import Activity, DiaryEntry, ExportRecord
from tracker.services.checkin import DiaryAnswers, entry_record

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-3",
    "@SUM(A1)",
    "\tcmd",
    "\rcmd",
    'said "ow", then\nsat',
    "first line\r\nsecond line",
    "Zoë Ødegård: نتيجة 结果",
    "a=b",
    ",",
    '"',
    "",
]
FAST = ["activity_pain", "diary"]


def _reference(slug: str, scope: ExportScope, *, bom: bool = False) -> bytes:
    dataset = DATASETS[slug]()
    return b"".join(csv_chunks(dataset.header(), dataset.ordered_rows(scope), bom=bom))


def _fast(slug: str, scope: ExportScope, *, bom: bool = False) -> bytes:
    dataset = DATASETS[slug]()
    return b"".join(sql_csv_chunks(dataset.header(), dataset.sql_rows(scope), bom=bom))


@pytest.fixture
def hostile_history(patient):
    """A check-in per hostile note, every activity with its pain, booleans both ways."""
    today = patient.local_today()
    for n, note in enumerate(HOSTILE):
        day = today - dt.timedelta(days=n)
        entry_record(
            patient=patient,
            day=day,
            answers=DiaryAnswers(
                pain_now=n % 11,
                pain_worst=10,
                activities={
                    a: (n + i) % 11 for i, a in enumerate(Activity.values) if i % 3 != n % 3
                },
                pain_reach=["", "back", "below_knee"][n % 3],
                pain_side=["", "left", "both"][n % 3],
                leg_numbness=n % 2 == 0,
                night_pain=n % 2 == 1,
                medicine="none" if n % 4 == 0 else "paracetamol",
                medicine_doses=0 if n % 4 == 0 else 1 + n % 3,
                note=note,
            ),
            by=patient.user,
            # Written on the day itself: a check-in is open for a week only.
            now=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
        )
    # Saved times with and without microseconds (isoformat leaves them out when zero).
    first = DiaryEntry.objects.filter(patient=patient).order_by("day").first()
    DiaryEntry.objects.filter(pk=first.pk).update(
        created_at=dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC)
    )


def test_the_fast_path_covers_the_activity_and_check_in_datasets_but_no_research_one(clinician):
    scope = ExportScope(patients=visible_patients(clinician))

    fast = {slug for slug, dataset in DATASETS.items() if dataset().sql_rows(scope) is not None}

    # Each dataset on the fast path is compared byte for byte below.
    assert fast == set(FAST)


@pytest.mark.parametrize("slug", FAST)
@pytest.mark.parametrize("bom", [False, True], ids=["plain", "excel"])
def test_it_writes_the_same_bytes_as_the_general_path(
    slug, bom, clinician, patient, hostile_history
):
    twin = PatientFactory(clinic=patient.clinic, treating_clinician=clinician)
    logged_history(twin, note="=cmd|' /C calc'!A0")
    scope = ExportScope(patients=visible_patients(clinician))

    fast = _fast(slug, scope, bom=bom)

    assert fast == _reference(slug, scope, bom=bom)
    assert fast.count(b"\r\n") > len(HOSTILE)


@pytest.mark.parametrize("slug", FAST)
def test_it_writes_the_same_bytes_within_a_date_range(slug, clinician, patient, hostile_history):
    today = patient.local_today()
    scope = ExportScope(
        patients=visible_patients(clinician),
        date_from=today - dt.timedelta(days=5),
        date_to=today - dt.timedelta(days=2),
    )

    fast = _fast(slug, scope)

    days = {line.split(",")[1] for line in fast.decode().splitlines()[1:] if line[:1].isdigit()}
    assert fast == _reference(slug, scope)
    assert days == {(today - dt.timedelta(days=n)).isoformat() for n in range(2, 6)}


@pytest.mark.parametrize("slug", FAST)
def test_it_writes_only_the_header_when_there_are_no_rows(slug, clinician):
    scope = ExportScope(patients=visible_patients(clinician))

    assert (
        _fast(slug, scope)
        == _reference(slug, scope)
        == (",".join(DATASETS[slug].header()) + "\r\n").encode()
    )


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_it_neutralises_text_in_sql_as_python_does(text, patient):
    logged_history(patient)

    written = (
        DiaryEntry.objects.annotate(cell=CsvText(Value(text)))
        .values_list("cell", flat=True)
        .first()
    )

    assert (written or "") == neutralise(text)


def test_every_activity_is_plain_text_that_copy_writes_unquoted():
    # The activity pain dataset lets PostgreSQL's COPY write it (`SqlRows.plain`): that holds
    # only while no activity needs quoting or neutralising.
    for activity in Activity.values:
        assert activity and not activity.startswith(FORMULA_TRIGGERS)
        assert not set(activity) & set(',"\r\n'), activity


def test_it_streams_in_chunks_that_end_on_a_row(monkeypatch, clinician, patient, hostile_history):
    monkeypatch.setattr("tracker.exports.sql_csv.CHUNK_CHARS", 256)
    scope = ExportScope(patients=visible_patients(clinician))

    for slug in FAST:
        dataset = DATASETS[slug]()
        chunks = list(sql_csv_chunks(dataset.header(), dataset.sql_rows(scope), fetch=5))

        assert len(chunks) > 2, slug
        assert all(isinstance(c, bytes) and c.endswith(b"\r\n") for c in chunks), slug
        assert b"".join(chunks) == _reference(slug, scope)


@pytest.mark.parametrize("slug", FAST)
def test_it_exports_through_the_api_with_a_number_of_queries_that_does_not_grow_with_rows(
    slug, clinician, clinician_client, patient
):
    def export() -> tuple[bytes, int]:
        with CaptureQueriesContext(connection) as queries:
            response = clinician_client.get(reverse("api:export", args=[slug]))
            assert isinstance(response, StreamingHttpResponse)
            body = b"".join(response.streaming_content)
        return body, len(queries)

    logged_history(patient)
    small, few = export()
    for _ in range(3):
        logged_history(PatientFactory(clinic=patient.clinic, treating_clinician=clinician))
    big, many = export()

    assert big.count(b"\r\n") - 1 == 4 * (small.count(b"\r\n") - 1) > 0
    # The access rule and the export record read and write per export, not per row or patient.
    assert many == few
    assert ExportRecord.objects.filter(user=clinician, dataset=slug).count() == 2


@pytest.mark.parametrize("slug", FAST)
def test_it_keeps_other_patients_out_of_the_fast_path(
    slug, clinician_client, patient, other_patient, foreign_clinician
):
    logged_history(patient)
    logged_history(other_patient)
    logged_history(
        PatientFactory(clinic=foreign_clinician.clinic, treating_clinician=foreign_clinician)
    )

    response = clinician_client.get(reverse("api:export", args=[slug]))
    lines = b"".join(response.streaming_content).decode().splitlines()[1:]

    assert lines
    assert {line.split(",")[0] for line in lines} == {str(patient.pk)}


def test_it_gives_the_research_variant_the_same_rows_without_names_or_dates(
    clinician, clinician_client, patient, hostile_history
):
    named = b"".join(
        clinician_client.get(reverse("api:export", args=["activity_pain"])).streaming_content
    ).decode()
    research = b"".join(
        clinician_client.get(
            reverse("api:export", args=["research_activity_pain"])
        ).streaming_content
    ).decode()

    def tails(text: str, skip: int) -> list[str]:
        return [",".join(line.split(",")[skip:]) for line in text.splitlines()[1:]]

    assert tails(research, 3) == tails(named, 2)
    assert str(patient.local_today()) not in research
    assert research.splitlines()[0] == "pseudonym,age_years,care_day,activity,pain"


def test_it_writes_the_same_bytes_on_the_cursor_path_as_with_copy(
    clinician, patient, hostile_history
):
    # On PostgreSQL the plain activity rows come through COPY; the cursor path must agree.
    dataset = DATASETS["activity_pain"]()
    scope = ExportScope(patients=visible_patients(clinician))
    rows = dataset.sql_rows(scope)

    through_cursor = b"".join(
        sql_csv_chunks(dataset.header(), dataclasses.replace(rows, plain=False))
    )

    assert through_cursor == _fast("activity_pain", scope) == _reference("activity_pain", scope)
