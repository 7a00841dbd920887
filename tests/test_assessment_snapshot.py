"""The dashboard's stored assessments: a cache that is never wrong (docs/dashboard.md, "The stored
assessment"). Every model the assessment reads invalidates it; the rows built from it equal the
live assessment; a clinician sees the verdict change as soon as the inputs do; the queries do not
grow with patients; pagination and the adherence window's label."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rehab.models import BraceLog, Exercise, ExerciseLog, ProgrammeItem
from tests.factories import (
    ImagingStudyFactory,
    MeasuredBraceDayFactory,
    PatientFactory,
    UserFactory,
    checkin_post,
    measured_days,
    outcome_schedule,
    rehab_brace,
    rehab_programme,
    submitted_response,
)
from tests.helpers import history, open_alert
from tracker.models import (
    AssessmentSnapshot,
    ClinicThresholds,
    DiaryEntry,
    Instrument,
    Patient,
    QuestionnaireResponse,
    User,
    WarningSignAlert,
)
from tracker.selectors.assessment import patient_assessments
from tracker.selectors.dashboard import DashboardRow
from tracker.services import stored_assessment
from tracker.services.stored_assessment import (
    RULES_FORMAT,
    WATCHED,
    mark_all_assessments_stale,
    mark_assessments_stale,
    mark_clinic_assessments_stale,
    refresh_assessments,
    snapshot_states,
)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("tracker:patient_list")


def valid(patient: Patient) -> bool:
    return all(s.valid for s in snapshot_states([patient.pk]))


def fully_logged(patient: Patient) -> ProgrammeItem:
    """A patient with a value in every input the assessment reads; returns a programme item."""
    history(patient, 40, pain=lambda n: 7 if n < 14 else 4)
    version = rehab_programme(patient, valid_from=patient.conservative_care_started)
    rehab_brace(patient, valid_from=patient.conservative_care_started)
    ImagingStudyFactory(patient=patient, taken_on=patient.conservative_care_started)
    outcome_schedule(patient, "psfs")
    submitted_response(
        patient,
        "psfs",
        due_on=patient.enrolled_on,
        answers={"1": 2, "2": 3, "3": 4},
        activities=["Running", "Sitting", "Lifting"],
    )
    return version.items.first()


# --- (a) Every model the assessment reads invalidates it ----------------------------------------


def test_every_table_the_assessment_reads_is_watched(patient):
    fully_logged(patient)
    open_alert(patient)
    ClinicThresholds.objects.create(clinic=patient.clinic, psfs_important_points=3)

    with CaptureQueriesContext(connection) as read:
        patient_assessments(Patient.objects.filter(pk=patient.pk).select_related("clinic"))

    sql = " ".join(q["sql"] for q in read.captured_queries)
    tables = {
        model
        for model in apps.get_models()
        if re.search(rf'(FROM|JOIN) "{model._meta.db_table}"', sql)
    }
    assert tables, "the assessment read nothing?"
    # The user table is joined only for Patient's default ordering (by name); names are shown
    # live from the patient's row, never from the stored assessment.
    assert tables - set(WATCHED) - {User} == set()


def _make(model, patient: Patient, item: ProgrammeItem):
    """Create one row of `model` that concerns `patient` (a save)."""
    today = patient.local_today()
    if model is DiaryEntry:
        return DiaryEntry.objects.create(patient=patient, day=today, pain_now=9, pain_worst=9)
    if model is WarningSignAlert:
        return WarningSignAlert.objects.create(patient=patient, day=today, saddle_numbness=True)
    if model is QuestionnaireResponse:
        return QuestionnaireResponse.objects.create(
            patient=patient,
            instrument=Instrument.objects.get(code="odi"),
            due_on=today,
            is_baseline=True,
            entered_by=patient.user,
        )
    if model is BraceLog:
        return BraceLog.objects.create(patient=patient, day=today, hours=Decimal("20"))
    if model is ExerciseLog:
        return ExerciseLog.objects.create(patient=patient, day=today, item=item, done=True)
    if model.__name__ == "MeasuredBraceDay":
        return MeasuredBraceDayFactory(patient=patient, day=today, hours=Decimal("11"))
    if model is ProgrammeItem:
        taken = item.programme.items.values("exercise_id")
        exercise = Exercise.objects.filter(clinic__isnull=True).exclude(pk__in=taken).first()
        return ProgrammeItem.objects.create(
            programme=item.programme,
            exercise=exercise,
            phase=exercise.phase,
            sets=1,
            reps=5,
            hold_seconds=5,
            sessions_per_week=3,
            order=9,
        )
    if model.__name__ == "ProgrammeVersion":
        return rehab_programme(patient, valid_from=today)
    if model.__name__ == "BracePrescription":
        return rehab_brace(patient, valid_from=today, hours="12")
    if model.__name__ == "ImagingStudy":
        return ImagingStudyFactory(patient=patient, taken_on=today, slip_percent=30)
    if model is ClinicThresholds:
        return ClinicThresholds.objects.create(clinic=patient.clinic, plateau_weeks=20)
    if model is Patient:
        patient.conservative_care_started -= dt.timedelta(days=1)
        patient.save()
        return None  # a patient is not deleted to invalidate their own row
    if model.__name__ == "Clinic":
        patient.clinic.save()
        return None  # protected
    if model is Instrument:
        Instrument.objects.get(code="psfs").save()
        return None  # protected
    raise AssertionError(f"No case for {model.__name__}: add one to this table")


@pytest.mark.parametrize("model", list(WATCHED), ids=lambda m: m.__name__)
def test_a_save_and_a_delete_of_each_input_invalidate_the_stored_assessment(patient, model):
    item = fully_logged(patient)
    refresh_assessments([patient.pk])
    assert valid(patient)

    made = _make(model, patient, item)
    assert not valid(patient), f"saving a {model.__name__} left the stored assessment valid"

    if made is not None:
        refresh_assessments([patient.pk])
        assert valid(patient)
        made.delete()
        assert not valid(patient), f"deleting a {model.__name__} left it valid"


def test_an_input_changed_during_a_recomputation_leaves_the_row_stale(patient, monkeypatch):
    """A write that lands between reading the inputs and storing the verdict is not lost."""
    history(patient, 30)
    real = stored_assessment.patient_assessments

    def racing(patients):
        result = real(patients)  # inputs read; now the patient checks in before the upsert
        DiaryEntry.objects.filter(patient=patient).first().save()
        return result

    monkeypatch.setattr(stored_assessment, "patient_assessments", racing)
    refresh_assessments([patient.pk])

    assert AssessmentSnapshot.objects.get(pk=patient.pk).category  # stored, but
    assert not valid(patient)  # not trusted: the next dashboard recomputes it


def test_a_write_for_a_patient_never_stored_races_no_verdict_through(patient, monkeypatch):
    """A new patient has no stored row. The interleaving of two transactions, replayed in
    order: the dashboard finds no row and reads the inputs; the patient's check-in commits; the
    dashboard stores what it computed. The check-in's mark must make that verdict untrusted."""
    history(patient, 10)
    AssessmentSnapshot.objects.filter(patient=patient).delete()
    seen = snapshot_states([patient.pk])  # the dashboard: no stored row yet
    computed = patient_assessments([Patient.objects.select_related("clinic").get(pk=patient.pk)])

    DiaryEntry.objects.filter(patient=patient).first().save()  # the check-in commits

    monkeypatch.setattr(stored_assessment, "patient_assessments", lambda patients: computed)
    refresh_assessments([patient.pk], states=seen)  # the dashboard stores what it read before

    assert not valid(patient)


def test_a_mark_for_a_patient_without_a_row_leaves_a_stale_row():
    patient = PatientFactory()
    AssessmentSnapshot.objects.filter(patient=patient).delete()

    mark_assessments_stale([patient.pk, 10**9])  # and one id that is no patient: nothing to add

    assert list(AssessmentSnapshot.objects.values_list("patient_id", "stale")) == [
        (patient.pk, True)
    ]


@pytest.mark.parametrize(
    "mark",
    [
        lambda p: mark_clinic_assessments_stale([p.clinic_id]),
        lambda p: mark_all_assessments_stale(),
    ],
    ids=["clinic", "all"],
)
def test_a_clinic_or_global_mark_leaves_a_stale_row_for_a_patient_without_one(mark):
    """No stamp of the thresholds backs the marks up any more: a clinic's (or everyone's) mark
    must leave a row to bump, or a recomputation racing a threshold change could keep its
    verdict."""
    patient = PatientFactory()
    AssessmentSnapshot.objects.filter(patient=patient).delete()

    mark(patient)

    row = AssessmentSnapshot.objects.get(patient=patient)
    assert (row.stale, row.generation) == (True, 1)
    assert not valid(patient)


def test_a_row_of_another_rules_format_is_recomputed(client, clinician, patient, monkeypatch):
    """A row stored under an older `RULES_FORMAT` (or before the number existed: 0, as the
    migration leaves every existing row) is not shown; the dashboard recomputes it."""
    history(patient, 10)
    refresh_assessments([patient.pk])
    assert valid(patient)
    AssessmentSnapshot.objects.filter(patient=patient).update(rules_format=0)
    assert not valid(patient)

    client.force_login(clinician)
    client.get(DASHBOARD)

    assert AssessmentSnapshot.objects.get(patient=patient).rules_format == RULES_FORMAT
    assert valid(patient)
    monkeypatch.setattr(stored_assessment, "RULES_FORMAT", RULES_FORMAT + 1)  # a rules change
    assert not valid(patient)
    assert refresh_assessments([patient.pk]) == 1
    assert valid(patient)


def test_a_migrate_leaves_every_stored_assessment_to_be_recomputed(patient):
    history(patient, 10)
    refresh_assessments([patient.pk])
    assert valid(patient)

    call_command("migrate", verbosity=0)

    assert not valid(patient)


@pytest.mark.django_db(transaction=True)
def test_rows_stored_before_the_rules_format_existed_are_recomputed(patient):
    """Migration 0010 gives every existing row format 0: none is trusted after the upgrade,
    even though nothing else (no migrate signal here) marked it."""
    from django.db.migrations.executor import MigrationExecutor

    history(patient, 10)
    refresh_assessments([patient.pk])
    assert valid(patient)

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([("tracker", "0009_assessment_snapshot")])
    try:
        executor.loader.build_graph()
        executor.migrate([("tracker", "0010_assessment_rules_format")])

        assert AssessmentSnapshot.objects.get(patient=patient).stale is False  # only the format
        assert not valid(patient)
    finally:
        # Back to the latest schema, so the tests after this one see every later migration.
        executor.loader.build_graph()
        executor.migrate(latest)


def test_the_admin_cannot_move_a_log_to_another_patient_or_day(rf, patient):
    from django.contrib import admin

    item = fully_logged(patient)
    log = ExerciseLog.objects.filter(patient=patient).first() or ExerciseLog.objects.create(
        patient=patient, day=patient.local_today(), item=item, done=True
    )
    brace = BraceLog.objects.create(patient=patient, day=patient.local_today(), hours=Decimal(5))

    exercise_admin = admin.site._registry[ExerciseLog]
    brace_admin = admin.site._registry[BraceLog]

    assert {"patient", "day", "item"} <= set(exercise_admin.get_readonly_fields(rf.get("/"), log))
    assert {"patient", "day"} <= set(brace_admin.get_readonly_fields(rf.get("/"), brace))
    assert "patient" not in exercise_admin.get_readonly_fields(rf.get("/"), None)  # adding one


# --- (b) The stored rows are the live assessment, field by field -----------------------------


def _varied_patients(clinic, clinician) -> list[Patient]:
    def make(name: str, **fields) -> Patient:
        return PatientFactory(
            user=UserFactory(username=name, first_name=name.title(), last_name="Test"),
            clinic=clinic,
            treating_clinician=clinician,
            **fields,
        )

    today = timezone.localdate()
    improving = make("ivy")
    history(improving, 40, pain=lambda n: 8 if n < 14 else 3)
    worse = make("wes", conservative_care_started=today - dt.timedelta(weeks=30))
    history(worse, 60, pain=lambda n: 2 if n < 14 else 6)
    rehab_programme(worse, valid_from=worse.conservative_care_started, sessions_per_week=3)
    rehab_brace(worse, valid_from=worse.conservative_care_started)
    # Brace hours measured by a sensor: every day of one patient's window, some of another's.
    measured_days(worse, {worse.local_today() - dt.timedelta(days=n): 9 for n in range(28)})
    partly = make("mel", conservative_care_started=today - dt.timedelta(weeks=10))
    history(partly, 40, pain=lambda n: 5)
    rehab_brace(partly, valid_from=partly.conservative_care_started, hours="20")
    measured_days(partly, {partly.local_today() - dt.timedelta(days=n): 12 for n in range(1, 11)})
    for n in range(11, 21):  # and reported only, on other days
        BraceLog.objects.create(
            patient=partly, day=partly.local_today() - dt.timedelta(days=n), hours=Decimal("19")
        )
    urgent = make("una")
    history(urgent, 10)
    open_alert(urgent)
    quiet = make("quinn")
    history(quiet, 20, end=today - dt.timedelta(days=6))
    make("nora", conservative_care_started=today - dt.timedelta(days=10))
    slipped = make("sam", spondylolisthesis=True, slip_grade=3)
    history(slipped, 25, pain=lambda n: n % 10)
    ImagingStudyFactory(patient=slipped, taken_on=today - dt.timedelta(days=50), slip_percent=20)
    ImagingStudyFactory(patient=slipped, taken_on=today - dt.timedelta(days=5), slip_percent=55)
    scored = make("pia")
    history(scored, 35, pain=lambda n: 5)
    item = fully_logged(make("fay"))
    ExerciseLog.objects.create(patient=item.programme.patient, day=today, item=item, done=True)
    outcome_schedule(scored, "psfs")
    activities = ["Running", "Sitting", "Lifting"]
    for due, answers in (
        (scored.enrolled_on, {"1": 2, "2": 3, "3": 4}),
        (scored.enrolled_on + dt.timedelta(weeks=4), {"1": 6, "2": 7, "3": 8}),
    ):
        submitted_response(scored, "psfs", due_on=due, answers=answers, activities=activities)
    gone = make("gus", conservative_care_started=today - dt.timedelta(weeks=20))
    history(gone, 50, pain=lambda n: 6 - n // 10)
    gone.status, gone.discharged_on = Patient.Status.DISCHARGED, today - dt.timedelta(days=3)
    gone.save()
    return list(Patient.objects.filter(clinic=clinic).select_related("clinic", "user"))


def test_rows_from_the_stored_assessment_equal_the_live_assessment(client, clinic, clinician):
    patients = _varied_patients(clinic, clinician)
    client.force_login(clinician)
    client.get(DASHBOARD + "?show=all")  # stores every row
    stored = {
        s.patient_id: DashboardRow.from_snapshot(s)
        for s in AssessmentSnapshot.objects.select_related("patient")
    }
    live = patient_assessments(patients)

    assert set(stored) == set(live) == {p.pk for p in patients}
    assert len({r.category for r in stored.values()}) >= 4  # the patients really vary
    assert {r.brace_source for r in stored.values()} == {"reported", "measured", "mixed"}
    for pk, assessed in live.items():
        row = stored[pk]
        assert row == DashboardRow.from_assessment(assessed)
        # and, spelled out, against the live assessment's own figures:
        assert row.category == assessed.category
        assert row.deciding_reason == assessed.deciding_reason
        assert row.today == assessed.today
        assert row.weeks_of_care == assessed.weeks_of_care
        assert row.age == assessed.age
        assert row.pain_baseline == assessed.pain_baseline
        assert row.pain_recent == assessed.pain_recent
        assert row.pain_trend == assessed.pain_trend
        assert row.brace_adherence == assessed.adherence.brace
        assert row.brace_source == assessed.assessment.brace_source
        assert row.exercise_adherence == assessed.adherence.exercise
        assert row.checkins == assessed.checkins
        assert row.last_checkin == assessed.last_checkin
        assert row.days_since_checkin == assessed.days_since_checkin
        assert row.not_logged == assessed.stale
        point, change = assessed.function_point, assessed.function_change
        if point is None:
            assert row.function is None
        else:
            assert row.function.name == point.response.instrument.short_name
            assert row.function.score == point.score
            if change is None:
                assert row.function.change is None
            else:
                assert row.function.change.improvement == change.improvement
                assert row.function.change.improved == change.improved
                assert row.function.change.worsened == change.worsened


# --- (c) What a clinician notices ----------------------------------------------------------


def _verdict(client, patient: Patient) -> str:
    rows = client.get(DASHBOARD + "?show=all").context["rows"]
    return next(r.category for r in rows if r.patient == patient)


def test_the_clinician_sees_the_verdict_change_when_the_patient_checks_in(
    client, clinician, patient
):
    history(patient, 30, pain=lambda n: 6)
    client.force_login(clinician)
    assert _verdict(client, patient) != "urgent"

    client.force_login(patient.user)
    today = patient.local_today()
    answer = client.post(reverse("tracker:checkin"), checkin_post(today, saddle_numbness="yes"))
    assert answer.status_code in (200, 302)

    client.force_login(clinician)
    assert _verdict(client, patient) == "urgent"

    alert = WarningSignAlert.objects.get(patient=patient)
    client.post(reverse("tracker:alert_acknowledge", args=[patient.pk, alert.pk]))
    assert _verdict(client, patient) != "urgent"


def test_the_clinician_sees_a_questionnaire_and_a_threshold_change(client, clinician, patient):
    history(patient, 30, pain=lambda n: 5)
    outcome_schedule(patient, "psfs")
    activities = ["Running", "Sitting", "Lifting"]
    submitted_response(
        patient,
        "psfs",
        due_on=patient.enrolled_on,
        answers={"1": 2, "2": 3, "3": 4},
        activities=activities,
    )
    client.force_login(clinician)
    assert _verdict(client, patient) != "improving"

    submitted_response(
        patient,
        "psfs",
        due_on=patient.enrolled_on + dt.timedelta(weeks=4),
        answers={"1": 5, "2": 6, "3": 7},
        activities=activities,
    )
    assert _verdict(client, patient) == "improving"  # +3 on the PSFS mean

    ClinicThresholds.objects.create(clinic=patient.clinic, psfs_important_points=4)
    assert _verdict(client, patient) != "improving"  # not important by this clinic's bar


def test_the_clinician_sees_the_verdict_of_the_new_day(client, clinician, patient, monkeypatch):
    """Nothing is written overnight, yet the next day's verdict is the next day's: 6 weeks of
    care are reached at midnight."""
    today = patient.local_today()
    patient.conservative_care_started = patient.enrolled_on = today - dt.timedelta(days=41)
    patient.save()
    history(patient, 41, pain=lambda n: 5)
    client.force_login(clinician)
    first = client.get(DASHBOARD).context["rows"][0]
    assert first.weeks_of_care == 5

    tomorrow = timezone.now() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    client.force_login(clinician)  # a session of today's date
    second = client.get(DASHBOARD).context["rows"][0]

    assert second.weeks_of_care == 6
    assert second.days_since_checkin == first.days_since_checkin + 1


# --- (d) Queries, pagination, the nightly command ------------------------------------------


def test_the_nightly_command_leaves_nothing_for_the_first_dashboard(client, clinician, patient):
    history(patient, 30)
    out = io.StringIO()
    call_command("refresh_assessments", stdout=out)
    assert "1 of 1 patients in active care recomputed" in out.getvalue()
    assert valid(patient)

    client.force_login(clinician)
    with CaptureQueriesContext(connection) as queries:
        client.get(DASHBOARD)
    assert not any("tracker_diaryentry" in q["sql"] for q in queries.captured_queries)


def test_it_pages_keeps_the_filters_and_never_fails_on_a_bad_page(client, clinic, clinician):
    for i in range(55):
        p = PatientFactory(
            user=UserFactory(username=f"pg{i:02d}", first_name=f"P{i:02d}", last_name="Page"),
            clinic=clinic,
            treating_clinician=clinician,
        )
        history(p, 3, end=p.local_today() - dt.timedelta(days=5 if i % 2 else 1))
    client.force_login(clinician)

    first = client.get(DASHBOARD + "?sort=name")
    second = client.get(DASHBOARD + "?sort=name&page=2")
    beyond = client.get(DASHBOARD + "?sort=name&page=999")
    nonsense = client.get(DASHBOARD + "?sort=name&page=x")
    quiet = client.get(DASHBOARD + "?stale=on&page=2")

    assert len(first.context["rows"]) == 50 and len(second.context["rows"]) == 5
    assert beyond.context["rows"] == second.context["rows"]
    assert nonsense.context["rows"] == first.context["rows"]
    assert "sort=name&amp;page=2" in first.text  # the next page keeps the sort
    assert len(quiet.context["rows"]) == 27  # page 2 of one page is its last page
    assert all(r.not_logged for r in quiet.context["rows"])
    # The counts cover every patient, not the page: 55 in all.
    assert sum(n for _, n in first.context["counts"]) == 55
    assert "Patients 1–50 of 55" in first.text


def test_it_audits_only_the_patients_on_the_page(client, clinic, clinician):
    from tracker.models import AuditEvent

    for i in range(52):
        PatientFactory(
            user=UserFactory(username=f"au{i}"), clinic=clinic, treating_clinician=clinician
        )
    client.force_login(clinician)
    client.get(DASHBOARD)

    # One page view is one event, naming the 50 patients on the page.
    event = AuditEvent.objects.filter(what="dashboard").get()
    assert len(event.patient_ids) == 50


def test_the_adherence_columns_name_the_clinics_window(client, clinician, patient):
    client.force_login(clinician)
    assert "Brace (4 wk)" in client.get(DASHBOARD).text

    ClinicThresholds.objects.create(clinic=patient.clinic, adherence_window_days=21)
    page = client.get(DASHBOARD).text

    assert "Brace (3 wk)" in page and "Exercises (3 wk)" in page
    assert "4 wk)" not in page
