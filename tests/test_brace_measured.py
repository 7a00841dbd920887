"""Brace wear measured by a sensor, used (issue 17): adherence and the assessment take the
measured hours where a day has them, the trends page shows them beside the reported hours, the
dashboard says "measured", and the exports and FHIR carry them. The import is issue 17's other
half; here the measured days are made by factories."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.device import Device
from fhir.resources.R4B.observation import Observation

from rehab.models import BraceLog
from rehab.selectors import adherence_for_patient, adherence_for_patients
from rehab.selectors.measured import measured_hours, measured_hours_for_patients
from tests.factories import (
    BraceSensorFileFactory,
    PatientFactory,
    UserFactory,
    measured_days,
    rehab_brace,
)
from tests.helpers import assert_login_redirect, assert_not_found_for, history
from tracker.fhir.resources import patient_bundle
from tracker.models import ExportRecord
from tracker.rules.assessment import AssessmentInput, assess, brace_source_text
from tracker.services.api_tokens import api_token_create

pytestmark = pytest.mark.django_db

MON = dt.date(2026, 3, 2)  # a Monday
SUN = MON + dt.timedelta(days=6)


def day(n: int) -> dt.date:
    return MON + dt.timedelta(days=n)


def reported(patient, hours_by_day: dict) -> None:
    for on, hours in hours_by_day.items():
        BraceLog.objects.create(patient=patient, day=on, hours=Decimal(str(hours)))


def window(patient, days=28) -> list[dt.date]:
    """The assessment's adherence window: the last `days` days up to the patient's today."""
    today = patient.local_today()
    return [today - dt.timedelta(days=n) for n in range(days)]


def low_measured_patient(patient) -> None:
    """Reports 22 h a day; the sensor measured 9 of the 20 prescribed every day of the window."""
    patient.conservative_care_started = patient.local_today() - dt.timedelta(weeks=8)
    patient.save()
    history(patient, 40, pain=lambda n: 5)
    rehab_brace(patient, valid_from=patient.conservative_care_started, hours="20")
    days = window(patient)
    reported(patient, dict.fromkeys(days, 22))
    measured_days(patient, dict.fromkeys(days, 9))


# --- The selector ------------------------------------------------------------------------------


def test_it_reads_measured_hours_by_day_for_one_patient_and_for_many(patient, other_patient):
    measured_days(patient, {day(0): 15, day(1): "7.25"})
    measured_days(other_patient, {day(1): 20})

    with CaptureQueriesContext(connection) as queries:
        both = measured_hours_for_patients([patient, other_patient], MON, SUN)

    assert len(queries) == 1
    assert both[patient.pk] == {day(0): Decimal("15"), day(1): Decimal("7.25")}
    assert both[other_patient.pk] == {day(1): Decimal("20")}
    assert measured_hours(patient, day(1), day(1)) == {day(1): Decimal("7.25")}


# --- Adherence: measured where measured, reported for the other days -----------------------------


def test_it_counts_measured_hours_over_reported_on_the_days_measured(patient):
    rehab_brace(patient, valid_from=MON, hours="20")
    reported(patient, {day(n): 20 for n in range(7)})  # says 20 h every day
    measured_days(patient, {day(0): 10, day(1): 10, day(6): 5})  # a sensor on three days

    week = adherence_for_patient(patient, MON, SUN).weeks[0]

    # 4 reported days at 20/20, two measured at 10/20 and one at 5/20.
    assert week.brace == pytest.approx((4 + 0.5 + 0.5 + 0.25) / 7)
    assert (week.brace_measured_days, week.brace_reported_days) == (3, 4)


def test_it_counts_a_measured_day_without_a_check_in(patient):
    rehab_brace(patient, valid_from=MON, hours="20")
    measured_days(patient, {day(2): 20})

    summary = adherence_for_patient(patient, MON, SUN)

    assert summary.brace == pytest.approx(1 / 7)  # not 0: the sensor saw it worn
    assert (summary.brace_measured_days, summary.brace_reported_days) == (1, 0)


def test_it_ignores_measured_days_when_no_brace_was_due(patient):
    measured_days(patient, {day(0): 12})

    summary = adherence_for_patient(patient, MON, SUN)

    assert summary.brace is None
    assert summary.brace_measured_days == 0


def test_it_runs_the_same_queries_with_measured_days_for_any_number_of_patients(clinic):
    def make(n):
        found = []
        for i in range(n):
            p = PatientFactory(clinic=clinic, user=UserFactory(username=f"m{n}-{i}"))
            rehab_brace(p, valid_from=MON, hours="20")
            measured_days(p, {day(0): 8, day(1): 9})
            found.append(p)
        return found

    few, many = make(1), make(6)

    with CaptureQueriesContext(connection) as small:
        adherence_for_patients(few, MON, SUN)
    with CaptureQueriesContext(connection) as large:
        result = adherence_for_patients(many, MON, SUN)

    assert len(small) == len(large)
    assert all(s.brace_measured_days == 2 for s in result.values())


# --- The assessment's words (pure rules) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("measured", "reported_only", "words"),
    [
        (0, 28, ""),
        (0, 0, ""),
        (27, 0, " (measured by sensor)"),
        (20, 8, " (measured by sensor on 20 days, reported on 8)"),
        (1, 1, " (measured by sensor on 1 day, reported on 1)"),
    ],
    ids=["reported", "nothing", "all-measured", "some-measured", "one-each"],
)
def test_it_says_where_the_brace_figure_came_from(measured, reported_only, words):
    assert brace_source_text(measured, reported_only) == words


def test_the_reason_says_the_low_brace_figure_was_measured():
    today = dt.date(2026, 5, 1)
    data = AssessmentInput(
        today=today,
        care_started=today - dt.timedelta(weeks=8),
        brace_adherence=0.64,
        brace_measured_days=28,
    )

    result = assess(data)

    assert result.category == "not_fair_trial"
    assert "brace 64% (measured by sensor)" in result.reasons[0]
    assert result.brace_source == "measured"


# --- Dashboard and trends: what the clinician sees --------------------------------------------


def test_the_dashboard_says_measured_in_the_brace_column_and_the_reason(clinician_client, patient):
    low_measured_patient(patient)

    page = clinician_client.get(reverse("tracker:patient_list") + "?show=all").content.decode()

    assert '45% <span class="dash-sub dash-sensor">measured</span>' in page
    assert "brace 45% (measured by sensor)" in page


def test_the_dashboard_says_partly_measured_when_some_days_were(clinician_client, patient):
    patient.conservative_care_started = patient.local_today() - dt.timedelta(weeks=8)
    patient.save()
    history(patient, 40, pain=lambda n: 5)
    rehab_brace(patient, valid_from=patient.conservative_care_started, hours="20")
    days = window(patient)
    reported(patient, dict.fromkeys(days, 20))
    measured_days(patient, dict.fromkeys(days[:14], 4))

    page = clinician_client.get(reverse("tracker:patient_list") + "?show=all").content.decode()

    assert "partly measured" in page
    assert "(measured by sensor on 14 days, reported on 14)" in page


def test_the_trends_page_shows_measured_beside_reported_hours(clinician_client, patient):
    low_measured_patient(patient)
    url = reverse("tracker:patient_trends", args=[patient.pk])

    response = clinician_client.get(url)

    brace = response.context["chart_data"]["brace"]
    assert brace["measured"][-28:-1] == [9.0] * 27  # today (the last point) included below
    assert brace["hours"][-28:-1] == [22.0] * 27
    table = response.context["trends"].brace_table
    assert table.headers == ("Day", "Hours reported", "Hours measured (sensor)", "Target")
    assert table.rows[-1][1:] == ("22", "9", "20")
    page = response.content.decode()
    assert "Reported 22 h a day, measured 9 h, over the last 4 weeks (28 days with both)." in page


def test_the_over_reporting_counts_only_days_with_both(clinician_client, patient):
    rehab_brace(patient, valid_from=patient.local_today() - dt.timedelta(days=30), hours="20")
    today = patient.local_today()
    reported(patient, {today - dt.timedelta(days=n): 20 for n in range(1, 4)})
    measured_days(patient, {today - dt.timedelta(days=n): 14 for n in range(2, 10)})

    page = clinician_client.get(reverse("tracker:patient_trends", args=[patient.pk]))

    assert "Reported 20 h a day, measured 14 h, over the last 4 weeks (2 days with both)." in (
        page.content.decode()
    )


def test_the_trends_page_without_a_sensor_is_as_before(clinician_client, patient):
    rehab_brace(patient, valid_from=patient.local_today() - dt.timedelta(days=5), hours="20")
    reported(patient, {patient.local_today() - dt.timedelta(days=1): 18})

    response = clinician_client.get(reverse("tracker:patient_trends", args=[patient.pk]))

    assert response.context["chart_data"]["brace"]["measured"] is None
    assert response.context["trends"].brace_table.headers == ("Day", "Hours worn", "Target")
    assert "Measured by a brace sensor" not in response.content.decode()


def test_the_trends_page_reads_measured_hours_without_a_query_more(clinician_client, patient):
    rehab_brace(patient, valid_from=patient.local_today() - dt.timedelta(days=40), hours="20")
    url = reverse("tracker:patient_trends", args=[patient.pk])
    clinician_client.get(url)  # warm the stored assessment and the session
    with CaptureQueriesContext(connection) as without:
        clinician_client.get(url)
    measured_days(patient, {patient.local_today() - dt.timedelta(days=n): 10 for n in range(30)})
    clinician_client.get(url)

    with CaptureQueriesContext(connection) as with_sensor:
        clinician_client.get(url)

    assert len(with_sensor) == len(without)


def test_the_measured_hours_stay_hidden_from_everyone_outside_the_care_team(
    client,
    patient,
    other_patient,
    other_clinician,
    foreign_clinician,
    guardians,
):
    low_measured_patient(patient)
    url = reverse("tracker:patient_trends", args=[patient.pk])

    assert_not_found_for(
        client,
        [
            other_patient.user,
            other_clinician,
            foreign_clinician,
            *guardians,
        ],
        url,
    )
    assert_login_redirect(client, url)


# --- Exports -------------------------------------------------------------------------------


def _export(client, dataset) -> list[dict[str, str]]:
    response = client.post(reverse("tracker:export"), {"dataset": dataset})
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(body, newline="")))


def test_it_exports_measured_brace_days_beside_the_reported_hours(
    clinician_client, clinician, patient, other_patient
):
    source = BraceSensorFileFactory(sensor__patient=patient, sensor__serial="OT-123")
    measured_days(patient, {day(0): "15.5", day(1): 12}, source=source)
    reported(patient, {day(0): 22, day(3): 20})
    measured_days(other_patient, {day(0): 3})  # not on this clinician's care team

    rows = _export(clinician_client, "brace_measured")

    assert [(r["patient_id"], r["day"]) for r in rows] == [
        (str(patient.pk), day(0).isoformat()),
        (str(patient.pk), day(1).isoformat()),
    ]
    assert rows[0]["sensor_kind"] == "orthotimer"
    assert rows[0]["sensor_serial"] == "OT-123"
    assert rows[0]["source_file"] == source.file_name
    assert (rows[0]["hours_measured"], rows[0]["hours_reported"]) == ("15.50", "22.0")
    assert (rows[1]["hours_measured"], rows[1]["hours_reported"]) == ("12.00", "")
    record = ExportRecord.objects.get()
    assert (record.dataset, record.user) == ("brace_measured", clinician)


def test_its_research_variant_has_no_serial_file_name_or_date(clinician_client, patient):
    measured_days(patient, {day(0): 15})

    rows = _export(clinician_client, "research_brace_measured")

    assert len(rows) == 1
    assert {"sensor_serial", "source_file", "day", "patient_id"}.isdisjoint(rows[0])
    assert rows[0]["hours_measured"] == "15.00"
    assert rows[0]["care_day"] == str((day(0) - patient.conservative_care_started).days)


# --- FHIR ---------------------------------------------------------------------------------


def test_it_adds_the_sensor_as_a_device_and_each_measured_day_as_an_observation(patient):
    source = BraceSensorFileFactory(sensor__patient=patient, sensor__serial="IB-9")
    measured_days(patient, {day(0): 15, day(1): "7.5"}, source=source)

    result = Bundle.model_validate(patient_bundle(patient, now=timezone.now()))

    resources = [e.resource for e in result.entry]
    devices = [r for r in resources if isinstance(r, Device)]
    assert [d.identifier[0].value for d in devices] == ["IB-9"]
    measured = [
        r
        for r in resources
        if isinstance(r, Observation)
        and any(c.code == "brace-wear-measured" for c in r.code.coding)
    ]
    assert [float(o.valueQuantity.value) for o in measured] == [15.0, 7.5]
    assert {o.valueQuantity.code for o in measured} == {"h"}
    references = {e.fullUrl for e in result.entry}
    assert all(o.device.reference in references for o in measured)
    assert devices[0].patient.reference in references


# --- API ----------------------------------------------------------------------------------


def test_the_api_trends_say_the_brace_figure_was_measured(client, clinician, patient):
    low_measured_patient(patient)
    _, raw = api_token_create(user=clinician, name="test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {raw}"

    body = client.get(reverse("api:patient_trends", args=[patient.pk]), {"weeks": 4}).json()

    assert body["assessment"]["brace_source"] == "measured"
    assert body["adherence"][-1]["brace_measured_days"] >= 1
    assert any("brace 45% (measured by sensor)" in r for r in body["assessment"]["reasons"])


def test_the_patient_is_told_their_brace_figure_counts_the_sensors_hours(patient_client, patient):
    low_measured_patient(patient)

    page = patient_client.get(reverse("tracker:my_progress")).content.decode()

    assert "you wore it for 45% of the hours your team asked for." in page
    assert "This uses the hours your brace's sensor measured." in page


def test_the_referral_summary_says_the_brace_figure_was_measured(clinician_client, patient):
    low_measured_patient(patient)

    page = clinician_client.get(reverse("tracker:referral_summary", args=[patient.pk]))

    figures = {figure.measure: figure for figure in page.context["letter"].figures}
    assert "Brace wear (measured by sensor)" in figures
    assert "Brace wear (measured by sensor)" in page.content.decode()
