"""The check-in a patient saves, and the two ceilings it is compared with: the fixed view (no
database) and the write ceiling (the smallest authenticated, locked, audited write)."""

import json
from typing import Any

from bench.config import Config, DbResult
from bench.load import BenchError, Client, Reply, Throughput, measure_throughput
from bench.pages import signed_in


def checkin_values(day: str, n: int, patient: dict) -> dict[str, Any]:
    """The n-th check-in of a client: alternating values, so every request is a real change."""
    low = 3 + (n // 7) % 2
    return {"day": day, "pain_now": low, "pain_worst": low + 2, "walking": low + 1}


def checkin_sections(patient: dict) -> dict[str, dict[str, Any]]:
    """The rehab sections a real client sends for a patient with a programme or a brace (the API
    requires every section shown that day; `GET /api/me/programme/` lists them)."""
    sections: dict[str, dict[str, Any]] = {}
    if patient["items"]:
        exercises: dict[str, Any] = {"items": ",".join(map(str, patient["items"]))}
        for item in patient["items"]:
            exercises[f"done_{item}"] = "yes"
            exercises[f"sets_{item}"] = 2
        sections["exercises"] = exercises
    if patient["brace"]:
        sections["brace"] = {"hours": 20}
    return sections


def checkin_body(values: dict, patient: dict) -> dict[str, Any]:
    """The JSON body of `PUT /api/me/checkins/{day}/` (tracker/api/checkin.py)."""
    return {
        "pain_now": values["pain_now"],
        "pain_worst": values["pain_worst"],
        "activities": {"walking": values["walking"]},
        "medicine": "none",
        "medicine_doses": 0,
        "saddle_numbness": False,
        "bladder_bowel": False,
        "leg_weakness_worse": False,
        "sections": checkin_sections(patient),
    }


def api_checkin(client: Client, day: str, values: dict, patient: dict) -> Reply:
    return client.request(
        "PUT",
        f"/api/me/checkins/{day}/",
        body=json.dumps(checkin_body(values, patient)).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )


def form_checkin(client: Client, day: str, values: dict, patient: dict) -> Reply:
    fields: list[tuple[str, Any]] = [
        ("day", day),
        ("pain_now", values["pain_now"]),
        ("pain_worst", values["pain_worst"]),
        ("activities", "walking"),
        ("pain_walking", values["walking"]),
        ("medicine", "none"),
        ("saddle_numbness", "no"),
        ("bladder_bowel", "no"),
        ("leg_weakness_worse", "no"),
    ]
    if patient["items"]:
        fields.append(("exercises-items", ",".join(map(str, patient["items"]))))
        for item in patient["items"]:
            fields += [(f"exercises-done_{item}", "yes"), (f"exercises-sets_{item}", 2)]
    if patient["brace"]:
        fields.append(("brace-hours", 20))
    return client.form_post("/checkin/", fields)


def run_checkin(config: Config, port: int, manifest: dict, result: DbResult) -> None:
    patients = manifest["checkin_patients"]
    days = manifest["editable_days"]
    probe = signed_in(port, patients[0]["username"], manifest["password"])
    reply = api_checkin(probe, days[0], checkin_values(days[0], 0, patients[0]), patients[0])
    probe.close()
    # Only a commit without the API falls back to the form; an API that refuses the runner's
    # body is the runner's bug, and must not be hidden behind a different measurement.
    via_api = reply.status in {200, 201}
    if not via_api and reply.status not in {404, 405}:
        raise BenchError(f"PUT /api/me/checkins/ answered {reply.status}: {reply.body[:300]!r}")
    result.checkin_note = "PUT /api/me/checkins/{day}/" if via_api else "POST /checkin/ (form)"

    def step(client: Client, index: int, n: int) -> tuple[Reply, bool]:
        patient = patients[index]
        day = days[n % len(days)]
        values = checkin_values(day, n + 1, patient)
        if via_api:
            reply = api_checkin(client, day, values, patient)
            return reply, reply.status in {200, 201}
        reply = form_checkin(client, day, values, patient)
        return reply, reply.status == 302 and "/checkin/saved/" in reply.headers.get("Location", "")

    for connections in (4, 16):
        clients = [
            signed_in(port, p["username"], manifest["password"]) for p in patients[:connections]
        ]
        result.checkin[connections] = _throughput(config, clients, step, max_requests=20_000)


def _throughput(config: Config, clients: list[Client], step, *, max_requests: int) -> Throughput:
    try:
        return measure_throughput(clients, step, seconds=config.seconds, max_requests=max_requests)
    finally:
        for client in clients:
            client.close()


def run_fixed(config: Config, port: int, result: DbResult) -> None:
    """The read ceiling: a fixed response with no database work, through the whole stack."""

    def fixed(client: Client, index: int, n: int) -> tuple[Reply, bool]:
        reply = client.request("GET", "/bench/fixed/")
        return reply, reply.status == 200

    for connections in (4, 16):
        clients = [Client("127.0.0.1", port) for _ in range(connections)]
        result.fixed[connections] = _throughput(config, clients, fixed, max_requests=100_000)


def run_write(config: Config, port: int, manifest: dict, result: DbResult) -> None:
    """The write ceiling: the check-in's patients, signed in, each `POST /bench/write/` locking
    their Patient row and inserting one row and its audit row (bench/views.py)."""
    patients = manifest["checkin_patients"]

    def write(client: Client, index: int, n: int) -> tuple[Reply, bool]:
        reply = client.request("POST", "/bench/write/")
        return reply, reply.status == 201

    for connections in (4, 16):
        clients = [
            signed_in(port, p["username"], manifest["password"]) for p in patients[:connections]
        ]
        result.write[connections] = _throughput(config, clients, write, max_requests=100_000)
