"""A synthetic clinic at scale for the benchmark: one clinician caring for every patient, each
patient logging every day for a year (pain, activities, exercises, brace wear) and answering
questionnaires every 4 weeks.

People, prescriptions and questionnaires go through the ORM (thousands of rows); the daily rows
(about 180,000 entries and well over a million child rows at 500 x 365) go through
`bench.daily` and `bench.fastload`. Values are seeded pseudo-random, so two runs build the same
clinic.
"""

import datetime as dt
import random
import time
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from bench.daily import BRACE_DAYS, Daily, Progress, secs
from bench.fastload import Loader
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
from tracker.demo.outcomes import submitted_response
from tracker.models import (
    CareTeamMembership,
    Clinic,
    DiaryActivity,
    DiaryEntry,
    DiaryEntryVersion,
    Instrument,
    OutcomeSchedule,
    Patient,
    QuestionnaireResponse,
    Role,
    User,
    WarningSignAlert,
)
from tracker.rules.outcomes.schedule import DEFAULT_INTERVAL_WEEKS
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
        progress(f"people: {patients} patients and their clinician ({secs(started)})")
        items, braced = _prescriptions(bench, first_day=first_day, rng=rng)
        progress(f"prescriptions: programmes, braces, stages ({secs(started)})")
        bench.rows["questionnaire responses"] = _questionnaires(bench, first_day, today, rng)
        progress(f"questionnaires: {bench.rows['questionnaire responses']:,} ({secs(started)})")

    daily = Daily(loader, bench.patients, items, braced, first_day, days, rng)
    with transaction.atomic():
        daily.load(progress, started)
        loader.reset_sequences(
            [DiaryEntry, DiaryActivity, DiaryEntryVersion, ExerciseLog, BraceLog]
        )
        _alerts(bench, today)
        mark_assessments_stale(p.pk for p in bench.patients)  # bulk writes send no signals
    loader.analyse()
    bench.rows.update(daily.counts)
    progress(f"done: {sum(bench.rows.values()):,} rows in {secs(started)}")
    return bench


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
                submitted = dt.datetime.combine(day, dt.time(18, 30), tzinfo=dt.UTC)
                responses.append(
                    submitted_response(
                        patient=p,
                        instrument=instrument,
                        day=day,
                        answers=answers,
                        activities=activities,
                        is_baseline=n == 0,
                        submitted_at=submitted,
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
