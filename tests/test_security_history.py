"""Changes to clinical data keep earlier values; every clinician page of patient data is audited.

The guards here walk the models and the URL configuration, so a new model or page that forgets
its history or its audit record fails a test instead of going unnoticed.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from rehab.models import BraceLog, Exercise, ExerciseLog
from rehab.services import brace_log_record, exercise_update
from tests.factories import (
    ClinicianNoteFactory,
    ImagingStudyFactory,
    outcome_schedule,
    rehab_brace,
    rehab_programme,
)
from tracker.models import AuditAction, AuditEvent, ClinicThresholds

pytestmark = pytest.mark.django_db

# How each model holding clinical data keeps its earlier states. A model in neither list fails
# `test_it_knows_how_every_clinical_model_keeps_its_history`: decide, then add it here.
WITH_SIMPLE_HISTORY = {
    "tracker.Patient",
    "tracker.CareTeamMembership",
    "tracker.ImagingStudy",
    "tracker.ClinicianNote",
    "tracker.ClinicThresholds",
    "tracker.OutcomeSchedule",
    "rehab.Exercise",
    "rehab.BraceLog",
    "rehab.ExerciseLog",
    "rehab.MeasuredBraceDay",
    # Who may see a young person's record, and its scope: each change kept with who made it.
    "tracker.GuardianLink",
}
KEPT_ANOTHER_WAY = {
    # Every save of a day's check-in adds a DiaryEntryVersion with the whole snapshot.
    "tracker.DiaryEntry": "versions",
    "tracker.DiaryActivity": "versions (part of the entry's snapshot)",
    "tracker.DiaryEntryVersion": "append-only",
    # Signs only go from unset to set, the acknowledgement once; the diary versions say when.
    "tracker.WarningSignAlert": "monotonic",
    # Submitted answers are never changed: a correction is a new response that `replaces` it.
    "tracker.QuestionnaireResponse": "immutable once submitted",
    # Prescriptions are effective-dated: a change closes the old version and opens a new one.
    "rehab.ProgrammeVersion": "effective-dated",
    "rehab.ProgrammeItem": "part of an effective-dated version",
    "rehab.BracePrescription": "effective-dated",
    "rehab.ActivityStagePrescription": "effective-dated",
    "tracker.AuditEvent": "append-only",
    # A brace sensor's identity and each imported file are written once, never edited.
    "rehab.BraceSensor": "written once",
    "rehab.BraceSensorFile": "written once (the file's SHA-256 and what it covered)",
    # Consent and assent are withdrawn (who, when), never edited or deleted.
    "tracker.ConsentRecord": "given once, then withdrawn at most once",
    # Not clinical data: a one-time link to set a password.
    "tracker.Invite": "not clinical",
    "tracker.GuardianInvite": "not clinical (a guardian's one-time link)",
    # A cache of the live assessment, recomputed from the inputs above (docs/dashboard.md).
    "tracker.AssessmentSnapshot": "derived, recomputed from the kept inputs",
    # Not clinical: when the patient wants check-in reminders (updated_at says when it changed).
    "tracker.ReminderPreference": "not clinical",
    # Each notification is written once when claimed; only its outcome is set after the send.
    "tracker.Notification": "written once (then its outcome)",
}


def _clinical_models() -> list[str]:
    """Models that hold a patient's data (a link to a patient) or the clinic's clinical rules."""
    labels = []
    for app in ("tracker", "rehab"):
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            related = {f.related_model for f in model._meta.fields if f.is_relation}
            names = {getattr(m, "__name__", "") for m in related}
            if names & {"Patient", "DiaryEntry", "ProgrammeVersion"} or model.__name__ in {
                "Patient",
                "ClinicThresholds",
                "Exercise",
            }:
                labels.append(model._meta.label)
    return labels


def test_it_knows_how_every_clinical_model_keeps_its_history():
    labels = set(_clinical_models())

    unknown = labels - WITH_SIMPLE_HISTORY - set(KEPT_ANOTHER_WAY)

    assert not unknown, f"decide how these keep earlier values: {sorted(unknown)}"
    for label in WITH_SIMPLE_HISTORY:
        assert hasattr(apps.get_model(label), "history"), label


def test_it_keeps_the_previous_outcome_schedule_and_who_changed_it(
    clinician_client, clinician, patient
):
    schedule = outcome_schedule(patient, "psfs", interval_weeks=4)
    data = {
        f"{code}_{name}": value
        for code in ("psfs", "groc", "weekly_pain", "odi")
        for name, value in (("interval_weeks", "4"), ("starts_on", patient.enrolled_on))
    } | {"psfs_active": "on", "psfs_interval_weeks": "6"}

    response = clinician_client.post(
        reverse("tracker:patient_outcome_schedule", args=[patient.pk]), data
    )

    assert response.status_code == 302
    latest, previous = schedule.history.all()[:2]
    assert (previous.interval_weeks, latest.interval_weeks) == (4, 6)
    assert latest.history_user == clinician


def test_it_keeps_the_previous_version_of_an_edited_exercise(clinic, clinician):
    exercise = Exercise.objects.create(
        clinic=clinic, name="Dead bug", purpose="Core control", instructions="Lie on your back."
    )

    exercise_update(exercise=exercise, sets=3, purpose="Core control, slowly")

    previous = exercise.history.order_by("history_date")[0]
    assert (previous.sets, previous.purpose) == (2, "Core control")
    assert exercise.history.count() == 2


def test_it_keeps_the_patients_earlier_brace_and_exercise_answers(patient):
    today = patient.local_today()
    rehab_brace(patient, valid_from=today - dt.timedelta(days=3))
    brace_log_record(patient=patient, day=today, hours=Decimal("6"))

    brace_log_record(patient=patient, day=today, hours=Decimal("9.5"))

    log = BraceLog.objects.get(patient=patient, day=today)
    assert [h.hours for h in log.history.order_by("history_date")] == [Decimal(6), Decimal("9.5")]


def test_it_keeps_earlier_exercise_answers_saved_through_the_check_in(patient_client, patient):
    from tests.factories import checkin_post

    today = patient.local_today()
    version = rehab_programme(patient, valid_from=today - dt.timedelta(days=3))
    item = version.items.order_by("pk")[0]
    items = ",".join(str(i.pk) for i in version.items.order_by("pk"))
    answers = {"exercises-items": items}
    for other in version.items.all():
        answers[f"exercises-done_{other.pk}"] = "no"
    first = checkin_post(today) | answers | {f"exercises-done_{item.pk}": "yes"}
    second = first | {f"exercises-done_{item.pk}": "no"}

    for data in (first, second):
        assert patient_client.post(reverse("tracker:checkin"), data).status_code == 302

    log = ExerciseLog.objects.get(patient=patient, day=today, item=item)
    assert [h.done for h in log.history.order_by("history_date")] == [True, False]


@pytest.mark.parametrize(
    "make",
    [
        lambda p: ImagingStudyFactory(patient=p),
        lambda p: ClinicianNoteFactory(patient=p),
        lambda p: ClinicThresholds.objects.create(clinic=p.clinic),
    ],
    ids=["imaging", "note", "thresholds"],
)
def test_it_keeps_earlier_versions_of_records_edited_in_the_admin(patient, make):
    record = make(patient)

    record.save()

    assert record.history.count() == 2


# --- Audit of every clinician page of patient data ----------------------------------------------


def _patient_id_only_urls() -> list[str]:
    """Every named URL whose only argument is `patient_id`: clinician pages of one patient (not a
    guardian's pages under /family/, audited by their own tests)."""
    names = []

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                converters = set(pattern.pattern.converters)
                # A guardian's pages (/family/<patient_id>/...) are audited by their own test.
                guardian_page = str(pattern.pattern).startswith("family/")
                if (
                    converters == {"patient_id"}
                    and namespace in {"tracker", "rehab"}
                    and not guardian_page
                ):
                    names.append(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return sorted(names)


PATIENT_PAGES = _patient_id_only_urls()


def test_it_finds_the_clinician_pages_of_one_patient():
    assert {"tracker:patient_detail", "rehab:patient_rehab", "tracker:note_list"} <= set(
        PATIENT_PAGES
    )


@pytest.mark.parametrize("url_name", PATIENT_PAGES)
def test_it_records_every_clinician_page_of_one_patient(clinician_client, patient, url_name):
    url = reverse(url_name, args=[patient.pk])

    # Pages that only accept POST record the attempt the same way.
    response = clinician_client.get(url)
    if response.status_code == 405:
        response = clinician_client.post(url)

    assert response.status_code < 500
    assert AuditEvent.objects.filter(patient=patient).exists(), url_name


@pytest.mark.parametrize(
    ("url", "what"),
    [
        (lambda: reverse("rehab:adherence_overview"), "adherence overview"),
        (lambda: reverse("tracker:patient_list"), "dashboard"),
        (lambda: reverse("api:patient_list"), "api patient list"),
    ],
    ids=["adherence", "dashboard", "api-patient-list"],
)
def test_it_records_each_patient_shown_on_a_clinic_wide_list(
    clinician_client, patient, other_patient, url, what
):
    response = clinician_client.get(url())

    assert response.status_code == 200
    events = AuditEvent.objects.filter(action=AuditAction.VIEW, what=what)
    assert set(events.values_list("patient", flat=True)) == {patient.pk}


def test_it_records_a_visit_to_the_export_page(clinician_client, clinician):
    clinician_client.get(reverse("tracker:export"))

    event = AuditEvent.objects.get(what="export page")
    assert (event.user, event.patient, event.action) == (clinician, None, AuditAction.VIEW)


def test_it_keeps_note_text_and_tokens_out_of_the_trail(clinician_client, patient):
    secret = "Disclosed family stress; pain worse after vaulting"
    clinician_client.post(
        reverse("tracker:note_list", args=[patient.pk]),
        {"written_on": patient.local_today().isoformat(), "text": secret},
    )
    clinician_client.post(reverse("tracker:api_tokens"), {"name": "Research import"})
    raw = clinician_client.get(reverse("tracker:api_tokens")).context["new_token"]["raw"]

    rows = AuditEvent.objects.values_list("what", "path", "username")
    text = " ".join(" ".join(str(v) for v in row) for row in rows)
    assert AuditEvent.objects.filter(patient=patient, action=AuditAction.CHANGE).exists()
    assert "vaulting" not in text
    assert raw not in text
