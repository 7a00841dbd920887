"""A clinician of the care team invites a parent from the patient's page; the parent signs up
with the link (or signs in, with an account for a brother or sister) and gives their permission."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from tests.factories import PASSWORD, PatientFactory, guardian_link
from tracker.access import link_state_now
from tracker.models import ConsentRecord, GuardianInvite, GuardianLink, Role, User
from tracker.rules.guardians import WORDING, ConsentKind, GuardianScope, LinkState
from tracker.services.guardian_invites import guardian_invite

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "blue-river-kite-2026"


def _invite_form(**changes):
    data = {
        "first_name": "Asha",
        "last_name": "Patel",
        "email": "asha@example.org",
        "relationship": "parent",
        "scope": ["plan", "adherence", "questionnaires", "calendar"],
    }
    return {**data, **changes}


def _invite(client, patient, **changes):
    return client.post(
        reverse("tracker:guardian_invite", args=[patient.pk]), _invite_form(**changes)
    )


def _link_from_page(client, response) -> str:
    page = client.get(response.url)
    return page.text.split('id="invite-link" type="text" readonly value="')[1].split('"')[0]


def test_it_invites_a_parent_with_the_scope_chosen_and_shows_and_emails_the_link_once(
    client, clinician, patient
):
    client.force_login(clinician)

    response = _invite(client, patient)

    link = GuardianLink.objects.get(patient=patient)
    assert link.guardian.role == Role.GUARDIAN and not link.guardian.has_usable_password()
    assert link.scope == [
        GuardianScope.PLAN,
        GuardianScope.ADHERENCE,
        GuardianScope.QUESTIONNAIRES,
        GuardianScope.CALENDAR,
    ]
    url = _link_from_page(client, response)
    assert "/family/invite/" in url
    assert url in mail.outbox[0].body and mail.outbox[0].to == ["asha@example.org"]
    assert url.rsplit("/", 2)[-2] not in GuardianInvite.objects.get().token_hash
    assert url not in client.get(response.url).text


def test_the_invite_form_ticks_the_models_default_scope(client, clinician, patient):
    client.force_login(clinician)

    page = client.get(reverse("tracker:guardian_invite", args=[patient.pk])).text

    assert 'value="plan" id="id_scope_0" checked' in page
    assert (
        'value="pain" id="id_scope_4"' in page
        and 'value="pain" id="id_scope_4" checked' not in page
    )


@pytest.mark.parametrize("whose", ["patient", "clinician"])
def test_it_refuses_an_email_of_a_patient_or_clinician_next_to_the_field(
    client, clinician, patient, other_patient, whose
):
    email = {"patient": other_patient.user.email, "clinician": clinician.email}[whose]
    client.force_login(clinician)

    response = _invite(client, patient, email=email.upper(), first_name="Kept")

    assert response.status_code == 200
    assert "This email belongs to a patient" in response.text
    assert 'value="Kept"' in response.text
    assert not GuardianLink.objects.exists()
    assert not User.objects.filter(role=Role.GUARDIAN).exists()


def test_it_refuses_the_same_guardian_twice(client, clinician, patient):
    client.force_login(clinician)
    _invite(client, patient)

    response = _invite(client, patient, email="ASHA@example.org")

    assert response.status_code == 200
    assert "Asha Patel is already linked to Maya" in response.text
    assert GuardianLink.objects.count() == 1


def test_it_reuses_a_guardians_account_for_a_brother_or_sister(client, clinician, patient):
    sibling = PatientFactory(clinic=patient.clinic, treating_clinician=clinician)
    client.force_login(clinician)
    _invite(client, patient)

    _invite(client, sibling)

    assert User.objects.filter(role=Role.GUARDIAN).count() == 1
    assert GuardianLink.objects.filter(guardian__email="asha@example.org").count() == 2


def test_it_asks_for_at_least_one_part_of_the_record(client, clinician, patient):
    client.force_login(clinician)

    response = _invite(client, patient, scope=[])

    assert "Choose at least one part" in response.text
    assert not GuardianLink.objects.exists()


def test_only_the_care_team_invites(client, other_clinician, patient, patients_guardian):
    for user in (other_clinician, patient.user, patients_guardian):
        client.force_login(user)

        assert _invite(client, patient, email="x@example.org").status_code == 404
    client.logout()
    assert "/accounts/login/" in _invite(client, patient).url


@pytest.fixture
def invite_url(patient, clinician):
    invite, token = guardian_invite(
        patient=patient,
        first_name="Asha",
        last_name="Patel",
        email="asha@example.org",
        relationship="parent",
        scope=[GuardianScope.PLAN],
        by=clinician,
    )
    return reverse("tracker:guardian_invite_accept", args=[token])


def _sign_up(client, url, agree=True, **changes):
    data = {"username": "asha", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD, **changes}
    if agree:
        data["agree"] = "on"
    return client.post(url, data)


def test_the_sign_up_shows_the_scope_and_the_words_of_the_permission(client, invite_url):
    page = client.get(invite_url).text

    assert "The plan: brace, exercises and activity stage" in page
    assert "Pain trends" not in page
    assert escape(WORDING[ConsentKind.GUARDIAN_PERMISSION][1]) in page


def test_signing_up_gives_the_permission_with_the_wording_version(client, invite_url, patient):
    response = _sign_up(client, invite_url)

    assert response.url == reverse("tracker:family_home")
    record = ConsentRecord.objects.get(kind=ConsentKind.GUARDIAN_PERMISSION)
    assert record.wording_version == WORDING[ConsentKind.GUARDIAN_PERMISSION][0]
    assert record.given_by.username == "asha"
    # Maya is 17: the link waits for her confirmation, and the parent's home says so.
    assert "Waiting for Maya to confirm" in client.get(response.url).text
    client.logout()
    assert client.login(username="asha", password=GOOD_PASSWORD)


def test_it_refuses_without_the_tick_and_keeps_the_username(client, invite_url):
    response = _sign_up(client, invite_url, agree=False)

    assert response.status_code == 200
    assert "Tick “I agree”" in response.text
    assert 'value="asha"' in response.text
    assert not ConsentRecord.objects.exists()


def test_the_link_works_once(client, invite_url):
    _sign_up(client, invite_url)
    client.logout()

    assert _sign_up(client, invite_url, username="other").status_code == 404


def test_a_guardian_with_an_account_signs_in_and_just_gives_permission(client, clinician, patient):
    parent = guardian_link(PatientFactory(clinic=patient.clinic)).guardian
    parent.set_password(PASSWORD)
    parent.save()
    _, token = guardian_invite(
        patient=patient,
        first_name="x",
        last_name="y",
        email=parent.email,
        relationship="parent",
        scope=[GuardianScope.PLAN],
        by=clinician,
    )
    url = reverse("tracker:guardian_invite_accept", args=[token])
    assert "Sign in" in client.get(url).text
    assert client.post(url, {"agree": "on"}).status_code == 200
    assert not ConsentRecord.objects.filter(link__patient=patient).exists()
    client.force_login(parent)

    response = client.post(url, {"agree": "on"})

    assert response.url == reverse("tracker:family_home")
    link = GuardianLink.objects.get(patient=patient)
    assert link.consents.get().kind == ConsentKind.GUARDIAN_PERMISSION


def test_someone_else_signed_in_cannot_use_a_guardians_link(client, invite_url, patient):
    client.force_login(patient.user)

    response = _sign_up(client, invite_url)

    assert response.status_code == 200
    assert "signed in as someone else" in response.text
    assert not ConsentRecord.objects.exists()


def test_a_removed_guardians_link_stops_working(client, clinician, patient, invite_url):
    link = GuardianLink.objects.get()
    client.force_login(clinician)
    client.post(reverse("tracker:guardian_remove", args=[patient.pk, link.pk]))
    client.logout()

    assert client.get(invite_url).status_code == 404


def test_a_new_invitation_link_replaces_the_old_one(client, clinician, patient, invite_url):
    link = GuardianLink.objects.get()
    client.force_login(clinician)

    response = client.post(reverse("tracker:guardian_invite_link", args=[patient.pk, link.pk]))

    assert "/family/invite/" in _link_from_page(client, response)
    client.logout()
    assert client.get(invite_url).status_code == 404
    assert link.guardian.first_name in mail.outbox[-1].body
    assert link_state_now(link) == LinkState.AWAITING_PERMISSION
