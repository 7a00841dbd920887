"""Streaming CSV: typed values to spreadsheet-safe text, rows to an HTTP response.

Format rules (docs/export.md): a header row; ISO 8601 dates and times; booleans `true`/`false`;
empty cell for no value; RFC 4180 quoting with CRLF line ends; UTF-8, with a byte-order mark when
asked (Excel needs it to read UTF-8). Text that a spreadsheet would run as a formula is neutralised.
"""

import csv
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.http import StreamingHttpResponse

# A spreadsheet treats a cell starting with one of these as a formula (or, for tab and carriage
# return, strips them and looks again); OWASP's advice is to prefix such text with a quote.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
# Rows are joined into chunks of about this many characters, so the response isn't a write per row.
CHUNK_CHARS = 64 * 1024


def neutralise(text: str) -> str:
    """Text that would start a formula gets a leading apostrophe; other text is unchanged."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _datetime(value: dt.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.isoformat()


def _same(value: Any) -> Any:
    return value


# The exact types a database row holds, each to its conversion in one dict look-up: an export
# calls `cell` for every value of a million rows, where the isinstance chain below was a third
# of the time. Subclasses (and anything else) still take the chain.
_BY_TYPE: dict[type, Any] = {
    type(None): lambda value: "",
    bool: lambda value: "true" if value else "false",
    int: _same,
    float: _same,
    Decimal: _same,
    str: neutralise,
    dt.datetime: _datetime,
    dt.date: dt.date.isoformat,
}


def cell(value: Any) -> str | int | float | Decimal:
    """One typed value as it goes into the CSV.

    Numbers stay numbers, negative ones too: they come from numeric fields, never from someone's
    typing, and `-3` in a numeric column is the number minus three to every spreadsheet. Only
    text is neutralised, so the text "-3" (or "=1+1") arrives as "'-3".
    """
    convert = _BY_TYPE.get(type(value))
    if convert is not None:
        return convert(value)
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: bool is an int subclass
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        return _datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(str(value))


class _Line:
    """A file-like object whose write() hands back what the csv module gives it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The header line, then one line per row, each cell made safe by `cell`."""
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([cell(value) for value in row])


def csv_chunks(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = False
) -> Iterator[bytes]:
    """UTF-8 encoded chunks of the CSV, ready to stream."""
    buffer: list[str] = [BOM] if bom else []
    size = 0
    for line in csv_lines(header, rows):
        buffer.append(line)
        size += len(line)
        if size >= CHUNK_CHARS:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode()


def streaming_csv_response(
    *, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], bom: bool = False
) -> StreamingHttpResponse:
    """A download that streams the rows as they are read: memory stays flat however many."""
    return csv_download(filename=filename, chunks=csv_chunks(header, rows, bom=bom))


def csv_download(*, filename: str, chunks: Iterable[bytes]) -> StreamingHttpResponse:
    """A CSV download streaming already encoded chunks."""
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
