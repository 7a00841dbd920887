"""Shared test helpers: the access rule as a user would meet it, form data, diary history,
and running manage.py in a clean environment. Test modules import from here (or conftest.py),
never from each other."""

import datetime as dt
import email
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import http_ece
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.db.models import F
from django.test import Client
from django.utils import timezone

from rehab.models import BraceLog
from tracker.models import (
    DiaryActivity,
    DiaryEntry,
    Patient,
    PushSubscription,
    QuestionnaireResponse,
    WarningSignAlert,
)
from tracker.services.stored_assessment import mark_assessments_stale
from tracker.utils.vapid import b64url, b64url_decode

ROOT = Path(__file__).resolve().parent.parent
# A production-strength SECRET_KEY for settings checks (long, varied, not Django's insecure prefix).
STRONG_KEY = "k" * 10 + "8f3Jd9s0aQ1zXv7bN2mL5pR4tY6uW3eC1iO9oP8gH7fD6sA5"


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """`manage.py ARGS` in a subprocess with ENV on top of a clean copy of this environment."""
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE; each test names its own profile.
    unsafe = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "PARSTRACK_ENV"}
    clean = {k: v for k, v in os.environ.items() if k not in unsafe}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_login_redirect(client: Client, url: str, method: str = "get") -> None:
    client.logout()
    response = getattr(client, method)(url)
    assert response.status_code == 302, f"{method.upper()} {url} gave {response.status_code}"
    assert response["Location"].startswith("/accounts/login/"), response["Location"]


def assert_not_found_for(client: Client, users, url: str, method: str = "get") -> None:
    """Each of these users gets 404, as if the record did not exist."""
    for user in users:
        client.force_login(user)
        response = getattr(client, method)(url)
        assert response.status_code == 404, (
            f"{user.username} got {response.status_code} for {method.upper()} {url}"
        )
    client.logout()


def patient_form_data(patient) -> dict:
    """A valid submission of the patient form for this patient, as it stands."""
    return {
        "first_name": patient.user.first_name,
        "last_name": patient.user.last_name,
        "email": patient.user.email,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "hospital_number": patient.hospital_number,
        "sport": patient.sport,
        "conservative_care_started": patient.conservative_care_started.isoformat(),
        "slip_grade": str(patient.slip_grade or ""),
        "diagnosis_notes": patient.diagnosis_notes,
        "treating_clinician": str(patient.treating_clinician_id),
        "care_team": [str(pk) for pk in patient.care_team.values_list("pk", flat=True)],
        "time_zone": patient.time_zone,
    }


def new_patient_form(clinician, **overrides) -> dict:
    """A valid submission of the add-patient form, treated by this clinician."""
    data = {
        "first_name": "Ella",
        "last_name": "Brooks",
        "email": "ella@example.org",
        "date_of_birth": "2011-01-23",
        "sport": "Ballet",
        "conservative_care_started": (timezone.localdate() - dt.timedelta(days=10)).isoformat(),
        "spondylolisthesis": "on",
        "slip_grade": "1",
        "diagnosis_notes": "CT: bilateral L5 pars defects, sclerotic margins.",
        "treating_clinician": str(clinician.pk),
        "time_zone": "",
    }
    data.update(overrides)
    return data


def history(patient: Patient, days: int, *, pain=lambda n: 6, end: dt.date | None = None):
    """A check-in on each of the `days` days up to `end` (default: yesterday), bulk-created."""
    end = end or patient.local_today() - dt.timedelta(days=1)
    entries = DiaryEntry.objects.bulk_create(
        DiaryEntry(
            patient=patient,
            day=end - dt.timedelta(days=days - 1 - n),
            pain_now=pain(n),
            pain_worst=min(pain(n) + 2, 10),
        )
        for n in range(days)
    )
    DiaryActivity.objects.bulk_create(
        DiaryActivity(entry=e, activity="running", pain=e.pain_now) for e in entries
    )
    mark_assessments_stale([patient.pk])  # bulk_create sends no signals
    return entries


def open_alert(patient: Patient, day: dt.date | None = None) -> WarningSignAlert:
    return WarningSignAlert.objects.create(
        patient=patient, day=day or patient.local_today(), bladder_bowel=True
    )


# --- A year of conservative care (the referral letter) -----------------------------------

ODI_SECTIONS = (
    "pain_intensity",
    "personal_care",
    "lifting",
    "walking",
    "sitting",
    "standing",
    "sleeping",
    "sex_life",
    "social_life",
    "travelling",
)
# Words meant for the care team or for developers, never for a surgeon reading the letter.
REFERRAL_INTERNAL_WORDS = (
    "check they did",
    "acknowledge",
    "docs/",
    ".md",
    "grade Grade",
    "Outranked",
)


def a_year_of_care(patient, clinician):
    """A patient a year into conservative care with everything a year brings: daily check-ins,
    two braces, programme changes, questionnaires every six weeks, imaging, notes, red flags."""
    from tests.factories import (
        ClinicianNoteFactory,
        ImagingStudyFactory,
        outcome_schedule,
        rehab_brace,
        rehab_programme,
        submitted_response,
    )

    today = patient.local_today()
    started = today - dt.timedelta(days=365)
    patient.conservative_care_started = patient.enrolled_on = started
    patient.spondylolisthesis, patient.slip_grade = True, 2
    patient.hospital_number = "9434765919"
    patient.save()
    history(patient, 365, pain=lambda n: 7 if n < 90 else 6)
    # The brace worn about 20 hours a day, logged every day.
    BraceLog.objects.bulk_create(
        BraceLog(patient=patient, day=started + dt.timedelta(days=n), hours=Decimal("20"))
        for n in range(365)
    )
    rehab_brace(patient, valid_from=started)
    rehab_brace(patient, valid_from=started + dt.timedelta(days=120), kind="soft", hours="12")
    for weeks in (0, 6, 12, 20, 30, 40):
        rehab_programme(patient, valid_from=started + dt.timedelta(weeks=weeks))
    outcome_schedule(patient, "psfs")
    outcome_schedule(patient, "odi")
    for n in range(9):
        due = started + dt.timedelta(weeks=6 * n)
        submitted_response(
            patient,
            "psfs",
            due_on=due,
            answers={"1": 3, "2": 4, "3": 4 + n % 2},
            activities=["Bowling", "Sitting in class", "Running"],
        )
        submitted_response(
            patient, "odi", due_on=due, answers={k: 3 - n // 4 for k in ODI_SECTIONS}
        )
    # Answered on the day each was due, not all today.
    QuestionnaireResponse.objects.filter(patient=patient).update(submitted_on=F("due_on"))
    for weeks, percent in ((1, 28), (26, 32), (50, 33)):
        ImagingStudyFactory(
            patient=patient,
            taken_on=started + dt.timedelta(weeks=weeks),
            slip_percent=percent,
            slip_grade=2,
        )
    for weeks in (4, 16, 30):
        ClinicianNoteFactory(
            patient=patient, author=clinician, written_on=started + dt.timedelta(weeks=weeks)
        )
    for days_ago in (200, 100):
        alert = open_alert(patient, today - dt.timedelta(days=days_ago))
        WarningSignAlert.objects.filter(pk=alert.pk).update(
            acknowledged_by=clinician, acknowledged_at=timezone.now()
        )
    open_alert(patient, today - dt.timedelta(days=2))


def thin_pain_history(patient: Patient, recent: int = 2, *, pain=lambda n: 4):
    """Demo Ella's shape (issue 18): four weeks of daily check-ins that ended 8 days ago, then
    only `recent` check-ins in the last 7 days, too few (4 needed) to compare pain."""
    yesterday = patient.local_today() - dt.timedelta(days=1)
    history(patient, 28, pain=pain, end=yesterday - dt.timedelta(days=7))
    if recent:
        history(patient, recent, pain=pain, end=yesterday)


def reminders_on(patient: Patient, **fields):
    """Email reminders on: 19:00 in their zone, a follow-up 2 h later, quiet 22:00-07:00."""
    from tracker.models import ReminderPreference

    preference, _ = ReminderPreference.objects.update_or_create(
        patient=patient, defaults={"enabled": True, **fields}
    )
    return preference


def at_utc(text: str) -> dt.datetime:
    """An aware UTC moment from "2026-10-25 19:00"."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def file_backend_recipients(folder: Path) -> list[str]:
    """The To: address of every message the file-based email backend wrote in this folder."""
    addresses = []
    for path in Path(folder).iterdir():
        chunks = [c for c in path.read_text().split("-" * 79) if c.strip()]
        addresses += [email.message_from_string(c.strip()).get("To") for c in chunks]
    return addresses


def in_threads_at_once(task, runners: int = 4) -> list:
    """Run `task()` in `runners` threads released together; their results (errors re-raised)."""
    from django.db import connection

    barrier = threading.Barrier(runners)
    results, errors = [], []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            results.append(task())
        except BaseException as error:  # re-raised in the test thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def send_reminders_in_two_processes(at: str, mail_folder: Path) -> None:
    """`send_reminders --at AT` in two processes at the same instant, on this test's PostgreSQL
    database, emails written to files in `mail_folder`; both must succeed."""
    from django.db import connection

    db = connection.settings_dict
    env = {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_folder),
    }
    # Both processes start Django first, then run at the same instant, so each reads what is
    # due before either has claimed anything.
    start = time.time() + 8
    code = (
        "import time; from django.core.management import call_command; "
        f"time.sleep(max(0, {start} - time.time())); "
        f"call_command('send_reminders', '--at', {at!r})"
    )
    results = []
    threads = [
        threading.Thread(
            target=lambda: results.append(run_manage("shell", "--no-imports", "-c", code, **env))
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=150)
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]


def alerts_with_teams(count: int, *, label: str, raised: str, **clinic) -> list[str]:
    """`count` patients of a new clinic, each with an open warning sign raised at `raised` (UTC)
    and a care team of the same two clinicians; the team's addresses, once per alert."""
    from tests.factories import ClinicFactory, ClinicianFactory, PatientFactory, UserFactory
    from tracker.models import CareTeamMembership

    home = ClinicFactory(name=f"{label} clinic", **clinic)
    team = [ClinicianFactory(username=f"{label}.dr{n}", clinic=home) for n in range(2)]
    for n in range(count):
        patient = PatientFactory(
            user=UserFactory(username=f"{label}.p{n}"), clinic=home, treating_clinician=team[0]
        )
        CareTeamMembership.objects.create(patient=patient, clinician=team[1])
        open_alert(patient)
    WarningSignAlert.objects.filter(patient__clinic=home).update(created_at=at_utc(raised))
    return [c.email for c in team] * count


def signed_in_clinic_admin(client: Client, clinic, *codenames: str) -> Client:
    """The client signed in as a clinic administrator of `clinic` (staff, not a superuser) with
    these model permissions."""
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory
    from tracker.models import Role

    admin_user = UserFactory(username="clinic.admin", role=Role.CLINIC_ADMIN, clinic=clinic)
    admin_user.is_staff = True
    admin_user.save()
    admin_user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client.force_login(admin_user)
    return client


def needs_concurrent_writers():
    """A module mark: skip on SQLite, whose test database is in memory (one connection only:
    other threads cannot write it, other processes cannot see it), so a race cannot be staged."""
    import pytest
    from django.db import connection

    return pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="needs concurrent writers: the SQLite test database is in memory, one connection "
        "only; run with DATABASE_URL=postgres://",
    )


# A stub web push service on loopback, as the push services of browsers are (RFC 8030): it
# decrypts each push with the browser's keys (RFC 8291) and checks the VAPID signature
# (RFC 8292), and answers by the endpoint's path: /ok/... 201, /gone/... 410, /unknown/... 404,
# /broken/... 500. tests/conftest.py's `push_service` fixture starts one.
@dataclass
class BrowserKeys:
    """A browser's side of a push subscription: its P-256 key pair and auth secret."""

    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @classmethod
    def new(cls) -> "BrowserKeys":
        return cls(ec.generate_private_key(ec.SECP256R1()), os.urandom(16))

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            Encoding.X962, PublicFormat.UncompressedPoint
        )
        return b64url(point)

    @property
    def auth_b64(self) -> str:
        return b64url(self.auth)


@dataclass
class ReceivedPush:
    path: str
    status: int
    headers: dict
    body: bytes


PUSH_ANSWERS = {"ok": 201, "gone": 410, "unknown": 404, "broken": 500}


class StubPushService:
    def __init__(self) -> None:
        self.received: list[ReceivedPush] = []
        self.keys: dict[str, BrowserKeys] = {}
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the standard library's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = PUSH_ANSWERS.get(self.path.strip("/").split("/")[0], 400)
                headers = {k.lower(): v for k, v in self.headers.items()}
                service.received.append(ReceivedPush(self.path, status, headers, body))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def subscribe(self, user, answer: str = "ok") -> PushSubscription:
        """A subscription for `user` at an endpoint this stub answers `answer` for."""
        keys = BrowserKeys.new()
        endpoint = f"{self.origin}/{answer}/{uuid.uuid4().hex}"
        self.keys[endpoint] = keys
        return PushSubscription.objects.create(
            user=user, endpoint=endpoint, p256dh=keys.p256dh, auth=keys.auth_b64
        )

    def payload(self, push: ReceivedPush) -> dict:
        """The push's payload, decrypted with the browser's private key and auth secret."""
        keys = self.keys[f"{self.origin}{push.path}"]
        plain = http_ece.decrypt(
            push.body, private_key=keys.private_key, auth_secret=keys.auth, version="aes128gcm"
        )
        return json.loads(plain)

    def vapid_claims(self, push: ReceivedPush, public_key: str) -> dict:
        """The VAPID JWT's claims, once its signature is checked against `public_key`."""
        scheme, _, params = push.headers["authorization"].partition(" ")
        assert scheme == "vapid"
        fields = dict(part.strip().split("=", 1) for part in params.split(","))
        assert fields["k"] == public_key
        signed, _, signature = fields["t"].rpartition(".")
        raw = b64url_decode(signature)
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        server = b64url_decode(public_key)
        point = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), server)
        point.verify(der, signed.encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
        return json.loads(b64url_decode(signed.split(".")[1]))


def clinic_admin_form(clinic, **fields) -> dict:
    """The clinic's settings page in the admin as posted: every field as stored, then `fields`."""
    stored = {
        "name": clinic.name,
        "time_zone": clinic.time_zone,
        "emergency_number": clinic.emergency_number,
        "urgent_advice_number": clinic.urgent_advice_number,
        "alert_escalation_hours": clinic.alert_escalation_hours,
        "escalation_email": clinic.escalation_email,
        "address": clinic.address,
        "phone": clinic.phone,
        "guardian_assent_age": clinic.guardian_assent_age,
    }
    return {**stored, **fields}
