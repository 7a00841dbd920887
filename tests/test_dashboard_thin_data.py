"""Thin data said as such (issue 18): a measure from fewer check-ins than the rules need reads
"not enough data" with no arrow, on the dashboard, the trends page, My progress and the API; a
category decided by another measure says so on its badge and in its "Why"."""

import re

import pytest
from django.urls import reverse

from tests.factories import psfs_three_points_better
from tests.helpers import assert_login_redirect, assert_not_found_for, history, thin_pain_history
from tracker.models import ClinicThresholds

pytestmark = pytest.mark.django_db


@pytest.fixture
def ella(patient):
    """Improving on one PSFS rise while pain has 2 check-ins this week (demo Ella)."""
    thin_pain_history(patient, 2)
    psfs_three_points_better(patient)
    return patient


def _row(page: str, name: str) -> str:
    start = page.index(f">{name}</a>")
    return page[start : page.index("</tr>", start)]


def test_it_says_not_enough_pain_data_instead_of_a_mean_with_an_arrow(clinician_client, ella):
    page = clinician_client.get(reverse("tracker:patient_list")).content.decode()

    row = _row(page, "Maya Patel")
    assert "Not enough data" in row
    assert "2 check-ins in the last 7 days; 4 needed" in row
    assert "trend-" not in row and "↑" not in row and "→" not in row and "↓" not in row


def test_it_puts_the_thin_pain_caveat_on_the_badge_and_in_its_why(clinician_client, ella):
    page = clinician_client.get(reverse("tracker:patient_list")).content.decode()

    row = _row(page, "Maya Patel")
    assert 'Improving<span class="visually-hidden"> (pain: not enough data)</span>' in row
    assert "Not judged on pain: not enough data (2 check-ins in the last 7 days; 4 needed)." in row


def test_it_shows_the_trends_page_pain_as_not_enough_data(clinician_client, ella):
    page = clinician_client.get(reverse("tracker:patient_trends", args=[ella.pk])).content.decode()

    assert "not enough data (2 check-ins in the last 7 days; 4 needed), so no trend" in page
    assert "(pain: not enough data)" in page
    assert "7-day mean: not enough data" in page


def test_it_tells_the_patient_how_many_check_ins_are_missing(patient_client, ella):
    page = patient_client.get(reverse("tracker:my_progress")).content.decode()

    assert "You checked in on 2 of the last 7 days" in page
    assert "at least 4 check-ins in 7 days" in page
    assert " baseline" not in re.sub(r"<[^>]+>", " ", page).lower()


def test_it_tells_the_api_the_pain_is_too_thin_to_compare(clinician_client, ella):
    data = clinician_client.get(reverse("api:patient_trends", args=[ella.pk])).json()

    pain = data["assessment"]["pain"]
    assert pain["enough_data"] is False
    assert pain["shortfall"] == "2 check-ins in the last 7 days; 4 needed"
    assert data["assessment"]["psfs"]["enough_data"] is True
    assert data["assessment"]["caveat"] == "pain: not enough data"
    assert data["summary"]["pain_trend"] == "none"


def test_it_shows_the_mean_and_arrow_once_there_are_enough_check_ins(clinician_client, patient):
    thin_pain_history(patient, 4)
    psfs_three_points_better(patient)

    page = clinician_client.get(reverse("tracker:patient_list")).content.decode()

    row = _row(page, "Maya Patel")
    assert "Not enough data" not in row and "not enough data" not in row
    assert "<strong>4.0</strong>" in row and "→" in row


def test_it_gives_no_up_arrow_for_a_rise_short_of_the_important_change(clinician_client, patient):
    # Leo and Priya in the demo: up 0.6 from baseline, short of the 2-point worsening.
    history(patient, 40, pain=lambda n: 5 if n < 14 else 6)

    page = clinician_client.get(reverse("tracker:patient_list")).content.decode()

    row = _row(page, "Maya Patel")
    assert "↑" not in row
    assert "→" in row and "no important change from baseline (up 1.0)" in row


def test_it_follows_the_clinics_important_change_for_the_arrow(clinician_client, patient):
    history(patient, 40, pain=lambda n: 5 if n < 14 else 6)
    ClinicThresholds.objects.create(clinic=patient.clinic, pain_important_points=1)

    page = clinician_client.get(reverse("tracker:patient_list")).content.decode()

    assert "↑" in _row(page, "Maya Patel")


def test_it_hides_the_thin_data_pages_from_everyone_outside_the_care_team(
    client, ella, other_patient, foreign_clinician, guardians
):
    urls = [
        reverse("tracker:patient_trends", args=[ella.pk]),
        reverse("api:patient_trends", args=[ella.pk]),
    ]

    for url in urls:
        assert_not_found_for(
            client,
            [other_patient.user, foreign_clinician, *guardians],
            url,
        )
        client.logout()
    assert_login_redirect(client, urls[0])
