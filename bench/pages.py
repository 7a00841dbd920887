"""The pages a clinician reads: the nightly refresh, the dashboard (cold and warm), one patient."""

import subprocess
import time

from bench.config import Config, DbResult, say
from bench.databases import manage
from bench.load import Client, measure_latency


def signed_in(port: int, username: str, password: str) -> Client:
    client = Client("127.0.0.1", port)
    client.log_in(username, password)
    return client


# A new day: every stored assessment is invalid (the run does this after the nightly refresh so
# the first dashboard request pays the full recomputation, as the first visit of a day without
# the nightly job would). A commit without stored assessments has nothing to invalidate.
NEW_DAY = (
    "import importlib, importlib.util as u\n"
    "for name in ('tracker.services.stored_assessment', 'tracker.services.assessments'):\n"
    "    if u.find_spec(name):\n"
    "        importlib.import_module(name).mark_all_assessments_stale()\n"
    "        break\n"
)


def nightly_refresh(env: dict[str, str], result: DbResult) -> None:
    """`manage.py refresh_assessments` as the nightly job runs it (production settings), timed;
    then a new day for the cold dashboard request. Skipped on commits without the command."""
    started = time.monotonic()
    try:
        manage(["refresh_assessments"], env)
    except subprocess.CalledProcessError:
        say("no refresh_assessments command on this commit: skipped")
        return
    result.refresh_s = time.monotonic() - started
    manage(["shell", "-c", NEW_DAY], env, quiet=True)


def run_pages(config: Config, port: int, manifest: dict, result: DbResult) -> None:
    clinician = signed_in(port, manifest["clinician"], manifest["password"])
    count = 30 if config.quick else 100
    # The first request of the day, before any warm-up: every stored assessment invalid.
    cold = clinician.request("GET", "/patients/")
    if cold.status == 200:
        queries = cold.headers.get("X-Bench-Queries")
        result.dashboard_cold = (cold.seconds * 1000, int(queries) if queries else None)
    # The dashboard is the clinician's patient list (docs/dashboard.md): same URL either way.
    result.dashboard = measure_latency(
        clinician, "/patients/", requests=count, warmup=5, max_seconds=90
    )
    middle = manifest["patient_ids"][len(manifest["patient_ids"]) // 2]
    result.patient = measure_latency(
        clinician, f"/patients/{middle}/", requests=count, warmup=5, max_seconds=60
    )
    # The trends page of the dashboard branch, when it exists on this commit.
    if clinician.request("GET", f"/patients/{middle}/trends/").status == 200:
        result.patient_note = "trends"
        result.patient = measure_latency(
            clinician, f"/patients/{middle}/trends/", requests=count, warmup=3, max_seconds=60
        )
        # Beside the default (last 12 weeks): the whole year, one tap away on the page.
        year = f"/patients/{middle}/trends/?span=all"
        if clinician.request("GET", year).status == 200:
            result.patient_year = measure_latency(
                clinician, year, requests=count // 2, warmup=2, max_seconds=60
            )
    clinician.close()
