"""Writes for outcome questionnaires: loading instruments, schedules, answering and correcting."""

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tracker.models import Instrument, OutcomeSchedule, Patient, QuestionnaireResponse, User
from tracker.rules.outcomes.definitions import (
    DefinitionError,
    builtin_paths,
    read_json,
    validate_definition,
    validate_wording,
)
from tracker.rules.outcomes.schedule import DEFAULT_INTERVAL_WEEKS, current_day
from tracker.rules.outcomes.scoring import NotScorable, score_answers
from tracker.services.stored_assessment import mark_assessments_stale


class InstrumentFileError(Exception):
    """A definition or wording file could not be loaded; the message names file and problem."""


def _instrument_fields(definition: dict) -> dict:
    loinc = definition["loinc"] or {}
    return {
        "name": definition["name"],
        "short_name": definition["short_name"],
        "version": definition["version"],
        "licence": definition["licence"],
        "better": definition["better"],
        "score_min": definition["score_range"][0],
        "score_max": definition["score_range"][1],
        "loinc_code": loinc.get("code", ""),
        "loinc_checked": loinc.get("checked", False),
        "definition": definition,
    }


def instruments_load(*, paths: Iterable[Path]) -> list[str]:
    """Validate every file, then load them all in one transaction; on any error, load nothing.

    A file with `wording_for` is a licensed instrument's wording; any other is a definition.
    Returns one line per file saying what was loaded.
    """
    definitions: list[tuple[Path, dict]] = []
    wordings: list[tuple[Path, str, dict]] = []
    for path in paths:
        try:
            data = read_json(path)
            if isinstance(data, dict) and "wording_for" in data:
                wordings.append((path, data["wording_for"], data))
            else:
                definitions.append((path, validate_definition(data)))
        except DefinitionError as error:
            raise InstrumentFileError(f"{path}: {error}") from None

    codes = [definition["code"] for _, definition in definitions]
    for code in codes:
        if codes.count(code) > 1:
            raise InstrumentFileError(f"two definition files define the instrument {code!r}")

    report = []
    with transaction.atomic():
        for path, definition in definitions:
            instrument = Instrument.objects.filter(code=definition["code"]).first()
            fields = _instrument_fields(definition)
            if instrument is None:
                Instrument.objects.create(code=definition["code"], **fields)
                report.append(f"{path.name}: added {definition['name']} {definition['version']}")
                continue
            if instrument.wording and not any(code == instrument.code for _, code, _ in wordings):
                try:
                    validate_wording({"items": _wording_items(instrument.wording)}, definition)
                except DefinitionError as error:
                    raise InstrumentFileError(
                        f"{path}: the wording already loaded for {instrument.code} does not fit "
                        f"this definition ({error}); load a new wording file with it"
                    ) from None
            for name, value in fields.items():
                setattr(instrument, name, value)
            instrument.save()
            report.append(f"{path.name}: updated {definition['name']} {definition['version']}")
        for path, code, data in wordings:
            instrument = (
                Instrument.objects.filter(code=code).first() if isinstance(code, str) else None
            )
            if instrument is None:
                raise InstrumentFileError(f"{path}: wording_for: no instrument {code!r} is loaded")
            try:
                wording = validate_wording(data, instrument.definition)
            except DefinitionError as error:
                raise InstrumentFileError(f"{path}: {error}") from None
            instrument.wording = wording
            instrument.wording_loaded_at = timezone.now()
            instrument.save(update_fields=["wording", "wording_loaded_at", "updated_at"])
            report.append(f"{path.name}: loaded the wording of {instrument.name}")
    return report


def _wording_items(wording: Mapping[str, dict]) -> list[dict]:
    return [{"key": key, **value} for key, value in wording.items()]


def instruments_load_builtin() -> list[str]:
    """Bring the built-in instruments up to date with their files (skips unchanged ones)."""
    changed = []
    for path in builtin_paths():
        definition = validate_definition(read_json(path))
        current = Instrument.objects.filter(code=definition["code"]).values("definition").first()
        if current is None or current["definition"] != definition:
            changed.append(path)
    return instruments_load(paths=changed) if changed else []


def outcome_schedule_set(
    *,
    patient: Patient,
    instrument: Instrument,
    active: bool,
    interval_weeks: int,
    starts_on: dt.date,
    set_by: User | None,
) -> OutcomeSchedule:
    """Schedule (or stop) an instrument for a patient; stopping keeps every answer given."""
    if active and not instrument.is_available:
        raise ValidationError(f"{instrument.name} is not available: its wording is not loaded.")
    schedule, _ = OutcomeSchedule.objects.update_or_create(
        patient=patient,
        instrument=instrument,
        defaults={
            "active": active,
            "interval_weeks": interval_weeks,
            "starts_on": starts_on,
            "set_by": set_by,
        },
    )
    schedule.full_clean()
    return schedule


def outcome_schedule_defaults(*, patient: Patient, set_by: User | None) -> list[OutcomeSchedule]:
    """The default plan: each available default instrument at enrolment, then every 4 weeks."""
    existing = set(patient.outcome_schedules.values_list("instrument_id", flat=True))
    return [
        outcome_schedule_set(
            patient=patient,
            instrument=instrument,
            active=True,
            interval_weeks=DEFAULT_INTERVAL_WEEKS,
            starts_on=patient.enrolled_on,
            set_by=set_by,
        )
        for instrument in Instrument.objects.all()
        if instrument.definition.get("default_schedule")
        and instrument.is_available
        and instrument.pk not in existing
    ]


def effective_baseline(*, patient: Patient, instrument: Instrument) -> QuestionnaireResponse | None:
    """The patient's baseline: their first submitted response, or its correction."""
    baseline = (
        QuestionnaireResponse.objects.filter(
            patient=patient,
            instrument=instrument,
            status=QuestionnaireResponse.Status.SUBMITTED,
            replaces__isnull=True,
        )
        .order_by("due_on", "submitted_at")
        .first()
    )
    while baseline is not None:
        correction = QuestionnaireResponse.objects.filter(
            replaces=baseline, status=QuestionnaireResponse.Status.SUBMITTED
        ).first()
        if correction is None:
            return baseline
        baseline = correction
    return None


@transaction.atomic
def response_start(
    *, patient: Patient, schedule: OutcomeSchedule, entered_by: User, today: dt.date
) -> QuestionnaireResponse:
    """Open (or resume) the draft answering the schedule's current occasion."""
    instrument = schedule.instrument
    if not instrument.is_available or not schedule.active:
        raise ValidationError("This questionnaire is not available.")
    due_on = current_day(
        starts_on=schedule.starts_on,
        interval_weeks=schedule.interval_weeks,
        at_baseline=instrument.at_baseline,
        today=today,
    )
    if due_on is None:
        raise ValidationError("This questionnaire is not due yet.")
    draft = (
        QuestionnaireResponse.objects.select_for_update()
        .filter(patient=patient, instrument=instrument, status=QuestionnaireResponse.Status.DRAFT)
        .first()
    )
    if draft is not None and draft.replaces_id is None and draft.due_on != due_on:
        # A draft left over from an earlier occasion now answers this one.
        draft.due_on = due_on
        draft.save(update_fields=["due_on", "updated_at"])
    if draft is not None:
        return draft
    if QuestionnaireResponse.objects.filter(
        patient=patient,
        instrument=instrument,
        due_on=due_on,
        status=QuestionnaireResponse.Status.SUBMITTED,
    ).exists():
        raise ValidationError("You have already answered this one. Thank you!")
    baseline = effective_baseline(patient=patient, instrument=instrument)
    return QuestionnaireResponse.objects.create(
        patient=patient,
        instrument=instrument,
        due_on=due_on,
        is_baseline=baseline is None,
        activities=list(baseline.activities) if baseline and instrument.has_activities else [],
        instrument_version=instrument.version,
        entered_by=entered_by,
    )


@transaction.atomic
def response_correct_start(
    *, response: QuestionnaireResponse, entered_by: User
) -> QuestionnaireResponse:
    """Open a draft correcting a submitted response, starting from its answers."""
    if not response.is_submitted:
        raise ValidationError("Only a submitted response can be corrected.")
    draft = QuestionnaireResponse.objects.filter(
        patient=response.patient,
        instrument=response.instrument,
        status=QuestionnaireResponse.Status.DRAFT,
    ).first()
    # A correction left half-done is picked up again, not refused as "already corrected".
    if draft is not None and draft.replaces_id == response.pk:
        return draft
    if hasattr(response, "replaced_by"):
        raise ValidationError("This response was already corrected; correct the newer one.")
    if draft is not None:
        raise ValidationError("Finish or discard the questionnaire you started first.")
    return QuestionnaireResponse.objects.create(
        patient=response.patient,
        instrument=response.instrument,
        due_on=response.due_on,
        is_baseline=response.is_baseline,
        answers=dict(response.answers),
        activities=list(response.activities),
        instrument_version=response.instrument.version,
        replaces=response,
        entered_by=entered_by,
    )


def response_save_answers(
    *,
    response: QuestionnaireResponse,
    answers: Mapping[str, int | None],
    activities: list[str] | None = None,
) -> QuestionnaireResponse:
    """Keep answers on a draft (called at every step, so leaving halfway loses nothing)."""
    if response.is_submitted:
        raise ValidationError("A submitted response cannot be changed; submit a correction.")
    response.answers = {**response.answers, **answers}
    fields = ["answers", "updated_at"]
    if activities is not None:
        keep = {str(i) for i in range(1, len(activities) + 1)}
        response.activities = activities
        response.answers = {k: v for k, v in response.answers.items() if k in keep}
        fields.append("activities")
    response.save(update_fields=fields)
    return response


def response_submit(*, response: QuestionnaireResponse) -> QuestionnaireResponse:
    """Score and submit a draft; from now on it is kept exactly as given."""
    definition = response.instrument.definition
    answers = response.answers
    if response.instrument.has_activities:
        answers = {str(i): answers.get(str(i)) for i in range(1, len(response.activities) + 1)}
    try:
        score = score_answers(definition, answers)
    except NotScorable as error:
        raise ValidationError(str(error)) from None
    now = timezone.now()
    with transaction.atomic():
        updated = QuestionnaireResponse.objects.filter(
            pk=response.pk, status=QuestionnaireResponse.Status.DRAFT
        ).update(
            status=QuestionnaireResponse.Status.SUBMITTED,
            score=score.value,
            band=score.band,
            answered_count=score.answered,
            skipped_count=score.skipped,
            submitted_at=now,
            submitted_on=response.patient.local_today(now),
            updated_at=now,
        )
        if not updated:
            raise ValidationError("This questionnaire was already sent.")
        mark_assessments_stale([response.patient_id])  # QuerySet.update sends no signals
    return QuestionnaireResponse.objects.get(pk=response.pk)


def response_discard(*, response: QuestionnaireResponse) -> None:
    """Throw away a draft (never a submitted response)."""
    if response.is_submitted:
        raise ValidationError("A submitted response is kept; submit a correction instead.")
    response.delete()
