"""The guardian's pages: their home lists each young person with what they may see; one page per
part of the scope shows that part and nothing else, to that guardian only, and is audited."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import GuardianFactory, guardian_link, rehab_brace, rehab_programme
from tests.helpers import assert_login_redirect, assert_not_found_for, history
from tracker.models import AuditAction, AuditEvent, DiaryEntry
from tracker.rules.guardians import GuardianScope
from tracker.services.guardians import guardian_scope_set

pytestmark = pytest.mark.django_db

PAGES = {
    "guardian_plan": GuardianScope.PLAN,
    "guardian_adherence": GuardianScope.ADHERENCE,
    "guardian_questionnaires": GuardianScope.QUESTIONNAIRES,
    "guardian_calendar": GuardianScope.CALENDAR,
    "guardian_pain": GuardianScope.PAIN,
}


def _url(name, patient):
    return reverse(f"tracker:{name}", args=[patient.pk])


@pytest.fixture
def full_scope_guardian(patient):
    return guardian_link(patient, scope=list(GuardianScope)).guardian


@pytest.mark.parametrize("name", PAGES)
def test_each_page_shows_to_a_guardian_whose_scope_has_that_part(
    client, patient, full_scope_guardian, name
):
    client.force_login(full_scope_guardian)

    response = client.get(_url(name, patient))

    assert response.status_code == 200
    assert "Maya" in response.text


@pytest.mark.parametrize("name", PAGES)
def test_each_page_is_404_for_everyone_else(
    client, patient, clinician, patients_guardian, other_patients_guardian, name
):
    # This patient's guardian with every part of the scope but this page's: outside it.
    guardian_scope_set(
        link=patients_guardian.guardian_links.get(),
        scope=[part for part in GuardianScope if part != PAGES[name]],
        by=clinician,
    )
    url = _url(name, patient)

    assert_login_redirect(client, url)
    assert_not_found_for(
        client, [patient.user, clinician, other_patients_guardian, patients_guardian], url
    )


def test_a_guardian_without_an_honoured_link_sees_nothing(client, patient):
    waiting = guardian_link(patient, assent=False).guardian  # Maya (17) has not confirmed
    client.force_login(waiting)

    assert client.get(_url("guardian_plan", patient)).status_code == 404
    assert "Waiting for Maya to confirm" in client.get(reverse("tracker:family_home")).text


def test_a_guardian_lands_on_their_home_with_the_pages_their_scope_opens(
    client, patient, patients_guardian
):
    client.force_login(patients_guardian)

    response = client.get(reverse("tracker:home"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("tracker:family_home")
    for name in ("guardian_plan", "guardian_adherence", "guardian_calendar"):
        assert _url(name, patient) in response.text
    assert _url("guardian_pain", patient) not in response.text


def test_the_plan_shows_the_brace_exercises_and_stage(client, patient, patients_guardian):
    rehab_brace(patient, valid_from=patient.local_today() - dt.timedelta(days=3), hours="20")
    rehab_programme(patient, valid_from=patient.local_today() - dt.timedelta(days=3))
    client.force_login(patients_guardian)

    page = client.get(_url("guardian_plan", patient)).text

    assert "Wear it <strong>20 hours</strong> a day" in page
    assert "2 sets of 10" in page


def test_adherence_shows_the_brace_hours_done(client, patient, patients_guardian):
    rehab_brace(patient, valid_from=patient.local_today() - dt.timedelta(days=10), hours="20")
    client.force_login(patients_guardian)

    page = client.get(_url("guardian_adherence", patient)).text

    assert "Brace: worn for" in page
    assert "Week by week" in page


def test_the_calendar_says_which_days_are_logged_and_nothing_of_the_answers(
    client, patient, patients_guardian
):
    entries = history(patient, 3)
    DiaryEntry.objects.filter(pk=entries[0].pk).update(note="Kissed my crush", note_private=False)
    client.force_login(patients_guardian)

    page = client.get(_url("guardian_calendar", patient)).text

    yesterday = patient.local_today() - dt.timedelta(days=1)
    assert f"{yesterday:%A} {yesterday.day} {yesterday:%B}: checked in" in page
    assert "3 days logged" in page
    assert "Kissed my crush" not in page and "Worst" not in page


def test_pain_shows_shared_notes_and_never_a_private_one(client, patient, full_scope_guardian):
    shared, private = history(patient, 2)
    DiaryEntry.objects.filter(pk=shared.pk).update(note="Physio went well.", note_private=False)
    DiaryEntry.objects.filter(pk=private.pk).update(note="Argued with mum.", note_private=True)
    client.force_login(full_scope_guardian)

    page = client.get(_url("guardian_pain", patient)).text

    assert "Physio went well." in page
    assert "Argued with mum." not in page
    assert "Maya&#x27;s pain each day" in page


@pytest.mark.parametrize("name", PAGES)
def test_every_guardian_page_is_audited(client, patient, full_scope_guardian, name):
    client.force_login(full_scope_guardian)

    client.get(_url(name, patient))

    event = AuditEvent.objects.get(patient=patient)
    assert event.user == full_scope_guardian
    assert event.action == AuditAction.VIEW and event.what == name.replace("_", " ")


def test_a_guardian_of_two_sees_each_with_their_own_scope(client, patient, other_patient):
    parent = GuardianFactory()
    guardian_link(patient, parent, scope=[GuardianScope.PLAN])
    guardian_link(other_patient, parent, scope=[GuardianScope.PAIN])
    client.force_login(parent)

    page = client.get(reverse("tracker:family_home")).text

    assert _url("guardian_plan", patient) in page and _url("guardian_pain", other_patient) in page
    assert client.get(_url("guardian_pain", patient)).status_code == 404
    assert client.get(_url("guardian_plan", other_patient)).status_code == 404


def test_the_family_home_is_for_guardians(client, patient, clinician, clinic_admin):
    url = reverse("tracker:family_home")

    assert_login_redirect(client, url)
    # Every guardian has a home (a guardian of nobody sees it empty), so no guardian is refused.
    for user in (patient.user, clinician, clinic_admin):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
