"""Shared test helpers: the access rule as a user would meet it, form data, diary history,
and running manage.py in a clean environment. Test modules import from here (or conftest.py),
never from each other."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from django.test import Client
from django.utils import timezone

from tracker.models import DiaryActivity, DiaryEntry, Patient, WarningSignAlert
from tracker.services.stored_assessment import mark_assessments_stale

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
