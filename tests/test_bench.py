"""What the clinic-scale benchmark relies on (docs/benchmarks.md). Timings are never tested here:
only that the generator works and refuses to overwrite, that the bench-only hooks are off unless
asked for, and that the measured pages run a number of queries that does not grow with the data."""

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.management.commands.bench_data import Command as BenchData
from bench.management.commands.bench_sensor_import import Command as BenchSensorImport
from bench.middleware import HEADER, QueryCountMiddleware
from rehab import selectors as rehab_selectors
from rehab.models import BraceLog, ExerciseLog, MeasuredBraceDay
from tracker.models import CareTeamMembership, DiaryActivity, DiaryEntry, Patient, User

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_db(monkeypatch):
    """The command only fills databases named for the benchmark; the test database stands in."""
    monkeypatch.setattr(
        "bench.management.commands.bench_data.bench_database_name", lambda: "parstrack_bench"
    )


def _generate(patients: int, days: int, manifest: Path | None = None) -> None:
    args = [f"--patients={patients}", f"--days={days}"]
    if manifest:
        args.append(f"--manifest={manifest}")
    # The bench app is installed only by bench.settings: the command is called by its class.
    call_command(BenchData(), *args, stdout=io.StringIO())


def test_it_refuses_a_database_not_named_for_the_benchmark(monkeypatch):
    monkeypatch.setattr(
        "bench.management.commands.bench_data.bench_database_name",
        lambda: "/srv/parstrack/db.sqlite3",
    )

    with pytest.raises(CommandError, match="bench"):
        _generate(3, 10)

    assert not Patient.objects.exists()


def test_it_generates_a_tiny_clinic(bench_db, tmp_path):
    manifest = tmp_path / "m.json"

    _generate(3, 10, manifest)

    assert Patient.objects.count() == 3
    assert DiaryEntry.objects.count() == 30
    assert DiaryActivity.objects.count() >= 60
    assert ExerciseLog.objects.count() == 3 * 10 * 4
    assert BraceLog.objects.filter(patient__in=Patient.objects.all()).count() == 20
    written = json.loads(manifest.read_text())
    assert written["patients"] == 3 and len(written["checkin_patients"]) == 3
    assert len(written["checkin_patients"][0]["items"]) == 4


def test_it_adds_nothing_the_second_time(bench_db):
    _generate(3, 10)

    _generate(3, 10)

    assert Patient.objects.count() == 3
    assert DiaryEntry.objects.count() == 30


def test_it_refuses_to_overwrite_a_clinic_of_another_size(bench_db):
    _generate(3, 10)

    with pytest.raises(CommandError, match="not overwritten"):
        _generate(5, 10)

    assert Patient.objects.count() == 3


def test_it_makes_rows_the_app_can_read_and_write_after(bench_db, client):
    _generate(2, 10)
    patient = Patient.objects.order_by("pk").first()
    client.force_login(patient.user)

    response = client.get(reverse("tracker:diary_list"))
    created = DiaryEntry.objects.create(
        patient=Patient.objects.order_by("pk").last(),
        day=patient.enrolled_on - dt.timedelta(days=1),
        pain_now=1,
        pain_worst=1,
    )

    assert response.status_code == 200
    assert created.pk > DiaryEntry.objects.exclude(pk=created.pk).order_by("-pk").first().pk


def test_it_imports_a_sensor_file_for_the_first_patient_and_again_changes_nothing(
    bench_db, tmp_path
):
    _generate(2, 10)
    out = tmp_path / "sensor.json"

    call_command(BenchSensorImport(), "--days=5", f"--output={out}", stdout=io.StringIO())

    found = json.loads(out.read_text())
    assert found["samples"] == 5 * 24 * 6
    assert found["days"] >= 4 and found["again_unchanged"]
    assert MeasuredBraceDay.objects.count() == found["days"]


# -- bench-only hooks ----------------------------------------------------------------------------


def test_it_has_no_query_header_or_fixed_view_unless_enabled(client):
    response = client.get(reverse("login"))

    assert HEADER not in response
    assert client.get("/bench/fixed/").status_code == 404
    assert "bench.middleware.QueryCountMiddleware" not in settings.MIDDLEWARE


def test_it_counts_a_requests_queries_in_a_header():
    def view(request):
        list(User.objects.all())
        list(Patient.objects.all())
        return HttpResponse("ok")

    response = QueryCountMiddleware(view)(RequestFactory().get("/"))

    assert response[HEADER] == "2"


def _with_bench_settings(code: str, **env: str) -> subprocess.CompletedProcess:
    """`manage.py shell -c code` under bench.settings, as the runner starts everything."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={
            **clean,
            "PARSTRACK_ENV": "development",
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_turns_the_hooks_on_only_with_the_bench_settings():
    code = (
        "from django.conf import settings; from django.urls import resolve; "
        "print('bench.middleware.QueryCountMiddleware' in settings.MIDDLEWARE, "
        "resolve('/bench/fixed/').url_name)"
    )

    result = _with_bench_settings(code)

    assert result.stdout.splitlines()[-1] == "True bench_fixed", result.stderr


def test_production_settings_and_urls_name_nothing_of_the_benchmark():
    assert "bench" not in settings.INSTALLED_APPS
    assert not any("bench" in name for name in settings.MIDDLEWARE)
    assert settings.ROOT_URLCONF == "tracker.urls"
    for path in ("tracker/settings.py", "tracker/urls.py"):
        assert "bench" not in (ROOT / path).read_text().lower(), path


WRITE_CEILING = """
from django.core.management import call_command
from django.test import Client
from bench.models import BenchWrite
from tracker.models import AuditEvent, Patient, User
call_command("migrate", "-v0")
call_command("bench_data", "--patients=1", "--days=8", stdout=open("/dev/null", "w"))
patient = Patient.objects.get()
client = Client()
print("anonymous", client.post("/bench/write/").status_code)
client.force_login(User.objects.get(username="bench-clinician"))
print("clinician", client.post("/bench/write/").status_code)
client.force_login(patient.user)
print("get", client.get("/bench/write/").status_code)
before = AuditEvent.objects.count()
response = client.post("/bench/write/")
print("patient", response.status_code, response["X-Bench-Queries"])
row = BenchWrite.objects.get()
event = AuditEvent.objects.order_by("-pk").first()
print("rows", BenchWrite.objects.count(), AuditEvent.objects.count() - before)
print("audit", event.action, event.what == f"bench write {row.pk}", event.patient_id == patient.pk,
      event.username == patient.user.username, event.path)
"""


def test_it_writes_one_row_and_its_audit_event_for_a_signed_in_patient(tmp_path):
    result = _with_bench_settings(
        WRITE_CEILING, DATABASE_URL=f"sqlite:///{tmp_path / 'parstrack_bench.sqlite3'}"
    )

    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    assert lines.get("anonymous") == "302", result.stderr[-2000:]
    assert lines["clinician"] == "404"
    assert lines["get"] == "405"
    status, queries = lines["patient"].split()
    assert status == "201"
    assert lines["rows"] == "1 1"
    assert lines["audit"] == "create True True True /bench/write/"
    # Session, user, the patient record, the lock, the row, the audit row (and the transaction).
    assert int(queries) <= 10


# -- query counts that must not grow with patients or days ----------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_it_shows_the_dashboard_in_the_same_queries_for_1_or_6_patients(bench_db, client):
    _generate(6, 10)
    everyone = User.objects.get(username="bench-clinician")
    one = User.objects.create(
        username="bench-one", role="clinician", clinic=everyone.clinic, password="!"
    )
    CareTeamMembership.objects.create(patient=Patient.objects.first(), clinician=one)
    url = reverse("tracker:patient_list")
    client.force_login(one)
    _queries(client, url)  # the session's first-request writes are not the page's
    few = _queries(client, url)
    client.force_login(everyone)
    _queries(client, url)

    many = _queries(client, url)

    assert many == few


def test_it_shows_a_patient_page_in_the_same_queries_for_2_or_30_days(bench_db, client):
    _generate(2, 30)
    full, short = Patient.objects.order_by("pk")
    kept = list(DiaryEntry.objects.filter(patient=short).order_by("day")[:2])
    DiaryEntry.objects.filter(patient=short).exclude(pk__in=[e.pk for e in kept]).delete()
    ExerciseLog.objects.filter(patient=short).exclude(day__in=[e.day for e in kept]).delete()
    BraceLog.objects.filter(patient=short).exclude(day__in=[e.day for e in kept]).delete()
    client.force_login(User.objects.get(username="bench-clinician"))
    _queries(client, reverse("tracker:patient_detail", args=[short.pk]))
    few = _queries(client, reverse("tracker:patient_detail", args=[short.pk]))

    many = _queries(client, reverse("tracker:patient_detail", args=[full.pk]))

    assert many == few


def _edit_checkin(client, patient: Patient, n: int) -> int:
    """Queries for saving a changed check-in for yesterday, through the form as a patient does."""
    day = patient.local_today() - dt.timedelta(days=1)
    items = [i.pk for i in rehab_selectors.programme_items_on(patient, day)]
    fields = {
        "day": day.isoformat(),
        "pain_now": 3 + n % 2,
        "pain_worst": 6,
        "medicine": "none",
        "saddle_numbness": "no",
        "bladder_bowel": "no",
        "leg_weakness_worse": "no",
        "exercises-items": ",".join(map(str, items)),
        **{f"exercises-done_{i}": "yes" for i in items},
    }
    if rehab_selectors.brace_target_on(patient, day) is not None:
        fields["brace-hours"] = "20"
    client.force_login(patient.user)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("tracker:checkin"), fields)
    assert response.status_code == 302
    return len(captured)


def test_it_saves_a_check_in_in_the_same_queries_for_10_or_60_days(bench_db, client):
    _generate(3, 60)
    full, _, short = Patient.objects.order_by("pk")  # both wear a brace: the same sections
    DiaryEntry.objects.filter(patient=short).exclude(
        day__gte=short.local_today() - dt.timedelta(9)
    ).delete()
    _edit_checkin(client, short, 0)
    few = _edit_checkin(client, short, 1)
    _edit_checkin(client, full, 0)

    many = _edit_checkin(client, full, 1)

    assert many == few
    # 63 before the edit stopped re-checking the constraints one query each, 42 before the
    # exercise logs were written in bulk with their history and the sections shared their reads
    # (docs/checkin.md); the dashboard's stored assessment is marked once for the whole save.
    assert many <= 16


def test_it_checks_in_through_the_api_with_the_body_the_runner_sends(bench_db, client, tmp_path):
    from bench.checkin import checkin_body, checkin_values

    _generate(2, 10, tmp_path / "m.json")
    manifest = json.loads((tmp_path / "m.json").read_text())
    patient = manifest["checkin_patients"][0]
    client.force_login(User.objects.get(username=patient["username"]))
    day = manifest["editable_days"][1]
    body = checkin_body(checkin_values(day, 1, patient), patient)

    response = client.put(
        reverse("api:checkin_day", args=[day]), body, content_type="application/json"
    )

    assert response.status_code == 200, response.content
    assert [e["done"] for e in response.json()["exercises"]] == [True] * len(patient["items"])


def test_it_times_send_reminders_in_the_same_queries_for_5_or_25_patients_due():
    from bench.config import DbResult
    from bench.reminders import bench_reminders
    from bench.report import rows_for

    small, large = bench_reminders([5, 25])

    assert (small["patients"], small["sent"], large["patients"], large["sent"]) == (5, 5, 25, 25)
    assert small["queries"] == large["queries"]
    row = rows_for(DbResult(db="sqlite", reminders=[small, large]))
    assert row["send_reminders, 25 patients due"].endswith(f"{large['queries']} queries (25 sent)")
