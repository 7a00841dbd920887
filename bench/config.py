"""What a run measures (from the environment) and what it found, per database."""

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.load import Latency, Throughput

ROOT = Path(__file__).resolve().parent.parent
# BENCH_PG_DB names another bench database (one per work tree when several run at once); it
# must still contain "bench" (bench_data refuses any other database). It also names the SQLite
# file and the run's manifests, so two work trees never share them.
BENCH_DB = os.environ.get("BENCH_PG_DB") or "parstrack_bench"
SETTINGS = "bench.settings"


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def say(line: str) -> None:
    print(line, flush=True)


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
    write: dict[int, Throughput] = field(default_factory=dict)  # the minimal authenticated write
    export: dict[str, Any] | None = None
    export_note: str = ""
    # send_reminders with every patient due: [{"patients", "seconds", "queries", "sent"}, ...]
    reminders: list[dict] = field(default_factory=list)
    ceiling: dict[str, Any] | None = None
    sensor_import: dict[str, Any] | None = None  # bench_sensor_import's timings
    notes: list[str] = field(default_factory=list)
