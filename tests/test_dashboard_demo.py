"""The demo's dashboard tells every story: Jonas's warning sign on top, then one category each."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tracker.models import User
from tracker.selectors.assessment import patient_assessment

pytestmark = pytest.mark.django_db


def test_it_shows_a_rich_demo_dashboard(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    client.force_login(User.objects.get(username="clinician"))

    response = client.get(reverse("tracker:patient_list"))

    categories = {r.patient.user.username: r.category for r in response.context["rows"]}
    assert categories == {
        "jonas": "urgent",
        "patient": "improving",
        "zoe": "improving",
        "ella": "improving",
        "leo": "plateau",
        "tom": "not_fair_trial",
        "priya": "too_early",
    }
    assert response.context["rows"][0].patient.user.username == "jonas"
    assert [a.alert.patient.user.username for a in response.context["alerts"]] == ["jonas"]
    # Once acknowledged, Jonas's growing slip (28% -> 36%) meets the referral criteria.
    jonas = patient_assessment(response.context["rows"][0].patient)  # every reason, live
    assert any("Slip" in r or "slip" in r for r in jonas.assessment.reasons[1:3])
    referral = next(c for c in jonas.assessment.checks if c.category == "referral")
    assert referral.fired


def test_the_demo_rows_arrows_say_what_their_assessments_say(client, settings):
    """Issue 18: Ella's 7-day mean came from too few check-ins, Leo and Priya got a red up-arrow
    for 0.6 points; each row's arrow now agrees with the live assessment's reading of pain."""
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    client.force_login(User.objects.get(username="clinician"))

    response = client.get(reverse("tracker:patient_list"))

    page = response.content.decode()
    for row in response.context["rows"]:
        pain = patient_assessment(row.patient).assessment.pain
        arrow = row.pain_trend.arrow
        assert (arrow == "↑") == pain.worsened, row.patient
        assert (arrow == "↓") == pain.improved, row.patient
        assert (arrow == "") == (not pain.compared), row.patient
    ella = next(r for r in response.context["rows"] if r.patient.user.username == "ella")
    assert ella.pain_trend.arrow == "" and ella.caveat == "pain: not enough data"
    assert "Not enough data" in page
