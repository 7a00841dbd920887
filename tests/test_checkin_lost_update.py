"""Issue 19, finding 5: two browsers open the same day; the first saves a note; the second, on its
stale page, changes the pain and saves. The second save is refused out loud (what the first one
changed is shown, the patient's answers stay on the form), nothing is overwritten; the API's PUT
gives the same answer with `If-Match` (412 with both versions)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from rehab.models import BraceLog
from tests.factories import checkin_post, rehab_brace
from tracker.models import DiaryEntry

pytestmark = pytest.mark.django_db
URL = reverse("tracker:checkin")


def page_version(html: str) -> str:
    return re.search(r'name="version" value="([^"]*)"', html).group(1)


def open_page(client) -> str:
    """What a browser holds after opening the check-in page: the day's version."""
    return page_version(client.get(URL).content.decode())


def api_url(day: dt.date) -> str:
    return reverse("api:checkin_day", args=[day.isoformat()])


def api_body(**overrides) -> dict:
    data = {
        "pain_now": 3,
        "pain_worst": 5,
        "saddle_numbness": False,
        "bladder_bowel": False,
        "leg_weakness_worse": False,
    }
    return data | overrides


@pytest.fixture
def today(patient):
    return patient.local_today()


@pytest.fixture
def saved_day(patient_client, today):
    """The day as first saved, with no note."""
    patient_client.post(URL, checkin_post(today, note=""))


def test_it_refuses_a_stale_page_and_shows_what_the_other_save_changed(
    patient_client, patient, today, saved_day
):
    first = second = open_page(patient_client)
    patient_client.post(URL, checkin_post(today, note="Sore after PE", version=first))

    response = patient_client.post(URL, checkin_post(today, pain_now="1", note="", version=second))

    assert response.status_code == 200
    html = response.content.decode()
    assert "saved somewhere else" in html
    assert "Note: not given → Sore after PE" in html
    entry = DiaryEntry.objects.get(patient=patient)
    assert (entry.note, entry.pain_now) == ("Sore after PE", 3)
    assert entry.versions.count() == 2
    # The patient's own answers are still on the form.
    assert 'value="1" id="id_pain_now_1" required checked' in html


def test_it_saves_the_patients_answers_once_they_saw_the_other_save(
    patient_client, patient, today, saved_day
):
    stale = open_page(patient_client)
    patient_client.post(URL, checkin_post(today, note="Sore after PE", version=stale))
    refused = patient_client.post(URL, checkin_post(today, pain_now="1", version=stale))

    again = patient_client.post(
        URL, checkin_post(today, pain_now="1", version=page_version(refused.content.decode()))
    )

    assert again.status_code == 302
    assert DiaryEntry.objects.get(patient=patient).pain_now == 1


def test_it_refuses_a_page_opened_before_the_day_was_first_saved(patient_client, patient, today):
    blank = open_page(patient_client)
    patient_client.post(URL, checkin_post(today, note="From my phone", version=blank))

    response = patient_client.post(URL, checkin_post(today, pain_now="0", version=blank))

    html = response.content.decode()
    assert response.status_code == 200
    assert "saved somewhere else" in html and "Note: not given → From my phone" in html
    assert DiaryEntry.objects.get(patient=patient).note == "From my phone"


def test_it_refuses_a_stale_page_when_only_the_brace_hours_changed(patient_client, patient, today):
    rehab_brace(patient, valid_from=today - dt.timedelta(days=3))
    patient_client.post(URL, checkin_post(today, **{"brace-hours": "6"}))
    stale = open_page(patient_client)
    patient_client.post(URL, checkin_post(today, version=stale, **{"brace-hours": "9"}))

    response = patient_client.post(
        URL, checkin_post(today, pain_now="1", version=stale, **{"brace-hours": "6"})
    )

    assert response.status_code == 200
    assert "brace hours or exercise answers changed" in response.content.decode()
    assert BraceLog.objects.get(patient=patient).hours == 9
    assert DiaryEntry.objects.get(patient=patient).pain_now == 3


def test_it_saves_a_page_that_is_up_to_date(patient_client, patient, today, saved_day):
    response = patient_client.post(
        URL, checkin_post(today, pain_now="1", version=open_page(patient_client))
    )

    assert response.status_code == 302
    assert DiaryEntry.objects.get(patient=patient).pain_now == 1


def test_it_gives_the_page_and_the_api_the_same_version(patient_client, today, saved_day):
    etag = patient_client.get(api_url(today))["ETag"]

    assert etag == f'"{open_page(patient_client)}"'


def test_it_answers_412_with_both_versions_for_a_stale_if_match(patient_client, patient, today):
    created = patient_client.put(api_url(today), api_body(), content_type="application/json")
    stale = created["ETag"]
    patient_client.put(
        api_url(today), api_body(note="Sore"), content_type="application/json", HTTP_IF_MATCH=stale
    )

    response = patient_client.put(
        api_url(today), api_body(pain_now=1), content_type="application/json", HTTP_IF_MATCH=stale
    )

    assert response.status_code == 412
    data = response.json()
    assert "saved somewhere else" in data["detail"]
    assert data["changes"] == ["Note: not given → Sore"]
    assert data["current"]["note"] == "Sore" and data["current"]["pain_now"] == 3
    assert data["sent"]["pain_now"] == 1 and data["sent"]["note"] == ""
    assert data["current_etag"] == response["ETag"] != stale
    entry = DiaryEntry.objects.get(patient=patient)
    assert (entry.note, entry.pain_now) == ("Sore", 3)


def test_it_saves_with_the_current_if_match_and_answers_the_new_etag(patient_client, today):
    created = patient_client.put(api_url(today), api_body(), content_type="application/json")

    changed = patient_client.put(
        api_url(today),
        api_body(pain_now=1),
        content_type="application/json",
        HTTP_IF_MATCH=created["ETag"],
    )

    assert changed.status_code == 200
    assert changed["ETag"] != created["ETag"]
    assert patient_client.get(api_url(today))["ETag"] == changed["ETag"]


@pytest.mark.parametrize(
    ("header", "status"),
    [(None, 200), ("*", 200), ('W/"1.abc"', 412), ("garbage", 412), ('"99.x", "1.y"', 412)],
    ids=["absent", "any", "weak", "not-a-tag", "unknown-list"],
)
def test_it_keeps_a_put_without_if_match_as_before(patient_client, today, header, status):
    patient_client.put(api_url(today), api_body(), content_type="application/json")
    extra = {} if header is None else {"HTTP_IF_MATCH": header}

    response = patient_client.put(
        api_url(today), api_body(pain_now=2), content_type="application/json", **extra
    )

    assert response.status_code == status


def test_the_refusal_counts_no_highlighted_field_when_none_is_highlighted(
    patient_client, today, saved_day
):
    # The stale save is a form-wide message: the summary must not send the patient looking for a
    # highlighted field that is not there; a field's own error is still counted.
    first = second = open_page(patient_client)
    patient_client.post(URL, checkin_post(today, note="Sore after PE", version=first))

    stale = patient_client.post(URL, checkin_post(today, pain_now="1", version=second)).text
    bad = patient_client.post(URL, checkin_post(today, pain_now="11")).text

    assert "saved somewhere else" in stale
    assert "highlighted field" not in stale
    assert "Please check the 1 highlighted field below." in bad
