"""Writes for the daily diary: recording a day's check-in (the diary, brace hours and exercise
answers, in one transaction) and acknowledging warning-sign alerts; with them what a day asks
(`day_questions`) and what it holds (`day_state`), which a save checks."""

import dataclasses
import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from rehab.models import BraceLog, ExerciseLog, ProgrammeItem
from rehab.selectors import brace_target_on, exercises_due_on
from rehab.services import ExerciseAnswer, brace_log_record, exercise_answers_record
from tracker.models import (
    DiaryActivity,
    DiaryEntry,
    DiaryEntryVersion,
    Medicine,
    Patient,
    Role,
    User,
    WarningSign,
    WarningSignAlert,
)
from tracker.rules.checkin import STALE_DAY, day_version, edit_problem
from tracker.rules.guardian_entries import guardian_day_problem, note_private_value


@dataclasses.dataclass(frozen=True)
class DiaryAnswers:
    """What the patient said about one day, as plain values."""

    pain_now: int
    pain_worst: int
    activities: Mapping[str, int] = dataclasses.field(default_factory=dict)  # activity -> pain
    pain_reach: str = ""
    pain_side: str = ""
    # None (medicine: "") is "not answered" (issue 14), never "no".
    leg_numbness: bool | None = False
    leg_weakness: bool | None = False
    night_pain: bool | None = False
    medicine: str = Medicine.NONE
    medicine_doses: int = 0
    note: str = ""
    # None: not asked (no guardian, or an API call leaving it out): the stored choice is kept.
    note_private: bool | None = None
    saddle_numbness: bool = False
    bladder_bowel: bool = False
    leg_weakness_worse: bool = False

    def snapshot(self) -> dict[str, Any]:
        """A JSON-ready copy, with activities in a stable order so equal answers compare equal."""
        data = dataclasses.asdict(self)
        data["activities"] = {k: int(v) for k, v in sorted(self.activities.items())}
        return data

    @property
    def warning_signs(self) -> list[WarningSign]:
        return [sign for sign in WarningSign if getattr(self, sign.value)]

    @classmethod
    def of(cls, entry: DiaryEntry) -> "DiaryAnswers":
        names = [f.name for f in dataclasses.fields(cls) if f.name != "activities"]
        return cls(
            activities={a.activity: a.pain for a in entry.activities.all()},
            **{name: getattr(entry, name) for name in names},
        )


@dataclasses.dataclass(frozen=True)
class RecordResult:
    entry: DiaryEntry
    created: bool
    changed: bool
    alert: WarningSignAlert | None  # the open alert for this day, if a warning sign was reported


class CheckinNotAllowed(ValidationError):
    """The day is outside the patient's window, or the patient can no longer log."""


@dataclasses.dataclass(frozen=True)
class DayState:
    """What is stored for a patient's day: the entry (with `version_count`), the brace hours and
    the exercise answers (item id, done, sets, pain), and so the day's version."""

    entry: DiaryEntry | None
    brace_hours: Decimal | None
    exercises: tuple[tuple[int, bool, int | None, int | None], ...]

    @property
    def version(self) -> str:
        number = 0 if self.entry is None else self.entry.version_count
        return day_version(number=number, brace_hours=self.brace_hours, exercises=self.exercises)


def day_state(*, patient: Patient, day: dt.date) -> DayState:
    """The stored state of a day, as `DayState` (four queries)."""
    entry = (
        DiaryEntry.objects.filter(patient=patient, day=day)
        .annotate(version_count=_VERSION_COUNT)
        .prefetch_related("activities")
        .first()
    )
    brace = BraceLog.objects.filter(patient=patient, day=day).order_by("pk")
    exercises = ExerciseLog.objects.filter(patient=patient, day=day).order_by("item_id")
    return DayState(
        entry=entry,
        brace_hours=brace.values_list("hours", flat=True).first(),
        exercises=tuple(exercises.values_list("item_id", "done", "sets_done", "pain")),
    )


# The parts of a check-in beyond the diary: the keys of their fields' prefixes on the page and of
# the API's `sections` object.
BRACE_KEY = "brace"
EXERCISES_KEY = "exercises"


@dataclasses.dataclass(frozen=True)
class DayQuestions:
    """What a day's check-in asks beyond the diary: the brace hours (when a brace is due that
    day, with its target) and the exercises due that day by the programme in force."""

    brace_target: float | None = None
    due: tuple[ProgrammeItem, ...] = ()

    @property
    def section_keys(self) -> list[str]:
        keys = [BRACE_KEY] if self.brace_target is not None else []
        return keys + ([EXERCISES_KEY] if self.due else [])


def day_questions(*, patient: Patient, day: dt.date) -> DayQuestions:
    """What the check-in asks this patient on this day, for the page and the API alike (two
    queries; three when an exercise is prescribed fewer than 7 times a week)."""
    return DayQuestions(
        brace_target=brace_target_on(patient, day), due=tuple(exercises_due_on(patient, day))
    )


class CheckinStale(CheckinNotAllowed):
    """The day was saved by someone else since the version the caller last saw; nothing saved."""

    def __init__(self, *, current: DayState) -> None:
        super().__init__(STALE_DAY, code="stale")
        self.current = current


# Two requests racing for the same new day: the loser's insert fails on the unique constraint;
# it then finds the winner's entry and updates it. More than a couple of retries means a bug.
_RACE_RETRIES = 3
_ONE_ENTRY_PER_DAY = "diary_one_entry_per_day"

PLAN_CHANGED = (
    "Your care team changed your plan while you were filling this in, "
    "so nothing was saved. Please check the page and save again."
)


def entry_record(
    *,
    patient: Patient,
    day: dt.date,
    answers: DiaryAnswers,
    by: User,
    brace_hours: Decimal | None = None,
    exercises: Sequence[ExerciseAnswer] | None = None,
    if_version: Collection[str] | None = None,
    now: dt.datetime | None = None,
) -> RecordResult:
    """Create or update the patient's check-in for a day (diary, brace hours, exercises), all or
    nothing. `brace_hours` / `exercises` are None when the day did not ask for them. With
    `if_version` (the day versions the caller last saw), a day saved since is refused with
    `CheckinStale`."""
    problem = edit_problem(
        day=day,
        today=patient.local_today(now),
        enrolled_on=patient.enrolled_on,
        is_active=patient.is_active,
    )
    if problem:
        raise CheckinNotAllowed(problem, code="day")
    for attempt in range(_RACE_RETRIES):
        try:
            with transaction.atomic():
                result = _record(
                    patient=patient, day=day, answers=answers, by=by, if_version=if_version
                )
                if brace_hours is not None:
                    brace_log_record(patient=patient, day=day, hours=brace_hours)
                if exercises is not None:
                    try:
                        exercise_answers_record(patient=patient, day=day, answers=exercises)
                    except ValidationError as error:
                        # The programme the answers were checked against changed before the save
                        # (a clinician saved a new one meanwhile): refuse the whole day, clearly.
                        raise CheckinNotAllowed(PLAN_CHANGED, code="changed") from error
                return result
        except IntegrityError as error:
            if not _is_day_race(error) or attempt == _RACE_RETRIES - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _is_day_race(error: IntegrityError) -> bool:
    """Whether this is the one-entry-per-day constraint refusing a second new entry (the race the
    retry is for), not any other broken invariant."""
    diag = getattr(error.__cause__, "diag", None)  # psycopg names the constraint
    if diag is not None:
        return diag.constraint_name == _ONE_ENTRY_PER_DAY
    # SQLite names the columns instead.
    return "UNIQUE constraint failed: tracker_diaryentry.patient_id, tracker_diaryentry.day" in str(
        error
    )


def _record(
    *,
    patient: Patient,
    day: dt.date,
    answers: DiaryAnswers,
    by: User,
    if_version: Collection[str] | None = None,
) -> RecordResult:
    # Lock the patient row so concurrent check-ins for one patient queue up (PostgreSQL); the
    # unique constraint and the retry above cover databases that ignore the lock.
    # (No ordering: the model's default ordering would join, and so also lock, the user row.)
    list(Patient.objects.select_for_update().filter(pk=patient.pk).order_by().values_list("pk"))
    if if_version is not None:
        # Under the lock: no other save of this patient can land between this check and ours.
        current = day_state(patient=patient, day=day)
        if current.version not in if_version:
            raise CheckinStale(current=current)
    entry = (
        DiaryEntry.objects.filter(patient=patient, day=day)
        .annotate(version_count=_VERSION_COUNT)
        .prefetch_related("activities")
        .first()
    )
    answers = _as_entered_by(answers, entry, by, patient)
    snapshot = answers.snapshot()
    created = entry is None
    if entry is not None and DiaryAnswers.of(entry).snapshot() == snapshot:
        return RecordResult(
            entry=entry, created=False, changed=False, alert=_alert_for(patient, day, answers)
        )
    fields = {k: v for k, v in snapshot.items() if k != "activities"}
    if entry is None:
        entry = DiaryEntry.objects.create(
            patient=patient, day=day, created_by=by, updated_by=by, **fields
        )
        entry.version_count = 0
        kept: list[DiaryActivity] = []
    else:
        for name, value in fields.items():
            setattr(entry, name, value)
        entry.updated_by = by
        # Field checks only: the database enforces the check constraints on save, and validating
        # them here would cost a query each (8) on every edited check-in.
        entry.full_clean(
            exclude=["patient", "created_by", "updated_by"],
            validate_unique=False,
            validate_constraints=False,
        )
        entry.save()
        kept = _activities_replace(entry, snapshot["activities"])
    have = {row.activity for row in kept}
    added = DiaryActivity.objects.bulk_create(
        DiaryActivity(entry=entry, activity=activity, pain=pain)
        for activity, pain in snapshot["activities"].items()
        if activity not in have
    )
    # The entry answers for its activities without another query (the API shows them).
    entry._prefetched_objects_cache = {"activities": sorted([*kept, *added], key=lambda a: a.pk)}
    DiaryEntryVersion.objects.create(
        entry=entry, number=entry.version_count + 1, snapshot=snapshot, recorded_by=by
    )
    entry.version_count += 1
    return RecordResult(
        entry=entry, created=created, changed=True, alert=_alert_for(patient, day, answers)
    )


def _as_entered_by(
    answers: DiaryAnswers, entry: DiaryEntry | None, by: User, patient: Patient
) -> DiaryAnswers:
    """The answers with the note's privacy settled for who is saving: a guardian changes only a
    day they entered (else `CheckinNotAllowed`), and their note is shared (docs/guardians.md)."""
    by_guardian = by.role == Role.GUARDIAN
    if by_guardian and entry is not None:
        problem = guardian_day_problem(
            name=patient.user.first_name or "The young person",
            created_by=entry.created_by_id,
            updated_by=entry.updated_by_id,
            guardian=by.pk,
        )
        if problem:
            raise CheckinNotAllowed(problem, code="day")
    private = note_private_value(
        chosen=answers.note_private,
        stored=None if entry is None else entry.note_private,
        by_guardian=by_guardian,
    )
    return dataclasses.replace(answers, note_private=private)


# How many versions an entry has, read with the entry (the next version's number is one more).
_VERSION_COUNT = Coalesce(
    Subquery(
        DiaryEntryVersion.objects.filter(entry=OuterRef("pk"))
        .order_by()
        .values("entry")
        .annotate(n=Count("pk"))
        .values("n")
    ),
    0,
)


def _activities_replace(entry: DiaryEntry, wanted: Mapping[str, int]) -> list[DiaryActivity]:
    """Make the stored activities of an entry match `wanted` (activity -> pain): drop those no
    longer there, change the pain of those that changed, and return the ones kept. Only what
    differs is written; the caller adds the new ones."""
    kept, changed, dropped = [], [], []
    for row in entry.activities.all():
        if row.activity not in wanted:
            dropped.append(row.pk)
            continue
        if row.pain != wanted[row.activity]:
            row.pain = wanted[row.activity]
            changed.append(row)
        kept.append(row)
    if dropped:
        DiaryActivity.objects.filter(pk__in=dropped).delete()
    if changed:
        DiaryActivity.objects.bulk_update(changed, ["pain"])
    return kept


def _alert_for(patient: Patient, day: dt.date, answers: DiaryAnswers) -> WarningSignAlert | None:
    """Raise (or extend) the day's alert for warning signs no alert of that day has covered yet.

    Saving the same day again never makes a second open alert; a sign a clinician already
    acknowledged for that day does not re-open it, but a newly reported sign does.
    """
    reported = set(answers.warning_signs)
    if not reported:
        return None
    alerts = list(WarningSignAlert.objects.filter(patient=patient, day=day))
    covered = {sign for alert in alerts for sign in alert.signs}
    open_alert = next((a for a in alerts if a.is_open), None)
    new = reported - covered
    if not new:
        return open_alert
    if open_alert is None:
        return WarningSignAlert.objects.create(
            patient=patient, day=day, **{sign.value: True for sign in reported}
        )
    for sign in new:
        setattr(open_alert, sign.value, True)
    open_alert.save(update_fields=[sign.value for sign in new])
    return open_alert


def alert_acknowledge(
    *, alert: WarningSignAlert, by: User, now: dt.datetime | None = None
) -> WarningSignAlert:
    """Mark a warning-sign alert as seen by a clinician; acknowledging twice changes nothing."""
    with transaction.atomic():
        locked = WarningSignAlert.objects.select_for_update().get(pk=alert.pk)
        if locked.acknowledged_at is None:
            locked.acknowledged_at = now or timezone.now()
            locked.acknowledged_by = by
            locked.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return locked
