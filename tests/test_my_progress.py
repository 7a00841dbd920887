"""My progress: the patient is told their pain or function changed exactly when the clinician's
assessment calls the change important (the clinic's thresholds), in plain, calm words."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import psfs_three_points_better
from tracker.models import ClinicThresholds, DiaryEntry, Patient
from tracker.selectors.assessment import patient_assessment

pytestmark = pytest.mark.django_db

GONE_DOWN = "Your pain has gone down"
NOT_MUCH = "Your pain has not changed much since you started"
HIGHER = "Your pain is higher than when you started"


def log_pain(patient: Patient, start: int | list[int], recent: list[int]) -> None:
    """Two weeks at `start` from 40 days ago, then the last 6 days (to yesterday) at `recent`;
    a list is repeated in turn."""
    today = patient.local_today()
    start = start if isinstance(start, list) else [start]
    first = [today - dt.timedelta(days=40 - n) for n in range(14)]
    last = [today - dt.timedelta(days=6 - n) for n in range(6)]
    values = [(d, start[n % len(start)]) for n, d in enumerate(first)] + [
        (d, recent[n % len(recent)]) for n, d in enumerate(last)
    ]
    DiaryEntry.objects.bulk_create(
        DiaryEntry(patient=patient, day=d, pain_now=p, pain_worst=min(p + 2, 10)) for d, p in values
    )


def my_progress(client, patient: Patient) -> str:
    client.force_login(patient.user)
    return client.get(reverse("tracker:my_progress")).text


@pytest.mark.parametrize(
    ("start", "recent", "said"),
    [
        (7, [5], GONE_DOWN),
        (7, [6], NOT_MUCH),
        (5, [3, 4], GONE_DOWN),
        (5, [4], NOT_MUCH),
        (4, [6], HIGHER),
        (4, [5], NOT_MUCH),
    ],
    ids=[
        "down-2-points",
        "down-1-point",
        "down-30-percent",
        "down-20-percent",
        "up-2-points",
        "up-1-point",
    ],
)
def test_it_calls_pain_better_or_higher_only_at_the_verdicts_important_change(
    client, patient, start, recent, said
):
    log_pain(patient, start, recent)

    page = my_progress(client, patient)

    assert [message for message in (GONE_DOWN, NOT_MUCH, HIGHER) if message in page] == [said]
    pain = patient_assessment(patient).assessment.pain
    assert (said == GONE_DOWN, said == HIGHER) == (pain.improved, pain.worsened)


def test_it_follows_the_clinics_own_pain_threshold(client, patient):
    ClinicThresholds.objects.create(clinic=patient.clinic, pain_important_points=1)
    log_pain(patient, 7, [6])

    page = my_progress(client, patient)

    assert f"{GONE_DOWN}: about 7 out of 10 when you started, about 6 out of 10" in page


def test_it_shows_a_decimal_where_whole_points_would_hide_the_change(client, patient):
    # About 2.4 -> 1.5: down more than 30%, yet both are "about 2" in whole points.
    log_pain(patient, [2, 3, 2, 2, 3], [2, 1])

    page = my_progress(client, patient)

    assert f"{GONE_DOWN}: about 2.4 out of 10 when you started, about 1.5 out of 10" in page


def test_it_speaks_calmly_when_pain_is_higher(client, patient):
    log_pain(patient, 3, [8])

    page = my_progress(client, patient).lower()

    assert "your care team can see this" in page
    for alarming in ("worse", "warning", "urgent", "danger", "failed"):
        assert alarming not in page


@pytest.mark.parametrize(
    ("clinic_points", "said"),
    [(None, "That is a big step forward."), (4, "Small changes add up.")],
    ids=["default-2-points", "clinic-4-points"],
)
def test_it_praises_function_only_at_the_verdicts_important_change(
    client, patient, clinic_points, said
):
    psfs_three_points_better(patient)
    if clinic_points:
        ClinicThresholds.objects.create(clinic=patient.clinic, psfs_important_points=clinic_points)

    page = my_progress(client, patient)

    assert said in page  # +3 on the mean: important by default, not at this clinic's 4 points
