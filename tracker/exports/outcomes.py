"""Questionnaire datasets: one row per submitted response (with change from the patient's own
baseline), and one row per answer given."""

import itertools
from collections.abc import Iterator

from tracker.exports.datasets import Column, ColumnType, ExportScope, register, research_variant
from tracker.exports.patient_days import PatientDayDataset, PatientInfo, Record, in_range
from tracker.models import QuestionnaireResponse
from tracker.rules.outcomes.scoring import change_for

T = ColumnType


def submitted(scope: ExportScope):
    return in_range(
        QuestionnaireResponse.objects.filter(
            patient__in=scope.patients, status=QuestionnaireResponse.Status.SUBMITTED
        ),
        scope,
        "submitted_on",
    )


SCORE_FIELDS = (
    Column("response_id", T.INTEGER, "ParsTrack's id for the response."),
    Column("instrument", T.TEXT, "Questionnaire: psfs, odi, groc or weekly_pain."),
    Column("instrument_version", T.TEXT, "Version of the questionnaire answered."),
    Column("due_on", T.DATE, "The scheduled occasion the response answers.", research=False),
    Column("is_baseline", T.BOOLEAN, "This is the patient's baseline for the questionnaire."),
    Column("score", T.DECIMAL, "The score, in the questionnaire's own units (docs/outcomes.md)."),
    Column("band", T.TEXT, "The score's band (ODI: minimal to bed-bound); empty if none."),
    Column("answered_count", T.INTEGER, "Items answered."),
    Column("skipped_count", T.INTEGER, "Items skipped."),
    Column(
        "replaces_response_id",
        T.INTEGER,
        "The response this one corrects; empty for an original.",
    ),
    Column(
        "superseded",
        T.BOOLEAN,
        "A later correction replaces this response (both are kept; only the latest counts).",
    ),
    Column(
        "baseline_score",
        T.DECIMAL,
        "The baseline score the change is measured from; empty for the baseline itself.",
    ),
    Column("change", T.DECIMAL, "score - baseline_score; empty for the baseline itself."),
    Column(
        "improvement",
        T.DECIMAL,
        "The change signed so that positive is better, whichever way the scale runs.",
    ),
    Column("change_percent", T.DECIMAL, "improvement as a % of baseline_score.", "%"),
    Column(
        "important_change",
        T.BOOLEAN,
        "The change meets the questionnaire's minimal clinically important change.",
    ),
    Column("improved", T.BOOLEAN, "Important change for the better."),
    Column("worsened", T.BOOLEAN, "Important change for the worse."),
)


def score_records(scope: ExportScope) -> Iterator[Record]:
    """One record per submitted response; change from baseline as `score_series` counts it."""
    responses = (
        submitted(scope)
        .select_related("instrument")
        .order_by("patient_id", "instrument__code", "due_on", "submitted_at", "pk")
    )
    rows = responses.iterator(chunk_size=scope.chunk_size)
    # One patient's responses to one questionnaire at a time: a handful, however big the export.
    for _, group in itertools.groupby(rows, key=lambda r: (r.patient_id, r.instrument_id)):
        group = list(group)
        replaced = {r.replaces_id for r in group if r.replaces_id is not None}
        effective = [r for r in group if r.pk not in replaced]
        baseline = next(
            (r for r in effective if r.is_baseline), effective[0] if effective else None
        )
        for r in group:
            is_base = baseline is not None and r.pk == baseline.pk
            change = change_for(
                r.instrument.definition,
                baseline=None if is_base or baseline is None else baseline.score,
                current=r.score,
            )
            measured = change is not None and not is_base and baseline is not None
            yield (
                r.patient_id,
                r.submitted_on,
                {
                    "response_id": r.pk,
                    "instrument": r.instrument.code,
                    "instrument_version": r.instrument_version,
                    "due_on": r.due_on,
                    "is_baseline": is_base,
                    "score": r.score,
                    "band": r.band,
                    "answered_count": r.answered_count,
                    "skipped_count": r.skipped_count,
                    "replaces_response_id": r.replaces_id,
                    "superseded": r.pk in replaced,
                    "baseline_score": baseline.score if measured else None,
                    "change": r.score - baseline.score if measured else None,
                    "improvement": change.improvement if measured else None,
                    "change_percent": change.percent if measured else None,
                    "important_change": change.important if change else None,
                    "improved": change.improved if change else None,
                    "worsened": change.worsened if change else None,
                },
            )


@research_variant("Questionnaire scores without names, dates or free text.")
@register
class QuestionnaireScoresDataset(PatientDayDataset):
    slug = "questionnaires"
    title = "Questionnaire scores"
    description = (
        "One row per submitted questionnaire (row day: the day it was submitted), with change "
        "from the patient's own baseline."
    )
    for_patients = True
    patient_title = "your questionnaire scores"
    fields = SCORE_FIELDS

    def records(self, scope: ExportScope, patients: dict[int, PatientInfo]) -> Iterator[Record]:
        return score_records(scope)


ANSWER_FIELDS = (
    Column("response_id", T.INTEGER, "The response (as in the questionnaires dataset)."),
    Column("instrument", T.TEXT, "Questionnaire: psfs, odi, groc or weekly_pain."),
    Column(
        "item",
        T.TEXT,
        "The question's key (ODI: its section; PSFS: the activity's number, 1-5).",
    ),
    Column(
        "activity",
        T.TEXT,
        "PSFS only: the activity the patient named, in their words; empty otherwise.",
        research=False,
    ),
    Column("answer", T.INTEGER, "The answer as scored; empty when skipped."),
)


def answer_records(scope: ExportScope) -> Iterator[Record]:
    responses = (
        submitted(scope)
        .select_related("instrument")
        .order_by("patient_id", "submitted_on", "pk")
        .only(
            "patient_id",
            "submitted_on",
            "answers",
            "activities",
            "instrument__code",
            "instrument__definition",
        )
    )
    for r in responses.iterator(chunk_size=scope.chunk_size):
        if r.activities:
            keys = [str(n) for n in range(1, len(r.activities) + 1)]
        else:
            keys = [item["key"] for item in r.instrument.definition["items"]]
        for n, key in enumerate(keys):
            yield (
                r.patient_id,
                r.submitted_on,
                {
                    "response_id": r.pk,
                    "instrument": r.instrument.code,
                    "item": key,
                    "activity": r.activities[n] if r.activities else "",
                    "answer": r.answers.get(key),
                },
            )


@research_variant("Questionnaire answers without names, dates or the activities' wording.")
@register
class QuestionnaireAnswersDataset(PatientDayDataset):
    slug = "questionnaire_answers"
    title = "Questionnaire answers"
    description = "One row per question of each submitted questionnaire, with the answer given."
    for_patients = True
    patient_title = "your questionnaire answers"
    fields = ANSWER_FIELDS

    def records(self, scope: ExportScope, patients: dict[int, PatientInfo]) -> Iterator[Record]:
        return answer_records(scope)
