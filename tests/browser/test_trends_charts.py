"""The trends page's charts as a clinician reads them (issue 18): questionnaire points placed by
date on a real time axis, axis dates in words, the other activities one tap away; accessible and
without sideways scrolling at 1366, 768 and 390 px."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.factories import PASSWORD, submitted_response
from tests.helpers import history
from tracker.models import DiaryActivity, DiaryEntry

DRAWN = (
    "() => { const cs = [...document.querySelectorAll('canvas[data-chart]')];"
    " return cs.length > 0 && cs.every(c => window.Chart && Chart.getChart(c)); }"
)


def _four_then_eight_weeks(patient) -> None:
    """Weekly pain answered 4 weeks apart, then 8 weeks apart, over 18 weeks of check-ins."""
    today = patient.local_today()
    began = today - dt.timedelta(weeks=20)
    type(patient).objects.filter(pk=patient.pk).update(
        conservative_care_started=began, enrolled_on=began
    )
    history(patient, 18 * 7, pain=lambda n: 3)  # running at 3
    DiaryActivity.objects.bulk_create(
        DiaryActivity(entry=e, activity=a, pain=p)
        for e in DiaryEntry.objects.filter(patient=patient)
        for a, p in (("arching", 8), ("twisting", 7), ("sport", 6), ("sitting", 2))
    )
    first = today - dt.timedelta(weeks=16)
    for day, average in ((first, 7), (first + dt.timedelta(weeks=4), 5), (today, 3)):
        response = submitted_response(
            patient, "weekly_pain", due_on=day, answers={"average": average, "worst": 8}
        )
        type(response).objects.filter(pk=response.pk).update(submitted_on=day)


@pytest.mark.parametrize("width", [1366, 768, 390])
def test_it_spaces_questionnaires_by_the_time_between_them(
    live_server, desktop_page, clinician, patient, width
):
    page = desktop_page
    page.set_viewport_size({"width": width, "height": 900})
    _four_then_eight_weeks(patient)
    log_in(page, live_server, "dr.okafor", PASSWORD)

    page.goto(f"{live_server.url}/patients/{patient.pk}/trends/?span=6m")
    page.wait_for_function(DRAWN)

    xs = page.evaluate(
        "() => Chart.getChart(document.querySelector('canvas[data-chart=score]'))"
        ".getDatasetMeta(0).data.map(p => p.x)"
    )
    four_weeks, eight_weeks = xs[1] - xs[0], xs[2] - xs[1]
    assert eight_weeks > four_weeks * 1.5, xs
    ticks = page.evaluate(
        "() => [...document.querySelectorAll('canvas[data-chart]')].flatMap("
        "c => Chart.getChart(c).scales.x.ticks.map(t => t.label))"
    )
    assert ticks and not [t for t in ticks if re.search(r"\d{4}-\d\d", str(t))], ticks
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_it_shows_the_other_activities_on_a_tap(live_server, desktop_page, clinician, patient):
    page = desktop_page
    _four_then_eight_weeks(patient)
    log_in(page, live_server, "dr.okafor", PASSWORD)
    page.goto(f"{live_server.url}/patients/{patient.pk}/trends/")
    page.wait_for_function(DRAWN)
    shown = (
        "() => Chart.getChart(document.getElementById('activity-chart'))"
        ".getSortedVisibleDatasetMetas().map(m => m.label)"
    )
    assert page.evaluate(shown) == ["Arching", "Twisting", "Sport"]

    page.get_by_role("button", name="Show all 5 activities").click()

    button = page.get_by_role("button", name="Show the 3 with the most pain")
    expect(button).to_be_visible()
    assert sorted(page.evaluate(shown)) == ["Arching", "Running", "Sitting", "Sport", "Twisting"]
    button.click()
    expect(page.get_by_role("button", name="Show all 5 activities")).to_be_visible()
    assert page.evaluate(shown) == ["Arching", "Twisting", "Sport"]
    assert_accessible(page)
