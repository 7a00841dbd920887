"""Enrolment: a single-use invite link that expires, and password rules."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import PatientFactory, UserFactory
from tracker.services.people import invite_create

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "blue-river-kite-2026"


@pytest.fixture
def new_patient(clinic, clinician):
    user = UserFactory(username="ella.brooks", first_name="Ella", is_active=False)
    user.set_unusable_password()
    user.save()
    return PatientFactory(user=user, clinic=clinic, treating_clinician=clinician)


@pytest.fixture
def invite_url(new_patient, clinician):
    _, token = invite_create(patient=new_patient, created_by=clinician)
    return reverse("tracker:invite_accept", args=[token])


def _accept(client, url, username="ella", password=GOOD_PASSWORD, password2=None):
    return client.post(
        url, {"username": username, "password1": password, "password2": password2 or password}
    )


def test_it_lets_the_patient_set_a_password_and_log_in(client, invite_url, new_patient):
    response = _accept(client, invite_url)

    assert response.status_code == 302
    assert client.get(reverse("tracker:patient_home")).status_code == 200
    new_patient.user.refresh_from_db()
    assert new_patient.user.username == "ella" and new_patient.user.is_active
    client.logout()
    assert client.login(username="ella", password=GOOD_PASSWORD)


def test_it_works_only_once(client, invite_url):
    _accept(client, invite_url)
    client.logout()

    response = _accept(client, invite_url, username="someone-else")

    assert response.status_code == 404
    assert "does not work" in response.text
    assert client.get(invite_url).status_code == 404


def test_it_expires_after_seven_days(client, invite_url, new_patient):
    invite = new_patient.invites.get()
    assert invite.expires_at - invite.created_at >= dt.timedelta(days=7) - dt.timedelta(seconds=5)
    invite.expires_at = timezone.now() - dt.timedelta(seconds=1)
    invite.save()

    response = _accept(client, invite_url)

    assert response.status_code == 404
    new_patient.user.refresh_from_db()
    assert not new_patient.user.is_active


def test_it_stops_an_older_link_when_a_new_one_is_made(client, invite_url, new_patient, clinician):
    invite_create(patient=new_patient, created_by=clinician)

    assert client.get(invite_url).status_code == 404


def test_it_rejects_an_unknown_token(client):
    response = client.get(reverse("tracker:invite_accept", args=["made-up-token"]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pw1", "at least 12 characters"),
        ("password1234", "too common"),
        ("123456789012345", "entirely numeric"),
    ],
    ids=["too-short", "common", "numeric"],
)
def test_it_enforces_the_password_rules(client, invite_url, new_patient, password, message):
    response = _accept(client, invite_url, password=password)

    assert response.status_code == 200
    assert message in response.text
    assert 'value="ella"' in response.text
    new_patient.user.refresh_from_db()
    assert not new_patient.user.is_active


def test_it_asks_for_the_same_password_twice(client, invite_url):
    response = _accept(client, invite_url, password2="something-else-entirely")

    assert "not the same" in response.text


def test_it_refuses_a_taken_username(client, invite_url, other_patient):
    response = _accept(client, invite_url, username="LEO")

    assert response.status_code == 200
    assert "username is taken" in response.text


def test_it_does_not_let_an_inactive_patient_log_in_before_accepting(client, new_patient):
    assert not client.login(username="ella.brooks", password="anything-at-all")
