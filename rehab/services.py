"""Writes for the rehab programme: library, prescriptions (as new versions) and check-in logs."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from rehab.models import (
    ActivityStagePrescription,
    BraceKind,
    BraceLog,
    BracePrescription,
    Exercise,
    ExerciseLog,
    ProgrammeItem,
    ProgrammeVersion,
)
from rehab.models.prescriptions import EffectiveDated
from rehab.selectors import exercises_due_on, exercises_for_clinic, programme_items_on
from tracker.models import Clinic, Patient, User
from tracker.services.stored_assessment import mark_assessments_stale

# A change may be dated ahead (a brace fitted next week), but not so far that it is a typo.
MAX_DAYS_AHEAD = 90


@dataclass(frozen=True)
class ItemSpec:
    exercise: Exercise
    phase: str
    sets: int
    reps: int
    hold_seconds: int
    sessions_per_week: int


@dataclass(frozen=True)
class ExerciseAnswer:
    """A check-in's answer for one programme item, as plain values."""

    item_id: int
    done: bool
    sets_done: int | None = None
    pain: int | None = None


@dataclass(frozen=True)
class ExerciseEntry:
    item: ProgrammeItem
    done: bool
    sets_done: int | None = None
    pain: int | None = None


def _open_version(model: type[EffectiveDated], *, patient: Patient, valid_from: dt.date, **fields):
    """Close the patient's current version of this kind on valid_from and open a new one."""
    if valid_from > patient.local_today() + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError(
            {"valid_from": f"A change can be dated at most {MAX_DAYS_AHEAD} days ahead."}
        )
    # Lock the patient row so two clinicians saving at once cannot both close the same version.
    # (No ordering: the model's default ordering would join, and so also lock, the user row.)
    list(Patient.objects.select_for_update().filter(pk=patient.pk).order_by().values_list("pk"))
    current = model.objects.filter(patient=patient, valid_to__isnull=True).first()
    if current is not None:
        if valid_from < current.valid_from:
            raise ValidationError(
                {
                    "valid_from": "The current prescription starts on "
                    f"{current.valid_from:%d %b %Y}; a change must start on or after that day."
                }
            )
        current.valid_to = valid_from
        current.save(update_fields=["valid_to"])
    version = model(patient=patient, valid_from=valid_from, **fields)
    version.full_clean(exclude=["patient", "prescribed_by"])
    version.save()
    return version


@transaction.atomic
def programme_prescribe(
    *,
    patient: Patient,
    prescribed_by: User,
    valid_from: dt.date,
    items: list[ItemSpec],
    note: str = "",
) -> ProgrammeVersion:
    """Prescribe a new programme version from valid_from; the old one is kept as history."""
    allowed = set(exercises_for_clinic(patient.clinic_id).values_list("pk", flat=True))
    seen: set[int] = set()
    for spec in items:
        if spec.exercise.pk not in allowed:
            raise ValidationError(f"“{spec.exercise}” is not in this clinic's exercise library.")
        if spec.exercise.pk in seen:
            raise ValidationError(f"“{spec.exercise}” is in the programme twice.")
        seen.add(spec.exercise.pk)
    version = _open_version(
        ProgrammeVersion,
        patient=patient,
        valid_from=valid_from,
        prescribed_by=prescribed_by,
        note=note,
    )
    rows = [
        ProgrammeItem(
            programme=version,
            exercise=spec.exercise,
            phase=spec.phase,
            sets=spec.sets,
            reps=spec.reps,
            hold_seconds=spec.hold_seconds,
            sessions_per_week=spec.sessions_per_week,
            order=order,
        )
        for order, spec in enumerate(items)
    ]
    for row in rows:
        row.full_clean(exclude=["programme", "exercise"])
    ProgrammeItem.objects.bulk_create(rows)
    mark_assessments_stale([patient.pk])  # bulk_create sends no signals
    return version


@transaction.atomic
def brace_prescribe(
    *,
    patient: Patient,
    prescribed_by: User,
    valid_from: dt.date,
    kind: str,
    target_hours: Decimal | None = None,
    planned_end: dt.date | None = None,
    wean_from: dt.date | None = None,
    wean_hours: Decimal | None = None,
    note: str = "",
) -> BracePrescription:
    """Prescribe a brace (or no brace) from valid_from; the old prescription is kept as history."""
    if kind == BraceKind.NONE:
        target_hours = planned_end = wean_from = wean_hours = None
    return _open_version(
        BracePrescription,
        patient=patient,
        valid_from=valid_from,
        prescribed_by=prescribed_by,
        kind=kind,
        target_hours=target_hours,
        planned_end=planned_end,
        wean_from=wean_from,
        wean_hours=wean_hours,
        note=note,
    )


@transaction.atomic
def activity_stage_set(
    *, patient: Patient, prescribed_by: User, valid_from: dt.date, stage: str, note: str = ""
) -> ActivityStagePrescription:
    """Set the patient's activity stage from valid_from; earlier stages are kept as history."""
    return _open_version(
        ActivityStagePrescription,
        patient=patient,
        valid_from=valid_from,
        prescribed_by=prescribed_by,
        stage=stage,
        note=note,
    )


def exercise_library_load() -> int:
    """Bring every built-in exercise (by code) up to date with our text; returns how many were
    added. Clinics cannot edit built-ins, so a wording fix here reaches every clinic."""
    from rehab.builtin_exercises import BUILTIN_EXERCISES

    existing = {e.code: e for e in Exercise.objects.filter(clinic=None)}
    added = 0
    for data in BUILTIN_EXERCISES:
        fields = {k: v for k, v in data.items() if k != "code"}
        exercise = existing.get(data["code"])
        if exercise is None:
            Exercise.objects.create(clinic=None, code=data["code"], **fields)
            added += 1
        elif any(getattr(exercise, k) != v for k, v in fields.items()):
            # Saved only when our text changed, so the change history records real edits.
            for name, value in fields.items():
                setattr(exercise, name, value)
            exercise.save()
    return added


def exercise_create(*, clinic: Clinic, created_by: User, **fields) -> Exercise:
    """Add an exercise to a clinic's own library."""
    exercise = Exercise(clinic=clinic, created_by=created_by, **fields)
    exercise.full_clean()
    exercise.save()
    return exercise


def exercise_update(*, exercise: Exercise, **fields) -> Exercise:
    """Change a clinic's own exercise (built-in exercises are not editable)."""
    if exercise.is_builtin:
        raise ValidationError("Built-in exercises cannot be changed; add your own version.")
    old_image = exercise.image.name if exercise.image else ""
    for name, value in fields.items():
        setattr(exercise, name, value)
    exercise.full_clean()
    exercise.save()
    new_image = exercise.image.name if exercise.image else ""
    if old_image and old_image != new_image:
        exercise.image.storage.delete(old_image)
    return exercise


def exercise_set_active(*, exercise: Exercise, active: bool) -> Exercise:
    """Archive or restore a clinic's exercise; programmes that use it keep it."""
    if exercise.is_builtin:
        raise ValidationError("Built-in exercises cannot be archived.")
    exercise.is_active = active
    exercise.save(update_fields=["is_active", "updated_at"])
    return exercise


def brace_log_record(*, patient: Patient, day: dt.date, hours: Decimal) -> BraceLog:
    """Store the hours the brace was worn on a day, replacing any earlier answer for that day.

    The same hours again write nothing (no new history row). A saved row goes through `save()`,
    so its history row and the models' signals follow as for any edit.
    """
    with transaction.atomic(savepoint=False):
        log = (
            BraceLog.objects.select_for_update()
            .filter(patient=patient, day=day)
            .order_by("pk")
            .first()
        )
        if log is None:
            return BraceLog.objects.create(patient=patient, day=day, hours=hours)
        if log.hours != hours:
            log.hours = hours
            log.save(update_fields=["hours", "updated_at"])
    return log


def exercise_logs_record(
    *, patient: Patient, day: dt.date, entries: list[ExerciseEntry]
) -> list[ExerciseLog]:
    """Store the day's exercise answers, one per programme item, replacing earlier answers.

    The items are checked against the programme in force that day, read here (under the caller's
    lock on the patient, in a check-in): an item not in it is refused with a `ValidationError`.
    Only answers that differ from what is stored are written, in bulk, each with one history row
    (`exercise_logs_bulk_write`); the same answers again write nothing.
    """
    with transaction.atomic(savepoint=False):
        due = {item.pk for item in programme_items_on(patient, day)}
        for entry in entries:
            if entry.item.pk not in due:
                raise ValidationError(f"“{entry.item.exercise}” is not in your programme that day.")
        return _exercise_logs_write(patient=patient, day=day, entries=entries, due=due)


def exercise_answers_record(
    *, patient: Patient, day: dt.date, answers: Sequence[ExerciseAnswer]
) -> list[ExerciseLog]:
    """Store a check-in's exercise answers (by item id): exactly the exercises due that day
    (`exercises_due_on`: the programme in force, less those done often enough that week).

    The programme is read here, under the caller's lock on the patient: answers for another set of
    items (a clinician saved a new programme since the page was built, or an item of someone
    else's programme) are refused with a `ValidationError` and nothing is written. Answers of
    items in force but not due that day are kept.
    """
    with transaction.atomic(savepoint=False):
        in_force = programme_items_on(patient, day)
        due = {item.pk: item for item in exercises_due_on(patient, day, in_force)}
        if sorted(a.item_id for a in answers) != sorted(due):
            raise ValidationError("The exercises answered are not the exercises due that day.")
        entries = [
            ExerciseEntry(item=due[a.item_id], done=a.done, sets_done=a.sets_done, pain=a.pain)
            for a in answers
        ]
        return _exercise_logs_write(
            patient=patient, day=day, entries=entries, due={item.pk for item in in_force}
        )


def _exercise_logs_write(
    *, patient: Patient, day: dt.date, entries: list[ExerciseEntry], due: set[int]
) -> list[ExerciseLog]:
    stored = {}
    for log in ExerciseLog.objects.select_for_update().filter(patient=patient, day=day).order_by():
        if log.item_id in due:
            stored[log.item_id] = log
        else:
            # An answer to an item no longer in force that day (the clinician re-saved the
            # programme from that day): the day's answers are now the current items', so the old
            # one goes rather than sit beside them in the exports (issue 19, finding 7). One by
            # one, so each leaves its history row and tells the stored assessment.
            log.delete()
    now = timezone.now()
    logs, created, changed = [], [], []
    for entry in entries:
        values = {
            "done": entry.done,
            "sets_done": entry.sets_done if entry.done else None,
            "pain": entry.pain if entry.done else None,
        }
        log = stored.get(entry.item.pk)
        if log is None:
            log = ExerciseLog(patient=patient, day=day, item=entry.item, **values)
            created.append(log)
        elif any(getattr(log, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(log, name, value)
            log.updated_at = now
            changed.append(log)
        log.item = entry.item  # with its exercise, for whoever shows the logs next
        logs.append(log)
    exercise_logs_bulk_write(created=created, changed=changed)
    return logs


# The fields of an exercise log an answer can change (bulk_update does not set `auto_now`).
_EXERCISE_LOG_ANSWER_FIELDS = ["done", "sets_done", "pain", "updated_at"]


def exercise_logs_bulk_write(*, created: list[ExerciseLog], changed: list[ExerciseLog]) -> None:
    """Insert new and update changed exercise logs in bulk, each with its history row.

    The one place exercise logs are written without `save()`: bulk writes send no
    `post_save` signals, so anything that listens for them must be told here. Runs inside the
    caller's transaction; two queries per kind of write, whatever the number of exercises.
    """
    with transaction.atomic(savepoint=False):
        if created:
            bulk_create_with_history(created, ExerciseLog)
        if changed:
            bulk_update_with_history(changed, ExerciseLog, fields=_EXERCISE_LOG_ANSWER_FIELDS)
        # Bulk writes send no signals: the stored assessments (kept current by signals for
        # every other write) are told here, in the same transaction.
        mark_assessments_stale({log.patient_id for log in [*created, *changed]})
