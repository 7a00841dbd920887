"""`make bench`: build the synthetic clinic in a dedicated database, serve it with gunicorn on
loopback with production settings, measure the scenarios over real HTTP and write the table.

    python -m tracker.bench            500 patients x 365 days (writes docs/benchmarks.md)
    QUICK=1 python -m tracker.bench    50 patients (printed; into the docs with BENCH_WRITE_DOCS=1)

Environment: BENCH_PATIENTS, BENCH_DAYS, BENCH_DBS (sqlite,postgresql), BENCH_PG_URL (server
for parstrack_bench), BENCH_PG_DB (another bench database), BENCH_WORKERS, BENCH_THREADS,
BENCH_SECONDS (per throughput scenario).
"""

import contextlib
import csv
import datetime as dt
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.bench.load import (
    BenchError,
    Client,
    Latency,
    Reply,
    Throughput,
    measure_latency,
    measure_throughput,
)

ROOT = Path(__file__).resolve().parent.parent.parent
PYTHON = sys.executable
# BENCH_PG_DB names another bench database (one per work tree when several run at once); it
# must still contain "bench" (bench_data refuses any other database).
BENCH_DB = os.environ.get("BENCH_PG_DB") or "parstrack_bench"
# Export datasets of daily activity rows, by the slugs the export area may give them.
ACTIVITY_DATASETS = (
    "activity_pain",
    "diary_activities",
    "daily_activities",
    "activities",
    "diary_activity",
)
RESULTS_START = "<!-- bench:results -->"
RESULTS_END = "<!-- /bench:results -->"


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


@dataclass
class Config:
    quick: bool
    patients: int
    days: int
    dbs: list[str]
    pg_url: str
    workers: int
    threads: int
    seconds: float
    work: Path

    @classmethod
    def from_env(cls) -> "Config":
        quick = os.environ.get("QUICK", "") not in {"", "0"}
        work = Path(tempfile.gettempdir()) / f"parstrack-bench-{os.getuid()}"
        work.mkdir(exist_ok=True)
        return cls(
            quick=quick,
            patients=env_int("BENCH_PATIENTS", 50 if quick else 500),
            days=env_int("BENCH_DAYS", 365),
            dbs=(os.environ.get("BENCH_DBS") or "sqlite,postgresql").split(","),
            pg_url=os.environ.get("BENCH_PG_URL") or "postgres://postgres@127.0.0.1:5432",
            workers=env_int("BENCH_WORKERS", 2),
            threads=env_int("BENCH_THREADS", 4),
            seconds=float(os.environ.get("BENCH_SECONDS") or (2 if quick else 10)),
            work=work,
        )


@dataclass
class DbResult:
    db: str
    version: str = ""
    generate_s: float = 0.0
    rows: int = 0
    dashboard: Latency | None = None
    dashboard_note: str = ""
    refresh_s: float | None = None  # the nightly refresh_assessments, every patient
    dashboard_cold: tuple[float, int | None] | None = None  # first request of the day: ms, queries
    patient: Latency | None = None
    patient_note: str = ""
    patient_year: Latency | None = None  # the same page over the whole year (?span=all)
    checkin: dict[int, Throughput] = field(default_factory=dict)
    checkin_note: str = ""
    fixed: dict[int, Throughput] = field(default_factory=dict)
    export: dict[str, Any] | None = None
    export_note: str = ""
    ceiling: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)


def say(line: str) -> None:
    print(line, flush=True)


# -- databases -------------------------------------------------------------------------------


def pg_reachable(url: str) -> str | None:
    """The server's version, or None when no PostgreSQL answers."""
    try:
        import psycopg

        with psycopg.connect(f"{url}/postgres", connect_timeout=3) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except Exception:  # noqa: BLE001 - any failure means "not reachable": skip PostgreSQL
        return None


def fresh_database(config: Config, db: str) -> str:
    """A new, empty bench database; returns its DATABASE_URL."""
    if db == "sqlite":
        path = config.work / f"{BENCH_DB}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    with psycopg.connect(f"{config.pg_url}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return f"{config.pg_url}/{BENCH_DB}"


def manage(args: list[str], env: dict[str, str], *, quiet: bool = False) -> None:
    subprocess.run(  # noqa: S603 - our own manage.py with a fixed argument list
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def base_env(database_url: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "PARSTRACK_ENV", "DATABASE_REPLICA_URL"}
    }
    env["DATABASE_URL"] = database_url
    return env


def production_env(database_url: str) -> dict[str, str]:
    """Production's profile. The only addition is PARSTRACK_BENCH (query header, fixed URL)."""
    env = base_env(database_url)
    env.update(
        PARSTRACK_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        PARSTRACK_BENCH="1",
    )
    return env


# -- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(config: Config, env: dict[str, str]) -> Iterator[tuple[int, int]]:
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            PYTHON,
            "-m",
            "gunicorn",
            "tracker.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--worker-class",
            "gthread",
            "--workers",
            str(config.workers),
            "--threads",
            str(config.threads),
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                client = Client("127.0.0.1", port)
                if client.request("GET", "/bench/fixed/").status == 200:
                    client.close()
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise BenchError("gunicorn did not start")
            time.sleep(0.2)
        yield port, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def worker_pids(master: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == master:
                    pids.append(int(entry.name))
    return pids


def rss_mb(pid: int) -> float:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class RssSampler:
    """Peak resident memory of each gunicorn worker, sampled from /proc every 20 ms."""

    def __init__(self, master: int) -> None:
        self.pids = worker_pids(master)
        self.before = {pid: rss_mb(pid) for pid in self.pids}
        self.peak = dict(self.before)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in self.pids:
                self.peak[pid] = max(self.peak[pid], rss_mb(pid))
            time.sleep(0.02)

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def busiest(self) -> tuple[float, float]:
        """(RSS before, peak RSS) of the worker that grew most."""
        pid = max(self.pids, key=lambda p: self.peak[p] - self.before[p])
        return self.before[pid], self.peak[pid]


# -- scenarios -------------------------------------------------------------------------------


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


def checkin_values(day: str, n: int, patient: dict) -> dict[str, Any]:
    """The n-th check-in of a client: alternating values, so every request is a real change."""
    low = 3 + (n // 7) % 2
    return {"day": day, "pain_now": low, "pain_worst": low + 2, "walking": low + 1}


def checkin_sections(patient: dict) -> dict[str, dict[str, Any]]:
    """The rehab sections a real client sends for a patient with a programme or a brace (the API
    requires every section shown that day; `GET /api/me/programme/` lists them)."""
    sections: dict[str, dict[str, Any]] = {}
    if patient["items"]:
        exercises: dict[str, Any] = {"items": ",".join(map(str, patient["items"]))}
        for item in patient["items"]:
            exercises[f"done_{item}"] = "yes"
            exercises[f"sets_{item}"] = 2
        sections["exercises"] = exercises
    if patient["brace"]:
        sections["brace"] = {"hours": 20}
    return sections


def checkin_body(values: dict, patient: dict) -> dict[str, Any]:
    """The JSON body of `PUT /api/me/checkins/{day}/` (tracker/api/checkin.py)."""
    return {
        "pain_now": values["pain_now"],
        "pain_worst": values["pain_worst"],
        "activities": {"walking": values["walking"]},
        "medicine": "none",
        "medicine_doses": 0,
        "saddle_numbness": False,
        "bladder_bowel": False,
        "leg_weakness_worse": False,
        "sections": checkin_sections(patient),
    }


def api_checkin(client: Client, day: str, values: dict, patient: dict) -> Reply:
    return client.request(
        "PUT",
        f"/api/me/checkins/{day}/",
        body=json.dumps(checkin_body(values, patient)).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )


def form_checkin(client: Client, day: str, values: dict, patient: dict) -> Reply:
    fields: list[tuple[str, Any]] = [
        ("day", day),
        ("pain_now", values["pain_now"]),
        ("pain_worst", values["pain_worst"]),
        ("activities", "walking"),
        ("pain_walking", values["walking"]),
        ("medicine", "none"),
        ("saddle_numbness", "no"),
        ("bladder_bowel", "no"),
        ("leg_weakness_worse", "no"),
    ]
    if patient["items"]:
        fields.append(("exercises-items", ",".join(map(str, patient["items"]))))
        for item in patient["items"]:
            fields += [(f"exercises-done_{item}", "yes"), (f"exercises-sets_{item}", 2)]
    if patient["brace"]:
        fields.append(("brace-hours", 20))
    return client.form_post("/checkin/", fields)


def run_checkin(config: Config, port: int, manifest: dict, result: DbResult) -> None:
    patients = manifest["checkin_patients"]
    days = manifest["editable_days"]
    probe = signed_in(port, patients[0]["username"], manifest["password"])
    reply = api_checkin(probe, days[0], checkin_values(days[0], 0, patients[0]), patients[0])
    probe.close()
    # Only a commit without the API falls back to the form; an API that refuses the runner's
    # body is the runner's bug, and must not be hidden behind a different measurement.
    via_api = reply.status in {200, 201}
    if not via_api and reply.status not in {404, 405}:
        raise BenchError(f"PUT /api/me/checkins/ answered {reply.status}: {reply.body[:300]!r}")
    result.checkin_note = "PUT /api/me/checkins/{day}/" if via_api else "POST /checkin/ (form)"

    def step(client: Client, index: int, n: int) -> tuple[Reply, bool]:
        patient = patients[index]
        day = days[n % len(days)]
        values = checkin_values(day, n + 1, patient)
        if via_api:
            reply = api_checkin(client, day, values, patient)
            return reply, reply.status in {200, 201}
        reply = form_checkin(client, day, values, patient)
        return reply, reply.status == 302 and "/checkin/saved/" in reply.headers.get("Location", "")

    for connections in (4, 16):
        clients = [
            signed_in(port, p["username"], manifest["password"]) for p in patients[:connections]
        ]
        result.checkin[connections] = measure_throughput(
            clients, step, seconds=config.seconds, max_requests=20_000
        )
        for client in clients:
            client.close()

    def fixed(client: Client, index: int, n: int) -> tuple[Reply, bool]:
        reply = client.request("GET", "/bench/fixed/")
        return reply, reply.status == 200

    for connections in (4, 16):
        clients = [Client("127.0.0.1", port) for _ in range(connections)]
        result.fixed[connections] = measure_throughput(
            clients, fixed, seconds=config.seconds, max_requests=100_000
        )
        for client in clients:
            client.close()


class RowCounter:
    def __init__(self) -> None:
        self.bytes = 0
        self.lines = 0

    def __call__(self, chunk: bytes) -> None:
        self.bytes += len(chunk)
        self.lines += chunk.count(b"\n")


def run_export(config: Config, port: int, master: int, manifest: dict, result: DbResult) -> None:
    clinician = signed_in(port, manifest["clinician"], manifest["password"])
    slug = os.environ.get("BENCH_EXPORT_DATASET") or next(
        (
            s
            for s in ACTIVITY_DATASETS
            if clinician.request("GET", f"/api/exports/{s}/?date_from=2999-01-01").status == 200
        ),
        None,
    )
    if slug is None:
        result.export_note = "no daily-activity export dataset on this commit"
        clinician.close()
        return
    runs = {}
    # Half the days, then all of them: the peak must not grow with the rows.
    half = dt.date.fromisoformat(manifest["today"]) - dt.timedelta(days=config.days // 2)
    for label, query in (("half", f"?date_from={half}"), ("all", "")):
        sink = RowCounter()
        with RssSampler(master) as sampler:
            reply = clinician.request("GET", f"/api/exports/{slug}/{query}", sink=sink)
        if reply.status != 200:
            result.export_note = f"export answered {reply.status}"
            return
        before, peak = sampler.busiest()
        runs[label] = {
            "rows": sink.lines - 1,
            "seconds": reply.seconds,
            "mb": sink.bytes / 1e6,
            "rss_before": before,
            "rss_peak": peak,
        }
    result.export = {"dataset": slug, **runs["all"], "half": runs["half"]}
    clinician.close()


CEILING_SQL = (
    "SELECT e.patient_id, e.day, a.activity, a.pain FROM tracker_diaryactivity a "
    "JOIN tracker_diaryentry e ON e.id = a.entry_id ORDER BY e.patient_id, e.day, a.id"
)


def run_ceiling(database_url: str, result: DbResult) -> None:
    """The same rows written by a plain script: the database's cursor into csv, or COPY."""
    sink = RowCounter()
    started = time.perf_counter()
    if database_url.startswith("sqlite"):
        conn = sqlite3.connect(database_url.removeprefix("sqlite:///"))

        class Out:
            def write(self, text: str) -> None:
                sink(text.encode())

        writer = csv.writer(Out(), lineterminator="\r\n")
        writer.writerow(["patient_id", "day", "activity", "pain"])
        cursor = conn.execute(CEILING_SQL)
        while rows := cursor.fetchmany(5000):
            writer.writerows(rows)
        conn.close()
    else:
        import psycopg

        with psycopg.connect(database_url) as conn, conn.cursor() as cur:
            with cur.copy(f"COPY ({CEILING_SQL}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
                for chunk in copy:
                    sink(bytes(chunk))
    seconds = time.perf_counter() - started
    result.ceiling = {"rows": sink.lines - 1, "seconds": seconds}


# -- one database ----------------------------------------------------------------------------


def bench_database(config: Config, db: str) -> DbResult:
    result = DbResult(db=db)
    if db == "postgresql":
        version = pg_reachable(config.pg_url)
        if version is None:
            say("PostgreSQL is not reachable: skipped.")
            result.notes.append("not reachable")
            return result
        result.version = f"PostgreSQL {version}"
    else:
        result.version = f"SQLite {sqlite3.sqlite_version}"
    say(f"\n== {result.version}: {config.patients} patients x {config.days} days ==")
    url = fresh_database(config, db)
    env = base_env(url)
    manage(["migrate", "--noinput", "-v0"], env)
    manifest_path = config.work / f"manifest-{db}.json"
    started = time.monotonic()
    manage(
        [
            "bench_data",
            f"--patients={config.patients}",
            f"--days={config.days}",
            f"--manifest={manifest_path}",
        ],
        env,
    )
    result.generate_s = time.monotonic() - started
    manifest = json.loads(manifest_path.read_text())
    say(f"generated in {result.generate_s:.1f} s")
    say("nightly refresh of the stored assessments ...")
    nightly_refresh(production_env(url), result)

    with gunicorn(config, production_env(url)) as (port, master):
        say("dashboard and patient page ...")
        run_pages(config, port, manifest, result)
        say("check-in and the fixed view ...")
        run_checkin(config, port, manifest, result)
        say("CSV export ...")
        run_export(config, port, master, manifest, result)
    say("plain-script ceiling ...")
    run_ceiling(url, result)
    return result


# -- the report ------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    mem = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    git = shutil.which("git") or "git"
    commit = subprocess.run(  # noqa: S603 - fixed arguments
        [git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    dirty = subprocess.run(  # noqa: S603 - fixed arguments
        [git, "status", "--porcelain"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cores": str(os.cpu_count()),
        "cpu": cpu,
        "memory": mem,
        "commit": commit + (" (uncommitted changes)" if dirty else ""),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
    }


def _ms(value: float) -> str:
    return f"{value:.0f} ms" if value == value else "-"


def _mark(ok: bool) -> str:
    return "✅" if ok else "❌"


def rows_for(r: DbResult) -> dict[str, str]:
    """One column of the table (a database), keyed by the row's label."""
    out: dict[str, str] = {}
    if r.notes:
        return {"Database": f"{r.db}: {'; '.join(r.notes)}"}
    out["Database"] = r.version
    out["Generate the clinic"] = f"{r.generate_s:.0f} s"
    if r.dashboard:
        d = r.dashboard
        out["Dashboard p50 / p95"] = f"{_ms(d.p50_ms)} / {_ms(d.p95_ms)} {_mark(d.p95_ms <= 150)}"
        out["Dashboard queries"] = f"{d.queries}" + (f" ({d.errors} errors)" if d.errors else "")
    if r.dashboard_cold:
        ms, queries = r.dashboard_cold
        out["Dashboard, first request of the day (cold)"] = (
            f"{_ms(ms)}, {queries} queries" if queries is not None else _ms(ms)
        )
    if r.refresh_s is not None:
        out["Nightly refresh_assessments (all patients)"] = f"{r.refresh_s:.1f} s"
    if r.patient:
        p = r.patient
        out["Patient page p50 / p95"] = f"{_ms(p.p50_ms)} / {_ms(p.p95_ms)} {_mark(p.p95_ms <= 50)}"
        out["Patient page queries"] = f"{p.queries}" + (f" ({p.errors} errors)" if p.errors else "")
    if r.patient_year:
        y = r.patient_year
        out["Patient page, whole year (?span=all) p50 / p95"] = (
            f"{_ms(y.p50_ms)} / {_ms(y.p95_ms)}, {y.queries} queries"
        )
    for c, t in sorted(r.checkin.items()):
        fixed = r.fixed.get(c)
        ratio = t.per_second / fixed.per_second if fixed and fixed.per_second else 0
        target = ""
        if c == 4:
            ok = t.per_second >= 200 and t.p95_ms <= 30 and not t.errors and ratio >= 0.4
            target = " " + _mark(ok)
        out[f"Check-in, {c} connections: req/s, p95, errors"] = (
            f"{t.per_second:.0f}/s, {_ms(t.p95_ms)}, {t.errors}{target}"
        )
        if fixed:
            out[f"Fixed view, {c} connections: req/s (check-in ratio)"] = (
                f"{fixed.per_second:.0f}/s ({ratio:.0%})"
            )
    if r.checkin:
        out["Check-in queries per request"] = str(r.checkin[4].queries)
    if r.export:
        e = r.export
        rate = e["rows"] / e["seconds"]
        out["CSV export: rows, rows/s"] = f"{e['rows']:,}, {rate:,.0f}/s"
        grown = e["rss_peak"] - e["rss_before"]
        half = e["half"]
        out["CSV export: worker peak RSS (half the rows)"] = (
            f"{e['rss_peak']:.0f} MB, +{grown:.0f} MB "
            f"({half['rss_peak']:.0f} MB, +{half['rss_peak'] - half['rss_before']:.0f} MB) "
            f"{_mark(e['rss_peak'] < 200)}"
        )
    else:
        out["CSV export: rows, rows/s"] = r.export_note or "-"
    if r.ceiling:
        c = r.ceiling
        crate = c["rows"] / c["seconds"]
        out["Plain-script ceiling: rows/s"] = f"{crate:,.0f}/s ({c['rows']:,} rows)"
        if r.export:
            ratio = (r.export["rows"] / r.export["seconds"]) / crate
            out["Export / ceiling"] = f"{ratio:.0%} {_mark(ratio >= 0.5)}"
    return out


def table(results: list[DbResult], config: Config, info: dict[str, str]) -> str:
    columns = [rows_for(r) for r in results]
    labels: list[str] = []
    for column in columns:
        labels += [label for label in column if label not in labels]
    lines = [
        f"Run: {config.patients} patients x {config.days} days; gunicorn gthread, "
        f"{config.workers} workers x {config.threads} threads; {info['cores']} cores "
        f"({info['cpu']}), {info['memory']}; commit {info['commit']}; {info['date']}; "
        f"Python {info['python']}.",
        "",
        "| | " + " | ".join(c.get("Database", "") for c in columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for label in labels[1:]:
        lines.append(f"| {label} | " + " | ".join(c.get(label, "-") for c in columns) + " |")
    notes = []
    for r in results:
        if r.checkin_note:
            notes.append(f"{r.db}: check-in measured through {r.checkin_note}.")
        if r.patient_note:
            notes.append(f"{r.db}: patient page measured on its {r.patient_note} page.")
    return "\n".join(lines + [""] + [f"- {n}" for n in notes])


def write_docs(text: str) -> Path:
    path = ROOT / "docs" / "benchmarks.md"
    current = path.read_text() if path.exists() else f"{RESULTS_START}\n{RESULTS_END}\n"
    head, rest = current.split(RESULTS_START, 1)
    tail = rest.split(RESULTS_END, 1)[1]
    path.write_text(f"{head}{RESULTS_START}\n{text}\n{RESULTS_END}{tail}")
    return path


def main() -> int:
    config = Config.from_env()
    say("Collecting static files for the production profile ...")
    manage(["collectstatic", "--noinput", "-v0"], production_env("sqlite:///unused"), quiet=True)
    results = [bench_database(config, db) for db in config.dbs]
    info = machine()
    text = table(results, config, info)
    say("\n" + text)
    if not config.quick or os.environ.get("BENCH_WRITE_DOCS"):
        say(f"\nWritten to {write_docs(text)}")
    else:
        out = config.work / "quick.md"
        out.write_text(text + "\n")
        say(f"\nQuick run: not written to docs/benchmarks.md (saved to {out}).")
    return 0
