"""Turning notifications on and off in a browser: a patient's and a clinician's own
subscriptions only, bad input answered 400 in words (never a 500), the reminder channel that
needs a browser with notifications on, and the VAPID keys as the environment gives them."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import STRONG_KEY, BrowserKeys, assert_not_found_for, reminders_on, run_manage
from tracker.models import PushSubscription, ReminderPreference
from tracker.utils.vapid import development_vapid_keys, new_vapid_keys, public_key_for

pytestmark = pytest.mark.django_db

SUBSCRIBE = reverse("tracker:patient_push_subscribe")
UNSUBSCRIBE = reverse("tracker:patient_push_unsubscribe")
CLINICIAN_SUBSCRIBE = reverse("tracker:clinician_push_subscribe")
CLINICIAN_PAGE = reverse("tracker:clinician_notifications")
SETTINGS_PAGE = reverse("tracker:reminder_settings")
ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile"


@pytest.fixture(autouse=True)
def vapid_keys(settings):
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = new_vapid_keys()
    settings.PUSH_ALLOW_LOOPBACK = False


def _subscription(endpoint: str = "https://push.example.net/send/abc123") -> dict:
    keys = BrowserKeys.new()
    return {"endpoint": endpoint, "keys": {"p256dh": keys.p256dh, "auth": keys.auth_b64}}


def _post(client: Client, url: str, body, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data, content_type="application/json", **extra)


def test_a_patient_turns_notifications_on_for_their_phone(patient_client, patient):
    body = _subscription()

    response = _post(patient_client, SUBSCRIBE, body, HTTP_USER_AGENT=ANDROID)
    again = _post(patient_client, SUBSCRIBE, body, HTTP_USER_AGENT=ANDROID)

    assert response.status_code == 201 and again.status_code == 201
    assert response.json() == {"message": "Notifications are on for this phone."}
    stored = PushSubscription.objects.get()
    assert (stored.user, stored.endpoint) == (patient.user, body["endpoint"])
    assert (
        stored.p256dh == body["keys"]["p256dh"] and stored.user_agent == "Chrome on Android phone"
    )


def test_a_clinician_turns_notifications_on_for_their_browser(clinician_client, clinician):
    page = clinician_client.get(CLINICIAN_PAGE).content.decode()
    assert "Turn on notifications on this browser" in page and "js/push.js" in page

    response = _post(clinician_client, CLINICIAN_SUBSCRIBE, _subscription())

    assert response.status_code == 201
    assert response.json()["message"] == "Notifications are on for this browser."
    assert PushSubscription.objects.get().user == clinician


def test_only_a_patient_uses_the_patients_and_only_a_clinician_the_clinicians(
    client, patient, clinician, clinic_admin, guardians
):
    others = [clinic_admin, *guardians]
    assert_not_found_for(client, [clinician, *others], SUBSCRIBE, method="post")
    assert_not_found_for(client, [patient.user, *others], CLINICIAN_SUBSCRIBE, method="post")
    assert_not_found_for(client, [patient.user, *others], CLINICIAN_PAGE)
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize("url", [SUBSCRIBE, UNSUBSCRIBE, CLINICIAN_SUBSCRIBE, CLINICIAN_PAGE])
def test_anonymous_users_are_sent_to_sign_in(client, url):
    response = client.post(url) if "push" in url else client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("{not json", "could not read"),
        (b"\xff\xfe", "could not read"),
        ('["a", "list"]', "could not read"),
        ({"endpoint": "https://push.example.net/x"}, "cannot use"),
        ({**_subscription(), "endpoint": "http://push.example.net/x"}, "cannot use"),
        ({**_subscription(), "endpoint": "http://127.0.0.1:9/x"}, "cannot use"),
        ({**_subscription(), "endpoint": "https://" + "a" * 1000}, "cannot use"),
        ({**_subscription(), "endpoint": 7}, "cannot use"),
        (
            {"endpoint": "https://p.example.net/x", "keys": {"p256dh": "AAAA", "auth": "AAAA"}},
            "use",
        ),
        (
            {
                "endpoint": "https://p.example.net/x",
                "keys": {"p256dh": "BA" + "A" * 85, "auth": "A" * 22},  # 65 bytes, off the curve
            },
            "cannot use",
        ),
        ({**_subscription(), "keys": {"p256dh": None, "auth": 3}}, "cannot use"),
        ({**_subscription(), "keys": "not a dict"}, "cannot use"),
    ],
    ids=[
        "broken-json",
        "not-utf8",
        "a-list",
        "no-keys",
        "http",
        "loopback-outside-tests",
        "too-long",
        "endpoint-a-number",
        "short-keys",
        "key-off-the-curve",
        "keys-not-strings",
        "keys-not-an-object",
    ],
)
def test_what_is_no_usable_subscription_is_refused_in_words(patient_client, body, words):
    response = _post(patient_client, SUBSCRIBE, body)

    assert response.status_code == 400
    assert words in response.json()["message"]
    assert not PushSubscription.objects.exists()


def test_without_vapid_keys_the_server_refuses_and_the_pages_say_email_is_used(
    patient_client, patient, settings
):
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""

    response = _post(patient_client, SUBSCRIBE, _subscription())

    assert response.status_code == 400
    assert "not available here; email is used" in response.json()["message"]
    page = patient_client.get(SETTINGS_PAGE).content.decode()
    assert "Notifications on this phone are not available here; email is used." in page


def test_a_post_without_the_csrf_token_is_refused(patient):
    client = Client(enforce_csrf_checks=True)
    client.force_login(patient.user)

    response = _post(client, SUBSCRIBE, _subscription())

    assert response.status_code == 403
    assert not PushSubscription.objects.exists()


def test_a_patient_cannot_turn_off_another_patients_phone(patient_client, other_patient):
    theirs = PushSubscription.objects.create(
        user=other_patient.user, endpoint="https://push.example.net/theirs", p256dh="x", auth="y"
    )

    response = _post(patient_client, UNSUBSCRIBE, {"endpoint": theirs.endpoint})

    assert response.status_code == 404
    assert PushSubscription.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("body", ["nope", {"endpoint": 3}, {}])
def test_turning_off_with_bad_input_is_a_400(patient_client, body):
    assert _post(patient_client, UNSUBSCRIBE, body).status_code == 400


def test_turning_off_the_last_phone_sends_reminders_by_email_again(patient_client, patient):
    body = _subscription()
    _post(patient_client, SUBSCRIBE, body)
    reminders_on(patient, channel="push")

    response = _post(patient_client, UNSUBSCRIBE, {"endpoint": body["endpoint"]})

    assert response.status_code == 200
    assert response.json()["message"] == (
        "Notifications are off for this phone. Your reminders come by email again."
    )
    assert not PushSubscription.objects.exists()
    assert ReminderPreference.objects.get(patient=patient).channel == "email"


def test_a_browser_turned_on_by_someone_else_becomes_theirs(client, patient, other_patient):
    body = _subscription()
    client.force_login(other_patient.user)
    _post(client, SUBSCRIBE, body)
    client.force_login(patient.user)

    _post(client, SUBSCRIBE, body)

    assert PushSubscription.objects.get().user == patient.user


def _settings_form(**overrides) -> dict:
    data = {"enabled": "on", "channel": "push", "remind_at": "19:00", "follow_up_hours": "2"}
    return data | {"quiet_start": "22:00", "quiet_end": "07:00"} | overrides


def test_reminders_by_push_need_a_browser_with_notifications_on(patient_client, patient):
    response = patient_client.post(SETTINGS_PAGE, _settings_form())

    page = response.content.decode()
    assert response.status_code == 200
    assert "Notifications are not on in any of your browsers yet" in page
    assert 'id="id_channel_error"' in page
    assert not ReminderPreference.objects.filter(patient=patient).exists()

    _post(patient_client, SUBSCRIBE, _subscription())
    response = patient_client.post(SETTINGS_PAGE, _settings_form(), follow=True)

    assert "You will get a notification every day at 19:00" in response.content.decode()
    assert ReminderPreference.objects.get(patient=patient).channel == "push"


def test_generate_vapid_keys_prints_a_pair_production_starts_with():
    printed = run_manage("generate_vapid_keys", PARSTRACK_ENV="development")
    env = dict(line.split("=", 1) for line in printed.stdout.split())
    assert set(env) == {"PARSTRACK_VAPID_PRIVATE_KEY", "PARSTRACK_VAPID_PUBLIC_KEY"}
    production = {"PARSTRACK_ENV": "production", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "x"}

    assert run_manage("check", **production, **env).returncode == 0
    mismatched = env | {"PARSTRACK_VAPID_PUBLIC_KEY": new_vapid_keys()[1]}
    refused = run_manage("check", **production, **mismatched)
    assert refused.returncode != 0
    assert "not the private key's pair" in refused.stderr
    garbled = run_manage("check", **production, PARSTRACK_VAPID_PRIVATE_KEY="nope")
    assert "generate_vapid_keys" in garbled.stderr


def test_the_development_pair_is_made_once_and_kept(tmp_path):
    path = tmp_path / "dev-data" / "vapid.json"

    first = development_vapid_keys(path)

    assert development_vapid_keys(path) == first
    assert public_key_for(first[0]) == first[1]
    path.write_text("not json")
    assert development_vapid_keys(path) == ("", "")  # push not offered, nothing crashes
