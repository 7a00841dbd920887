"""Demo questionnaire histories fit each demo patient's story."""

import pytest
from django.core.management import call_command

from tracker.models import Patient, QuestionnaireResponse
from tracker.selectors.outcomes import score_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=None)
    return score_series(Patient.objects.all())


def _latest(seeded, username: str, code: str):
    return seeded[Patient.objects.get(user__username=username).pk][code].latest


def test_it_shows_improvement_past_the_thresholds_for_improving_patients(seeded):
    for username in ("patient", "zoe"):
        assert _latest(seeded, username, "psfs").change.improved
        assert _latest(seeded, username, "weekly_pain").change.improved


def test_it_shows_no_important_change_for_the_flat_story(seeded):
    assert not _latest(seeded, "leo", "psfs").change.important
    assert not _latest(seeded, "leo", "weekly_pain").change.important
    assert not _latest(seeded, "leo", "groc").change.important


def test_it_shows_worsening_for_the_red_flag_story(seeded):
    assert _latest(seeded, "jonas", "psfs").change.worsened
    assert _latest(seeded, "jonas", "weekly_pain").change.worsened


def test_it_has_only_a_baseline_for_the_early_patient(seeded):
    assert _latest(seeded, "priya", "psfs").is_baseline


def test_it_does_not_add_questionnaires_on_a_second_run(seeded, settings):
    count = QuestionnaireResponse.objects.count()

    call_command("seed_demo", stdout=None)

    assert QuestionnaireResponse.objects.count() == count > 0
