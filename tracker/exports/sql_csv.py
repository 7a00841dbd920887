"""The fast path: datasets whose every cell SQL can write stream from the database cursor.

A dataset that offers `sql_rows` gives one query whose columns are already the CSV's text (the
expressions below write each value as `csv_writer.cell` would: text neutralised, dates ISO,
booleans as words, nothing as empty). Its rows then skip Django's model and value conversion and
the per-row Python: the database cursor's tuples go straight into `csv.writer.writerows`, a fetch
at a time, into chunks of about `CHUNK_CHARS`. On PostgreSQL a query whose cells can never need
quoting (`SqlRows.plain`) is written by the database itself, `COPY (...) TO STDOUT WITH CSV`,
which is the same bytes but for the line end.

The output is byte for byte what the general path writes (tests/test_exports_fast_path.py
compares them), and the query is built from the same scope, so the access rule is unchanged.
"""

import csv
import io
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import CharField, Func, QuerySet

from tracker.exports.csv_writer import BOM, CHUNK_CHARS, FORMULA_TRIGGERS


def _sql_chars(chars: Sequence[str], char_function: str) -> str:
    """The characters as an SQL list: printable ones quoted, control ones through chr()/char()."""
    return ", ".join(f"'{c}'" if c.isprintable() else f"{char_function}({ord(c)})" for c in chars)


class _Cell(Func):
    """One column written as its CSV text, by a template per database; `{x}` is the column and
    may appear several times (its parameters are repeated to match)."""

    templates: dict[str, str] = {}
    output_field = CharField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple]:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        template = self.templates[connection.vendor]
        return template.format(x=sql), tuple(params) * template.count("{x}")


class CsvText(_Cell):
    """Text as `neutralise` writes it: an apostrophe before a formula trigger; empty as NULL,
    which both writers leave empty (COPY would quote an empty string)."""

    templates = {
        "postgresql": (
            f"CASE WHEN left({{x}}, 1) IN ({_sql_chars(FORMULA_TRIGGERS, 'chr')}) "
            "THEN '''' || {x} ELSE NULLIF({x}, '') END"
        ),
        "sqlite": (
            f"CASE WHEN substr({{x}}, 1, 1) IN ({_sql_chars(FORMULA_TRIGGERS, 'char')}) "
            "THEN '''' || {x} ELSE NULLIF({x}, '') END"
        ),
    }


class CsvBool(_Cell):
    """`true` / `false`; NULL stays NULL (an empty cell)."""

    templates = {
        "postgresql": "CASE WHEN {x} THEN 'true' WHEN NOT {x} THEN 'false' END",
        "sqlite": "CASE WHEN {x} THEN 'true' WHEN NOT {x} THEN 'false' END",
    }


class CsvDate(_Cell):
    """ISO 8601 date. SQLite stores dates as that text already: the expression only keeps
    Django's connection from parsing each one into a `date` on the way out. PostgreSQL writes
    a date as ISO text itself under its usual DateStyle (`ISO, ...`); only under another does
    it take to_char(), which costs a third of the export's time in the database."""

    templates = {
        "postgresql": "to_char({x}, 'YYYY-MM-DD')",
        "sqlite": "({x} || '')",
    }

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple]:
        connection.ensure_connection()
        style = connection.connection.info.parameter_status("DateStyle") or ""
        if style.upper().startswith("ISO"):
            return compiler.compile(self.get_source_expressions()[0])
        return self.as_sql(compiler, connection, **extra)


class CsvDateTime(_Cell):
    """ISO 8601 in UTC with `+00:00`, microseconds only when there are some (`isoformat`)."""

    templates = {
        "postgresql": (
            "to_char({x} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || "
            "CASE WHEN date_trunc('second', {x}) = {x} THEN '' "
            "ELSE to_char({x} AT TIME ZONE 'UTC', '.US') END || '+00:00'"
        ),
        # Django keeps SQLite datetimes as naive UTC text, "2026-03-01 08:30:00[.ffffff]".
        "sqlite": "(replace({x}, ' ', 'T') || '+00:00')",
    }


@dataclass(frozen=True)
class SqlRows:
    """A dataset's rows as one query: a `values_list` whose columns are the CSV's, in order."""

    queryset: QuerySet
    # No cell can hold a comma, quote or line break (numbers, dates, booleans, a vocabulary
    # the database constrains), so PostgreSQL's COPY may write it: one line per row.
    plain: bool = False


def sql_rows(queryset: QuerySet, columns: Sequence[tuple[str, Any]], *, plain: bool) -> SqlRows:
    """`SqlRows` selecting exactly these (name, expression) columns, in this order."""
    aliases = {f"csv_{name}": expression for name, expression in columns}
    return SqlRows(queryset.annotate(**aliases).values_list(*aliases), plain=plain)


def sql_csv_chunks(
    header: Sequence[str], rows: SqlRows, *, bom: bool = False, fetch: int = 2000
) -> Iterator[bytes]:
    """UTF-8 chunks of the CSV (header first), read from the database as they are sent.

    The database is chosen when the first chunk is asked for, so a replica context around the
    iteration (`replica_stream`) decides it, as it does for the general path.
    """
    head = io.StringIO()
    if bom:
        head.write(BOM)
    csv.writer(head, lineterminator="\r\n").writerow(header)
    alias = rows.queryset.db
    connection = connections[alias]
    sql, params = rows.queryset.query.get_compiler(using=alias).as_sql()
    if rows.plain and connection.vendor == "postgresql":
        body = _copy_chunks(connection, sql, params)
    else:
        body = _cursor_chunks(connection, sql, params, fetch)
    first = head.getvalue().encode()
    for chunk in body:
        if first:
            chunk, first = first + chunk, b""
        yield chunk
    if first:
        yield first


def _cursor_chunks(connection: Any, sql: str, params: Sequence, fetch: int) -> Iterator[bytes]:
    # A server-side cursor on PostgreSQL (as `.iterator()` uses), so memory stays flat.
    cursor = connection.chunked_cursor()
    try:
        cursor.execute(sql, params)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        while rows := cursor.fetchmany(fetch):
            writer.writerows(rows)
            if buffer.tell() >= CHUNK_CHARS:
                yield buffer.getvalue().encode()
                buffer.seek(0)
                buffer.truncate()
        if buffer.tell():
            yield buffer.getvalue().encode()
    finally:
        cursor.close()


def _copy_chunks(connection: Any, sql: str, params: Sequence) -> Iterator[bytes]:
    statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
    started = time.monotonic()
    with connection.cursor() as cursor:
        # psycopg binds the parameters on the client: COPY takes none of its own.
        with cursor.cursor.copy(statement, params) as copy:
            # One row per read: appended to a bytearray, so no object per row outlives it.
            buffer = bytearray()
            for data in copy:
                buffer += data
                if len(buffer) >= CHUNK_CHARS:
                    # COPY ends lines with LF; with no line break inside a plain cell, each LF
                    # is a row's end, written CRLF as RFC 4180 (and the general path) has it.
                    yield bytes(buffer).replace(b"\n", b"\r\n")
                    buffer = bytearray()
            if buffer:
                yield bytes(buffer).replace(b"\n", b"\r\n")
    if connection.queries_logged:
        # The query log (and the query-count tests) see the COPY like any other query.
        connection.queries_log.append(
            {"sql": statement, "time": f"{time.monotonic() - started:.3f}"}
        )
