"""The brace sensor import at its target size: a 90-day iButton file at 10-minute samples."""

import datetime as dt
import json
import math

from bench.config import Config, DbResult, say
from bench.databases import manage

SENSOR_DAYS = 90
SENSOR_MINUTES = 10


def ibutton_export(end: dt.datetime, *, days: int, minutes: int, zone) -> bytes:
    """A OneWireViewer export ending at `end` (aware): worn 20:00-12:00 local, skin-warm
    readings while worn, room temperature otherwise, as the test generator makes them."""
    step = dt.timedelta(minutes=minutes)
    count = days * 24 * 60 // minutes
    first = end.astimezone(dt.UTC) - count * step
    lines = [
        "1-Wire/iButton Part Number: DS1921G-F5",
        "1-Wire/iButton Registration Number: BENCH0000000021",
        f"Sample Rate: Every {minutes} minute(s)",
        f"Mission Start: {first.astimezone(zone):%a %b %d %H:%M:%S %Z %Y}",
        "",
        "Date/Time,Unit,Value",
    ]
    for i in range(count):
        local = (first + i * step).astimezone(zone)
        worn = local.hour >= 20 or local.hour < 12
        value = (32.0 if worn else 21.0) + 0.5 * math.sin(i / 7)
        hour = local.hour % 12 or 12
        lines.append(
            f"{local:%d/%m/%y} {hour}:{local:%M:%S} {'PM' if local.hour >= 12 else 'AM'},C,"
            f"{value:.1f}"
        )
    return ("\r\n".join(lines) + "\r\n").encode()


def run_sensor_import(config: Config, env: dict[str, str], result: DbResult) -> None:
    """`bench_sensor_import` on the bench database (after the HTTP scenarios: it adds rows)."""
    out = config.work / f"sensor-{result.db}.json"
    out.unlink(missing_ok=True)
    manage(
        [
            "bench_sensor_import",
            f"--days={SENSOR_DAYS}",
            f"--minutes={SENSOR_MINUTES}",
            f"--output={out}",
        ],
        env,
    )
    result.sensor_import = json.loads(out.read_text())
    say(f"sensor import: {result.sensor_import['seconds']:.2f} s")
