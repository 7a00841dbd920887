"""A patient completes the PSFS on a phone: naming activities at baseline, rating them later."""

import datetime as dt

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.factories import PASSWORD, outcome_schedule
from tracker.models import QuestionnaireResponse


def _check_page(page) -> None:
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_it_completes_a_psfs_at_baseline_and_at_follow_up(live_server, phone_page, patient):
    page = phone_page
    today = patient.local_today()
    schedule = outcome_schedule(patient, "psfs", starts_on=today)
    log_in(page, live_server, "maya", PASSWORD)
    _check_page(page)

    page.get_by_role("button", name="Start: things you find hard").click()
    _check_page(page)
    page.get_by_label("Activity 1").fill("Back walkover")
    page.get_by_label("Activity 2").fill("Bowling")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Please name an activity here.")).to_be_visible()
    page.get_by_label("Activity 3").fill("Sitting in class")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("step 2 of 2")).to_be_visible()
    walkover = page.get_by_role("group", name="Back walkover")
    walkover.get_by_text("2", exact=True).click()
    page.get_by_role("group", name="Bowling").get_by_text("4", exact=True).click()
    page.get_by_role("group", name="Sitting in class").get_by_text("3", exact=True).click()
    _check_page(page)
    page.get_by_role("button", name="Send my answers").click()

    expect(page.get_by_text("Thank you! Your answers were sent")).to_be_visible()
    baseline = QuestionnaireResponse.objects.get(patient=patient)
    assert baseline.score == 3.0 and baseline.is_baseline

    # Four weeks later the follow-up is due: same activities, only the ratings.
    QuestionnaireResponse.objects.filter(pk=baseline.pk).update(
        due_on=today - dt.timedelta(weeks=4)
    )
    schedule.starts_on = today - dt.timedelta(weeks=4)
    schedule.save()
    page.goto(f"{live_server.url}/me/")
    page.get_by_role("button", name="Start: things you find hard").click()
    expect(page.get_by_text("step 1 of 1")).to_be_visible()
    page.get_by_role("group", name="Back walkover").get_by_text("6", exact=True).click()
    page.get_by_role("group", name="Bowling").get_by_text("5", exact=True).click()
    _check_page(page)
    page.get_by_role("button", name="Save and finish later").click()
    page.get_by_role("button", name="Carry on: things you find hard").click()
    assert page.get_by_role("group", name="Bowling").get_by_label("5", exact=True).is_checked()
    page.get_by_role("group", name="Sitting in class").get_by_text("4", exact=True).click()
    page.get_by_role("button", name="Send my answers").click()

    expect(page.get_by_text("Thank you! Your answers were sent")).to_be_visible()
    follow_up = QuestionnaireResponse.objects.exclude(pk=baseline.pk).get()
    assert follow_up.score == 5.0
    assert follow_up.activities == ["Back walkover", "Bowling", "Sitting in class"]


def test_it_shows_the_clinician_scores_and_schedule_accessibly(
    live_server, phone_page, patient, clinician
):
    from tests.factories import submitted_response

    start = patient.local_today() - dt.timedelta(weeks=4)
    outcome_schedule(patient, "weekly_pain", starts_on=start)
    for week, pain in ((0, 7), (4, 4)):
        submitted_response(
            patient,
            "weekly_pain",
            due_on=start + dt.timedelta(weeks=week),
            answers={"average": pain, "worst": 9},
        )
    log_in(phone_page, live_server, "dr.okafor", PASSWORD)

    phone_page.goto(f"{live_server.url}/patients/{patient.pk}/outcomes/")

    expect(phone_page.get_by_text("Important improvement")).to_be_visible()
    expect(phone_page.get_by_text("Oswestry Disability Index v2.1a: not available")).to_be_visible()
    _check_page(phone_page)
    phone_page.get_by_role("link", name="Choose questionnaires").first.click()
    _check_page(phone_page)
