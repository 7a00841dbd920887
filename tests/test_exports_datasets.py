"""The diary, rehab, questionnaire and daily datasets: parsed back and compared with the
database, research variants, streaming, and the access rule."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from rehab.models import BraceLog, ExerciseLog
from tests.factories import PatientFactory, UserFactory, logged_history
from tracker.exports.datasets import DATASETS, patient_datasets
from tracker.models import DiaryActivity, DiaryEntry, ExportRecord, QuestionnaireResponse

pytestmark = pytest.mark.django_db

NOTE = '=HYPERLINK("http://evil.example","click") Zoë: نتيجة 结果'
ACTIVITY = "+Bowling Ødegård"


def _rows(response) -> list[dict[str, str]]:
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(body, newline="")))


def _export(client, dataset, **data):
    return _rows(client.post(reverse("tracker:export"), {"dataset": dataset, **data}))


@pytest.fixture
def history(patient):
    return logged_history(patient, note=NOTE, activity_name=ACTIVITY)


def test_it_exports_daily_check_ins_matching_the_database(clinician_client, patient, history):
    rows = _export(clinician_client, "diary")

    entries = DiaryEntry.objects.filter(patient=patient).order_by("day")
    assert [r["day"] for r in rows] == [e.day.isoformat() for e in entries]
    for row, entry in zip(rows, entries, strict=True):
        assert row["patient_id"] == str(patient.pk)
        assert row["pain_now"] == str(entry.pain_now)
        assert row["pain_worst"] == str(entry.pain_worst)
        assert row["pain_reach"] == entry.pain_reach
        assert row["medicine"] == entry.medicine
        assert row["medicine_doses"] == str(entry.medicine_doses)
        assert row["activities"] == str(entry.activities.count())
        assert row["versions"] == "1"
    # The formula is neutralised, the non-ASCII text kept.
    assert rows[0]["note"] == "'" + NOTE
    assert list(rows[0]) == DATASETS["diary"].header()


def test_it_exports_one_row_per_activity(clinician_client, patient, history):
    rows = _export(clinician_client, "activity_pain")

    stored = DiaryActivity.objects.filter(entry__patient=patient)
    assert sorted((r["day"], r["activity"], r["pain"]) for r in rows) == sorted(
        (a.entry.day.isoformat(), a.activity, str(a.pain)) for a in stored
    )


def test_it_exports_one_row_per_exercise_answer(clinician_client, patient, history):
    rows = _export(clinician_client, "exercises")

    logs = ExerciseLog.objects.filter(patient=patient).select_related("item__exercise")
    assert len(rows) == logs.count() == 4
    expected = {
        (log.day.isoformat(), log.item.exercise.name): (
            "true" if log.done else "false",
            "" if log.sets_done is None else str(log.sets_done),
            "" if log.pain is None else str(log.pain),
            str(log.item.sets),
        )
        for log in logs
    }
    got = {
        (r["day"], r["exercise"]): (r["done"], r["sets_done"], r["pain"], r["prescribed_sets"])
        for r in rows
    }
    assert got == expected


def test_it_exports_every_brace_day_with_its_target_and_hours(clinician_client, patient, history):
    days, _, _ = history

    rows = _export(clinician_client, "brace")

    assert [r["day"] for r in rows] == [d.isoformat() for d in days]
    assert {r["target_hours"] for r in rows} == {"20.0"}
    logged = {log.day.isoformat(): log.hours for log in BraceLog.objects.filter(patient=patient)}
    for row in rows:
        hours = logged.get(row["day"])
        assert row["logged"] == ("true" if hours is not None else "false")
        assert row["hours_worn"] == ("" if hours is None else str(hours))
        expected = min((hours or Decimal(0)) / Decimal(20), Decimal(1))
        assert Decimal(row["worn_fraction"]) == expected.quantize(Decimal("0.001"))


def test_it_exports_questionnaire_scores_with_change_from_baseline(
    clinician_client, patient, history
):
    _, baseline, follow_up = history

    rows = _export(clinician_client, "questionnaires")

    by_id = {int(r["response_id"]): r for r in rows}
    assert set(by_id) == set(
        QuestionnaireResponse.objects.filter(patient=patient).values_list("pk", flat=True)
    )
    assert by_id[baseline.pk]["is_baseline"] == "true"
    assert by_id[baseline.pk]["change"] == ""
    later = by_id[follow_up.pk]
    assert float(later["score"]) == follow_up.score
    assert float(later["baseline_score"]) == baseline.score
    assert float(later["change"]) == follow_up.score - baseline.score
    assert later["improved"] == "true"


def test_it_exports_questionnaire_answers_with_the_patients_own_words(
    clinician_client, patient, history
):
    _, baseline, _ = history

    rows = _export(clinician_client, "questionnaire_answers")

    first = [r for r in rows if r["response_id"] == str(baseline.pk)]
    assert [(r["item"], r["answer"]) for r in first] == [("1", "2"), ("2", "4"), ("3", "3")]
    assert first[0]["activity"] == "'" + ACTIVITY


def test_it_joins_everything_per_patient_day_in_the_daily_table(clinician_client, patient, history):
    days, _, follow_up = history

    rows = _export(clinician_client, "daily")

    assert [r["day"] for r in rows] == [d.isoformat() for d in days]
    first, _, last = rows
    entry = DiaryEntry.objects.get(patient=patient, day=days[0])
    assert first["pain_worst"] == str(entry.pain_worst)
    assert first["activities_logged"] == "2"
    assert first["exercises_logged"] == "2" and first["exercises_done"] == "1"
    assert first["brace_hours_worn"] == "20.0" and first["brace_target_hours"] == "20.0"
    assert last["exercises_logged"] == "" and last["brace_hours_worn"] == ""
    assert last["pain_below_knee"] == "true"
    assert float(last["psfs_score"]) == follow_up.score


def test_it_keeps_a_foreign_patient_out_of_every_dataset(
    clinician_client, patient, history, foreign_clinician, other_patient
):
    foreign = PatientFactory(clinic=foreign_clinician.clinic, treating_clinician=foreign_clinician)
    logged_history(foreign)
    logged_history(other_patient)

    for slug in DATASETS:
        if DATASETS[slug].research:
            continue
        ids = {r["patient_id"] for r in _export(clinician_client, slug)}
        assert ids == {str(patient.pk)}, slug


@pytest.mark.parametrize(
    "slug", [s for s, d in DATASETS.items() if d.research and s != "research_patients"]
)
def test_it_pseudonymises_the_research_variant(clinician_client, clinician, patient, slug):
    twin = PatientFactory(
        user=UserFactory(first_name="Zoë", last_name="Ødegård"),
        clinic=patient.clinic,
        treating_clinician=clinician,
    )
    for p in (patient, twin):
        logged_history(p, note=NOTE, activity_name=ACTIVITY)

    first = _export(clinician_client, slug)
    again = _export(clinician_client, slug)

    body = str(first)
    assert first, slug
    for p in (patient, twin):
        assert p.user.first_name not in body and p.user.last_name not in body
        assert p.date_of_birth.isoformat() not in body
    assert "Zoë" not in body and "Bowling" not in body and "HYPERLINK" not in body
    assert not re.search(r"\d{4}-\d{2}-\d{2}", body), "a calendar date in a research dataset"
    private = {c.name for c in DATASETS[slug.removeprefix("research_")].columns if not c.research}
    assert private.isdisjoint(first[0])
    assert {"patient_id", "day"}.isdisjoint(first[0])
    pseudonyms = {r["pseudonym"] for r in first}
    assert len(pseudonyms) == 2
    assert all(re.fullmatch(r"P-[0-9a-f]{16}", p) for p in pseudonyms)
    assert [r["pseudonym"] for r in first] == [r["pseudonym"] for r in again]
    assert {r["age_years"] for r in first} == {str(patient.age_on(patient.local_today()))}


def test_it_uses_the_same_pseudonym_in_every_research_dataset(clinician_client, patient, history):
    seen = {
        r["pseudonym"]
        for slug in ("research_patients", "research_diary", "research_daily")
        for r in _export(clinician_client, slug)
    }

    assert len(seen) == 1


def test_it_narrows_to_the_date_range(clinician_client, patient, history):
    days, _, _ = history

    rows = _export(clinician_client, "daily", date_from=days[1], date_to=days[1])

    assert [r["day"] for r in rows] == [days[1].isoformat()]


def test_it_streams_with_a_flat_number_of_queries(
    clinician_client, clinician, patient, django_assert_max_num_queries
):
    for _ in range(3):
        logged_history(PatientFactory(clinic=patient.clinic, treating_clinician=clinician))
    response = clinician_client.post(reverse("tracker:export"), {"dataset": "daily"})

    with django_assert_max_num_queries(12):
        rows = list(response.streaming_content)

    assert isinstance(response, StreamingHttpResponse)
    assert rows


def test_it_lets_a_patient_download_everything_they_entered(patient_client, patient, history):
    account = patient_client.get(reverse("tracker:account")).content.decode()
    slugs = {d.slug for d in patient_datasets()}

    downloads = {
        slug: _rows(patient_client.post(reverse("tracker:my_data_download"), {"dataset": slug}))
        for slug in slugs
    }

    assert {"diary", "activity_pain", "exercises", "brace", "questionnaires"} <= slugs
    assert {"questionnaire_answers", "daily", "patients"} <= slugs
    assert "Download your daily check-ins (CSV)" in account
    assert len(downloads["diary"]) == 3
    assert len(downloads["activity_pain"]) == 6
    assert len(downloads["exercises"]) == 4
    assert len(downloads["questionnaire_answers"]) == 6
    assert downloads["diary"][0]["note"] == "'" + NOTE
    assert all(r["patient_id"] == str(patient.pk) for rows in downloads.values() for r in rows)
    assert ExportRecord.objects.filter(user=patient.user).count() == len(slugs)


@pytest.mark.parametrize("slug", [s for s, d in DATASETS.items() if d.research])
def test_it_keeps_calendar_dates_out_of_every_research_dataset(slug):
    from tracker.exports.datasets import ColumnType

    kinds = {c.name: c.type for c in DATASETS[slug].columns}

    assert not {n for n, k in kinds.items() if k in {ColumnType.DATE, ColumnType.DATETIME}}


def test_it_offers_a_research_variant_of_every_named_dataset_never_to_patients():
    named = {s for s, d in DATASETS.items() if not d.research}
    research = {s for s, d in DATASETS.items() if d.research}

    assert research == {f"research_{s}" for s in named}
    for slug in research:
        variant, original = DATASETS[slug], DATASETS[slug.removeprefix("research_")]
        assert not variant.for_patients, slug
        assert variant.title.endswith(" (research, pseudonymised)"), slug
        assert variant.description != original.description, slug


def test_it_refuses_a_research_variant_declared_below_register():
    from tracker.exports.datasets import Dataset, register, research_variant

    with pytest.raises(ValueError, match="above @register"):

        @register
        @research_variant("Nothing, pseudonymised.")
        class Unregistered(Dataset):
            slug = "never_registered"
            title = "Never registered"

    assert "never_registered" not in DATASETS
    assert "research_never_registered" not in DATASETS
