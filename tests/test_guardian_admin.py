"""The Django admin for parents' and guardians' access (issue 16): a clinic administrator reads
their own clinic's links and the records of consent behind them, may end a link, and sets the
age from which young patients confirm each guardian."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import ClinicFactory, ClinicianFactory, PatientFactory, UserFactory
from tests.helpers import clinic_admin_form
from tracker.models import AuditEvent, ConsentRecord, GuardianLink, Role
from tracker.rules.guardians import LinkEnd

pytestmark = pytest.mark.django_db

LINKS = reverse("admin:tracker_guardianlink_changelist")
CONSENTS = reverse("admin:tracker_consentrecord_changelist")


def _admin(clinic, *codenames: str, username: str = "clinic.admin"):
    admin = UserFactory(username=username, role=Role.CLINIC_ADMIN, clinic=clinic, is_staff=True)
    admin.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return admin


VIEW = ("view_guardianlink", "view_consentrecord")


@pytest.fixture
def admin_client(client, clinic):
    client.force_login(_admin(clinic, *VIEW))
    return client


@pytest.fixture
def link(patients_guardian):
    return GuardianLink.objects.get(guardian=patients_guardian)


def test_it_lists_who_sees_which_patient_with_the_scope_and_state(admin_client, link):
    page = admin_client.get(LINKS).text

    assert "Asha Patel" in page or "parent.patel" in page
    assert "Maya Patel" in page
    assert '<td class="field-scope_short">plan, adherence, questionnaires, calendar</td>' in page
    assert "Has access" in page


def test_it_shows_a_link_read_only_with_its_consent_records(admin_client, link):
    response = admin_client.get(reverse("admin:tracker_guardianlink_change", args=[link.pk]))

    assert response.status_code == 200
    page = response.text
    assert "The plan: brace, exercises and activity stage" in page and "Pain trends" not in page
    assert "guardian-permission-1" in page and "assent-1" in page
    assert 'name="_save"' not in page
    assert not response.context["adminform"].form.fields


def test_it_shows_consent_records_read_only(client, clinic, link):
    admin = _admin(clinic, *VIEW, "add_consentrecord", "change_consentrecord")
    client.force_login(admin)
    record = link.consents.first()

    listed = client.get(CONSENTS)
    added = client.get(reverse("admin:tracker_consentrecord_add"))
    changed = client.post(
        reverse("admin:tracker_consentrecord_change", args=[record.pk]),
        {"wording_version": "guardian-permission-0"},
    )

    assert record in listed.context["cl"].result_list
    assert added.status_code == 403
    assert changed.status_code == 403
    record.refresh_from_db()
    assert record.wording_version == "guardian-permission-1"


def test_an_administrator_of_another_clinic_sees_none_of_it(client, link):
    elsewhere = ClinicFactory(name="Elsewhere Clinic")
    PatientFactory(clinic=elsewhere, treating_clinician=ClinicianFactory(clinic=elsewhere))
    client.force_login(_admin(elsewhere, *VIEW, username="far.admin"))

    links = client.get(LINKS)
    consents = client.get(CONSENTS)
    one = client.get(reverse("admin:tracker_guardianlink_change", args=[link.pk]))
    history = client.get(reverse("admin:tracker_guardianlink_history", args=[link.pk]))

    assert list(links.context["cl"].result_list) == []
    assert list(consents.context["cl"].result_list) == []
    assert one.status_code == 302 and one["Location"] == reverse("admin:index")
    assert history.status_code == 404
    assert "Maya" not in links.text + consents.text


def test_it_audits_reading_a_patients_guardians_and_consents(admin_client, link, patient):
    admin_client.get(LINKS)
    admin_client.get(CONSENTS)

    whats = set(AuditEvent.objects.filter(patient=patient).values_list("what", flat=True))
    assert {"admin: guardian link list", "admin: consent record list"} <= whats


def test_an_administrator_allowed_to_change_links_may_end_one(client, clinic, link):
    client.force_login(_admin(clinic, *VIEW, "change_guardianlink"))

    response = client.post(LINKS, {"action": "end_access", "_selected_action": [link.pk]})

    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.end_reason, link.ended_by.username) == (LinkEnd.REMOVED, "clinic.admin")
    assert "Ended" in client.get(LINKS).text


def test_an_administrator_who_may_only_view_cannot_end_a_link(admin_client, link):
    page = admin_client.get(LINKS)

    admin_client.post(LINKS, {"action": "end_access", "_selected_action": [link.pk]})

    assert "end_access" not in page.text
    link.refresh_from_db()
    assert link.ended_at is None


# --- The clinic's assent age --------------------------------------------------------------


@pytest.fixture
def settings_client(client, clinic):
    client.force_login(_admin(clinic, "change_clinic"))
    return client


def test_it_sets_the_clinics_assent_age(settings_client, clinic):
    url = reverse("admin:tracker_clinic_change", args=[clinic.pk])

    response = settings_client.post(url, clinic_admin_form(clinic, guardian_assent_age="13"))

    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.guardian_assent_age == 13


@pytest.mark.parametrize("age", ["12", "17", "0", "-1"])
def test_it_refuses_an_assent_age_outside_13_to_16_with_the_reason(settings_client, clinic, age):
    url = reverse("admin:tracker_clinic_change", args=[clinic.pk])

    response = settings_client.post(
        url, clinic_admin_form(clinic, guardian_assent_age=age, emergency_number="112")
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["guardian_assent_age"] and "emergency_number" not in form.errors
    if age in {"12", "17"}:
        assert form.errors["guardian_assent_age"] == [
            "Choose an age from 13 to 16 (GDPR Article 8; 16 unless your country sets a lower age)."
        ]
    assert form["emergency_number"].value() == "112"  # the rest of the form kept
    clinic.refresh_from_db()
    assert (clinic.guardian_assent_age, clinic.emergency_number) == (16, "999")


def test_the_consent_record_admin_is_never_writable_even_by_a_superuser(client, link):
    root = UserFactory(username="root", role=Role.CLINIC_ADMIN, is_staff=True, is_superuser=True)
    client.force_login(root)
    record = ConsentRecord.objects.filter(link=link).first()

    delete = client.post(
        reverse("admin:tracker_consentrecord_delete", args=[record.pk]), {"post": "yes"}
    )

    assert delete.status_code == 403
    assert ConsentRecord.objects.filter(pk=record.pk).exists()
