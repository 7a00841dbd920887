"""The check-in page a patient cannot misread (issue 14, the page side): a refused save is
summarised at the top with every field counted and linked, the warning-sign advice says only
what is true when it is shown, the confirmation shows everything saved, the note states its
limit, the optional answers sit one tap away, and the patient's navigation is one row."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from rehab.models import BraceLog, ExerciseLog
from tests.factories import checkin_post, rehab_brace, rehab_programme
from tracker.models import DiaryEntry

pytestmark = pytest.mark.django_db
URL = reverse("tracker:checkin")


@pytest.fixture
def plan(patient):
    start = patient.local_today() - dt.timedelta(days=3)
    rehab_brace(patient, valid_from=start)
    return list(rehab_programme(patient, valid_from=start).items.all())


def exercise_answers(items, **overrides) -> dict:
    data = {"exercises-items": ",".join(str(i.pk) for i in items)}
    for item in items:
        data[f"exercises-done_{item.pk}"] = "yes"
        data[f"exercises-sets_{item.pk}"] = "2"
        data[f"exercises-pain_{item.pk}"] = "3"
    data.update(overrides)
    return data


def summary_of(html: str) -> str:
    match = re.search(r'<div class="form-error-summary" id="error-summary".*?</div>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


def flagged_fields(html: str) -> int:
    """Fields the page highlights: each field's own error block."""
    return len(re.findall(r'class="field-errors" id="', html))


def test_a_refused_save_counts_and_links_every_field_the_sections_included(
    patient_client, patient, plan
):
    first, second = plan
    data = checkin_post(
        patient.local_today(),
        pain_now="11",
        **{"brace-hours": "30"},
        **exercise_answers(plan, **{f"exercises-sets_{first.pk}": "7,5"}),
    )
    data.pop(f"exercises-done_{second.pk}")

    html = patient_client.post(URL, data).content.decode()

    summary = summary_of(html)
    assert "Please check the 4 highlighted fields below." in summary
    assert flagged_fields(html) == 4
    links = re.findall(r'<a href="#([^"]+)">', summary)
    assert links == [
        "id_pain_now_0",
        "id_brace-hours",
        f"id_exercises-sets_{first.pk}",
        f"id_exercises-done_{second.pk}_0",
    ]
    for anchor in links:
        assert f'id="{anchor}"' in html, anchor
    assert 'tabindex="-1" autofocus' in summary
    assert html.index("error-summary") < html.index('class="checkin-form"')
    assert f"{first.exercise.name}: Sets done" in summary
    assert not DiaryEntry.objects.exists()
    assert not BraceLog.objects.exists()
    assert not ExerciseLog.objects.exists()


def test_a_refused_save_keeps_every_answer_typed(patient_client, patient, plan):
    data = checkin_post(patient.local_today(), **{"brace-hours": "30"}, **exercise_answers(plan))

    html = patient_client.post(URL, data).content.decode()

    assert "Please check the 1 highlighted field below." in html
    assert 'name="brace-hours" value="30"' in html
    assert "Felt stiff after training." in html


def test_the_advice_before_saving_says_only_what_to_do_now(patient_client):
    html = patient_client.get(URL).content.decode()

    preview = html[html.index('class="urgent urgent-preview"') :]
    assert "told your care team" not in html
    assert "will see this" not in preview
    assert '<a class="call-button call-emergency" href="tel:999">Call 999' in preview
    assert '<a class="call-button" href="tel:111">Call 111' in preview


def test_the_confirmation_says_who_is_told_and_puts_the_call_buttons_first(patient_client, patient):
    saved = patient_client.post(URL, checkin_post(patient.local_today(), bladder_bowel="yes"))

    html = patient_client.get(saved["Location"]).content.decode()

    told = (
        "Your care team is sent an email to look at ParsTrack, and will see this when they open it."
    )
    assert told in html
    assert "told your care team" not in html
    assert html.index('href="tel:999"') < html.index("Well done for checking in!")
    assert html.index('href="tel:111"') < html.index("Well done for checking in!")


def test_the_confirmation_shows_the_brace_hours_and_each_exercise(patient_client, patient, plan):
    first, second = plan
    answers = exercise_answers(plan, **{f"exercises-done_{second.pk}": "no"})
    answers.pop(f"exercises-sets_{second.pk}")
    answers.pop(f"exercises-pain_{second.pk}")
    saved = patient_client.post(
        URL, checkin_post(patient.local_today(), **{"brace-hours": "7.5"}, **answers)
    )

    html = patient_client.get(saved["Location"]).content.decode()

    assert "<dt>Brace</dt><dd>7.5 hours worn</dd>" in html
    assert f"<li>{first.exercise.name}: done, 2 sets, pain 3/10</li>" in html
    assert f"<li>{second.exercise.name}: not done</li>" in html


def test_the_note_states_its_limit_and_a_longer_note_is_refused_beside_it(patient_client, patient):
    page = patient_client.get(URL).content.decode()
    assert "Up to 2,000 characters." in page
    assert "maxlength" not in page

    html = patient_client.post(
        URL, checkin_post(patient.local_today(), note="x" * 2001)
    ).content.decode()

    assert "Your note is too long." in html
    assert '<a href="#id_note">' in summary_of(html)
    assert not DiaryEntry.objects.exists()


def test_the_optional_answers_are_one_tap_away_and_open_when_given(patient_client, patient):
    blank = patient_client.get(URL).content.decode()
    assert '<details class="optional-more">' in blank

    today = patient.local_today()
    patient_client.post(URL, checkin_post(today))
    filled = patient_client.get(f"{URL}?day={today.isoformat()}").content.decode()
    assert '<details class="optional-more" open>' in filled

    refused = patient_client.post(URL, checkin_post(today, medicine_doses="99")).content.decode()
    assert '<details class="optional-more" open>' in refused


def test_the_patient_nav_puts_check_in_first_and_log_out_in_the_menu(patient_client):
    html = patient_client.get(URL).content.decode()

    nav = html[html.index('<nav class="site-nav patient-nav"') : html.index("</nav>")]
    links = re.findall(r"<a (?:class=\"[^\"]+\" )?href=\"([^\"]+)\"", nav)
    assert links[0] == URL
    assert '<details class="nav-menu">' in nav
    assert nav.index("<summary>Menu</summary>") < nav.rindex("Log out")


def test_the_clinician_nav_is_unchanged(clinician_client):
    html = clinician_client.get(reverse("tracker:patient_list")).content.decode()

    assert 'class="site-nav" aria-label="Main"' in html
    assert "nav-menu" not in html
    assert "Log out" in html


def test_a_past_days_page_asks_about_that_day_in_its_own_headings(patient_client, patient):
    day = patient.local_today() - dt.timedelta(days=1)
    patient.enrolled_on = day - dt.timedelta(days=5)
    patient.save()

    html = patient_client.get(f"{URL}?day={day.isoformat()}").content.decode()

    assert f"Did you have any of these on {day:%A} {day.day} {day:%B}?" in html
    assert "Did you have any of these today?" not in html


def test_the_diary_day_page_shows_the_brace_hours_and_exercises_too(patient_client, patient, plan):
    today = patient.local_today()
    patient_client.post(URL, checkin_post(today, **{"brace-hours": "23"}, **exercise_answers(plan)))

    html = patient_client.get(reverse("tracker:diary_entry", args=[today.isoformat()])).text

    assert "<dt>Brace</dt><dd>23 hours worn</dd>" in html
    assert f"<li>{plan[0].exercise.name}: done, 2 sets, pain 3/10</li>" in html
