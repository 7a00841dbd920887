"""A parent's or guardian's look at a young person's record is in the clinic's audit trail, in
words: "Asha Patel (parent or guardian)", "Viewed Maya Patel's plan" (issue 16)."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import ResolverMatch

from tracker.access import patient_for_guardian
from tracker.models import AuditAction, AuditEvent
from tracker.rules.guardians import GuardianScope
from tracker.selectors.audit import audit_events_for_clinic, audit_rows

pytestmark = pytest.mark.django_db

URL = "/audit/"


@patient_for_guardian(GuardianScope.PLAN)
def plan_page(request, link):
    """A page built for guardians, as guard16a's are: the decorator audits it."""
    return HttpResponse(f"{link.patient.name}'s plan")


def _open_as(guardian, patient, name="guardian_plan"):
    request = RequestFactory().get(f"/family/{patient.pk}/plan/")
    request.user = guardian
    request.resolver_match = ResolverMatch(
        plan_page, (), {}, url_name=name, app_names=["tracker"], namespaces=["tracker"]
    )
    return plan_page(request, patient_id=patient.pk)


@pytest.fixture
def admin_client(client, clinic_admin):
    client.force_login(clinic_admin)
    return client


def test_a_guardians_page_view_is_recorded_against_the_young_person(patients_guardian, patient):
    response = _open_as(patients_guardian, patient)

    assert response.status_code == 200
    event = AuditEvent.objects.get(patient=patient)
    assert (event.user, event.role, event.action) == (patients_guardian, "guardian", "view")
    assert event.clinic_id == patient.clinic_id


def test_the_audit_log_says_who_looked_at_what_in_words(admin_client, patients_guardian, patient):
    _open_as(patients_guardian, patient)

    page = admin_client.get(URL).text

    assert "Asha Patel (parent or guardian)" in page
    assert "Viewed Maya Patel&#x27;s plan" in page


@pytest.mark.parametrize(
    ("what", "action", "words"),
    [
        ("guardian plan", AuditAction.VIEW, "Viewed Maya Patel's plan"),
        (
            "guardian adherence",
            AuditAction.VIEW,
            "Viewed Maya Patel's brace and exercise adherence",
        ),
        ("family:calendar", AuditAction.VIEW, "Viewed Maya Patel's check-in calendar"),
        ("guardian pain trends", AuditAction.VIEW, "Viewed Maya Patel's pain trends"),
        ("guardian log", AuditAction.CHANGE, "Changed Maya Patel's check-in"),
    ],
    ids=["plan", "adherence", "family-namespace", "pain", "log"],
)
def test_it_names_the_part_of_the_record_a_guardian_saw(
    clinic, patients_guardian, patient, what, action, words
):
    from tracker.services.audit import audit_record

    audit_record(user=patients_guardian, patient=patient, action=action, what=what)

    (row,) = audit_rows(audit_events_for_clinic(clinic=clinic), clinic=clinic)
    assert (row.who, row.action, row.patients) == (
        "Asha Patel (parent or guardian)",
        words,
        ["Maya Patel"],
    )


def test_a_refused_guardian_leaves_no_trace_of_the_patient(other_patients_guardian, patient):
    from django.http import Http404

    with pytest.raises(Http404):
        _open_as(other_patients_guardian, patient)

    assert not AuditEvent.objects.filter(patient=patient).exists()


def test_the_log_can_be_searched_by_a_guardian(admin_client, patients_guardian, patient, clinician):
    from tracker.services.audit import audit_record

    _open_as(patients_guardian, patient)
    audit_record(user=clinician, patient=patient, action="view", what="patient detail")

    page = admin_client.get(URL, {"user": patients_guardian.pk}).text

    assert "Viewed Maya Patel&#x27;s plan" in page
    assert "patient detail" not in page


def test_a_guardians_sign_in_is_in_their_young_persons_clinic_log(
    client, patients_guardian, clinic
):
    patients_guardian.set_password("a long family password")
    patients_guardian.save()

    client.post(
        "/accounts/login/", {"username": "parent.patel", "password": "a long family password"}
    )

    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert (event.username, event.clinic_id) == ("parent.patel", clinic.pk)
