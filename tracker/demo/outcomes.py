"""Demo questionnaire histories that tell each demo patient's story (tracker/demo/people.py).

Every patient gets the default schedule (baseline at the start of care, then every 4 weeks) and
answers that fit their story. The ODI is not in the demo: its wording is licensed and not shipped,
so a fresh installation shows it as unavailable, as a real clinic without a licence would see it.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tracker.demo.people import DemoClinic
from tracker.models import Instrument, OutcomeSchedule, Patient, QuestionnaireResponse
from tracker.rules.outcomes.schedule import DEFAULT_INTERVAL_WEEKS, occasion_days
from tracker.rules.outcomes.scoring import score_answers

ACTIVITIES = {
    "patient": ["Back walkover", "Sitting through a lesson", "Carrying my school bag"],
    "leo": ["Bowling", "Batting for an hour", "Bending to pick up the ball", "Sleeping on my back"],
    "ella": ["Arabesque", "Jumps", "Sitting in class"],
    "jonas": ["Rowing on the erg", "Lifting at the gym", "Sitting at my desk"],
    "priya": ["Diving from the board", "Swimming lengths", "Sitting in class"],
    "tom": ["Lifting plasterboard", "Climbing ladders", "Driving over an hour", "Sleeping"],
    "zoe": ["Spiking", "Blocking", "Running", "Sitting in class", "Carrying my bag"],
}

# Per story, one value per 4-weekly occasion: PSFS mean, weekly average pain, GROC (from week 4).
# None = not answered. Improving: PSFS up >= 2 and pain down >= 2 (past the thresholds); flat: no
# important change; erratic: up and down; red flag: worse; low adherence: most occasions missed.
STORIES = {
    "improving": {"psfs": [3, 4, 6, 7, 8, 8, 9], "pain": [7, 5, 4, 3, 2, 2, 2], "groc": [1, 2, 3]},
    "flat": {"psfs": [4, 4, 5, 4, 5], "pain": [6, 6, 5, 6, 5], "groc": [0, 1, 0, 1]},
    "erratic": {"psfs": [4, 6, 3, 6], "pain": [5, 3, 7, 4], "groc": [1, -1, 1]},
    "red_flag": {"psfs": [5, 4, 3, 2], "pain": [5, 6, 8, 8], "groc": [-1, -2, -2]},
    "early": {"psfs": [3], "pain": [6], "groc": []},
    "low_adherence": {
        "psfs": [4, None, 4, None, None, None, None],
        "pain": [6, None, 6, None, None, None, None],
        "groc": [None, 0, None, None, None, None],
    },
}
# The demo's main patient leaves the latest global rating unanswered, so their home shows it due.
LEAVE_LATEST_OPEN = {"patient": "groc"}


def submitted_response(
    *,
    patient: Patient,
    instrument: Instrument,
    day: dt.date,
    answers: dict,
    activities: list[str],
    is_baseline: bool,
    submitted_at: dt.datetime,
) -> QuestionnaireResponse:
    """A submitted response due and sent on `day`, scored from `answers`, unsaved (for
    `bulk_create`). The one builder of the data generators: the demo's stories here and the
    benchmark's clinic (bench/generate.py). Tests submit through the services instead
    (tests/factories.py `submitted_response`), as a patient would."""
    score = score_answers(instrument.definition, answers)
    return QuestionnaireResponse(
        patient=patient,
        instrument=instrument,
        status=QuestionnaireResponse.Status.SUBMITTED,
        due_on=day,
        is_baseline=is_baseline,
        answers=answers,
        activities=activities,
        instrument_version=instrument.version,
        score=score.value,
        band=score.band,
        answered_count=score.answered,
        skipped_count=score.skipped,
        entered_by=patient.user,
        submitted_at=submitted_at,
        submitted_on=day,
    )


def _ratings(mean: int, count: int) -> dict[str, int]:
    offsets = [-1, 0, 1, 0, 0][:count]
    return {str(n): min(max(mean + d, 0), 10) for n, d in enumerate(offsets, start=1)}


def _answers(code: str, value: int, activities: list[str]) -> dict:
    if code == "psfs":
        return _ratings(value, len(activities))
    if code == "weekly_pain":
        return {"average": value, "worst": min(value + 2, 10)}
    return {"rating": value}


@transaction.atomic
def seed_outcomes(demo: DemoClinic, today: dt.date) -> int:
    """Schedules and submitted questionnaires for each demo patient; returns responses added."""
    instruments = {
        i.code: i for i in Instrument.objects.filter(code__in=["psfs", "weekly_pain", "groc"])
    }
    added: list[QuestionnaireResponse] = []
    for username, patient in demo.patients.items():
        story = STORIES[demo.stories[username]]
        for instrument in instruments.values():
            OutcomeSchedule.objects.get_or_create(
                patient=patient,
                instrument=instrument,
                defaults={
                    "interval_weeks": DEFAULT_INTERVAL_WEEKS,
                    "starts_on": patient.enrolled_on,
                    "set_by": demo.clinicians["clinician"],
                },
            )
            if QuestionnaireResponse.objects.filter(
                patient=patient, instrument=instrument
            ).exists():
                continue
            added += _history(patient, instrument, story, username, today)
    QuestionnaireResponse.objects.bulk_create(added)
    return len(added)


def _history(
    patient: Patient, instrument: Instrument, story: dict, username: str, today: dt.date
) -> list[QuestionnaireResponse]:
    code = {"psfs": "psfs", "weekly_pain": "pain", "groc": "groc"}[instrument.code]
    days = occasion_days(
        starts_on=patient.enrolled_on,
        interval_weeks=DEFAULT_INTERVAL_WEEKS,
        at_baseline=instrument.at_baseline,
        until=today,
    )
    if LEAVE_LATEST_OPEN.get(username) == instrument.code:
        days = days[:-1]
    activities = ACTIVITIES[username] if instrument.has_activities else []
    responses, now = [], timezone.now()
    for day, value in zip(days, story[code], strict=False):
        if value is None:
            continue
        answers = _answers(instrument.code, value, activities)
        sent = dt.datetime.combine(day, dt.time(18, 30), tzinfo=patient.zone)
        responses.append(
            submitted_response(
                patient=patient,
                instrument=instrument,
                day=day,
                answers=answers,
                activities=activities,
                is_baseline=not responses,
                submitted_at=min(sent, now),
            )
        )
    return responses
