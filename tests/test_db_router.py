"""Read replica routing: heavy reads go to the replica, except right after the user wrote."""

import time

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from tracker.db_router import (
    PIN_COOKIE,
    PrimaryPinMiddleware,
    PrimaryReplicaRouter,
    replica_reads,
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
