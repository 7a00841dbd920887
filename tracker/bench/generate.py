"""A synthetic clinic at scale for the benchmark: one clinician caring for every patient, each
patient logging every day for a year (pain, activities, exercises, brace wear) and answering
questionnaires every 4 weeks.

People, prescriptions and questionnaires go through the ORM (thousands of rows); the daily rows
(about 180,000 entries and well over a million child rows at 500 x 365) go through
`tracker.bench.fastload`. Values are seeded pseudo-random, so two runs build the same clinic.
"""

import datetime as dt
import random
import time
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

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
from tracker.bench.fastload import Loader
from tracker.models import (
    Activity,
    CareTeamMembership,
    Clinic,
    DiaryActivity,
    DiaryEntry,
    DiaryEntryVersion,
    Instrument,
    Medicine,
    OutcomeSchedule,
    Patient,
    QuestionnaireResponse,
    Role,
    User,
    WarningSignAlert,
)
from tracker.rules.outcomes.schedule import DEFAULT_INTERVAL_WEEKS
from tracker.rules.outcomes.scoring import score_answers
from tracker.services.outcomes import instruments_load_builtin
from tracker.services.stored_assessment import mark_assessments_stale

CLINIC_NAME = "Benchmark Spine Clinic"
TIME_ZONE = "Europe/London"
CLINICIAN = "bench-clinician"
PATIENT_PREFIX = "bench-p"
EXERCISES_PER_PROGRAMME = 4
# Every 40th patient has an open warning-sign alert: the dashboard has some to show.
ALERT_EVERY = 40
BRACE_EVERY = 2  # half the patients were braced
BRACE_DAYS = 120
ACTIVITIES = list(Activity.values)

Progress = Callable[[str], None]


@dataclass
class BenchClinic:
    clinic: Clinic
    clinician: User
    patients: list[Patient]
    created: bool
    rows: dict[str, int] = field(default_factory=dict)


def patient_username(n: int) -> str:
    return f"{PATIENT_PREFIX}{n:04d}"


def existing_size(clinic: Clinic) -> tuple[int, int]:
    """(patients, days) of a clinic already generated."""
    patients = Patient.objects.filter(clinic=clinic)
    first = patients.order_by("enrolled_on").values_list("enrolled_on", flat=True).first()
    last = DiaryEntry.objects.filter(patient__clinic=clinic).order_by("-day").values("day").first()
    days = (last["day"] - first).days + 1 if first and last else 0
    return patients.count(), days


def generate(
    *, patients: int, days: int, password: str, progress: Progress, seed: int = 9
) -> BenchClinic:
    """Build the clinic; a clinic already built is returned as it is (nothing is added twice)."""
    clinic = Clinic.objects.filter(name=CLINIC_NAME).first()
    if clinic is not None:
        clinician = User.objects.get(username=CLINICIAN)
        found = list(Patient.objects.filter(clinic=clinic).order_by("pk"))
        return BenchClinic(clinic, clinician, found, created=False)

    rng = random.Random(seed)
    loader = Loader()
    loader.tune_for_load()
    started = time.monotonic()
    zone = zoneinfo.ZoneInfo(TIME_ZONE)
    today = timezone.now().astimezone(zone).date()
    first_day = today - dt.timedelta(days=days - 1)

    with transaction.atomic():
        instruments_load_builtin()
        exercise_library_load()
        bench = _people(patients=patients, password=password, first_day=first_day, rng=rng)
        progress(f"people: {patients} patients and their clinician ({_secs(started)})")
        items, braced = _prescriptions(bench, first_day=first_day, rng=rng)
        progress(f"prescriptions: programmes, braces, stages ({_secs(started)})")
        bench.rows["questionnaire responses"] = _questionnaires(bench, first_day, today, rng)
        progress(f"questionnaires: {bench.rows['questionnaire responses']:,} ({_secs(started)})")

    daily = _Daily(loader, bench, items, braced, first_day, days, rng)
    with transaction.atomic():
        daily.load(progress, started)
        loader.reset_sequences(
            [DiaryEntry, DiaryActivity, DiaryEntryVersion, ExerciseLog, BraceLog]
        )
        _alerts(bench, today)
        mark_assessments_stale(p.pk for p in bench.patients)  # bulk writes send no signals
    loader.analyse()
    bench.rows.update(daily.counts)
    progress(f"done: {sum(bench.rows.values()):,} rows in {_secs(started)}")
    return bench


def _secs(started: float) -> str:
    return f"{time.monotonic() - started:.1f} s"


def _people(*, patients: int, password: str, first_day: dt.date, rng: random.Random) -> BenchClinic:
    clinic = Clinic.objects.create(name=CLINIC_NAME, time_zone=TIME_ZONE)
    # One hash for everyone: hashing 500 passwords would take minutes and prove nothing.
    hashed = make_password(password)
    clinician = User.objects.create(
        username=CLINICIAN,
        first_name="Bench",
        last_name="Clinician",
        role=Role.CLINICIAN,
        clinic=clinic,
        password=hashed,
    )
    users = User.objects.bulk_create(
        User(
            username=patient_username(n),
            first_name=f"Patient{n:04d}",
            last_name=f"Bench{n % 97:02d}",
            role=Role.PATIENT,
            password=hashed,
        )
        for n in range(1, patients + 1)
    )
    created = Patient.objects.bulk_create(
        Patient(
            user=user,
            clinic=clinic,
            date_of_birth=dt.date(2006 + rng.randrange(6), rng.randrange(1, 13), 15),
            spondylolisthesis=(n % 5 == 0),
            slip_grade=1 if n % 5 == 0 else None,
            conservative_care_started=first_day,
            sport=rng.choice(["Gymnastics", "Cricket", "Football", "Dance", "Rowing", "Diving"]),
            treating_clinician=clinician,
            enrolled_on=first_day,
        )
        for n, user in enumerate(users, start=1)
    )
    CareTeamMembership.objects.bulk_create(
        CareTeamMembership(patient=p, clinician=clinician) for p in created
    )
    return BenchClinic(clinic, clinician, created, created=True)


def _prescriptions(
    bench: BenchClinic, *, first_day: dt.date, rng: random.Random
) -> tuple[dict[int, list[int]], set[int]]:
    """Each patient's programme (item ids by patient id) and who was braced."""
    exercises = list(Exercise.objects.filter(clinic=None, is_active=True).order_by("pk"))
    programmes = ProgrammeVersion.objects.bulk_create(
        ProgrammeVersion(patient=p, valid_from=first_day, prescribed_by=bench.clinician)
        for p in bench.patients
    )
    items = ProgrammeItem.objects.bulk_create(
        ProgrammeItem(
            programme=programme,
            exercise=exercise,
            phase=exercise.phase,
            sets=exercise.sets,
            reps=exercise.reps,
            hold_seconds=exercise.hold_seconds,
            sessions_per_week=7,
            order=order,
        )
        for programme in programmes
        for order, exercise in enumerate(rng.sample(exercises, EXERCISES_PER_PROGRAMME))
    )
    by_patient: dict[int, list[int]] = {}
    for programme in programmes:
        by_patient[programme.patient_id] = []
    programme_patient = {pr.pk: pr.patient_id for pr in programmes}
    for item in items:
        by_patient[programme_patient[item.programme_id]].append(item.pk)
    braced = {p.pk for n, p in enumerate(bench.patients) if n % BRACE_EVERY == 0}
    BracePrescription.objects.bulk_create(
        BracePrescription(
            patient=p,
            valid_from=first_day,
            prescribed_by=bench.clinician,
            kind=BraceKind.RIGID,
            target_hours=Decimal(20),
            planned_end=first_day + dt.timedelta(days=BRACE_DAYS - 1),
        )
        for p in bench.patients
        if p.pk in braced
    )
    ActivityStagePrescription.objects.bulk_create(
        ActivityStagePrescription(
            patient=p, valid_from=first_day, prescribed_by=bench.clinician, stage=stage
        )
        for p in bench.patients
        for stage in [rng.choice([ActivityStage.DAILY, ActivityStage.TRAINING])]
    )
    return by_patient, braced


def _questionnaires(
    bench: BenchClinic, first_day: dt.date, today: dt.date, rng: random.Random
) -> int:
    instruments = list(Instrument.objects.filter(code__in=["weekly_pain", "psfs"]))
    OutcomeSchedule.objects.bulk_create(
        OutcomeSchedule(
            patient=p,
            instrument=i,
            interval_weeks=DEFAULT_INTERVAL_WEEKS,
            starts_on=first_day,
            set_by=bench.clinician,
        )
        for p in bench.patients
        for i in instruments
    )
    step = dt.timedelta(weeks=DEFAULT_INTERVAL_WEEKS)
    responses = []
    for p in bench.patients:
        for instrument in instruments:
            day, n = first_day, 0
            while day <= today:
                level = max(0, min(10, 7 - n // 2 + rng.randint(-1, 1)))
                if instrument.code == "psfs":
                    answers = {"1": 10 - level, "2": 10 - level, "3": max(0, 9 - level)}
                    activities = ["Running", "Sitting in class", "Training"]
                else:
                    answers = {"average": level, "worst": min(level + 2, 10)}
                    activities = []
                score = score_answers(instrument.definition, answers)
                submitted = dt.datetime.combine(day, dt.time(18, 30), tzinfo=dt.UTC)
                responses.append(
                    QuestionnaireResponse(
                        patient=p,
                        instrument=instrument,
                        status=QuestionnaireResponse.Status.SUBMITTED,
                        due_on=day,
                        is_baseline=n == 0,
                        answers=answers,
                        activities=activities,
                        instrument_version=instrument.version,
                        score=score.value,
                        band=score.band,
                        answered_count=score.answered,
                        skipped_count=score.skipped,
                        entered_by=p.user,
                        submitted_at=submitted,
                        submitted_on=day,
                    )
                )
                day, n = day + step, n + 1
    QuestionnaireResponse.objects.bulk_create(responses, batch_size=2000)
    return len(responses)


def _alerts(bench: BenchClinic, today: dt.date) -> None:
    WarningSignAlert.objects.bulk_create(
        WarningSignAlert(patient=p, day=today - dt.timedelta(days=1), bladder_bowel=True)
        for n, p in enumerate(bench.patients)
        if n % ALERT_EVERY == 7
    )


class _Daily:
    """The year of daily rows, streamed table by table so memory stays small."""

    def __init__(
        self,
        loader: Loader,
        bench: BenchClinic,
        items: dict[int, list[int]],
        braced: set[int],
        first_day: dt.date,
        days: int,
        rng: random.Random,
    ) -> None:
        self.loader, self.bench, self.items, self.braced = loader, bench, items, braced
        self.first_day, self.days, self.rng = first_day, days, rng
        self.counts: dict[str, int] = {}
        self.now = timezone.now()

    def load(self, progress: Progress, started: float) -> None:
        entry_id = self.loader.next_id(DiaryEntry)
        # Entries, their activities and first versions come from one pass, so the three tables
        # agree; they are buffered per patient batch and written table by table.
        batch = max(1, len(self.bench.patients) // 10)
        totals = {"diary entries": 0, "diary activities": 0, "entry versions": 0}
        for start in range(0, len(self.bench.patients), batch):
            group = self.bench.patients[start : start + batch]
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
                f"diary: {start + len(group)}/{len(self.bench.patients)} patients, "
                f"{totals['diary entries']:,} entries, "
                f"{totals['diary activities']:,} activities ({_secs(started)})"
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
        progress(f"exercise logs: {self.counts['exercise logs']:,} ({_secs(started)})")
        self.counts["brace logs"] = self.loader.insert(
            BraceLog, ("patient_id", "day", "hours", "created_at", "updated_at"), self._brace_logs()
        )
        progress(f"brace logs: {self.counts['brace logs']:,} ({_secs(started)})")

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
                night, medicine, doses, "", False, False, False, patient.user_id,
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
                "saddle_numbness": False,
                "bladder_bowel": False,
                "leg_weakness_worse": False,
            }
            yield entry, [(next_id, a, p) for a, p in acts.items()], snapshot
            next_id += 1

    def _exercise_logs(self) -> Iterator[tuple]:
        rng, now = self.rng, self.now
        for patient in self.bench.patients:
            for d in range(self.days):
                day = self.first_day + dt.timedelta(days=d)
                for item in self.items[patient.pk]:
                    if rng.random() < 0.8:
                        yield (patient.pk, day, item, True, 2, rng.randint(0, 4), now, now)
                    else:
                        yield (patient.pk, day, item, False, None, None, now, now)

    def _brace_logs(self) -> Iterator[tuple]:
        rng, now = self.rng, self.now
        for patient in self.bench.patients:
            if patient.pk not in self.braced:
                continue
            for d in range(min(BRACE_DAYS, self.days)):
                day = self.first_day + dt.timedelta(days=d)
                yield (patient.pk, day, Decimal(rng.randint(28, 44)) / 2, now, now)


ENTRY_FIELDS = (
    "id", "patient_id", "day", "pain_now", "pain_worst", "pain_reach", "pain_side",
    "leg_numbness", "leg_weakness", "night_pain", "medicine", "medicine_doses", "note",
    "saddle_numbness", "bladder_bowel", "leg_weakness_worse", "created_by_id", "updated_by_id",
    "created_at", "updated_at",
)  # fmt: skip
