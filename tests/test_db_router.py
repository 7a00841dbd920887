"""Read replica routing: heavy reads go to the replica, except right after the user wrote."""

import time

import pytest
from django.conf import settings
from django.db import connections
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import logged_history
from tracker.db_router import (
    PIN_COOKIE,
    PrimaryPinMiddleware,
    PrimaryReplicaRouter,
    replica_reads,
    replica_stream,
)
from tracker.models import Patient

router = PrimaryReplicaRouter()


@pytest.fixture
def replica_on(settings):
    settings.DATABASE_REPLICA_ENABLED = True
    settings.REPLICA_PIN_SECONDS = 10


def test_it_reads_from_the_primary_without_a_replica(settings):
    settings.DATABASE_REPLICA_ENABLED = False

    with replica_reads():
        assert router.db_for_read(Patient) == "default"


def test_it_sends_marked_reads_to_the_replica(replica_on):
    assert router.db_for_read(Patient) == "default"
    with replica_reads():
        assert router.db_for_read(Patient) == "replica"
    assert router.db_for_read(Patient) == "default"


def test_it_always_writes_and_migrates_on_the_primary(replica_on):
    with replica_reads():
        assert router.db_for_write(Patient) == "default"
    assert router.allow_migrate("replica", "tracker") is False


def _run(middleware_request, seen: list[str]):
    def view(request):
        with replica_reads():
            seen.append(router.db_for_read(Patient))
        return HttpResponse("ok")

    return PrimaryPinMiddleware(view)(middleware_request)


def test_it_keeps_a_user_on_the_primary_right_after_they_write(replica_on):
    factory = RequestFactory()
    seen: list[str] = []

    response = _run(factory.post("/patients/1/alerts/2/acknowledge/"), seen)
    follow = factory.get("/dashboard/")
    follow.COOKIES[PIN_COOKIE] = response.cookies[PIN_COOKIE].value
    _run(follow, seen)
    _run(factory.get("/dashboard/"), seen)

    assert seen == ["default", "default", "replica"]


def test_it_returns_to_the_replica_once_the_pin_expires(replica_on, settings, monkeypatch):
    factory = RequestFactory()
    response = _run(factory.post("/x/"), [])
    later = time.time() + settings.REPLICA_PIN_SECONDS + 1
    monkeypatch.setattr("tracker.db_router.time.time", lambda: later)
    seen: list[str] = []

    follow = factory.get("/dashboard/")
    follow.COOKIES[PIN_COOKIE] = response.cookies[PIN_COOKIE].value
    _run(follow, seen)

    assert seen == ["replica"]


def test_it_ignores_a_forged_pin_cookie(replica_on):
    request = RequestFactory().get("/dashboard/")
    request.COOKIES[PIN_COOKIE] = str(time.time() + 3600)
    seen: list[str] = []

    _run(request, seen)

    assert seen == ["replica"]


def _routes_while_streaming(request) -> list[str]:
    """Where each row of a streamed response is read from: the rows are read after the view has
    returned and the middleware is done, as a streaming response's are."""

    def view(request):
        def rows():
            for _ in range(2):
                yield router.db_for_read(Patient)

        return StreamingHttpResponse(replica_stream(rows()))

    response = PrimaryPinMiddleware(view)(request)
    return [chunk.decode() for chunk in response.streaming_content]


def test_it_streams_export_rows_from_the_replica(replica_on):
    request = RequestFactory().get("/exports/diary.csv")

    assert _routes_while_streaming(request) == ["replica", "replica"]


def test_it_streams_from_the_primary_for_a_user_who_just_wrote(replica_on):
    factory = RequestFactory()
    wrote = _run(factory.post("/patients/1/alerts/2/acknowledge/"), [])
    request = factory.get("/exports/diary.csv")
    request.COOKIES[PIN_COOKIE] = wrote.cookies[PIN_COOKIE].value

    assert _routes_while_streaming(request) == ["default", "default"]


# With DATABASE_REPLICA_URL set (a mirror of the test database: a second connection), the rows
# really come through the replica alias, which sees only committed data, as a real replica does.
WITH_REPLICA = ["default", "replica"] if "replica" in settings.DATABASES else ["default"]


@pytest.mark.django_db(databases=WITH_REPLICA, transaction=True)
@pytest.mark.parametrize("dataset", ["patients", "activity_pain", "diary"])
def test_it_exports_through_the_stream_with_or_without_a_replica(
    clinician_client, patient, dataset
):
    logged_history(patient)

    response = clinician_client.get(reverse("api:export", args=[dataset]))

    body = b"".join(response.streaming_content).decode()
    connections.close_all()  # the replica's connection too, so the test database can be dropped

    assert response.status_code == 200
    assert f"\r\n{patient.pk}," in body


def test_it_streams_every_row_in_order_across_batches():
    rows = iter(range(1234))

    streamed = list(replica_stream(rows))

    assert streamed == list(range(1234))
