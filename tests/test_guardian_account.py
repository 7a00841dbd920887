"""Who can see a young person's record, on their Account page (confirm, withdraw, renew at 18),
on the guardian's Account page (withdraw my permission), and on the clinician's patient page
(change the scope, remove); each change takes effect at once."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tests.factories import PatientFactory, guardian_link
from tests.helpers import assert_login_redirect, assert_not_found_for
from tracker.models import AuditAction, AuditEvent, ConsentRecord, GuardianLink
from tracker.rules.guardians import WORDING, ConsentKind, GuardianScope, LinkEnd

pytestmark = pytest.mark.django_db


def _answer(link, action):
    return reverse("tracker:guardian_link_answer", args=[link.pk, action])


def _plan(patient):
    return reverse("tracker:guardian_plan", args=[patient.pk])


def _born_aged(years, clinic_today, days=0):
    born = clinic_today.replace(year=clinic_today.year - years, day=min(clinic_today.day, 28))
    return born - dt.timedelta(days=days)


@pytest.fixture
def link(patient, patients_guardian):
    return GuardianLink.objects.get(guardian=patients_guardian)


def test_the_young_person_sees_who_has_access_to_what(client, patient, link):
    client.force_login(patient.user)

    page = client.get(reverse("tracker:account")).text

    assert "Who can see your record" in page
    assert "Asha Patel" in page and "Has access" in page
    assert "The plan: brace, exercises and activity stage" in page
    assert "Pain trends" not in page
    assert "Withdraw access" in page


def test_withdrawing_takes_effect_at_once(client, patient, patients_guardian, link):
    client.force_login(patient.user)

    response = client.post(_answer(link, "withdraw"), follow=True)

    assert "can no longer see your record" in response.text
    link.refresh_from_db()
    assert link.end_reason == LinkEnd.ASSENT_WITHDRAWN
    client.force_login(patients_guardian)
    assert client.get(_plan(patient)).status_code == 404


def test_confirming_records_the_assent_with_its_wording(client, patient, patients_guardian):
    waiting = guardian_link(patient, assent=False)
    client.force_login(patient.user)
    page = client.get(reverse("tracker:account")).text
    assert "Waiting for Maya to confirm" in page
    assert escape(WORDING[ConsentKind.ASSENT][1]) in page

    client.post(_answer(waiting, "confirm"))

    record = ConsentRecord.objects.get(link=waiting, kind=ConsentKind.ASSENT)
    assert record.given_by == patient.user
    assert record.wording_version == WORDING[ConsentKind.ASSENT][0]
    client.force_login(waiting.guardian)
    assert client.get(_plan(patient)).status_code == 200


def test_below_the_assent_age_the_care_team_changes_it(client, clinic, clinician):
    today = timezone.localdate()
    young = PatientFactory(
        clinic=clinic, treating_clinician=clinician, date_of_birth=_born_aged(12, today)
    )
    link = guardian_link(young)
    client.force_login(young.user)

    page = client.get(reverse("tracker:account")).text
    response = client.post(_answer(link, "withdraw"), follow=True)

    assert "Your care team can change this: ask them at your next visit" in page
    assert "Withdraw access" not in page
    assert "Your care team can change this" in response.text
    link.refresh_from_db()
    assert link.ended_at is None


def test_at_18_the_adult_renews_or_ends_it(client, clinic, clinician):
    today = timezone.localdate()
    adult = PatientFactory(
        clinic=clinic, treating_clinician=clinician, date_of_birth=_born_aged(18, today, days=2)
    )
    renewed, ended = guardian_link(adult, assent=True), guardian_link(adult, assent=True)
    client.force_login(adult.user)
    page = client.get(reverse("tracker:account")).text
    assert escape(WORDING[ConsentKind.ADULT_RENEWAL][1]) in page and "End it" in page

    client.post(_answer(renewed, "renew"))
    client.post(_answer(ended, "end"))

    assert renewed.consents.filter(kind=ConsentKind.ADULT_RENEWAL).exists()
    ended.refresh_from_db()
    assert ended.ended_at is not None
    client.force_login(renewed.guardian)
    assert client.get(_plan(adult)).status_code == 200


def test_confirming_when_nothing_waits_changes_nothing(client, patient, link):
    client.force_login(patient.user)

    response = client.post(_answer(link, "renew"), follow=True)

    assert "nothing to answer" in response.text
    assert not link.consents.filter(kind=ConsentKind.ADULT_RENEWAL).exists()


def test_another_patient_cannot_answer_for_a_link(client, patient, other_patient, link, guardians):
    url = _answer(link, "withdraw")

    assert_login_redirect(client, url, method="post")
    assert_not_found_for(
        client, [other_patient.user, link.guardian, *guardians], url, method="post"
    )
    link.refresh_from_db()
    assert link.ended_at is None


def test_the_guardian_withdraws_their_own_permission(client, patient, patients_guardian, link):
    client.force_login(patients_guardian)
    assert "Withdraw my permission" in client.get(reverse("tracker:account")).text

    client.post(reverse("tracker:guardian_permission_withdraw", args=[link.pk]))

    link.refresh_from_db()
    assert link.end_reason == LinkEnd.PERMISSION_WITHDRAWN
    assert client.get(_plan(patient)).status_code == 404


def test_only_the_guardian_withdraws_their_permission(
    client, patient, patients_guardian, other_patients_guardian, link
):
    url = reverse("tracker:guardian_permission_withdraw", args=[link.pk])
    second_parent = guardian_link(patient).guardian  # another guardian of the same young person

    assert_not_found_for(
        client, [other_patients_guardian, second_parent, patient.user], url, method="post"
    )
    link.refresh_from_db()
    assert link.ended_at is None
    client.force_login(patients_guardian)  # the link's own guardian may
    client.post(url)
    link.refresh_from_db()
    assert link.ended_at is not None


def test_the_clinician_sees_the_guardians_on_the_patients_page(client, clinician, patient, link):
    client.force_login(clinician)

    page = client.get(reverse("tracker:patient_detail", args=[patient.pk])).text

    assert "Parents and guardians" in page
    assert "Asha Patel" in page and "Has access" in page and "Permission given" in page
    assert "Questionnaires due" in page
    assert reverse("tracker:guardian_scope", args=[patient.pk, link.pk]) in page


def test_the_care_team_changes_the_scope_at_once(client, clinician, patient, link):
    client.force_login(clinician)

    client.post(reverse("tracker:guardian_scope", args=[patient.pk, link.pk]), {"scope": ["pain"]})

    link.refresh_from_db()
    assert link.scope == [GuardianScope.PAIN]
    assert AuditEvent.objects.filter(
        patient=patient, action=AuditAction.CHANGE, what="guardian scope"
    ).exists()


def test_the_care_team_removes_a_guardian(client, clinician, patient, patients_guardian, link):
    client.force_login(clinician)

    client.post(reverse("tracker:guardian_remove", args=[patient.pk, link.pk]))

    link.refresh_from_db()
    assert link.end_reason == LinkEnd.REMOVED and link.ended_by == clinician
    client.force_login(patients_guardian)
    assert client.get(_plan(patient)).status_code == 404


def test_outside_the_care_team_nobody_changes_or_removes(
    client, other_clinician, patient, guardians, other_patient, link
):
    for url in (
        reverse("tracker:guardian_scope", args=[patient.pk, link.pk]),
        reverse("tracker:guardian_remove", args=[patient.pk, link.pk]),
        reverse("tracker:guardian_invite_link", args=[patient.pk, link.pk]),
    ):
        assert_login_redirect(client, url, method="post")
        assert_not_found_for(
            client, [other_clinician, patient.user, *guardians], url, method="post"
        )
    # A link of another patient, through this patient's URL, is not found either.
    other_link = guardian_link(other_patient)
    client.force_login(other_patient.treating_clinician)
    url = reverse("tracker:guardian_remove", args=[other_patient.pk, link.pk])
    assert client.post(url).status_code == 404
    other_link.refresh_from_db()
    link.refresh_from_db()
    assert link.ended_at is None and other_link.ended_at is None
