"""The cohort CSV export through the app, and the same rows written by a plain script."""

import csv
import datetime as dt
import os
import sqlite3
import time

from bench.config import Config, DbResult
from bench.pages import signed_in
from bench.server import RssSampler

# Export datasets of daily activity rows, by the slugs the export area may give them.
ACTIVITY_DATASETS = (
    "activity_pain",
    "diary_activities",
    "daily_activities",
    "activities",
    "diary_activity",
)


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
            if clinician.request("GET", f"/api/exports/{s}/?date_from=2099-12-01").status == 200
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
