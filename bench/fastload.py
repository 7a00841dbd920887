"""Bulk loading for the benchmark's synthetic clinic: COPY on PostgreSQL, batched executemany in
one transaction on SQLite. Rows are plain tuples in the order of the given fields, so a million
rows cost no model instances; values are made database-ready by `Loader.value`.
"""

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Model

SQLITE_BATCH = 50_000


class Loader:
    """Writes rows straight into a model's table and keeps its id sequence right afterwards."""

    def __init__(self) -> None:
        self.vendor = connection.vendor

    def value(self, value: Any) -> Any:
        """A Python value as this database's driver takes it in a raw insert or COPY."""
        if isinstance(value, dt.datetime):
            if self.vendor == "sqlite":  # Django stores aware datetimes as naive UTC text
                return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
            return value.isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, dict | list):
            return json.dumps(value)
        return value

    def insert(self, model: type[Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
        """Insert rows (tuples of values for `fields`, by attribute name); returns how many."""
        meta = model._meta
        columns = [meta.get_field(name).column for name in fields]
        table = connection.ops.quote_name(meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        count = 0
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                raw = cursor.cursor  # psycopg's own cursor, for COPY
                with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # noqa: S608
                    for row in rows:
                        copy.write_row([self.value(v) for v in row])
                        count += 1
            else:
                sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608
                batch: list[list] = []
                raw = cursor.cursor
                for row in rows:
                    batch.append([self.value(v) for v in row])
                    if len(batch) >= SQLITE_BATCH:
                        raw.executemany(sql, batch)
                        count += len(batch)
                        batch = []
                if batch:
                    raw.executemany(sql, batch)
                    count += len(batch)
        return count

    def next_id(self, model: type[Model]) -> int:
        meta = model._meta
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COALESCE(MAX({connection.ops.quote_name(meta.pk.column)}), 0) "  # noqa: S608
                f"FROM {connection.ops.quote_name(meta.db_table)}"
            )
            return cursor.fetchone()[0] + 1

    def reset_sequences(self, models: Iterable[type[Model]]) -> None:
        """After inserting explicit ids, the next id the database hands out must be past them."""
        sql = connection.ops.sequence_reset_sql(_no_style(), list(models))
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)

    def tune_for_load(self) -> None:
        """SQLite: no fsync while the bench database fills (a crash just means generating again)."""
        # SQLite refuses to change it inside a transaction (as in the test suite's).
        if self.vendor == "sqlite" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=OFF")
                cursor.execute("PRAGMA cache_size=-200000")
                cursor.execute("PRAGMA temp_store=MEMORY")

    def analyse(self) -> None:
        """Fresh planner statistics: the benchmark should see the plans production would."""
        with connection.cursor() as cursor:
            if self.vendor == "sqlite" and not connection.in_atomic_block:
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("ANALYZE")


def _no_style():
    from django.core.management.color import no_style

    return no_style()
