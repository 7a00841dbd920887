"""Sessions: a new one on sign-in, gone on sign-out, idle and absolute limits, other devices."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tracker.models import UserSession
from tracker.security.middleware import SEEN_AT, STARTED_AT
from tracker.utils.user_agent import device_words

pytestmark = pytest.mark.django_db

MINUTE = 60


def _age_session(client: Client, *, idle: float = 0, signed_in_for: float = 0) -> None:
    """Pretend the user last did something `idle` seconds ago, having signed in earlier."""
    session = client.session
    session[SEEN_AT] -= idle
    session[STARTED_AT] -= max(idle, signed_in_for)
    session.save()


def _log_in(client: Client, username: str) -> None:
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302


def test_it_starts_a_new_session_on_sign_in(client, patient):
    client.get(reverse("login"))
    client.session["before"] = 1
    before = client.session.session_key or client.cookies.get("sessionid")

    _log_in(client, "maya")

    assert client.session.session_key != before
    assert client.session.session_key == client.cookies["sessionid"].value


def test_it_ends_the_session_on_sign_out(client, patient):
    _log_in(client, "maya")
    key = client.session.session_key

    client.post(reverse("logout"))

    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(session_key=key).exists()


def test_it_signs_a_clinician_out_after_30_idle_minutes(client, clinician):
    _log_in(client, "dr.okafor")
    _age_session(client, idle=31 * MINUTE)

    response = client.get(reverse("tracker:patient_list"), follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "signed out after a time without use" in response.text
    assert client.get(reverse("tracker:patient_list")).status_code == 302


def test_it_keeps_a_clinician_who_was_idle_for_less(client, clinician):
    _log_in(client, "dr.okafor")
    _age_session(client, idle=29 * MINUTE)

    assert client.get(reverse("tracker:patient_list")).status_code == 200


def test_it_takes_the_clinician_idle_limit_from_settings(client, clinician, settings):
    settings.CLINICIAN_IDLE_MINUTES = 5
    _log_in(client, "dr.okafor")
    _age_session(client, idle=6 * MINUTE)

    assert client.get(reverse("tracker:patient_list")).status_code == 302


def test_it_lets_a_patient_stay_signed_in_on_their_phone(client, patient):
    _log_in(client, "maya")
    _age_session(client, idle=3 * 24 * 60 * MINUTE)

    assert client.get(reverse("tracker:patient_home")).status_code == 200


def test_it_signs_a_patient_out_after_their_longer_idle_limit(client, patient, settings):
    _log_in(client, "maya")
    _age_session(client, idle=(settings.PATIENT_IDLE_MINUTES + 1) * MINUTE)

    assert client.get(reverse("tracker:patient_home")).status_code == 302


def test_it_signs_an_active_clinician_out_at_the_absolute_limit(client, clinician, settings):
    _log_in(client, "dr.okafor")
    _age_session(client, signed_in_for=(settings.SESSION_ABSOLUTE_HOURS * 60 + 1) * MINUTE)

    assert client.get(reverse("tracker:patient_list")).status_code == 302


def test_it_signs_out_the_users_other_sessions_only(patient, clinician):
    phone, laptop, someone_else = Client(), Client(), Client()
    _log_in(phone, "maya")
    _log_in(laptop, "maya")
    _log_in(someone_else, "dr.okafor")

    response = phone.post(reverse("tracker:sessions_sign_out_others"), follow=True)

    assert "Signed out of 1 other device" in response.text
    assert laptop.get(reverse("tracker:patient_home")).status_code == 302
    assert phone.get(reverse("tracker:patient_home")).status_code == 200
    assert someone_else.get(reverse("tracker:patient_list")).status_code == 200


def test_it_lists_where_the_user_is_signed_in(client, patient):
    _log_in(client, "maya")

    response = client.get(reverse("tracker:account_security"), HTTP_USER_AGENT="Firefox")

    assert "this device" in response.text


@pytest.mark.parametrize("name", ["tracker:patient_list", "tracker:account"])
def test_it_forbids_caching_of_any_signed_in_page(clinician_client, name):
    response = clinician_client.get(reverse(name))

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_it_forbids_caching_of_the_patient_detail(clinician_client, patient):
    response = clinician_client.get(reverse("tracker:patient_detail", args=[patient.pk]))

    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("name", ["login", "password_reset"])
def test_it_forbids_caching_of_sign_in_pages(client, name):
    response = client.get(reverse(name))

    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Mobile Safari/537.36"
)


def test_it_names_the_browser_and_device_in_words(client, patient):
    client.post(
        reverse("login"),
        {"username": "maya", "password": PASSWORD},
        HTTP_USER_AGENT=ANDROID_CHROME,
    )

    page = client.get(reverse("tracker:account_security")).text

    assert "Chrome on Android phone" in page
    assert "Mozilla/5.0" not in page


@pytest.mark.parametrize(
    ("user_agent", "words"),
    [
        (ANDROID_CHROME, "Chrome on Android phone"),
        (ANDROID_CHROME.replace(" Mobile", ""), "Chrome on Android tablet"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari on iPhone",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
            "Edge on Windows computer",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Firefox on Linux computer",
        ),
        ("", "Unknown browser"),
    ],
    ids=["android-phone", "android-tablet", "iphone", "windows-edge", "linux-firefox", "none"],
)
def test_it_says_each_kind_of_device_in_words(user_agent, words):
    assert device_words(user_agent) == words
