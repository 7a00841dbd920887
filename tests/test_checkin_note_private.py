"""The note's privacy on the check-in (issue 16): asked only when the young person has a guardian,
private unless they untick it, on the page and in the API alike."""

import pytest
from django.urls import reverse

from tests.factories import checkin_post, guardian_link
from tracker.models import DiaryEntry

pytestmark = pytest.mark.django_db
URL = reverse("tracker:checkin")
LABEL = "Keep this note private (only you and your care team see it)"


def _put(client, day, **fields):
    data = {
        "pain_now": 3,
        "pain_worst": 5,
        "note": "Only for my physio.",
        "saddle_numbness": False,
        "bladder_bowel": False,
        "leg_weakness_worse": False,
        **fields,
    }
    return client.put(
        reverse("api:checkin_day", args=[day.isoformat()]), data, content_type="application/json"
    )


def test_without_a_guardian_the_check_in_does_not_ask(patient_client, patient):
    html = patient_client.get(URL).content.decode()

    patient_client.post(URL, checkin_post(patient.local_today()))

    assert LABEL not in html
    assert DiaryEntry.objects.get(patient=patient).note_private is True


def test_with_a_guardian_the_box_is_under_the_note_and_ticked(
    patient_client, patient, patients_guardian
):
    html = patient_client.get(URL).content.decode()

    assert LABEL in html
    assert 'name="note_private_shown"' in html
    assert html.index('name="note"') < html.index('name="note_private"')
    box = html[html.index('name="note_private"') - 80 : html.index('name="note_private"') + 80]
    assert "checked" in box


def test_the_young_person_may_share_a_note_and_keep_the_next_private(
    patient_client, patient, patients_guardian
):
    today = patient.local_today()
    # An unticked box is absent from the post: the note is shared.
    patient_client.post(URL, checkin_post(today, note_private_shown="1"))
    shared = DiaryEntry.objects.get(patient=patient).note_private
    patient_client.post(URL, checkin_post(today, note_private_shown="1", note_private="on"))

    assert shared is False
    assert DiaryEntry.objects.get(patient=patient).note_private is True


def test_a_page_for_a_shared_note_shows_the_box_unticked(
    patient_client, patient, patients_guardian
):
    today = patient.local_today()
    patient_client.post(URL, checkin_post(today, note_private_shown="1"))

    html = patient_client.get(URL).content.decode()

    box = html[html.index('name="note_private"') - 80 : html.index('name="note_private"') + 80]
    assert "checked" not in box


def test_an_ended_link_no_longer_asks(patient_client, patient):
    from tracker.rules.guardians import LinkEnd
    from tracker.services.guardians import guardian_link_end

    link = guardian_link(patient)
    guardian_link_end(link=link, reason=LinkEnd.REMOVED, by=patient.treating_clinician)

    assert LABEL not in patient_client.get(URL).content.decode()


def test_the_api_takes_note_private_and_keeps_it_when_left_out(patient_client, patient):
    today = patient.local_today()

    first = _put(patient_client, today, note_private=False)
    again = _put(patient_client, today, pain_now=2)

    assert first.status_code == 201 and first.json()["note_private"] is False
    assert again.status_code == 200 and again.json()["note_private"] is False
    assert DiaryEntry.objects.get(patient=patient).note_private is False


def test_the_api_keeps_a_new_days_note_private_by_default(patient_client, patient):
    response = _put(patient_client, patient.local_today())

    assert response.json()["note_private"] is True


def test_the_api_refuses_a_note_private_that_is_not_a_yes_or_no(patient_client, patient):
    response = _put(patient_client, patient.local_today(), note_private="maybe")

    assert response.status_code == 400
    assert "note_private" in response.json()
    assert not DiaryEntry.objects.exists()


def test_a_post_from_a_page_without_the_box_keeps_the_note_private(
    patient_client, patient, patients_guardian
):
    # A page opened before the guardian was linked had no box: nothing was chosen.
    patient_client.post(URL, checkin_post(patient.local_today()))

    assert DiaryEntry.objects.get(patient=patient).note_private is True
