"""API rate limits: per token and per user, stricter for writes and exports, answered with 429."""

import pytest
from django.urls import reverse

from tracker.services.api_tokens import api_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def low_rates(settings):
    settings.API_THROTTLE_RATES = {"read": "3/min", "write": "2/min", "export": "1/min"}


def _read(client, raw=None):
    headers = {"HTTP_AUTHORIZATION": f"Token {raw}"} if raw else {}
    return client.get(reverse("api:patient_list"), **headers)


def test_it_answers_429_with_retry_after_past_a_tokens_read_limit(client, clinician, patient):
    _, raw = api_token_create(user=clinician, name="sync")

    allowed = [_read(client, raw).status_code for _ in range(3)]
    refused = _read(client, raw)

    assert allowed == [200, 200, 200]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "throttled" in refused.json()["detail"]


def test_it_counts_each_token_apart_but_caps_the_user_across_tokens(client, clinician, patient):
    raws = [api_token_create(user=clinician, name=f"t{n}")[1] for n in range(3)]

    first = [_read(client, raws[0]).status_code for _ in range(3)]
    second = [_read(client, raws[1]).status_code for _ in range(3)]
    third = _read(client, raws[2])

    assert first == second == [200, 200, 200]
    assert third.status_code == 429  # six reads: twice one token's limit, the user's cap


def test_it_limits_a_signed_in_user_without_a_token(clinician_client, patient):
    statuses = [_read(clinician_client).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


TZ = {"time_zone": "Europe/London"}


def test_it_limits_writes_more_strictly_and_apart_from_reads(patient_client):
    writes = [
        patient_client.patch(reverse("api:me"), TZ, content_type="application/json").status_code
        for _ in range(3)
    ]
    read = patient_client.get(reverse("api:me"))

    assert writes[:2] == [200, 200] and writes[2] == 429
    assert read.status_code == 200


def test_it_limits_exports_more_strictly_than_reads(client, clinician, patient):
    _, raw = api_token_create(user=clinician, name="export")
    url = reverse("api:export", args=["patients"])
    auth = {"HTTP_AUTHORIZATION": f"Token {raw}"}

    first = client.get(url, **auth)
    b"".join(first.streaming_content)
    second = client.get(url, **auth)

    assert first.status_code == 200
    assert second.status_code == 429
    assert _read(client, raw).status_code == 200


def test_it_keeps_one_users_limit_away_from_another(client, clinician, other_clinician, patient):
    _, mine = api_token_create(user=clinician, name="mine")
    _, theirs = api_token_create(user=other_clinician, name="theirs")
    for _ in range(4):
        _read(client, mine)

    assert _read(client, theirs).status_code == 200


def test_it_has_generous_defaults_that_are_stricter_for_writes_and_exports():
    from tracker.settings import API_THROTTLE_RATES as defaults

    per_minute = {
        scope: int(rate.split("/")[0]) * {"s": 60, "m": 1, "h": 1 / 60}[rate.split("/")[1][0]]
        for scope, rate in defaults.items()
    }
    assert per_minute["read"] >= 600
    assert per_minute["export"] < per_minute["write"] < per_minute["read"]
