"""A generator of brace sensor files from a known wear pattern (a test helper, not a test module).

`orthotimer_file` and `ibutton_file` write the two formats the product reads, in any locale
(day-first or month-first dates, 12- or 24-hour clocks, `,` or `;` with decimal commas);
`expected_hours` integrates the same pattern over a local day, minute by minute, so a test can
compare what the import measured with what was worn.
"""

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

UTC = dt.UTC
Pattern = Callable[[dt.datetime], bool]  # worn at this aware instant?

WORN_CELSIUS = 32.0  # a brace against the skin
OFF_CELSIUS = 21.0  # a brace on a chair indoors


def evening_and_night(zone: ZoneInfo) -> Pattern:
    """Worn from 20:00 to 12:00 local time (16 h a normal day), plus 14:00-16:00 every third day."""

    def worn(at: dt.datetime) -> bool:
        local = at.astimezone(zone)
        if local.hour >= 20 or local.hour < 12:
            return True
        return local.toordinal() % 3 == 0 and 14 <= local.hour < 16

    return worn


def samples(start: dt.datetime, days: float, minutes: int, worn: Pattern) -> list[tuple]:
    """(aware UTC instant, degrees C) every `minutes` for `days` from `start`."""
    step = dt.timedelta(minutes=minutes)
    count = int(days * 24 * 60 / minutes)
    # In UTC: aware arithmetic in a local zone is wall-clock time, which repeats an hour.
    first, out = start.astimezone(UTC), []
    for i in range(count):
        at = first + i * step
        # A little wobble, so the file is not a step function of two values.
        wobble = (i % 5) * 0.1
        out.append((at, (WORN_CELSIUS if worn(at) else OFF_CELSIUS) + wobble))
    return out


def _value(celsius: float, decimal_comma: bool) -> str:
    text = f"{celsius:.1f}"
    return text.replace(".", ",") if decimal_comma else text


def orthotimer_file(
    rows: list[tuple], *, separator: str = ",", decimal_comma: bool = False
) -> bytes:
    """An Orthotimer export: `Date (UTC)` dd/MM/yyyy, `Time (UTC)` h:mm AM/PM, `Value`."""
    lines = [separator.join(["Date (UTC)", "Time (UTC)", "Value"])]
    for at, celsius in rows:
        utc = at.astimezone(UTC)
        clock = f"{int(utc.strftime('%I'))}:{utc:%M} {utc:%p}"
        value = _value(celsius, decimal_comma)
        if decimal_comma and separator == ",":
            value = f'"{value}"'
        lines.append(separator.join([f"{utc:%d/%m/%Y}", clock, value]))
    return ("\r\n".join(lines) + "\r\n").encode()


def ibutton_file(
    rows: list[tuple],
    *,
    zone: ZoneInfo,
    registration: str = "5D0000001A2B3C21",
    month_first: bool = False,
    twelve_hour: bool = True,
    separator: str = ",",
    decimal_comma: bool = False,
    encoding: str = "utf-8",
) -> bytes:
    """A OneWireViewer export: mission details, then `Date/Time,Unit,Value` in local time."""
    first = rows[0][0].astimezone(zone)
    minutes = int((rows[1][0] - rows[0][0]).total_seconds() // 60)
    lines = [
        "1-Wire/iButton Part Number: DS1921G-F5",
        f"1-Wire/iButton Registration Number: {registration}",
        "Is Mission Active? false",
        f"Mission Start: {first:%a %b %d %H:%M:%S} {first.tzname()} {first:%Y}",
        f"Sample Rate: Every {minutes} minute(s)",
        f"Number of Mission Samples: {len(rows)}",
        "Resolution: 0.5",
        "High Temperature Alarm: 85°C",
        "",
        separator.join(["Date/Time", "Unit", "Value"]),
    ]
    date_layout = "%m/%d/%y" if month_first else "%d/%m/%y"
    for at, celsius in rows:
        local = at.astimezone(zone)
        if twelve_hour:
            clock = f"{int(local.strftime('%I'))}:{local:%M:%S} {local:%p}"
        else:
            clock = f"{local:%H:%M:%S}"
        lines.append(
            separator.join([f"{local:{date_layout}} {clock}", "C", _value(celsius, decimal_comma)])
        )
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def expected_hours(day: dt.date, zone: ZoneInfo, worn: Pattern) -> float:
    """Hours worn on this local day by the pattern, counted minute by minute in real time."""
    start = dt.datetime.combine(day, dt.time(0), tzinfo=zone).astimezone(UTC)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone).astimezone(UTC)
    minutes = int((end - start).total_seconds() // 60)
    return sum(worn(start + dt.timedelta(minutes=m)) for m in range(minutes)) / 60
