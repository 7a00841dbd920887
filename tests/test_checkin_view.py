"""The check-in page: saving a day, bad input kept beside its field, warning signs, access."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import checkin_post
from tests.helpers import assert_login_redirect, assert_not_found_for
from tracker.models import DiaryEntry, WarningSignAlert

pytestmark = pytest.mark.django_db
URL = reverse("tracker:checkin")


def test_it_shows_the_form_for_today(patient_client, patient):
    response = patient_client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "How is your back today?" in html
    assert "no pain" in html and "worst pain imaginable" in html
    assert html.count('name="pain_now"') == 11
    assert "Bending backwards (arching your back)" in html


def test_it_saves_a_check_in_and_redirects_to_the_confirmation(patient_client, patient):
    today = patient.local_today()

    response = patient_client.post(URL, checkin_post(today), follow=True)

    entry = DiaryEntry.objects.get(patient=patient, day=today)
    assert (entry.pain_now, entry.pain_worst, entry.medicine_doses) == (3, 5, 2)
    assert {a.activity: a.pain for a in entry.activities.all()} == {"walking": 2, "sport": 6}
    assert response.redirect_chain[-1][0] == reverse(
        "tracker:checkin_saved", kwargs={"day": today.isoformat()}
    )
    assert "Saved. Well done for checking in!" in response.content.decode()
    assert "Walking (2/10)" in response.content.decode()


def test_it_updates_the_same_day_when_saved_again(patient_client, patient):
    today = patient.local_today()
    patient_client.post(URL, checkin_post(today))

    response = patient_client.post(URL, checkin_post(today, pain_now="1"), follow=True)

    assert DiaryEntry.objects.filter(patient=patient).count() == 1
    assert DiaryEntry.objects.get(patient=patient).pain_now == 1
    assert "updated that day" in response.content.decode()


def test_it_keeps_one_entry_after_a_double_tap(patient_client, patient):
    today = patient.local_today()
    data = checkin_post(today)

    first = patient_client.post(URL, data)
    second = patient_client.post(URL, data)

    assert (first.status_code, second.status_code) == (302, 302)
    entry = DiaryEntry.objects.get(patient=patient, day=today)
    assert entry.versions.count() == 1


def test_it_prefills_the_form_with_what_was_saved(patient_client, patient):
    today = patient.local_today()
    patient_client.post(URL, checkin_post(today, note="Sore after PE"))

    html = patient_client.get(URL).content.decode()

    assert "You already checked in for this day" in html
    assert 'value="3" id="id_pain_now_3" required checked' in html
    assert "Sore after PE</textarea>" in html


def test_it_drops_the_pain_of_an_activity_that_was_unticked(patient_client, patient):
    today = patient.local_today()

    patient_client.post(URL, checkin_post(today, activities=["walking"], pain_running="7"))

    entry = DiaryEntry.objects.get(patient=patient)
    assert list(entry.activities.values_list("activity", flat=True)) == ["walking"]


def _bad(patient, **overrides):
    return checkin_post(patient.local_today(), **overrides)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"pain_now": "-1"}, "pain_now", "Pick a number from 0 to 10."),
        ({"pain_now": "11", "pain_worst": "11"}, "pain_now", "Pick a number from 0 to 10."),
        ({"pain_worst": "3.5"}, "pain_worst", "Pick a number from 0 to 10."),
        ({"pain_worst": "abc"}, "pain_worst", "Pick a number from 0 to 10."),
        ({"pain_now": None}, "pain_now", "Pick a number from 0 to 10. Tap one."),
        ({"pain_sport": "11"}, "pain_sport", "Pick a number from 0 to 10."),
        ({"pain_sport": None}, "pain_sport", "Tap how much training or playing your sport hurt"),
        (
            {"activities": ["walking", "skydiving"]},
            "activities",
            "Pick things from the list. “skydiving” isn&#x27;t one.",
        ),
        ({"note": "x" * 100 * 1024}, "note", "Your note is too long. Keep it under 2000"),
        ({"pain_now": "6", "pain_worst": "4"}, "pain_worst", "can&#x27;t be lower than"),
        ({"medicine_doses": None}, "medicine_doses", "How many times did you take it?"),
        ({"medicine": "none", "medicine_doses": "3"}, "medicine_doses", "You said no medicine"),
        ({"medicine_doses": "lots"}, "medicine_doses", "Type a whole number"),
        ({"medicine": "morphine"}, "medicine", "Pick a medicine from the list."),
        ({"pain_reach": "neck"}, "pain_reach", "Pick one of the places on the list."),
        ({"saddle_numbness": None}, "saddle_numbness", "We ask every day to keep you safe."),
        ({"bladder_bowel": "maybe"}, "bladder_bowel", "Tap yes or no."),
        ({"day": "not-a-day"}, "day", "Type the day like"),
    ],
    ids=[
        "pain-minus-1",
        "pain-11",
        "pain-3.5",
        "pain-abc",
        "pain-missing",
        "activity-pain-11",
        "activity-without-pain",
        "unknown-activity",
        "100KB-note",
        "worst-below-now",
        "doses-missing",
        "doses-without-medicine",
        "doses-not-a-number",
        "unknown-medicine",
        "unknown-place",
        "warning-sign-unanswered",
        "warning-sign-not-yes-or-no",
        "malformed-day",
    ],
)
def test_it_rejects_bad_input_beside_the_field(patient_client, patient, overrides, field, message):
    response = patient_client.post(URL, _bad(patient, **overrides))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    error_block = html.split(f'id="id_{field}_error">', 1)[1].split("</div>", 1)[0]
    assert message in error_block
    assert not DiaryEntry.objects.exists()
    # The rest of the form is kept.
    if field != "note":
        assert "Felt stiff after training.</textarea>" in html
    if field not in {"pain_now", "pain_worst"}:
        assert 'value="5" id="id_pain_worst_5" required checked' in html


@pytest.mark.parametrize(
    ("days", "message"),
    [(1, "That day hasn&#x27;t happened yet."), (-8, "You can only fill in the last 7 days.")],
    ids=["future-day", "more-than-a-week-ago"],
)
def test_it_rejects_days_outside_the_window(patient_client, patient, days, message):
    day = patient.local_today() + dt.timedelta(days=days)

    response = patient_client.post(URL, checkin_post(day))

    assert message in response.content.decode().split('id="id_day_error">', 1)[1]
    assert not DiaryEntry.objects.exists()


def test_it_rejects_a_day_before_enrolment(patient_client, patient):
    today = patient.local_today()
    patient.enrolled_on = today - dt.timedelta(days=2)
    patient.save()

    response = patient_client.post(URL, checkin_post(today - dt.timedelta(days=3)))

    error = response.content.decode().split('id="id_day_error">', 1)[1]
    assert "You can only fill in days from" in error and "when you joined" in error
    assert not DiaryEntry.objects.exists()


def test_it_fills_in_a_missed_day(patient_client, patient):
    day = patient.local_today() - dt.timedelta(days=3)

    patient_client.get(f"{URL}?day={day.isoformat()}")
    response = patient_client.post(f"{URL}?day={day.isoformat()}", checkin_post(day))

    assert response.status_code == 302
    assert DiaryEntry.objects.get(patient=patient).day == day


def test_it_escapes_html_in_the_note_everywhere(patient_client, patient):
    today = patient.local_today()
    note = '<script>alert("x")</script><b>bold</b>'
    patient_client.post(URL, checkin_post(today, note=note))

    pages = [
        reverse("tracker:checkin_saved", kwargs={"day": today.isoformat()}),
        reverse("tracker:diary_entry", kwargs={"day": today.isoformat()}),
        URL,
    ]
    for page in pages:
        html = patient_client.get(page).content.decode()
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in html
        assert "<script>alert" not in html and "<b>bold</b>" not in html
    assert DiaryEntry.objects.get().note == note


def test_it_shows_urgent_advice_and_raises_an_alert_for_a_warning_sign(patient_client, patient):
    today = patient.local_today()

    response = patient_client.post(URL, checkin_post(today, bladder_bowel="yes"), follow=True)

    html = response.content.decode()
    assert 'role="alert"' in html and "Get medical help now" in html
    assert "999" in html and "A&amp;E" in html
    alert = WarningSignAlert.objects.get(patient=patient)
    assert (alert.day, alert.bladder_bowel, alert.is_open) == (today, True, True)
    home = patient_client.get(reverse("tracker:patient_home")).content.decode()
    assert "you told us about a warning sign" in home


def test_it_shows_no_urgent_advice_without_a_warning_sign(patient_client, patient):
    response = patient_client.post(URL, checkin_post(patient.local_today()), follow=True)

    assert "Get medical help now" not in response.content.decode()
    assert not WarningSignAlert.objects.exists()


def test_it_does_not_let_a_discharged_patient_check_in(patient_client, patient):
    patient.status, patient.discharged_on = "discharged", patient.local_today()
    patient.save()

    response = patient_client.post(URL, checkin_post(patient.local_today()))

    assert response.status_code == 302
    assert response["Location"] == reverse("tracker:diary_list")
    assert not DiaryEntry.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_is_only_for_patients(
    client,
    clinician,
    other_clinician,
    foreign_clinician,
    method,
    guardians,
):
    assert_not_found_for(
        client,
        [clinician, other_clinician, foreign_clinician, *guardians],
        URL,
        method,
    )
    assert_login_redirect(client, URL, method)
    assert not DiaryEntry.objects.exists()


def test_it_saves_for_the_signed_in_patient_only(client, patient, other_patient):
    client.force_login(other_patient.user)

    client.post(URL, checkin_post(other_patient.local_today()))

    assert not DiaryEntry.objects.filter(patient=patient).exists()
    assert DiaryEntry.objects.filter(patient=other_patient).count() == 1
