"""A small HTTP load generator on the standard library: keep-alive connections on loopback, a
cookie jar per client, session sign-in with CSRF, latencies and errors counted.

Requests carry `X-Forwarded-Proto: https`, as the TLS proxy in front of production sets it, so
the server runs with production's transport settings (SSL redirect, secure cookies, HSTS, strict
CSRF origin checks) over plain HTTP on 127.0.0.1.
"""

import http.client
import re
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class BenchError(Exception):
    pass


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float


class Client:
    """One browser: one keep-alive connection and its cookies."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.origin = f"https://{host}:{port}"
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(host, port, timeout=120)

    def close(self) -> None:
        self.conn.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        sink: Callable[[bytes], None] | None = None,
    ) -> Reply:
        sent = {
            "Host": f"{self.host}:{self.port}",
            "X-Forwarded-Proto": "https",
            "Accept": "text/html,application/json,text/csv",
        }
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method not in {"GET", "HEAD"}:
            sent["Origin"] = self.origin
            sent["Referer"] = self.origin + path
            if "csrftoken" in self.cookies:
                sent["X-CSRFToken"] = self.cookies["csrftoken"]
        sent.update(headers or {})
        started = time.perf_counter()
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=sent)
                response = self.conn.getresponse()
                break
            except (ConnectionError, http.client.HTTPException):
                # The server closed an idle keep-alive connection: reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
                if attempt:
                    raise
        if sink is None:
            data = response.read()
        else:
            data = b""
            while chunk := response.read(256 * 1024):
                sink(chunk)
        seconds = time.perf_counter() - started
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return Reply(response.status, dict(response.getheaders()), data, seconds)

    def form_post(self, path: str, fields: dict | list) -> Reply:
        return self.request(
            "POST",
            path,
            body=urlencode(fields, doseq=True).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def log_in(self, username: str, password: str) -> None:
        page = self.request("GET", "/accounts/login/")
        token = CSRF_INPUT.search(page.body)
        if page.status != 200 or token is None:
            raise BenchError(f"login page answered {page.status}")
        reply = self.form_post(
            "/accounts/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)},
        )
        if reply.status != 302 or "sessionid" not in self.cookies:
            raise BenchError(f"could not sign in as {username}: {reply.status}")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


@dataclass
class Latency:
    p50_ms: float
    p95_ms: float
    queries: int | None
    requests: int
    errors: int


def measure_latency(
    client: Client, path: str, *, requests: int, warmup: int, max_seconds: float
) -> Latency:
    """One connection, one request at a time: the latency a clinician sees."""
    for _ in range(warmup):
        client.request("GET", path)
    times, queries, errors = [], [], 0
    deadline = time.monotonic() + max_seconds
    while len(times) < requests and time.monotonic() < deadline:
        reply = client.request("GET", path)
        if reply.status != 200:
            errors += 1
        times.append(reply.seconds)
        if "X-Bench-Queries" in reply.headers:
            queries.append(int(reply.headers["X-Bench-Queries"]))
    return Latency(
        p50_ms=percentile(times, 50) * 1000,
        p95_ms=percentile(times, 95) * 1000,
        queries=int(statistics.median(queries)) if queries else None,
        requests=len(times),
        errors=errors,
    )


@dataclass
class Throughput:
    connections: int
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    queries: int | None
    error_samples: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def measure_throughput(
    clients: list[Client],
    step: Callable[[Client, int, int], tuple[Reply, bool]],
    *,
    seconds: float,
    max_requests: int,
) -> Throughput:
    """Each client sends requests back to back on its own thread until time or count runs out."""
    lock = threading.Lock()
    times: list[float] = []
    queries: list[int] = []
    errors: list[str] = []
    sent = [0]
    stop = time.monotonic() + seconds
    start_gate = threading.Barrier(len(clients) + 1)

    def work(index: int, client: Client) -> None:
        start_gate.wait()
        n = 0
        while time.monotonic() < stop:
            with lock:
                if sent[0] >= max_requests:
                    return
                sent[0] += 1
            try:
                reply, ok = step(client, index, n)
            except Exception as error:  # noqa: BLE001 - every failure is an error to count
                with lock:
                    errors.append(repr(error))
                continue
            n += 1
            with lock:
                times.append(reply.seconds)
                if "X-Bench-Queries" in reply.headers:
                    queries.append(int(reply.headers["X-Bench-Queries"]))
                if not ok:
                    errors.append(f"{reply.status} {reply.body[:200]!r}")

    threads = [threading.Thread(target=work, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    start_gate.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return Throughput(
        connections=len(clients),
        requests=len(times),
        errors=len(errors),
        seconds=elapsed,
        p50_ms=percentile(times, 50) * 1000,
        p95_ms=percentile(times, 95) * 1000,
        queries=int(statistics.median(queries)) if queries else None,
        error_samples=errors[:3],
    )
