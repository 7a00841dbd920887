"""Reads for outcome questionnaires: what is due, completion, and scores over time.

`score_series(patients)` is the interface the dashboard reuses: for many patients it runs a fixed
number of queries (two), and gives each instrument's scores with change from the patient's own
baseline, flagged at the instrument's important-change threshold.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from tracker.models import Instrument, OutcomeSchedule, Patient, QuestionnaireResponse
from tracker.rules.outcomes.schedule import DONE, Occasion, next_day, occasions
from tracker.rules.outcomes.scoring import Change, change_for


@dataclass(frozen=True)
class ScorePoint:
    response: QuestionnaireResponse
    score: float
    band: str
    is_baseline: bool
    change: Change | None

    @property
    def day(self) -> dt.date:
        return self.response.submitted_on

    @property
    def is_correction(self) -> bool:
        return self.response.replaces_id is not None


@dataclass
class ScoreSeries:
    instrument: Instrument
    points: list[ScorePoint] = field(default_factory=list)

    @property
    def baseline(self) -> ScorePoint | None:
        return next((p for p in self.points if p.is_baseline), None)

    @property
    def latest(self) -> ScorePoint | None:
        return self.points[-1] if self.points else None


def _effective(responses: list[QuestionnaireResponse]) -> list[QuestionnaireResponse]:
    """Submitted responses, each replaced by its latest correction (the original stays stored)."""
    replaced = {r.replaces_id for r in responses if r.replaces_id is not None}
    return [r for r in responses if r.pk not in replaced]


def score_series(
    patients: Iterable[Patient], *, answers: bool = True
) -> dict[int, dict[str, ScoreSeries]]:
    """patient id -> instrument code -> scores over time, oldest first. Two queries.

    `answers=False` leaves each response's answers and activities unread (the dashboard and the
    assessment need only the scores; at clinic scale those JSON columns were most of the work).
    Instruments are read once each rather than joined onto every response, so an instrument's
    definition is parsed once, not once per response.
    """
    ids = [p.pk for p in patients]
    submitted = QuestionnaireResponse.objects.filter(
        patient_id__in=ids, status=QuestionnaireResponse.Status.SUBMITTED
    )
    found = submitted.order_by("patient_id", "instrument_id", "due_on", "submitted_at", "pk")
    if not answers:
        found = found.defer("answers", "activities")
    responses = list(found)
    instruments = {
        i.pk: i
        for i in Instrument.objects.filter(pk__in=submitted.values("instrument_id").order_by())
    }
    for response in responses:
        response.instrument = instruments[response.instrument_id]
    grouped: dict[tuple[int, int], list[QuestionnaireResponse]] = defaultdict(list)
    for response in responses:
        grouped[(response.patient_id, response.instrument_id)].append(response)
    result: dict[int, dict[str, ScoreSeries]] = {pk: {} for pk in ids}
    for (patient_id, _), group in grouped.items():
        effective = _effective(group)
        if not effective:
            continue
        instrument = effective[0].instrument
        baseline = next((r for r in effective if r.is_baseline), effective[0])
        series = ScoreSeries(instrument=instrument)
        for response in effective:
            is_baseline = response.pk == baseline.pk
            change = change_for(
                instrument.definition,
                baseline=None if is_baseline else baseline.score,
                current=response.score,
            )
            series.points.append(
                ScorePoint(
                    response=response,
                    score=response.score,
                    band=response.band,
                    is_baseline=is_baseline,
                    change=change,
                )
            )
        result[patient_id][instrument.code] = series
    return result


@dataclass(frozen=True)
class ScheduleRow:
    schedule: OutcomeSchedule
    occasions: list[Occasion]
    next_due: dt.date
    draft: QuestionnaireResponse | None

    @property
    def instrument(self) -> Instrument:
        return self.schedule.instrument

    @property
    def open_occasion(self) -> Occasion | None:
        if self.occasions and self.occasions[-1].is_open:
            return self.occasions[-1]
        return None

    @property
    def done_count(self) -> int:
        return sum(o.status == DONE for o in self.occasions)


def schedule_rows(
    patient: Patient, today: dt.date, *, active_only: bool = True
) -> list[ScheduleRow]:
    """Each scheduled instrument with its occasions up to today (three queries)."""
    schedules = patient.outcome_schedules.select_related("instrument")
    if active_only:
        schedules = schedules.filter(active=True)
    responses = QuestionnaireResponse.objects.filter(patient=patient).only(
        "instrument_id", "status", "due_on", "replaces_id", "answers", "activities", "updated_at"
    )
    answered: dict[int, set[dt.date]] = defaultdict(set)
    drafts: dict[int, QuestionnaireResponse] = {}
    for response in responses:
        if response.status == QuestionnaireResponse.Status.SUBMITTED:
            answered[response.instrument_id].add(response.due_on)
        else:
            drafts[response.instrument_id] = response
    rows = []
    for schedule in schedules:
        instrument = schedule.instrument
        if not instrument.is_available:
            continue
        common = {
            "starts_on": schedule.starts_on,
            "interval_weeks": schedule.interval_weeks,
            "at_baseline": instrument.at_baseline,
        }
        rows.append(
            ScheduleRow(
                schedule=schedule,
                occasions=occasions(**common, today=today, answered=answered[instrument.pk]),
                next_due=next_day(**common, after=today),
                draft=drafts.get(instrument.pk),
            )
        )
    return rows


def due_for_patient(patient: Patient, today: dt.date) -> list[ScheduleRow]:
    """What the patient should answer now: due or overdue occasions, and unfinished drafts."""
    if not patient.is_active:
        return []
    return [
        row for row in schedule_rows(patient, today) if row.open_occasion is not None or row.draft
    ]
