"""The trends page's charts read at a glance (issue 18): the few activities that hurt most drawn
first, real time axes, one date format, event labels in words, adherence in whole sessions."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from rehab.adherence import whole_sessions
from rehab.services import activity_stage_set
from tests.factories import rehab_programme, submitted_response
from tests.helpers import history
from tracker.models import Activity, DiaryActivity, DiaryEntry
from tracker.selectors.trends.chart import top_activities

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("reports", "top"),
    [
        (
            {"running": [8, 8, 8], "sitting": [2, 2, 2], "sport": [6, 6, 6], "lifting": [7] * 3},
            ["running", "lifting", "sport"],
        ),
        # One painful day is no pattern: it ranks after the activities reported on 3+ days.
        (
            {"arching": [10], "walking": [3, 3, 3], "sitting": [2, 2, 2], "sport": [4, 4, 4]},
            ["sport", "walking", "sitting"],
        ),
        # A tie on mean pain goes to the more often reported.
        ({"walking": [5, 5, 5], "running": [5, 5, 5, 5]}, ["running", "walking"]),
        ({"walking": [], "running": [4]}, ["running"]),
    ],
    ids=["highest-mean", "one-day-ranks-last", "tie-more-often", "unreported-left-out"],
)
def test_it_ranks_the_activities_by_the_pain_they_caused(reports, top):
    ranked = top_activities({Activity(a): v for a, v in reports.items()})

    assert [a.value for a in ranked] == top


def _activities(patient, pains: dict[str, int]) -> None:
    """Each of the patient's check-ins reports every one of these activities at this pain."""
    DiaryActivity.objects.bulk_create(
        DiaryActivity(entry=e, activity=a, pain=p)
        for e in DiaryEntry.objects.filter(patient=patient)
        for a, p in pains.items()
    )


def test_it_draws_the_three_most_painful_activities_and_keeps_the_rest_a_tap_away(
    clinician_client, patient
):
    history(patient, 20, pain=lambda n: 1)  # running at 1
    _activities(patient, {"arching": 8, "twisting": 7, "sport": 6, "sitting": 2, "walking": 3})

    response = clinician_client.get(reverse("tracker:patient_trends", args=[patient.pk]))

    chart = response.context["chart_data"]["activities"]
    shown = [s["label"] for s in chart["datasets"] if not s["hidden"]]
    hidden = [s["label"] for s in chart["datasets"] if s["hidden"]]
    assert shown == ["Arching", "Twisting", "Sport"]
    assert sorted(hidden) == ["Running", "Sitting", "Walking"]
    assert all(chart[s["key"]] for s in chart["datasets"])  # every activity has its points
    html = response.text
    assert "the 3 with the highest mean pain in this range: Arching, Twisting, Sport" in html
    assert "3 more are in the table" in html
    assert "Show all 6 activities" in html
    table = response.context["trends"].activity_table
    assert {"Running", "Sitting", "Walking", "Arching"} <= set(table.headers)


def test_it_puts_every_chart_on_a_time_axis_of_the_range(clinician_client, patient):
    history(patient, 20)
    today = patient.local_today()

    response = clinician_client.get(reverse("tracker:patient_trends", args=[patient.pk]))

    data = response.context["chart_data"]
    trends = response.context["trends"]
    charts = [data["pain"], data["activities"], data["brace"], data["exercise"], *data["scores"]]
    for chart in charts:
        assert (chart["start"], chart["end"]) == (trends.start.isoformat(), today.isoformat())
        # Every dataset names a series the chart carries: one value a label, or one flat value.
        for spec in chart["datasets"]:
            series = chart[spec["key"]]
            assert not isinstance(series, list) or len(series) == len(chart["labels"])
    # A day without a check-in is a gap (null), not a line drawn across it.
    assert data["pain"]["now"][0] is None
    assert "vendor/chartjs-adapter-date-fns/chartjs-adapter-date-fns.min.js" in response.text
    assert "vendor/date-fns/cdn.min.js" in response.text


def test_it_places_questionnaire_points_by_the_day_they_were_answered(clinician_client, patient):
    today = patient.local_today()
    began = today - dt.timedelta(days=120)
    type(patient).objects.filter(pk=patient.pk).update(
        conservative_care_started=began, enrolled_on=began
    )
    history(patient, 100)
    days = [today - dt.timedelta(days=n) for n in (90, 62, 6)]
    for day, average in zip(days, (6, 5, 3), strict=True):
        response = submitted_response(
            patient, "weekly_pain", due_on=day, answers={"average": average, "worst": 8}
        )
        type(response).objects.filter(pk=response.pk).update(submitted_on=day)

    page = clinician_client.get(
        reverse("tracker:patient_trends", args=[patient.pk]), {"span": "6m"}
    )

    [chart] = page.context["chart_data"]["scores"]
    assert chart["labels"] == [d.isoformat() for d in days]


def _visible_text(html: str) -> str:
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_it_says_dates_one_way_and_events_in_words(clinician_client, patient, clinician):
    history(patient, 30)
    today = patient.local_today()
    rehab_programme(patient, valid_from=today - dt.timedelta(days=25))
    for days_ago, stage in ((20, "rest"), (10, "training")):
        activity_stage_set(
            patient=patient,
            prescribed_by=clinician,
            valid_from=today - dt.timedelta(days=days_ago),
            stage=stage,
        )

    response = clinician_client.get(reverse("tracker:patient_trends", args=[patient.pk]))

    text = _visible_text(response.text)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # no ISO dates in what a person reads
    changed = today - dt.timedelta(days=10)
    assert f"{changed.day} {changed:%b %Y}" in text
    assert "Activity stage set to rest from sport" in text
    assert "Activity stage changed to non-contact training, no back-bending" in text
    assert "activitystage" not in text.lower() and "activity_stage" not in text
    labels = [e["label"] for e in response.context["chart_data"]["pain"]["events"]]
    assert "Activity stage changed to non-contact training, no back-bending" in labels


@pytest.mark.parametrize(
    ("done", "prescribed", "shown"),
    [
        (19.1, 27.1, (19, 27)),
        (2.5, 4.5, (3, 5)),  # half up, not to even
        (2.9, 3.0, (2, 3)),  # never "all done" when one was missed
        (3.0, 3.0, (3, 3)),
        (0.43, 0.43, (1, 1)),  # a part week's single day of a 3-a-week exercise: 1 of 1
        (0.0, 0.43, (0, 1)),
        (0.0, 0.0, (0, 0)),
    ],
    ids=["fractions", "half-up", "not-all-done", "all-done", "tiny-done", "tiny-missed", "none"],
)
def test_it_shows_sessions_as_whole_sessions(done, prescribed, shown):
    assert whole_sessions(done, prescribed) == shown


def test_it_shows_whole_sessions_on_the_trends_and_rehab_pages(clinician_client, patient):
    today = patient.local_today()
    history(patient, 20)
    # 3 a week from a Wednesday: the part week prescribes 3 x 5/7 = 2.1 sessions.
    wednesday = today - dt.timedelta(days=today.weekday() + 7 - 2)
    rehab_programme(patient, valid_from=wednesday, sessions_per_week=3)

    trends = clinician_client.get(reverse("tracker:patient_trends", args=[patient.pk]))
    rehab = clinician_client.get(reverse("rehab:patient_rehab", args=[patient.pk]))

    cells = [row[2] for row in trends.context["trends"].adherence_table.rows]
    assert cells and all(re.fullmatch(r"\d+ / \d+", c) for c in cells), cells
    assert "4 / 4" not in cells  # 2 exercises x 2.1: 0 done of 4
    assert "0 / 4" in cells
    assert not re.search(r"\d\.\d+ / \d", _visible_text(rehab.text))
    assert "0 / 4" in _visible_text(rehab.text)
