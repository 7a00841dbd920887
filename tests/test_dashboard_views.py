"""The clinician's dashboard, the acknowledge button, the patient's trends and referral summary,
and the patient's own progress page: access, what a user sees, and the query budget."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ClinicianFactory,
    ImagingStudyFactory,
    PatientFactory,
    UserFactory,
    checkin_post,
    rehab_brace,
    rehab_programme,
)
from tests.helpers import assert_login_redirect, assert_not_found_for, history, open_alert
from tracker import db_router
from tracker.models import Patient
from tracker.services import stored_assessment as assessment_services
from tracker.views import dashboard as dashboard_views

pytestmark = pytest.mark.django_db


def reads_go_to() -> str:
    """Where a read made here would go with a replica configured: "replica" or "default"."""
    with override_settings(DATABASE_REPLICA_ENABLED=True):
        return db_router.PrimaryReplicaRouter().db_for_read(Patient)


def dashboard_url(**params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("tracker:patient_list") + (f"?{query}" if query else "")


# --- Access --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["tracker:patient_trends", "tracker:referral_summary"])
def test_it_shows_patient_pages_only_to_the_care_team(
    client,
    patient,
    other_patient,
    other_clinician,
    foreign_clinician,
    name,
    guardians,
):
    url = reverse(name, args=[patient.pk])

    assert_not_found_for(
        client,
        [
            patient.user,
            other_patient.user,
            other_clinician,
            foreign_clinician,
            *guardians,
        ],
        url,
    )
    assert_login_redirect(client, url)


def test_it_keeps_the_dashboard_from_patients_and_anonymous_users(client, patient, guardians):
    url = reverse("tracker:patient_list")

    assert_not_found_for(client, [patient.user, *guardians], url)
    assert_login_redirect(client, url)


def test_it_shows_my_progress_only_to_patients(client, patient, clinician, guardians):
    url = reverse("tracker:my_progress")

    assert_not_found_for(client, [clinician, *guardians], url)
    assert_login_redirect(client, url)


def test_it_lets_no_one_outside_the_care_team_acknowledge(
    client,
    patient,
    other_patient,
    other_clinician,
    foreign_clinician,
    guardians,
):
    alert = open_alert(patient)
    url = reverse("tracker:alert_acknowledge", args=[patient.pk, alert.pk])

    assert_not_found_for(
        client,
        [
            patient.user,
            other_patient.user,
            other_clinician,
            foreign_clinician,
            *guardians,
        ],
        url,
        method="post",
    )
    assert_login_redirect(client, url, method="post")

    alert.refresh_from_db()
    assert alert.is_open and alert.acknowledged_by is None


def test_it_refuses_an_alert_of_another_patient_under_this_patients_address(
    clinician_client, patient, clinician
):
    theirs = PatientFactory(clinic=patient.clinic, treating_clinician=ClinicianFactory())
    alert = open_alert(theirs)

    response = clinician_client.post(
        reverse("tracker:alert_acknowledge", args=[patient.pk, alert.pk])
    )

    assert response.status_code == 404
    alert.refresh_from_db()
    assert alert.is_open


def test_it_only_acknowledges_by_post(clinician_client, patient):
    alert = open_alert(patient)

    response = clinician_client.get(
        reverse("tracker:alert_acknowledge", args=[patient.pk, alert.pk])
    )

    assert response.status_code == 405
    alert.refresh_from_db()
    assert alert.is_open


# --- Acknowledging -------------------------------------------------------------------------------


def test_it_acknowledges_an_alert_recording_who_and_when(clinician_client, clinician, patient):
    alert = open_alert(patient)
    before = timezone.now()

    response = clinician_client.post(
        reverse("tracker:alert_acknowledge", args=[patient.pk, alert.pk]),
        {"next": dashboard_url(sort="name")},
        follow=True,
    )

    alert.refresh_from_db()
    assert alert.acknowledged_by == clinician
    assert alert.acknowledged_at >= before
    assert response.redirect_chain[-1][0] == dashboard_url(sort="name")
    assert "acknowledged by you" in response.text
    assert "Warning signs to act on" not in response.text


def test_it_says_so_when_someone_else_acknowledged_first(
    clinician_client, patient, other_clinician
):
    alert = open_alert(patient)
    alert.acknowledged_by, alert.acknowledged_at = other_clinician, timezone.now()
    alert.save()

    response = clinician_client.post(
        reverse("tracker:alert_acknowledge", args=[patient.pk, alert.pk]), follow=True
    )

    alert.refresh_from_db()
    assert alert.acknowledged_by == other_clinician
    assert "already acknowledged by Sam Reid" in response.text


def test_it_never_redirects_off_site_after_acknowledging(clinician_client, patient):
    alert = open_alert(patient)

    response = clinician_client.post(
        reverse("tracker:alert_acknowledge", args=[patient.pk, alert.pk]),
        {"next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("tracker:patient_list")


def test_it_does_not_acknowledge_on_the_replica(clinician_client, patient, monkeypatch):
    alert = open_alert(patient)
    seen = []
    real = dashboard_views.alert_acknowledge

    def spy(**kwargs):
        seen.append(reads_go_to())
        return real(**kwargs)

    monkeypatch.setattr(dashboard_views, "alert_acknowledge", spy)

    clinician_client.post(reverse("tracker:alert_acknowledge", args=[patient.pk, alert.pk]))

    assert seen == ["default"]


# --- The dashboard -------------------------------------------------------------------------------


def test_it_puts_unacknowledged_warning_signs_above_everything(
    clinician_client, clinician, patient
):
    calm = PatientFactory(
        user=UserFactory(first_name="Aaron", last_name="Abbott"),
        clinic=patient.clinic,
        treating_clinician=clinician,
    )
    history(calm, 30)
    open_alert(patient)

    page = clinician_client.get(dashboard_url()).text

    alerts_at = page.index("Warning signs to act on (1)")
    assert alerts_at < page.index("<table")
    assert page.index("Maya Patel", alerts_at) < page.index("Aaron Abbott")
    rows = page[page.index("<tbody>") :]
    assert rows.index("Maya Patel") < rows.index("Aaron Abbott")
    assert 'class="assess assess-urgent">Urgent<' in rows


def test_it_shows_each_patients_figures(clinician_client, patient):
    history(patient, 40, pain=lambda n: 7 if n < 14 else 3)

    response = clinician_client.get(dashboard_url())

    row = response.context["rows"][0]
    assert row.pain_baseline == pytest.approx(7)
    assert row.pain_recent == pytest.approx(3)
    assert row.days_since_checkin == 1
    assert row.category == "improving"
    assert "better: down 4.0 from baseline" in response.text
    assert "past the 2-point or 30% important improvement" in response.text


def test_it_shows_a_hostile_patient_name_as_text_in_the_rows_built_in_python(
    clinician_client, patient
):
    """The table's rows are built in Python (`dashboard_rows`): a name is still escaped."""
    patient.user.first_name = '<img src=x onerror="alert(1)">'
    patient.user.last_name = "<script>alert(2)</script>"
    patient.user.save()
    history(patient, 20)

    response = clinician_client.get(dashboard_url())

    assert response.status_code == 200
    assert "<script>alert(2)" not in response.text
    assert "<img src=x" not in response.text
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in response.text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in response.text


def test_it_filters_by_assessment_clinician_and_not_logging(
    clinician_client, clinician, other_clinician, patient
):
    stale = PatientFactory(clinic=patient.clinic, treating_clinician=other_clinician)
    stale.care_team.add(clinician)
    history(stale, 20, end=stale.local_today() - dt.timedelta(days=5))
    history(patient, 20)
    open_alert(patient)

    urgent = clinician_client.get(dashboard_url(category="urgent")).context["patients"]
    theirs = clinician_client.get(dashboard_url(clinician=other_clinician.pk)).context["patients"]
    quiet = clinician_client.get(dashboard_url(stale="on"))

    assert urgent == [patient]
    assert theirs == [stale]
    assert quiet.context["patients"] == [stale]
    assert "5 days ago" in quiet.text


def test_it_sorts_by_name_and_by_last_check_in(clinician_client, clinician, patient):
    zed = PatientFactory(
        user=UserFactory(first_name="Zed", last_name="Adams"),
        clinic=patient.clinic,
        treating_clinician=clinician,
    )
    history(zed, 10, end=zed.local_today() - dt.timedelta(days=4))
    history(patient, 10)

    by_name = clinician_client.get(dashboard_url(sort="name")).context["patients"]
    by_checkin = clinician_client.get(dashboard_url(sort="checkin")).context["patients"]

    assert by_name == [zed, patient]
    assert by_checkin == [zed, patient]


def test_it_reports_a_bad_filter_and_shows_everyone(clinician_client, patient):
    response = clinician_client.get(dashboard_url(category="nonsense", sort="x"))

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert response.context["patients"] == [patient]


def test_it_keeps_the_valid_filters_when_another_one_is_bad(clinician_client, clinician, patient):
    calm = PatientFactory(clinic=patient.clinic, treating_clinician=clinician)
    history(patient, 20)
    history(calm, 20)
    open_alert(patient)

    response = clinician_client.get(dashboard_url(category="urgent", sort="bogus"))

    assert "Select a valid choice" in response.text
    assert response.context["patients"] == [patient]


def test_it_keeps_discharged_patients_behind_a_filter(clinician_client, patient):
    patient.status, patient.discharged_on = Patient.Status.DISCHARGED, patient.local_today()
    patient.save()

    active = clinician_client.get(dashboard_url()).context["patients"]
    everyone = clinician_client.get(dashboard_url(show="all")).context["patients"]

    assert active == []
    assert everyone == [patient]


def _care_team(n: int, clinic, clinician) -> None:
    for i in range(n):
        p = PatientFactory(
            user=UserFactory(username=f"p{n}-{i}"), clinic=clinic, treating_clinician=clinician
        )
        history(p, 30, pain=lambda d, i=i: (i + d) % 8)
        rehab_programme(p, valid_from=p.conservative_care_started)
        rehab_brace(p, valid_from=p.conservative_care_started)
        ImagingStudyFactory(patient=p, taken_on=p.conservative_care_started, slip_percent=10)
        if i % 2:
            open_alert(p)


def test_it_runs_the_same_queries_for_5_and_50_patients(client, clinic):
    few, many = ClinicianFactory(clinic=clinic), ClinicianFactory(clinic=clinic)
    _care_team(5, clinic, few)
    _care_team(50, clinic, many)

    def queries(clinician) -> tuple[int, int]:
        client.force_login(clinician)
        with CaptureQueriesContext(connection) as cold:  # every stored assessment invalid
            assert len(client.get(dashboard_url()).context["rows"]) == len(rows_of[clinician])
        with CaptureQueriesContext(connection) as warm:
            assert len(client.get(dashboard_url()).context["rows"]) == len(rows_of[clinician])
        return len(cold), len(warm)

    rows_of = {few: range(5), many: range(50)}
    small, large = queries(few), queries(many)

    assert small == large
    cold, warm = large
    # Warm: the access rule, the clinician choices, the thresholds, the validity check (which
    # gives the counts), the page, the open alerts, and the audit insert in its transaction.
    assert warm <= 9  # no patient is assessed again
    assert cold <= 27  # the 12 of the assessment, the upsert and its check, the counts again


def test_it_recomputes_the_dashboard_on_the_primary(clinician_client, patient, monkeypatch):
    """A lagging replica must never decide a stored verdict; the page's other reads may use it."""
    seen = []
    real = assessment_services.patient_assessments

    def spy(patients):
        seen.append(reads_go_to())
        return real(patients)

    monkeypatch.setattr(assessment_services, "patient_assessments", spy)

    clinician_client.get(dashboard_url())
    clinician_client.get(reverse("tracker:patient_trends", args=[patient.pk]))

    assert seen == ["default"]  # the dashboard's recomputation; the patient page assesses live


# --- The patient page ----------------------------------------------------------------------------


def test_it_shows_the_assessment_with_every_reason(clinician_client, patient):
    history(patient, 40, pain=lambda n: 7 if n < 14 else 3)

    response = clinician_client.get(reverse("tracker:patient_trends", args=[patient.pk]))

    assessment = response.context["assessment"]
    assert assessment.category == "improving"
    for reason in assessment.reasons:
        assert reason.replace("'", "&#x27;") in response.text
    assert "Deciding reason:" in response.text
    assert "7-day mean pain 3.0 vs baseline 7.0: down 4.0 (57%)" in response.text


def test_it_gives_the_charts_their_data_and_tables(clinician_client, patient):
    history(patient, 20)
    rehab_brace(patient, valid_from=patient.conservative_care_started, hours="20")

    response = clinician_client.get(reverse("tracker:patient_trends", args=[patient.pk]))

    data = response.context["chart_data"]
    assert data["pain"]["now"].count(6) == 20
    assert data["pain"]["baseline"] == 6
    assert data["pain"]["improve"] == 4.2  # 30% of 6 is under 2 points
    assert data["pain"]["worse"] == 8
    assert data["brace"]["target"][-1] == 20
    assert any(e["label"].startswith("Brace started") for e in data["pain"]["events"])
    assert 'id="chart-data" type="application/json"' in response.text
    assert "<script>" not in response.text
    assert "Table of daily pain (20 days)" in response.text
    assert "vendor/chart.js/chart.umd.min.js" in response.text


def test_it_shows_what_changed_in_an_edited_entry_and_the_alerts(
    client, patient, clinician, other_clinician
):
    client.force_login(patient.user)
    today = patient.local_today()
    client.post(reverse("tracker:checkin"), checkin_post(today, pain_now="3", pain_worst="5"))
    client.post(reverse("tracker:checkin"), checkin_post(today, pain_now="4", pain_worst="7"))
    done = open_alert(patient, today - dt.timedelta(days=3))
    done.acknowledged_by, done.acknowledged_at = other_clinician, timezone.now()
    done.save()
    client.force_login(clinician)

    page = client.get(reverse("tracker:patient_trends", args=[patient.pk])).text

    assert "Edited: 2 versions" in page
    assert "Worst pain: 5 → 7" in page
    assert "Acknowledged by Sam Reid" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-02-30", "Enter a real date for &#x27;From&#x27;"),
        ("end=yesterday", "Enter a real date for &#x27;To&#x27;"),
        ("start=2026-03-10&end=2026-03-01", "&#x27;To&#x27; must be on or after &#x27;From&#x27;"),
        ("start=2010-01-01&end=2026-01-01", "Choose at most 3 years at a time"),
    ],
    ids=["impossible-day", "not-a-date", "end-before-start", "too-long"],
)
def test_it_explains_a_bad_date_range_and_shows_the_default(
    clinician_client, patient, query, message
):
    url = reverse("tracker:patient_trends", args=[patient.pk]) + "?" + query

    response = clinician_client.get(url)

    assert response.status_code == 200
    assert message in response.text
    assert response.context["trends"].start == patient.conservative_care_started


def test_it_shows_the_range_asked_for(clinician_client, patient):
    history(patient, 30)
    end = patient.local_today()
    start = end - dt.timedelta(days=9)
    url = reverse("tracker:patient_trends", args=[patient.pk])

    response = clinician_client.get(url, {"start": start.isoformat(), "end": end.isoformat()})

    assert len(response.context["chart_data"]["pain"]["labels"]) == 10
    assert "Table of daily pain (9 days)" in response.text
    assert 'aria-current="true"' not in response.text  # a custom range, no quick choice


def long_care(patient: Patient, days: int) -> None:
    patient.conservative_care_started = patient.local_today() - dt.timedelta(days=days)
    patient.enrolled_on = patient.conservative_care_started
    patient.save()


def test_it_shows_the_last_12_weeks_by_default_with_quick_choices(clinician_client, patient):
    long_care(patient, 300)
    history(patient, 300)
    today = patient.local_today()
    url = reverse("tracker:patient_trends", args=[patient.pk])

    default = clinician_client.get(url)
    half_year = clinician_client.get(url, {"span": "6m"})
    whole = clinician_client.get(url, {"span": "all"})

    trends = default.context["trends"]
    assert (trends.start, trends.end) == (today - dt.timedelta(days=83), today)
    assert len(default.context["chart_data"]["pain"]["labels"]) == 84
    assert '<a href="?span=12w" aria-current="true">Last 12 weeks</a>' in default.text
    assert "Table of daily pain (83 days)" in default.text  # 12 weeks: still a row a day
    assert half_year.context["trends"].start == today - dt.timedelta(days=26 * 7 - 1)
    assert '<a href="?span=6m" aria-current="true">Last 6 months</a>' in half_year.text
    assert whole.context["trends"].start == patient.conservative_care_started
    assert len(whole.context["chart_data"]["pain"]["labels"]) == 301  # the chart: every day


def test_it_explains_an_unknown_quick_choice_and_shows_the_last_12_weeks(clinician_client, patient):
    long_care(patient, 300)
    url = reverse("tracker:patient_trends", args=[patient.pk])

    response = clinician_client.get(url, {"span": "forever"})

    assert response.status_code == 200
    assert "Choose the last 12 weeks, 6 months or whole of care." in response.text
    assert response.context["trends"].start == patient.local_today() - dt.timedelta(days=83)


def test_it_sums_up_a_long_range_week_by_week_under_the_charts(clinician_client, patient):
    long_care(patient, 200)
    end = patient.local_today() - dt.timedelta(days=1)
    first = end - dt.timedelta(days=199)
    # Pain now is the weekday number (Monday 0 ... Sunday 6), worst pain two more.
    history(patient, 200, pain=lambda n: (first + dt.timedelta(days=n)).weekday())
    monday = end - dt.timedelta(days=end.weekday() + 14)  # a whole week, two weeks ago
    url = reverse("tracker:patient_trends", args=[patient.pk])

    response = clinician_client.get(url, {"span": "all"})

    table = response.context["trends"].pain_table
    assert table.weekly
    assert table.headers[:4] == (
        "Week of",
        "Days logged",
        "Pain now: mean",
        "Pain now: lowest–highest",
    )
    week = {row[0]: row for row in table.rows}[f"{monday.day} {monday:%b %Y}"]
    # 0..6: mean 3.0, lowest 0, highest 6; worst 2..8: mean 5.0, highest 8.
    assert week[1:] == ("7 of 7", "3.0", "0–6", "5.0", "8")
    # Every week of the range has a row (today is in the range, so 201 days).
    mondays = {
        first + dt.timedelta(days=n - (first + dt.timedelta(days=n)).weekday()) for n in range(201)
    }
    assert len(table.rows) == len(mondays)
    assert "Table of pain, week by week (200 days logged in" in response.text
    assert "the tables under the daily charts have a row a week" in response.text
    assert len(response.context["chart_data"]["pain"]["now"]) == 201  # the chart stays daily


def test_it_pages_the_diary_newest_first_keeping_the_range(clinician_client, patient):
    long_care(patient, 100)
    entries = history(patient, 60)
    url = reverse("tracker:patient_trends", args=[patient.pk])
    yesterday = patient.local_today() - dt.timedelta(days=1)

    first = clinician_client.get(url, {"span": "all"})
    last = clinician_client.get(url, {"span": "all", "diary_page": "3"})

    page = first.context["trends"].diary
    assert (page.number, page.pages, page.count) == (1, 3, 60)
    assert [r.entry.day for r in page.rows] == [yesterday - dt.timedelta(days=n) for n in range(28)]
    assert "?span=all&amp;diary_page=2#diary-heading" in first.text  # "Older check-ins"
    assert "Newer check-ins" not in first.text
    assert [r.entry.day for r in last.context["trends"].diary.rows] == [
        e.day for e in reversed(entries[:4])
    ]
    assert "<details open>" in last.text  # came from a page link: the diary is open
    assert (
        "?span=all#diary-heading"
        in clinician_client.get(url, {"span": "all", "diary_page": "2"}).text
    )  # page 2 links back to page 1


@pytest.mark.parametrize("page", ["0", "-3", "abc", "99", "1e3", "9" * 50])
def test_it_shows_a_real_diary_page_for_any_page_number(clinician_client, patient, page):
    history(patient, 40)
    url = reverse("tracker:patient_trends", args=[patient.pk])

    response = clinician_client.get(url, {"diary_page": page})

    assert response.status_code == 200
    diary = response.context["trends"].diary
    assert diary.number == (2 if page in ("99", "9" * 50) else 1)  # past the end: the last
    assert diary.rows


def test_it_keeps_the_edit_history_of_an_entry_on_an_older_page(clinician_client, patient):
    from tracker.models import DiaryEntryVersion

    long_care(patient, 100)
    entries = history(patient, 60)
    old = entries[5]  # on page 2, newest first
    for number, worst in ((1, 6), (2, 9)):
        snapshot = {"pain_now": old.pain_now, "pain_worst": worst, "activities": {}}
        DiaryEntryVersion.objects.create(entry=old, number=number, snapshot=snapshot)
    url = reverse("tracker:patient_trends", args=[patient.pk])

    page_one = clinician_client.get(url, {"span": "all"}).text
    page_two = clinician_client.get(url, {"span": "all", "diary_page": "2"}).text

    assert "Worst pain: 6 → 9" not in page_one
    assert "Edited: 2 versions" in page_two
    assert "Worst pain: 6 → 9" in page_two


def test_it_judges_questionnaire_change_by_the_clinics_thresholds(clinician_client, patient):
    from tests.factories import psfs_three_points_better
    from tracker.models import ClinicThresholds

    history(patient, 30)
    psfs_three_points_better(patient)
    ClinicThresholds.objects.create(clinic=patient.clinic, psfs_important_points=4)
    url = reverse("tracker:patient_trends", args=[patient.pk])

    response = clinician_client.get(url)

    # +3.0 on the mean is important by the instrument's file (2 points) but not by this clinic
    # (4): the chart's lines and the table agree with the clinic, as the verdict does.
    chart = response.context["trends"].scores[0]
    assert (chart.important_line, chart.worse_line) == (7.0, -1.0)
    assert response.context["chart_data"]["scores"][0]["important"] == 7.0
    assert chart.table.rows[-1][2] == "+3.0 · no important change"
    assert "+3.0 · important improvement" not in response.text
    assert "an important improvement is 7.0 or more" in response.text
    assert response.context["assessment"].psfs.improved is False  # the verdict says the same


def test_it_keeps_the_score_baseline_when_the_range_starts_after_it(clinician_client, patient):
    from tests.factories import submitted_response

    today = patient.local_today()
    history(patient, 60)
    first = today - dt.timedelta(days=56)
    baseline = submitted_response(
        patient, "weekly_pain", due_on=first, answers={"average": 6, "worst": 8}
    )
    type(baseline).objects.filter(pk=baseline.pk).update(submitted_on=first)  # sent back then
    submitted_response(
        patient,
        "weekly_pain",
        due_on=today - dt.timedelta(days=2),
        answers={"average": 3, "worst": 5},
    )
    url = reverse("tracker:patient_trends", args=[patient.pk])

    start = (today - dt.timedelta(days=14)).isoformat()
    response = clinician_client.get(url, {"start": start, "end": today.isoformat()})

    chart = response.context["trends"].scores[0]
    assert [p.day for p in chart.series.points] == [today]  # the baseline is outside the range
    assert chart.baseline is not None and chart.baseline.day == first
    assert [s["baseline"] for s in response.context["chart_data"]["scores"]] == [
        chart.baseline.score
    ]


@pytest.mark.parametrize("days", [10, 200, 365])
def test_it_runs_the_same_queries_whatever_the_number_of_days(
    clinician_client, patient, days, django_assert_num_queries
):
    patient.conservative_care_started = patient.local_today() - dt.timedelta(days=days)
    patient.enrolled_on = patient.conservative_care_started
    patient.save()
    history(patient, days, pain=lambda n: n % 10)
    rehab_programme(patient, valid_from=patient.conservative_care_started)
    rehab_brace(patient, valid_from=patient.conservative_care_started)
    ImagingStudyFactory(patient=patient, taken_on=patient.conservative_care_started)
    open_alert(patient)
    url = reverse("tracker:patient_trends", args=[patient.pk])

    # The same number for 10 days, 200 and a whole year of care (the parametrised cases share
    # the constant), for the default range and the whole of care, on any diary page.
    with django_assert_num_queries(PATIENT_PAGE_QUERIES):
        response = clinician_client.get(url)
    with django_assert_num_queries(PATIENT_PAGE_QUERIES):
        whole = clinician_client.get(url, {"span": "all", "diary_page": "2"})

    assert response.context["trends"].days_logged == min(days, 12 * 7 - 1)  # none today
    assert whole.context["trends"].days_logged == days
    # Page 2 of the diary; with 28 check-ins or fewer there is only page 1.
    assert len(whole.context["trends"].diary.rows) == (days if days <= 28 else 28)


PATIENT_PAGE_QUERIES = 26  # including the audit trail's record of the view


# --- Referral summary and the patient's progress ------------------------------------------------


def test_it_prints_a_referral_summary(clinician_client, patient):
    history(patient, 40)
    ImagingStudyFactory(
        patient=patient, taken_on=patient.conservative_care_started, slip_percent=60
    )
    rehab_brace(patient, valid_from=patient.conservative_care_started)

    response = clinician_client.get(reverse("tracker:referral_summary", args=[patient.pk]))

    page = response.text
    assert "Assessment: Meets referral criteria" in page
    assert "Chronic bilateral L5 pars defects" in page
    assert "60% slip" in page or "60%" in page
    assert "Rigid" in page
    assert '<svg class="svg-chart"' in page
    assert "weeks</strong>" in page


def test_it_tells_the_patient_how_they_are_doing_in_plain_words(patient_client, patient):
    history(patient, 40, pain=lambda n: 7 if n < 14 else 3)

    response = patient_client.get(reverse("tracker:my_progress"))

    assert "Your pain has gone down: about 7 out of 10 when you started" in response.text
    words = re.sub(r"<[^>]+>", " ", response.text).lower()
    assert "baseline" not in words and "adherence" not in words
    assert "My progress" in response.text


def test_it_tells_a_discharged_patient_their_progress_without_asking_to_check_in(
    patient_client, patient
):
    history(patient, 20)
    patient.status, patient.discharged_on = Patient.Status.DISCHARGED, patient.local_today()
    patient.save()

    response = patient_client.get(reverse("tracker:my_progress"))

    assert "Sticking to your plan (last 28 days)" in response.text
    assert "Check in today" not in response.text
    assert "heal" not in response.text


def test_it_reads_a_bounded_number_of_diary_rows_per_patient(clinician, patient):
    from tracker.rules.thresholds import Thresholds
    from tracker.selectors.assessment import patient_assessments

    long_ago = PatientFactory(clinic=patient.clinic, treating_clinician=clinician)
    history(patient, 200)
    discharged = long_ago.local_today() - dt.timedelta(days=400)
    history(long_ago, 30, end=discharged)
    long_ago.status, long_ago.discharged_on = Patient.Status.DISCHARGED, discharged
    long_ago.save()

    assessed = patient_assessments([patient, long_ago])

    # The rules get the first baseline days and the recent windows, not all 200 days; and a
    # patient whose window lies far back (discharged) still gets every one of their days.
    defaults = Thresholds()
    bound = defaults.baseline_days + 2 * defaults.radicular_window_days
    assert len(assessed[patient.pk].data.pain) <= bound
    assert len(assessed[long_ago.pk].data.pain) == 30


def test_it_flags_function_change_by_the_clinics_own_threshold(clinician_client, patient):
    from tests.factories import psfs_three_points_better
    from tracker.models import ClinicThresholds

    history(patient, 30)
    psfs_three_points_better(patient)
    ClinicThresholds.objects.create(clinic=patient.clinic, psfs_important_points=4)

    response = clinician_client.get(reverse("tracker:patient_list"))

    # +3.0 on the mean is an important change by the instrument's default (2) but not by this
    # clinic's threshold (4): the dashboard agrees with the clinic, as the verdict does.
    assert "+3.0 · no important change" in response.text
    assert "+3.0 · important improvement" not in response.text
