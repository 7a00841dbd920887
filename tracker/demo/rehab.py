"""Demo rehab history: programmes, braces, activity stages and logs that fit each patient's story.

Maya (improving) wears her brace about 22 of 23 hours and does most sessions; Tom (low_adherence)
wears his about 8 of 23 and skips most exercises. Idempotent: a patient who already has a
programme is left alone. Logs are keyed by (patient, day), independent of the diary's entries.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from rehab.models import (
    ActivityStage,
    ActivityStagePrescription,
    BraceKind,
    BraceLog,
    BracePrescription,
    Exercise,
    ExerciseLog,
    ProgrammeItem,
    ProgrammeVersion,
)
from rehab.services import exercise_library_load

PHASE_1 = ["abdominal-drawing-in", "multifidus-swelling", "pelvic-tilt", "hamstring-stretch-lying"]
PHASE_2 = ["dead-bug", "bird-dog", "side-plank-knees", "hamstring-stretch-standing"]
PHASE_3 = ["plank-forearms", "single-leg-bridge-neutral", "split-squat", "pallof-press"]


@dataclass(frozen=True)
class RehabStory:
    brace: str  # a BraceKind
    target: float  # hours a day prescribed
    worn: float  # hours a day typically worn
    brace_weeks: int  # planned length of bracing
    exercise_rate: float  # share of prescribed sessions done
    checkin_rate: float  # share of days with a check-in at all
    stages: tuple[tuple[int, str], ...]  # (week of care, stage)


STORIES = {
    "improving": RehabStory(
        "rigid", 23, 22, 16, 0.85, 0.95, ((0, "rest"), (8, "daily"), (12, "training"))
    ),
    "flat": RehabStory("soft", 12, 11, 14, 0.95, 0.97, ((0, "rest"), (10, "daily"))),
    "erratic": RehabStory("none", 0, 0, 0, 0.55, 0.7, ((0, "rest"), (6, "daily"))),
    "red_flag": RehabStory("rigid", 20, 18.5, 16, 0.75, 0.9, ((0, "rest"),)),
    "early": RehabStory("rigid", 23, 21, 16, 0.8, 0.95, ((0, "rest"),)),
    "low_adherence": RehabStory("rigid", 23, 8, 30, 0.25, 0.6, ((0, "rest"), (12, "daily"))),
}


def _half_hours(value: float) -> Decimal:
    return Decimal(round(max(0.0, min(24.0, value)) * 2) / 2).quantize(Decimal("0.1"))


def _seed_programme(
    patient, library: dict[str, Exercise], today: dt.date
) -> list[ProgrammeVersion]:
    """Phase 1 from the start, phase 2 from week 6, phase 3 from week 12 (those begun by today)."""
    start = patient.conservative_care_started
    plan = [(0, PHASE_1), (6, PHASE_1[:2] + PHASE_2), (12, PHASE_2[:2] + PHASE_3)]
    plan = [(week, codes) for week, codes in plan if start + dt.timedelta(weeks=week) <= today]
    versions = []
    for n, (week, codes) in enumerate(plan):
        valid_to = start + dt.timedelta(weeks=plan[n + 1][0]) if n + 1 < len(plan) else None
        versions.append(
            ProgrammeVersion.objects.create(
                patient=patient,
                valid_from=start + dt.timedelta(weeks=week),
                valid_to=valid_to,
                prescribed_by=patient.treating_clinician,
                note="Progressed to the next phase." if week else "First programme.",
            )
        )
        ProgrammeItem.objects.bulk_create(
            ProgrammeItem(
                programme=versions[-1],
                exercise=library[code],
                phase=library[code].phase,
                sets=library[code].sets,
                reps=library[code].reps,
                hold_seconds=library[code].hold_seconds,
                sessions_per_week=library[code].sessions_per_week,
                order=order,
            )
            for order, code in enumerate(codes)
        )
    return versions


def _seed_brace(patient, story: RehabStory, today: dt.date) -> dt.date | None:
    """Prescribed from the start for its planned weeks, then "no brace"; returns the day the
    brace ended (None: still worn, or never prescribed)."""
    start, clinician = patient.conservative_care_started, patient.treating_clinician
    brace_end = None
    if story.brace != BraceKind.NONE:
        planned_end = start + dt.timedelta(weeks=story.brace_weeks) - dt.timedelta(days=1)
        brace_end = planned_end + dt.timedelta(days=1) if planned_end < today else None
        BracePrescription.objects.create(
            patient=patient,
            valid_from=start,
            valid_to=brace_end,
            prescribed_by=clinician,
            kind=story.brace,
            target_hours=Decimal(story.target),
            planned_end=planned_end,
        )
    if brace_end is not None or story.brace == BraceKind.NONE:
        BracePrescription.objects.create(
            patient=patient,
            valid_from=brace_end or start,
            prescribed_by=clinician,
            kind=BraceKind.NONE,
            note="Brace finished." if brace_end else "No brace for now.",
        )
    return brace_end


def _seed_stages(patient, story: RehabStory, today: dt.date) -> None:
    start = patient.conservative_care_started
    stages = [(w, s) for w, s in story.stages if start + dt.timedelta(weeks=w) <= today]
    for n, (week, stage) in enumerate(stages):
        nxt = start + dt.timedelta(weeks=stages[n + 1][0]) if n + 1 < len(stages) else None
        ActivityStagePrescription.objects.create(
            patient=patient,
            valid_from=start + dt.timedelta(weeks=week),
            valid_to=nxt,
            prescribed_by=patient.treating_clinician,
            stage=ActivityStage(stage),
        )


def _seed_logs(
    patient,
    story: RehabStory,
    rng: random.Random,
    versions: list[ProgrammeVersion],
    brace_end: dt.date | None,
    today: dt.date,
) -> None:
    """Logs up to yesterday: today is left for the patient to check in."""
    items_by_version = {v.pk: list(ProgrammeItem.objects.filter(programme=v)) for v in versions}
    brace_logs, exercise_logs = [], []
    day = patient.conservative_care_started
    while day < today:
        if rng.random() < story.checkin_rate:
            brace_due = story.brace != BraceKind.NONE and (brace_end is None or day < brace_end)
            if brace_due:
                worn = story.worn + rng.uniform(-1.5, 1.0)
                brace_logs.append(BraceLog(patient=patient, day=day, hours=_half_hours(worn)))
            version = next(
                v
                for v in versions
                if v.valid_from <= day and (v.valid_to is None or day < v.valid_to)
            )
            for item in items_by_version[version.pk]:
                done = rng.random() < story.exercise_rate * item.sessions_per_week / 7
                exercise_logs.append(
                    ExerciseLog(
                        patient=patient,
                        day=day,
                        item=item,
                        done=done,
                        sets_done=item.sets if done else None,
                        pain=max(0, min(10, round(rng.gauss(3, 1.5)))) if done else None,
                    )
                )
        day += dt.timedelta(days=1)
    BraceLog.objects.bulk_create(brace_logs)
    ExerciseLog.objects.bulk_create(exercise_logs)


@transaction.atomic
def seed_rehab(demo, today: dt.date) -> None:
    """Give each demo patient a rehab history that matches their story (once)."""
    exercise_library_load()
    library = {e.code: e for e in Exercise.objects.filter(clinic__isnull=True)}
    for username, patient in demo.patients.items():
        if ProgrammeVersion.objects.filter(patient=patient).exists():
            continue
        story = STORIES[demo.stories[username]]
        rng = random.Random(f"rehab-{username}")
        versions = _seed_programme(patient, library, today)
        brace_end = _seed_brace(patient, story, today)
        _seed_stages(patient, story, today)
        _seed_logs(patient, story, rng, versions, brace_end, today)
