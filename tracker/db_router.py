"""Read replica routing for PostgreSQL deployments that outgrow one database server.

When DATABASE_REPLICA_URL is set, the heavy read-only pages (dashboard, trends, exports) run their
queries on the replica: they are wrapped in `replica_reads()` or `@reads_from_replica`.
Everything else, and every write, uses the primary.

A replica lags the primary by a moment, so a user who has just written (any non-GET request) is
pinned to the primary for REPLICA_PIN_SECONDS afterwards, through a signed cookie set by
`PrimaryPinMiddleware`: the clinician who has just acknowledged an alert sees it acknowledged on
the dashboard they are sent back to.
"""

import contextvars
import itertools
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PRIMARY = "default"
PIN_COOKIE = "pt_primary"
STREAM_BATCH = 500  # rows pulled at a time by `replica_stream`

_replica_wanted: contextvars.ContextVar[bool] = contextvars.ContextVar("replica", default=False)
_pinned: contextvars.ContextVar[bool] = contextvars.ContextVar("pinned", default=False)


def replica_configured() -> bool:
    return bool(getattr(settings, "DATABASE_REPLICA_ENABLED", False))


@contextmanager
def replica_reads() -> Iterator[None]:
    """Inside this block, reads go to the replica (unless this user has just written)."""
    token = _replica_wanted.set(True)
    try:
        yield
    finally:
        _replica_wanted.reset(token)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Inside this block, reads go to the primary even within `replica_reads()`: for reads that
    decide a write (the dashboard's stored assessments are checked and rewritten on the primary,
    so a lagging replica can never have an outdated verdict stored as current)."""
    token = _replica_wanted.set(False)
    try:
        yield
    finally:
        _replica_wanted.reset(token)


def reads_from_replica(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> HttpResponse:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapper


T = TypeVar("T")


def replica_stream(rows: Iterable[T], *, batch: int = STREAM_BATCH) -> Iterator[T]:
    """Rows read while a response streams, after the view has returned, routed as reads
    inside `replica_reads()` are now (so a user pinned to the primary stays there).

    Items are pulled `batch` at a time inside the context: entering it per row cost a tenth of
    an export's time, and a batch of rows is no more memory than the query's own fetch chunk.
    Items that are already big chunks of a response come one at a time (`batch=1`)."""
    with replica_reads():
        context = contextvars.copy_context()
    return _in_context(context, iter(rows), batch)


def _in_context(context: contextvars.Context, rows: Iterator[T], batch: int) -> Iterator[T]:
    while items := context.run(list, itertools.islice(rows, batch)):
        yield from items


class PrimaryReplicaRouter:
    def db_for_read(self, model: type, **hints: Any) -> str:
        if replica_configured() and _replica_wanted.get() and not _pinned.get():
            return REPLICA
        return PRIMARY

    def db_for_write(self, model: type, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Both aliases hold the same data: the replica is a copy of the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


class PrimaryPinMiddleware:
    """Pins a browser to the primary for a few seconds after it writes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        writes = request.method not in {"GET", "HEAD", "OPTIONS"}
        token = _pinned.set(writes or self._pinned_by_cookie(request))
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if writes:
            until = time.time() + settings.REPLICA_PIN_SECONDS
            response.set_signed_cookie(
                PIN_COOKIE,
                str(until),
                salt=PIN_COOKIE,
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                secure=settings.SESSION_COOKIE_SECURE,
                samesite="Lax",
            )
        return response

    @staticmethod
    def _pinned_by_cookie(request: HttpRequest) -> bool:
        try:
            until = float(request.get_signed_cookie(PIN_COOKIE, salt=PIN_COOKIE))
        except (KeyError, ValueError, signing.BadSignature):
            return False
        return time.time() < until
