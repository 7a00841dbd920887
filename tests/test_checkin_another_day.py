"""Another day's check-in page shows that day's saved answers, so saving it unchanged keeps the
day (issue 14: a blank form for an earlier day replaced its answers)."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from rehab.selectors import programme_items_on
from tests.factories import checkin_post, rehab_brace, rehab_programme
from tracker.models import DiaryEntry

pytestmark = pytest.mark.django_db
URL = reverse("tracker:checkin")


class FormValues(HTMLParser):
    """What a browser would post for the page's check-in form, as it was rendered."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "textarea" and name:
            self._textarea = name
            self.values.setdefault(name, [""])
        if tag != "input" or not name or name == "csrfmiddlewaretoken":
            return
        kind = a.get("type", "text")
        if kind in ("radio", "checkbox"):
            if "checked" in a:
                self.values.setdefault(name, []).append(a.get("value", "on"))
        else:
            self.values.setdefault(name, []).append(a.get("value") or "")

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] = [self.values[self._textarea][0] + data]

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def page_values(html: str) -> dict:
    parser = FormValues()
    parser.feed(html)
    return {k: v if len(v) > 1 else v[0] for k, v in parser.values.items()}


def test_saving_another_days_page_unchanged_keeps_its_answers(patient_client, patient):
    day = patient.local_today() - dt.timedelta(days=2)
    rehab_brace(patient, valid_from=day - dt.timedelta(days=3))
    rehab_programme(patient, valid_from=day - dt.timedelta(days=3))
    items = ",".join(str(i.pk) for i in programme_items_on(patient, day))
    sections = {"brace-worn": "prescribed", "exercises-items": items, "exercises-all_done": "on"}
    saved = patient_client.post(f"{URL}?day={day}", checkin_post(day, **sections))
    assert saved.status_code == 302
    first = patient_client.get(f"{URL}?day={day}")
    entry = DiaryEntry.objects.get(patient=patient, day=day)
    assert {a.activity: a.pain for a in entry.activities.all()} == {"walking": 2, "sport": 6}

    values = page_values(first.content.decode())
    assert values["day"] == day.isoformat()
    assert values["activities"] == ["walking", "sport"]
    response = patient_client.post(f"{URL}?day={day}", values, follow=True)

    assert "Nothing had changed" in response.content.decode()
    entry = DiaryEntry.objects.get(patient=patient, day=day)
    assert {a.activity: a.pain for a in entry.activities.all()} == {"walking": 2, "sport": 6}
    assert (entry.pain_now, entry.pain_worst, entry.medicine_doses) == (3, 5, 2)


def test_picking_a_saved_day_without_javascript_shows_its_answers(patient_client, patient):
    today = patient.local_today()
    day = today - dt.timedelta(days=1)
    patient_client.post(f"{URL}?day={day}", checkin_post(day, pain_now="4", pain_worst="7"))
    values = page_values(patient_client.get(URL).content.decode())
    assert values["shown_day"] == today.isoformat()

    # Today's page, the day picker moved to yesterday, other answers typed, then "save".
    response = patient_client.post(URL, {**values, **checkin_post(day, pain_now="0")})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.day_switched
    assert "so nothing was saved: here are its answers" in response.content.decode()
    assert (form.initial["pain_now"], form.initial["pain_worst"]) == ("4", "7")
    shown = page_values(response.content.decode())
    assert (shown["day"], shown["pain_now"], shown["pain_worst"]) == (day.isoformat(), "4", "7")
    entry = DiaryEntry.objects.get(patient=patient, day=day)
    assert (entry.pain_now, entry.pain_worst) == (4, 7)


def test_picking_an_empty_day_saves_the_answers_for_it(patient_client, patient):
    today = patient.local_today()
    day = today - dt.timedelta(days=1)
    values = page_values(patient_client.get(URL).content.decode())

    response = patient_client.post(URL, {**values, **checkin_post(day, pain_now="2")})

    assert response.status_code == 302
    assert DiaryEntry.objects.get(patient=patient).day == day


def test_a_past_days_questions_speak_of_that_day(patient_client, patient):
    today = patient.local_today()
    day = today - dt.timedelta(days=2)
    rehab_brace(patient, valid_from=day - dt.timedelta(days=3))
    rehab_programme(patient, valid_from=day - dt.timedelta(days=3))
    words = f"on {day:%A} {day.day} {day:%B}"

    html = patient_client.get(f"{URL}?day={day}").content.decode()

    assert f"How bad was your back pain {words}?" in html
    assert f"What was your worst pain {words}?" in html
    assert f"What did you do {words}?" in html
    assert f"Did you take pain medicine {words}?" in html
    assert f"Your brace {words}" in html
    assert f"I did all my exercises {words}" in html
    assert "right now" not in html
    form = patient_client.get(f"{URL}?day={day}").context["form"]
    assert form.symptoms_legend == f"Did you have any of these {words}?"


def test_todays_questions_keep_their_words(patient_client, patient):
    rehab_programme(patient, valid_from=patient.local_today() - dt.timedelta(days=3))

    html = patient_client.get(URL).content.decode()

    assert "How bad is your back pain right now?" in html
    assert "What was your worst pain today?" in html
    assert "I did all of today&#x27;s exercises" in html
