"""Demo diary history: 12+ weeks of daily check-ins per demo patient, telling each one's story.

Deterministic (a random generator seeded by the patient's username), bulk-inserted, and
idempotent: a patient who already has check-ins is left alone.
"""

import datetime as dt
import random

from django.db import transaction

from tracker.demo.people import DemoClinic
from tracker.models import (
    Activity,
    DiaryActivity,
    DiaryEntry,
    DiaryEntryVersion,
    Medicine,
    PainReach,
    Patient,
    Side,
    WarningSignAlert,
)
from tracker.services.checkin import DiaryAnswers

# How likely a patient is to log on a given day, by story.
_LOGGING = {
    "improving": 0.92,
    "flat": 0.95,
    "erratic": 0.8,
    "red_flag": 0.85,
    "early": 0.9,
    "low_adherence": 0.3,
}


def _clamp(value: float) -> int:
    return max(0, min(10, round(value)))


def _worst_pain(story: str, progress: float, rng: random.Random) -> float:
    """Worst pain of the day for a story; progress runs 0 (start of care) to 1 (today)."""
    if story == "improving":
        return 7.5 - 5.5 * progress + rng.gauss(0, 0.8)
    if story == "flat":
        return 6 + rng.gauss(0, 0.9)
    if story == "erratic":
        return 5 + rng.choice([-2, -1, 0, 1, 2, 3]) + rng.gauss(0, 1)
    if story == "red_flag":
        return 5 + 2.5 * progress + rng.gauss(0, 0.8)
    if story == "early":
        return 7 - 1.0 * progress + rng.gauss(0, 0.7)
    return 5.5 + rng.gauss(0, 1.2)  # low_adherence


def _answers(story: str, progress: float, rng: random.Random) -> DiaryAnswers:
    worst = _clamp(_worst_pain(story, progress, rng))
    now = _clamp(worst - rng.choice([0, 1, 1, 2, 2, 3]))
    everyday = [Activity.WALKING, Activity.SCHOOL_WORK, Activity.SITTING]
    extras = [Activity.STANDING, Activity.LIFTING, Activity.TWISTING, Activity.ARCHING]
    done = [a for a in everyday if rng.random() < 0.8]
    done += [a for a in extras if rng.random() < 0.25]
    # Back to sport only as things improve (or against advice, for the flat story).
    if (story == "improving" and progress > 0.6) or (story == "flat" and rng.random() < 0.5):
        done.append(Activity.SPORT)
    if story in {"improving", "flat"} and progress > 0.5 and rng.random() < 0.3:
        done.append(Activity.RUNNING)
    provoked = {
        Activity.ARCHING: 3,
        Activity.SPORT: 2,
        Activity.RUNNING: 2,
        Activity.LIFTING: 2,
        Activity.TWISTING: 1,
        Activity.STANDING: 1,
    }
    activities = {
        a.value: _clamp(min(10, now + provoked.get(a, 0) + rng.choice([-1, 0, 0, 1]))) for a in done
    }
    radiating = story == "red_flag" and progress > 0.8
    reach = (
        PainReach.BELOW_KNEE
        if radiating
        else rng.choices(
            [PainReach.BACK, PainReach.BUTTOCK, PainReach.THIGH],
            weights=[6, 3, 1 + 2 * (worst > 6)],
        )[0]
    )
    medicine = Medicine.NONE
    if worst >= 6 and rng.random() < 0.6:
        medicine = rng.choice([Medicine.ANTI_INFLAMMATORY, Medicine.PARACETAMOL])
    return DiaryAnswers(
        pain_now=now,
        pain_worst=worst,
        activities=activities,
        pain_reach=reach,
        pain_side=rng.choice([Side.LEFT, Side.RIGHT, Side.BOTH]) if reach != PainReach.BACK else "",
        leg_numbness=radiating and rng.random() < 0.7,
        leg_weakness=radiating and rng.random() < 0.4,
        night_pain=worst >= 7 and rng.random() < 0.4,
        medicine=medicine,
        medicine_doses=0 if medicine == Medicine.NONE else rng.choice([1, 2, 2, 3]),
        note=rng.choice(_NOTES[story]) if rng.random() < 0.12 else "",
        note_private=True,
    )


_NOTES = {
    "improving": ["Physio went well.", "Did all my exercises.", "Less stiff this morning."],
    "flat": ["Did everything on the plan, still sore.", "Same as yesterday.", "Brace on all day."],
    "erratic": ["Forgot to log yesterday.", "Busy week at school.", "Dance rehearsal."],
    "red_flag": ["Leg feels odd.", "Hard to sleep.", "Pain going down my leg."],
    "early": ["First week of physio.", "Missed gymnastics, feel sad."],
    "low_adherence": ["Long shift on site.", "No time for exercises."],
}


def _history(
    patient: Patient, story: str, start: dt.date, today: dt.date
) -> list[tuple[dt.date, DiaryAnswers]]:
    rng = random.Random(f"parstrack-diary-{patient.user.username}")
    total = max((today - start).days, 1)
    days: list[tuple[dt.date, DiaryAnswers]] = []
    skip_until = start
    for n in range(total):  # up to yesterday: today stays open, so the demo shows "Log today"
        day = start + dt.timedelta(days=n)
        if story == "erratic" and day >= skip_until and rng.random() < 0.06:
            skip_until = day + dt.timedelta(days=rng.randint(3, 8))  # a gap of several days
        if day < skip_until or rng.random() > _LOGGING[story]:
            continue
        days.append((day, _answers(story, n / total, rng)))
    if story == "red_flag" and days:
        # Two days ago: new trouble with the bladder and legs getting weaker.
        flag_day = today - dt.timedelta(days=2)
        base = _answers(story, 1.0, rng)
        flagged = DiaryAnswers(
            **{**base.snapshot(), "bladder_bowel": True, "leg_weakness_worse": True}
        )
        days = [(d, a) for d, a in days if d != flag_day] + [(flag_day, flagged)]
    return days


@transaction.atomic
def seed_diary(demo: DemoClinic, today: dt.date) -> int:
    """Give each demo patient their diary history; returns how many entries were added."""
    added = 0
    for username, patient in demo.patients.items():
        if DiaryEntry.objects.filter(patient=patient).exists():
            continue
        story = demo.stories[username]
        history = _history(patient, story, patient.enrolled_on, today)
        fields = [f for f in DiaryAnswers.__dataclass_fields__ if f != "activities"]
        DiaryEntry.objects.bulk_create(
            DiaryEntry(
                patient=patient,
                day=day,
                created_by=patient.user,
                updated_by=patient.user,
                **{f: getattr(answers, f) for f in fields},
            )
            for day, answers in history
        )
        entries = dict(DiaryEntry.objects.filter(patient=patient).values_list("day", "id"))
        DiaryActivity.objects.bulk_create(
            DiaryActivity(entry_id=entries[day], activity=activity, pain=pain)
            for day, answers in history
            for activity, pain in answers.activities.items()
        )
        DiaryEntryVersion.objects.bulk_create(
            DiaryEntryVersion(
                entry_id=entries[day],
                number=1,
                snapshot=answers.snapshot(),
                recorded_by=patient.user,
            )
            for day, answers in history
        )
        WarningSignAlert.objects.bulk_create(
            WarningSignAlert(
                patient=patient,
                day=day,
                **{sign.value: True for sign in answers.warning_signs},
            )
            for day, answers in history
            if answers.warning_signs
        )
        added += len(history)
    return added
