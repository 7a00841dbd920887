"""factory-boy factories for ParsTrack's models."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from tracker.models import (
    CareTeamMembership,
    Clinic,
    ClinicianNote,
    ImagingStudy,
    Modality,
    Patient,
    Role,
    User,
)

PASSWORD = "correct-horse-battery-staple"


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Clinic {n}")
    time_zone = "Europe/London"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.PATIENT
    password = factory.django.Password(PASSWORD)


class ClinicianFactory(UserFactory):
    role = Role.CLINICIAN
    clinic = factory.SubFactory(ClinicFactory)


class GuardianFactory(UserFactory):
    """A parent or guardian's account (no clinic: they belong to their young people's)."""

    role = Role.GUARDIAN


def guardian_link(patient, guardian=None, *, scope=None, assent=None, by=None, **fields):
    """A guardian linked to a patient with their permission given and, by default, the young
    person's confirmation given too if their age needs it today (assent=True/False forces it).
    `scope`: GuardianScope values; default the link's defaults (plan, adherence,
    questionnaires, calendar; not pain, logging or reminders)."""
    from tracker.models import ConsentRecord, GuardianLink
    from tracker.rules.guardians import SCOPE_FIELDS, WORDING, ConsentKind, assent_needed

    guardian = guardian or GuardianFactory()
    if scope is not None:
        fields.update({field: part in set(scope) for part, field in SCOPE_FIELDS.items()})
    link = GuardianLink.objects.create(
        guardian=guardian,
        patient=patient,
        invited_by=by or patient.treating_clinician,
        **fields,
    )
    now = timezone.now()
    ConsentRecord.objects.create(
        link=link,
        kind=ConsentKind.GUARDIAN_PERMISSION,
        wording_version=WORDING[ConsentKind.GUARDIAN_PERMISSION][0],
        given_by=guardian,
        given_at=now,
    )
    if assent is None:
        assent = assent_needed(
            patient.date_of_birth, patient.local_today(), patient.clinic.guardian_assent_age
        )
    if assent:
        ConsentRecord.objects.create(
            link=link,
            kind=ConsentKind.ASSENT,
            wording_version=WORDING[ConsentKind.ASSENT][0],
            given_by=patient.user,
            given_at=now,
        )
    return link


class PatientFactory(factory.django.DjangoModelFactory):
    """A patient; the treating clinician is put on the care team."""

    class Meta:
        model = Patient
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=Role.PATIENT)
    clinic = factory.SubFactory(ClinicFactory)
    date_of_birth = dt.date(2009, 5, 1)
    conservative_care_started = factory.LazyFunction(
        lambda: timezone.localdate() - dt.timedelta(weeks=8)
    )
    enrolled_on = factory.LazyAttribute(lambda p: p.conservative_care_started)
    sport = "Gymnastics"
    treating_clinician = factory.SubFactory(
        ClinicianFactory, clinic=factory.SelfAttribute("..clinic")
    )

    @factory.post_generation
    def care_team(self, create: bool, extracted, **kwargs) -> None:
        if not create:
            return
        for clinician in {self.treating_clinician, *(extracted or [])}:
            CareTeamMembership.objects.get_or_create(patient=self, clinician=clinician)


# --- Outcome questionnaires -------------------------------------------------------------------


def outcome_schedule(patient, code: str, **fields):
    """Schedule a built-in instrument (loaded at migrate) for a patient: baseline at enrolment."""
    from tracker.models import Instrument, OutcomeSchedule

    fields.setdefault("starts_on", patient.enrolled_on)
    return OutcomeSchedule.objects.create(
        patient=patient, instrument=Instrument.objects.get(code=code), **fields
    )


def submitted_response(patient, code: str, *, due_on, answers, activities=(), replaces=None):
    """A submitted, scored response, made through the services as the patient would."""
    from tracker.models import Instrument, QuestionnaireResponse
    from tracker.services.outcomes import effective_baseline, response_submit

    instrument = Instrument.objects.get(code=code)
    draft = QuestionnaireResponse.objects.create(
        patient=patient,
        instrument=instrument,
        due_on=due_on,
        is_baseline=replaces.is_baseline
        if replaces
        else effective_baseline(patient=patient, instrument=instrument) is None,
        answers=answers,
        activities=list(activities),
        replaces=replaces,
        entered_by=patient.user,
    )
    return response_submit(response=draft)


def psfs_three_points_better(patient):
    """A PSFS baseline (mean 3) and a follow-up 4 weeks later (mean 6): +3 on the mean."""
    outcome_schedule(patient, "psfs")
    activities = ["Back walkover", "Sitting through a lesson", "Carrying a bag"]
    for due, answers in (
        (patient.enrolled_on, {"1": 2, "2": 3, "3": 4}),
        (patient.enrolled_on + dt.timedelta(weeks=4), {"1": 5, "2": 6, "3": 7}),
    ):
        submitted_response(patient, "psfs", due_on=due, answers=answers, activities=activities)


class ImagingStudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImagingStudy

    patient = factory.SubFactory(PatientFactory)
    taken_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(weeks=10))
    modality = Modality.XRAY
    slip_percent = None
    slip_grade = None
    created_by = factory.SelfAttribute("patient.treating_clinician")


class ClinicianNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClinicianNote

    patient = factory.SubFactory(PatientFactory)
    author = factory.SelfAttribute("patient.treating_clinician")
    written_on = factory.LazyFunction(timezone.localdate)
    text = "Reviewed progress with the patient."


# --- Brace sensors (issue 17) -------------------------------------------------------------------


class BraceSensorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "rehab.BraceSensor"

    kind = "orthotimer"
    serial = factory.Sequence(lambda n: f"OT-{n:05d}")
    patient = factory.SubFactory(PatientFactory)


class BraceSensorFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "rehab.BraceSensorFile"

    sensor = factory.SubFactory(BraceSensorFactory)
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    file_name = factory.Sequence(lambda n: f"orthotimer-{n}.csv")
    imported_by = factory.SelfAttribute("sensor.patient.treating_clinician")
    first_sample = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=28))
    last_sample = factory.LazyFunction(timezone.now)
    interval_seconds = 900
    samples = 2688


class MeasuredBraceDayFactory(factory.django.DjangoModelFactory):
    """A day's measured hours; the sensor and file follow the patient unless given."""

    class Meta:
        model = "rehab.MeasuredBraceDay"

    patient = factory.SubFactory(PatientFactory)
    day = factory.LazyAttribute(lambda o: o.patient.local_today() - dt.timedelta(days=1))
    hours = Decimal("15.00")
    source = factory.SubFactory(
        BraceSensorFileFactory, sensor__patient=factory.SelfAttribute("...patient")
    )
    sensor = factory.SelfAttribute("source.sensor")


def measured_days(patient, hours_by_day: dict, *, source=None) -> list:
    """Measured hours on several days from one sensor file (made unless given)."""
    source = source or BraceSensorFileFactory(sensor__patient=patient)
    return [
        MeasuredBraceDayFactory(
            patient=patient, day=day, hours=Decimal(str(hours)), source=source, sensor=source.sensor
        )
        for day, hours in hours_by_day.items()
    ]


def checkin_post(day, /, **overrides) -> dict:
    """A complete, valid check-in form submission for `day`; override any field."""
    data = {
        "day": day.isoformat(),
        "pain_now": "3",
        "pain_worst": "5",
        "activities": ["walking", "sport"],
        "pain_walking": "2",
        "pain_sport": "6",
        "pain_reach": "buttock",
        "pain_side": "left",
        "medicine": "paracetamol",
        "medicine_doses": "2",
        "note": "Felt stiff after training.",
        "saddle_numbness": "no",
        "bladder_bowel": "no",
        "leg_weakness_worse": "no",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- Rehab programme ---------------------------------------------------------------------------


def rehab_programme(patient, *, valid_from, exercises=None, by=None, sessions_per_week=7, **kw):
    """Prescribe a programme through the service (closing any current one)."""
    from rehab.models import Exercise
    from rehab.services import ItemSpec, exercise_library_load, programme_prescribe

    # Browser tests flush the database, built-in exercises (a data migration) included.
    exercise_library_load()
    exercises = exercises or list(Exercise.objects.filter(clinic__isnull=True).order_by("pk")[:2])
    items = [
        ItemSpec(
            exercise=e,
            phase=e.phase,
            sets=kw.get("sets", 2),
            reps=10,
            hold_seconds=5,
            sessions_per_week=sessions_per_week,
        )
        for e in exercises
    ]
    return programme_prescribe(
        patient=patient,
        prescribed_by=by or patient.treating_clinician,
        valid_from=valid_from,
        items=items,
    )


def rehab_brace(patient, *, valid_from, hours="23", kind="rigid", by=None, **kw):
    from decimal import Decimal

    from rehab.services import brace_prescribe

    return brace_prescribe(
        patient=patient,
        prescribed_by=by or patient.treating_clinician,
        valid_from=valid_from,
        kind=kind,
        target_hours=None if kind == "none" else Decimal(hours),
        **kw,
    )


# --- A patient's logged history (exports, API, FHIR) ----------------------------------------


def logged_history(patient, *, note="Stiff after training.", activity_name="Back walkover"):
    """Three days of check-ins with activities, a brace and a programme answered on two of them,
    and a PSFS baseline plus follow-up: everything a patient enters, through the services; and
    one day's brace hours measured by a sensor (a factory: the import is not a patient's)."""
    from decimal import Decimal

    from rehab.selectors import programme_items_on
    from rehab.services import ExerciseEntry, brace_log_record, exercise_logs_record
    from tracker.services.checkin import DiaryAnswers, entry_record

    today = patient.local_today()
    days = [today - dt.timedelta(days=n) for n in (2, 1, 0)]
    rehab_brace(patient, valid_from=days[0], hours="20")
    rehab_programme(patient, valid_from=days[0])
    for n, day in enumerate(days):
        entry_record(
            patient=patient,
            day=day,
            answers=DiaryAnswers(
                pain_now=2 + n,
                pain_worst=5 + n,
                activities={"walking": 1 + n, "sport": 6},
                pain_reach="below_knee" if n == 2 else "back",
                note=note if n == 0 else "",
                medicine="paracetamol" if n == 1 else "none",
                medicine_doses=2 if n == 1 else 0,
            ),
            by=patient.user,
        )
    for day, hours in ((days[0], Decimal("20")), (days[1], Decimal("10.5"))):
        brace_log_record(patient=patient, day=day, hours=hours)
        items = programme_items_on(patient, day)
        exercise_logs_record(
            patient=patient,
            day=day,
            entries=[
                ExerciseEntry(item=items[0], done=True, sets_done=2, pain=3),
                ExerciseEntry(item=items[1], done=False),
            ],
        )
    # A brace sensor measured the first day as reported (20 h), so adherence is unchanged and
    # every export dataset (brace_measured too, issue 17) has a row.
    measured_days(patient, {days[0]: "20"})
    activities = [activity_name, "Sitting through a lesson", "Carrying a bag"]
    outcome_schedule(patient, "psfs")
    baseline = submitted_response(
        patient,
        "psfs",
        due_on=patient.enrolled_on,
        answers={"1": 2, "2": 4, "3": 3},
        activities=activities,
    )
    follow_up = submitted_response(
        patient,
        "psfs",
        due_on=patient.enrolled_on + dt.timedelta(weeks=4),
        answers={"1": 6, "2": 7, "3": 5},
        activities=activities,
    )
    return days, baseline, follow_up
