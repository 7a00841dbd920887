"""The table of results, printed and written into docs/benchmarks.md."""

import contextlib
import datetime as dt
import os
import platform
import shutil
import subprocess
from pathlib import Path

from bench.config import ROOT, Config, DbResult
from bench.load import Throughput

RESULTS_START = "<!-- bench:results -->"
RESULTS_END = "<!-- /bench:results -->"


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
    if r.notes:
        return {"Database": f"{r.db}: {'; '.join(r.notes)}"}
    out = {"Database": r.version, "Generate the clinic": f"{r.generate_s:.0f} s"}
    out.update(_page_rows(r))
    out.update(_checkin_rows(r))
    out.update(_export_rows(r))
    out.update(_sensor_rows(r))
    out.update(_reminder_rows(r))
    return out


def _sensor_rows(r: DbResult) -> dict[str, str]:
    s = r.sensor_import
    if not s:
        return {}
    label = f"Brace sensor file import: {s['samples']:,} samples ({s['days']} days)"
    return {
        label: f"{s['seconds']:.2f} s (reading and measuring {s['read_seconds']:.2f} s; "
        f"the same file again {s['again_seconds']:.2f} s) {_mark(s['seconds'] < 2)}"
    }


def _page_rows(r: DbResult) -> dict[str, str]:
    out: dict[str, str] = {}
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
    return out


def _ratio(t: Throughput, ceiling: Throughput | None) -> float:
    return t.per_second / ceiling.per_second if ceiling and ceiling.per_second else 0


def _checkin_rows(r: DbResult) -> dict[str, str]:
    """The check-in at 4 and 16 connections, each beside its two ceilings and its ratio to them:
    the fixed view (no database) and the minimal authenticated write (bench/views.py)."""
    out: dict[str, str] = {}
    for c, t in sorted(r.checkin.items()):
        fixed, write = r.fixed.get(c), r.write.get(c)
        ratio = _ratio(t, fixed)
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
        if write:
            errors = f", {write.errors} errors" if write.errors else ""
            out[f"Write ceiling, {c} connections: req/s, p95 (check-in ratio)"] = (
                f"{write.per_second:.0f}/s, {_ms(write.p95_ms)}{errors} ({_ratio(t, write):.0%})"
            )
    if r.checkin:
        out["Check-in queries per request"] = str(r.checkin[4].queries)
    if r.write:
        out["Write ceiling queries per request"] = str(r.write[4].queries)
    return out


def _reminder_rows(r: DbResult) -> dict[str, str]:
    out: dict[str, str] = {}
    for run in r.reminders:
        label = f"send_reminders, {run['patients']:,} patients due"
        out[label] = f"{run['seconds']:.1f} s, {run['queries']} queries ({run['sent']:,} sent)"
    return out


def _export_rows(r: DbResult) -> dict[str, str]:
    out: dict[str, str] = {}
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
