"""`make bench`: build the synthetic clinic in a dedicated database, serve it with gunicorn on
loopback with production settings (plus bench.settings' hooks), measure the scenarios over real
HTTP and write the table.

    python -m bench            500 patients x 365 days (writes docs/benchmarks.md)
    QUICK=1 python -m bench    50 patients (printed; into the docs with BENCH_WRITE_DOCS=1)

Environment: BENCH_PATIENTS, BENCH_DAYS, BENCH_DBS (sqlite,postgresql), BENCH_PG_URL (server
for parstrack_bench), BENCH_PG_DB (another bench database), BENCH_WORKERS, BENCH_THREADS,
BENCH_SECONDS (per throughput scenario).
"""

import json
import os
import sqlite3
import time

from bench.checkin import run_checkin, run_fixed, run_write
from bench.config import BENCH_DB, Config, DbResult, say
from bench.databases import base_env, fresh_database, manage, pg_reachable, production_env
from bench.export import run_ceiling, run_export
from bench.pages import nightly_refresh, run_pages
from bench.report import machine, table, write_docs
from bench.sensor import run_sensor_import
from bench.server import gunicorn


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
    manifest_path = config.work / f"manifest-{BENCH_DB}-{db}.json"
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
        say("check-in, the fixed view and the write ceiling ...")
        run_checkin(config, port, manifest, result)
        run_fixed(config, port, result)
        run_write(config, port, manifest, result)
        say("CSV export ...")
        run_export(config, port, master, manifest, result)
    say("plain-script ceiling ...")
    run_ceiling(url, result)
    say("brace sensor file import ...")
    run_sensor_import(config, env, result)
    say("send_reminders for 500 and 5,000 patients due ...")
    out = config.work / f"reminders-{BENCH_DB}-{db}.json"
    manage(["bench_reminders", "--sizes=500,5000", f"--out={out}"], env)
    result.reminders = json.loads(out.read_text())
    return result


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
        out = config.work / f"quick-{BENCH_DB}.md"
        out.write_text(text + "\n")
        say(f"\nQuick run: not written to docs/benchmarks.md (saved to {out}).")
    return 0
