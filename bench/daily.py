"""The benchmark clinic's year of daily rows (bench/generate.py makes the people and their
prescriptions): diary entries with their activities and first versions, exercise logs and brace
logs, streamed table by table through `bench.fastload` so a million rows cost no model instances.
"""

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator
from decimal import Decimal

from django.utils import timezone

from bench.fastload import Loader
from rehab.models import BraceLog, ExerciseLog
from tracker.models import Activity, DiaryActivity, DiaryEntry, DiaryEntryVersion, Medicine, Patient

BRACE_DAYS = 120
ACTIVITIES = list(Activity.values)

Progress = Callable[[str], None]


def secs(started: float) -> str:
    return f"{time.monotonic() - started:.1f} s"


class Daily:
    """The year of daily rows, streamed table by table so memory stays small."""

    def __init__(
        self,
        loader: Loader,
        patients: list[Patient],
        items: dict[int, list[int]],
        braced: set[int],
        first_day: dt.date,
        days: int,
        rng: random.Random,
    ) -> None:
        self.loader, self.patients, self.items, self.braced = loader, patients, items, braced
        self.first_day, self.days, self.rng = first_day, days, rng
        self.counts: dict[str, int] = {}
        self.now = timezone.now()

    def load(self, progress: Progress, started: float) -> None:
        entry_id = self.loader.next_id(DiaryEntry)
        # Entries, their activities and first versions come from one pass, so the three tables
        # agree; they are buffered per patient batch and written table by table.
        batch = max(1, len(self.patients) // 10)
        totals = {"diary entries": 0, "diary activities": 0, "entry versions": 0}
        for start in range(0, len(self.patients), batch):
            group = self.patients[start : start + batch]
            entries, activities, versions = [], [], []
            for patient in group:
                for entry, acts, snapshot in self._patient_days(patient, entry_id):
                    entries.append(entry)
                    activities.extend(acts)
                    versions.append((entry[0], 1, snapshot, patient.user_id, self.now))
                    entry_id += 1
            totals["diary entries"] += self.loader.insert(DiaryEntry, ENTRY_FIELDS, entries)
            totals["diary activities"] += self.loader.insert(
                DiaryActivity, ("entry_id", "activity", "pain"), activities
            )
            totals["entry versions"] += self.loader.insert(
                DiaryEntryVersion,
                ("entry_id", "number", "snapshot", "recorded_by_id", "recorded_at"),
                versions,
            )
            progress(
                f"diary: {start + len(group)}/{len(self.patients)} patients, "
                f"{totals['diary entries']:,} entries, "
                f"{totals['diary activities']:,} activities ({secs(started)})"
            )
        self.counts.update(totals)
        self.counts["exercise logs"] = self.loader.insert(
            ExerciseLog,
            (
                "patient_id",
                "day",
                "item_id",
                "done",
                "sets_done",
                "pain",
                "created_at",
                "updated_at",
            ),
            self._exercise_logs(),
        )
        progress(f"exercise logs: {self.counts['exercise logs']:,} ({secs(started)})")
        self.counts["brace logs"] = self.loader.insert(
            BraceLog, ("patient_id", "day", "hours", "created_at", "updated_at"), self._brace_logs()
        )
        progress(f"brace logs: {self.counts['brace logs']:,} ({secs(started)})")

    def _patient_days(self, patient: Patient, next_id: int) -> Iterator[tuple]:
        rng, now = self.rng, self.now
        # Each patient improves at their own pace, with day-to-day noise.
        start_pain = rng.randint(5, 8)
        gain = rng.uniform(0.0, 5.0)
        for d in range(self.days):
            day = self.first_day + dt.timedelta(days=d)
            base = start_pain - gain * d / max(self.days - 1, 1)
            pain_now = max(0, min(10, round(base + rng.uniform(-1.5, 1.5))))
            pain_worst = min(10, pain_now + rng.randint(0, 3))
            chosen = rng.sample(ACTIVITIES, rng.randint(2, 4))
            acts = {a: max(0, min(10, pain_now + rng.randint(-2, 3))) for a in sorted(chosen)}
            medicine = Medicine.ANTI_INFLAMMATORY if pain_worst >= 7 else Medicine.NONE
            doses = 2 if medicine != Medicine.NONE else 0
            night = pain_worst >= 8
            entry = (
                next_id, patient.pk, day, pain_now, pain_worst, "back", "", False, False,
                night, medicine, doses, "", True, False, False, False, patient.user_id,
                patient.user_id, now, now,
            )  # fmt: skip
            snapshot = {
                "pain_now": pain_now,
                "pain_worst": pain_worst,
                "activities": acts,
                "pain_reach": "back",
                "pain_side": "",
                "leg_numbness": False,
                "leg_weakness": False,
                "night_pain": night,
                "medicine": medicine,
                "medicine_doses": doses,
                "note": "",
                "note_private": True,
                "saddle_numbness": False,
                "bladder_bowel": False,
                "leg_weakness_worse": False,
            }
            yield entry, [(next_id, a, p) for a, p in acts.items()], snapshot
            next_id += 1

    def _exercise_logs(self) -> Iterator[tuple]:
        rng, now = self.rng, self.now
        for patient in self.patients:
            for d in range(self.days):
                day = self.first_day + dt.timedelta(days=d)
                for item in self.items[patient.pk]:
                    if rng.random() < 0.8:
                        yield (patient.pk, day, item, True, 2, rng.randint(0, 4), now, now)
                    else:
                        yield (patient.pk, day, item, False, None, None, now, now)

    def _brace_logs(self) -> Iterator[tuple]:
        rng, now = self.rng, self.now
        for patient in self.patients:
            if patient.pk not in self.braced:
                continue
            for d in range(min(BRACE_DAYS, self.days)):
                day = self.first_day + dt.timedelta(days=d)
                yield (patient.pk, day, Decimal(rng.randint(28, 44)) / 2, now, now)


ENTRY_FIELDS = (
    "id", "patient_id", "day", "pain_now", "pain_worst", "pain_reach", "pain_side",
    "leg_numbness", "leg_weakness", "night_pain", "medicine", "medicine_doses", "note",
    "note_private", "saddle_numbness", "bladder_bowel", "leg_weakness_worse", "created_by_id",
    "updated_by_id", "created_at", "updated_at",
)  # fmt: skip
