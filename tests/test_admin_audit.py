"""Every admin list, change page and deletion of a patient's data writes an audit event, once
(issue 19, finding 4). The events come from the shared mixin, tracker/security/admin_scope.py."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from rehab.models import BraceLog, ExerciseLog
from tests.factories import (
    ClinicFactory,
    ClinicianFactory,
    PatientFactory,
    UserFactory,
    rehab_brace,
    rehab_programme,
)
from tracker.models import AuditAction, AuditEvent, Role

pytestmark = pytest.mark.django_db

CODENAMES = [
    f"{verb}_{model}"
    for model in (
        "patient",
        "user",
        "bracelog",
        "exerciselog",
        "programmeversion",
        "braceprescription",
        "activitystageprescription",
    )
    for verb in ("view", "change", "delete")
]


@pytest.fixture
def admin_user(clinic):
    """A clinic administrator who is not a superuser, allowed to read and change rehab data."""
    user = UserFactory(username="clinic.admin", role=Role.CLINIC_ADMIN, clinic=clinic)
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__in=CODENAMES))
    return user


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def foreign_patient():
    elsewhere = ClinicFactory(name="Elsewhere Clinic")
    return PatientFactory(
        user=UserFactory(username="far.away"),
        clinic=elsewhere,
        treating_clinician=ClinicianFactory(username="dr.far", clinic=elsewhere),
    )


@pytest.fixture
def records(patient, other_patient, foreign_patient):
    """A brace log, an exercise log, a programme and a brace prescription for each patient."""
    made = {}
    for someone in (patient, other_patient, foreign_patient):
        today = someone.local_today()
        version = rehab_programme(someone, valid_from=today - dt.timedelta(days=7))
        brace = rehab_brace(someone, valid_from=today - dt.timedelta(days=7))
        made[someone.pk] = {
            "bracelog": BraceLog.objects.create(patient=someone, day=today, hours=Decimal("7")),
            "exerciselog": ExerciseLog.objects.create(
                patient=someone, day=today, item=version.items.first(), done=False
            ),
            "programmeversion": version,
            "braceprescription": brace,
        }
    return made


def _events(**filters):
    return AuditEvent.objects.filter(**filters)


@pytest.mark.parametrize(
    ("url_name", "what"),
    [
        ("admin:tracker_patient_changelist", "admin: patient list"),
        ("admin:tracker_user_changelist", "admin: user list"),
        ("admin:rehab_bracelog_changelist", "admin: brace log list"),
        ("admin:rehab_exerciselog_changelist", "admin: exercise log list"),
        ("admin:rehab_programmeversion_changelist", "admin: exercise programme version list"),
        ("admin:rehab_braceprescription_changelist", "admin: brace prescription list"),
    ],
    ids=["patients", "users", "brace-logs", "exercise-logs", "programmes", "brace-prescriptions"],
)
def test_it_records_each_patient_on_an_admin_list(
    admin_client, records, patient, other_patient, url_name, what
):
    response = admin_client.get(reverse(url_name))

    assert response.status_code == 200
    event = _events(action=AuditAction.VIEW, what=what).get()  # one page view, one event
    assert sorted(event.patient_ids) == sorted([patient.pk, other_patient.pk])


@pytest.mark.parametrize(
    ("model", "what"),
    [
        ("bracelog", "admin: brace log record"),
        ("exerciselog", "admin: exercise log record"),
        ("programmeversion", "admin: exercise programme version record"),
        ("braceprescription", "admin: brace prescription record"),
    ],
    ids=["brace-log", "exercise-log", "programme", "brace-prescription"],
)
def test_it_records_opening_a_rehab_record_in_the_admin_once(
    admin_client, records, patient, model, what
):
    obj = records[patient.pk][model]

    response = admin_client.get(reverse(f"admin:rehab_{model}_change", args=[obj.pk]))

    assert response.status_code == 200
    event = _events(patient=patient).get()
    assert (event.action, event.what) == (AuditAction.VIEW, what)


def test_it_records_opening_a_patients_user_page(admin_client, patient):
    response = admin_client.get(reverse("admin:tracker_user_change", args=[patient.user.pk]))

    assert response.status_code == 200
    event = _events(patient=patient).get()
    assert (event.action, event.what) == (AuditAction.VIEW, "admin: user record")


def test_it_records_opening_a_patient_page_once(admin_client, patient):
    response = admin_client.get(reverse("admin:tracker_patient_change", args=[patient.pk]))

    assert response.status_code == 200
    event = _events(patient=patient).get()
    assert (event.action, event.what) == (AuditAction.VIEW, "admin: patient record")


def test_it_records_no_patient_for_a_staff_users_page(admin_client, clinician):
    admin_client.get(reverse("admin:tracker_user_change", args=[clinician.pk]))

    assert not _events(patient__isnull=False).exists()


def test_it_records_a_change_to_a_brace_log(admin_client, records, patient):
    log = records[patient.pk]["bracelog"]

    response = admin_client.post(
        reverse("admin:rehab_bracelog_change", args=[log.pk]), {"hours": "6.5"}
    )

    assert response.status_code == 302
    event = _events(patient=patient).get()
    assert (event.action, event.what) == (AuditAction.CHANGE, "admin: brace log record")


def test_it_records_deleting_one_log(admin_client, records, patient):
    log = records[patient.pk]["bracelog"]

    response = admin_client.post(
        reverse("admin:rehab_bracelog_delete", args=[log.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not BraceLog.objects.filter(pk=log.pk).exists()
    event = _events(patient=patient).get()
    assert (event.action, event.what) == (AuditAction.CHANGE, "admin: brace log deleted")


def test_it_records_deleting_logs_in_bulk(admin_client, records, patient, other_patient):
    logs = [records[p.pk]["exerciselog"].pk for p in (patient, other_patient)]

    response = admin_client.post(
        reverse("admin:rehab_exerciselog_changelist"),
        {"action": "delete_selected", "_selected_action": logs, "post": "yes"},
    )

    assert response.status_code == 302
    assert not ExerciseLog.objects.filter(pk__in=logs).exists()
    deleted = _events(action=AuditAction.CHANGE, what="admin: exercise log deleted").get()
    assert sorted(deleted.patient_ids) == sorted([patient.pk, other_patient.pk])


def test_it_audits_every_admin_of_patient_data():
    """A new admin for a model holding a patient's data gets the scope and the audit, or fails."""
    from django.contrib import admin

    from tracker.security.admin_scope import ClinicScopedAdmin

    not_audited = []
    for model, model_admin in admin.site._registry.items():
        fields = {f.name for f in model._meta.concrete_fields}
        holds_patient_data = "patient" in fields or model._meta.label in {
            "tracker.Patient",
            "tracker.User",
        }
        if model._meta.label == "tracker.AuditEvent" or not holds_patient_data:
            continue
        if not (isinstance(model_admin, ClinicScopedAdmin) and model_admin.audit_patient_data):
            not_audited.append(model._meta.label)

    assert not_audited == []
