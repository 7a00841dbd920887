"""The patient's reminder settings page and the one-click stop link from a reminder email."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.helpers import assert_login_redirect, assert_not_found_for, reminders_on
from tracker.models import ReminderPreference
from tracker.services.reminders import reminder_stop_token

pytestmark = pytest.mark.django_db

URL = reverse("tracker:reminder_settings")


def _post(**overrides) -> dict:
    data = {
        "enabled": "on",
        "remind_at": "19:00",
        "follow_up_hours": "2",
        "quiet_start": "22:00",
        "quiet_end": "07:00",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_it_turns_reminders_on_and_says_when_they_come(patient_client, patient):
    response = patient_client.post(URL, _post(remind_at="18:30"), follow=True)

    page = response.content.decode()
    assert "You will get an email every day at 18:30 (Europe/London)" in page
    assert "once more at 20:30" in page
    preference = ReminderPreference.objects.get(patient=patient)
    assert preference.enabled and preference.remind_at == dt.time(18, 30)
    assert preference.channel == "email"


def test_it_shows_reminders_off_by_default_and_email_as_the_only_way_without_push_keys(
    patient_client, patient, settings
):
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""

    page = patient_client.get(URL).content.decode()

    assert "Off." in page
    assert f"Email to {patient.user.email}" in page
    assert "Notifications on this phone are not available here; email is used." in page
    assert 'name="channel"' not in page and "js/push.js" not in page


def test_it_turns_reminders_off(patient_client, patient):
    reminders_on(patient)

    response = patient_client.post(URL, _post(enabled=None), follow=True)

    assert "Reminders are off" in response.content.decode()
    assert not ReminderPreference.objects.get(patient=patient).enabled


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"remind_at": "23:00"}, "remind_at", "23:00 is inside your quiet hours"),
        ({"quiet_end": ""}, "quiet_end", "Give both the start and the end"),
        ({"quiet_end": "22:00"}, "quiet_end", "different time"),
        (
            {"remind_at": "21:30", "follow_up_hours": "3", "quiet_start": "", "quiet_end": ""},
            "follow_up_hours",
            "would be tomorrow",
        ),
        ({"follow_up_hours": "3", "remind_at": "20:00"}, "follow_up_hours", "never come"),
        ({"remind_at": "7 pm"}, "remind_at", "Enter a valid time"),
        ({"follow_up_hours": "9"}, "follow_up_hours", "Select a valid choice"),
    ],
    ids=[
        "time-in-quiet",
        "half-quiet",
        "quiet-empty",
        "follow-up-tomorrow",
        "follow-up-in-quiet",
        "not-a-time",
        "bad-follow-up",
    ],
)
def test_it_explains_a_setting_that_does_not_fit_and_keeps_the_rest(
    patient_client, patient, overrides, field, words
):
    response = patient_client.post(URL, _post(**overrides))

    assert response.status_code == 200
    form = response.context["form"]
    assert any(words in e for e in form.errors[field]), form.errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert response.context["form"]["follow_up_hours"].value() == _post(**overrides).get(
        "follow_up_hours"
    )
    assert not ReminderPreference.objects.filter(patient=patient).exists()


def test_it_refuses_reminders_without_an_email_address(patient_client, patient):
    patient.user.email = ""
    patient.user.save()

    response = patient_client.post(URL, _post())

    assert "no email address for you" in response.content.decode()
    assert not ReminderPreference.objects.filter(patient=patient).exists()


def test_it_is_only_for_the_patient_themself(
    client,
    patient,
    other_patient,
    clinician,
    other_clinician,
    clinic_admin,
    guardians,
):
    reminders_on(patient, remind_at=dt.time(18, 15))

    assert_not_found_for(
        client,
        [clinician, other_clinician, clinic_admin, *guardians],
        URL,
    )
    assert_not_found_for(client, [clinician, *guardians], URL, method="post")
    assert_login_redirect(client, URL)
    assert_login_redirect(client, URL, method="post")
    client.force_login(other_patient.user)
    page = client.get(URL).content.decode()
    assert "18:15" not in page and patient.user.email not in page


def test_the_account_page_links_to_reminders_for_a_patient(patient_client):
    page = patient_client.get(reverse("tracker:account")).content.decode()

    assert URL in page


# --- The stop link ---------------------------------------------------------------------------


def _stop_url(patient) -> str:
    return reverse("tracker:reminders_stop", args=[reminder_stop_token(patient=patient)])


def test_opening_the_stop_link_asks_before_it_stops(client, patient):
    reminders_on(patient)

    response = client.get(_stop_url(patient))

    assert response.status_code == 200
    assert "Stop reminders" in response.content.decode()
    assert ReminderPreference.objects.get(patient=patient).enabled


def test_the_stop_button_turns_reminders_off_without_signing_in(client, patient):
    reminders_on(patient)

    response = client.post(_stop_url(patient))

    assert "Reminders stopped" in response.content.decode()
    assert not ReminderPreference.objects.get(patient=patient).enabled


def test_a_mail_clients_one_click_post_turns_reminders_off(client, patient):
    reminders_on(patient)
    client.handler.enforce_csrf_checks = True

    response = client.post(
        _stop_url(patient),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert not ReminderPreference.objects.get(patient=patient).enabled


def test_a_changed_stop_link_stops_nothing(client, patient, other_patient):
    reminders_on(patient)
    reminders_on(other_patient)
    token = reminder_stop_token(patient=patient)
    forged = token.replace(
        token.split(":")[0], reminder_stop_token(patient=other_patient).split(":")[0]
    )

    for url in [
        reverse("tracker:reminders_stop", args=[forged]),
        reverse("tracker:reminders_stop", args=["nonsense"]),
    ]:
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404

    assert ReminderPreference.objects.filter(enabled=True).count() == 2
