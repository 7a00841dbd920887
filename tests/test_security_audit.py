"""The audit trail: clinician views and changes are recorded, and nobody can alter the record."""

import os

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from tests.factories import PatientFactory, logged_history
from tracker.models import (
    AuditAction,
    AuditEvent,
    AuditLogIsAppendOnly,
    ExportRecord,
    Patient,
    WarningSignAlert,
)
from tracker.services.audit import audit_export, audit_record

pytestmark = pytest.mark.django_db


def _patient_events(patient):
    return AuditEvent.objects.filter(patient=patient)


def test_it_records_a_clinician_viewing_a_patient(clinician_client, clinician, patient):
    clinician_client.get(
        reverse("tracker:patient_detail", args=[patient.pk]), REMOTE_ADDR="203.0.113.9"
    )

    event = _patient_events(patient).get()
    assert (event.user, event.username, event.role) == (clinician, "dr.okafor", "clinician")
    assert event.action == AuditAction.VIEW
    assert event.what == "patient detail"
    assert event.ip_address == "203.0.113.9"
    assert (event.method, event.path) == ("GET", f"/patients/{patient.pk}/")
    assert event.clinic == patient.clinic


def test_it_records_a_change_when_a_clinician_saves(clinician_client, patient):
    clinician_client.post(reverse("tracker:patient_discharge", args=[patient.pk]))

    event = _patient_events(patient).get()
    assert event.action == AuditAction.CHANGE
    assert event.what == "patient discharge"


def test_it_records_a_refused_form_as_a_view_not_a_change(clinician_client, patient):
    clinician_client.post(reverse("tracker:patient_edit", args=[patient.pk]), {"first_name": ""})

    assert list(_patient_events(patient).values_list("action", flat=True)) == ["view"]


def test_it_records_nothing_for_someone_refused_access(client, other_clinician, patient, guardians):
    for user in (other_clinician, *guardians):
        client.force_login(user)

        response = client.get(reverse("tracker:patient_detail", args=[patient.pk]))

        assert response.status_code == 404
    assert not _patient_events(patient).exists()


def test_it_keeps_no_health_notes_in_the_trail(clinician_client, patient):
    clinician_client.get(reverse("tracker:patient_edit", args=[patient.pk]))
    patient.diagnosis_notes = "Pain worse after vaulting"
    patient.save()

    clinician_client.get(reverse("tracker:patient_detail", args=[patient.pk]) + "?q=secret")

    for event in AuditEvent.objects.all():
        assert "vaulting" not in event.what and "secret" not in event.path


def test_it_records_an_export_as_one_event_naming_each_patient_in_the_file(
    rf, clinician, patient, clinic
):
    second = PatientFactory(clinic=clinic, treating_clinician=clinician)
    request = rf.get("/export/")
    request.user = clinician

    audit_export(request=request, patients=[patient, second], what="check-ins CSV")

    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).get()
    assert sorted(event.patient_ids) == sorted([patient.pk, second.pk])
    assert event.what == "check-ins CSV"
    for someone in (patient, second):
        assert list(AuditEvent.objects.about(someone.pk)) == [event]


def test_it_records_sign_in_and_sign_out(client, clinician):
    from tests.factories import PASSWORD

    client.post(reverse("login"), {"username": "dr.okafor", "password": PASSWORD})
    client.post(reverse("logout"))

    actions = list(AuditEvent.objects.filter(user=clinician).values_list("action", flat=True))
    assert sorted(actions) == ["login", "logout"]


def test_it_refuses_to_change_or_delete_a_recorded_event(clinician):
    event = audit_record(user=clinician, action=AuditAction.VIEW, what="patient detail")

    event.what = "nothing to see"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(what="rewritten")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).what == "patient detail"


def test_it_gives_the_admin_no_way_to_add_change_or_delete_events(client, clinician, patient):
    superuser = type(clinician).objects.create_superuser("root", "root@example.org", "x" * 20)
    event = audit_record(user=clinician, patient=patient, action=AuditAction.VIEW, what="x")
    client.force_login(superuser)
    change_url = reverse("admin:tracker_auditevent_change", args=[event.pk])

    page = client.get(change_url)
    post = client.post(change_url, {"what": "rewritten", "action": "view"})
    add = client.get(reverse("admin:tracker_auditevent_add"))
    delete = client.post(
        reverse("admin:tracker_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )

    assert page.status_code == 200 and "Save" not in page.text
    assert post.status_code == 403
    assert add.status_code == 403
    assert delete.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).what == "x"


def test_it_keeps_the_previous_values_of_a_patient_and_who_changed_them(clinician_client, patient):
    from tests.helpers import patient_form_data

    data = patient_form_data(patient) | {"sport": "Rock climbing"}

    clinician_client.post(reverse("tracker:patient_edit", args=[patient.pk]), data)

    latest, previous = patient.history.all()[:2]
    assert (previous.sport, latest.sport) == ("Gymnastics", "Rock climbing")
    assert latest.history_user == patient.treating_clinician


def test_it_keeps_the_history_of_the_care_team(
    clinician_client, clinician, other_clinician, patient
):
    from tests.helpers import patient_form_data

    data = patient_form_data(patient) | {"care_team": [other_clinician.pk]}

    clinician_client.post(reverse("tracker:patient_edit", args=[patient.pk]), data)

    added = patient.memberships.get(clinician=other_clinician).history.get()
    assert added.history_type == "+" and added.history_user == clinician


if os.environ.get("DATABASE_URL", "").startswith("postgres"):

    def test_it_has_postgresql_refuse_raw_updates_and_deletes(clinician):
        event = audit_record(user=clinician, action=AuditAction.VIEW, what="x")

        for sql in (
            "UPDATE tracker_auditevent SET what = 'y' WHERE id = %s",
            "DELETE FROM tracker_auditevent WHERE id = %s",
        ):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(sql, [event.pk])


def test_it_records_an_export_for_every_patient_in_the_file(clinician_client, patient):
    response = clinician_client.post(reverse("tracker:export"), {"dataset": "patients"})
    b"".join(response.streaming_content)

    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.patient == patient
    assert event.username == "dr.okafor"
    assert "patients" in event.what


def test_it_records_a_clinicians_api_read_of_a_patient(client, clinician, patient):
    client.force_login(clinician)

    response = client.get(f"/api/patients/{patient.pk}/")

    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.VIEW, patient=patient)
    assert event.path == f"/api/patients/{patient.pk}/"


def test_it_files_a_patients_sign_in_and_sign_out_under_their_clinic(client, patient):
    from tests.factories import PASSWORD

    client.post(reverse("login"), {"username": "maya", "password": PASSWORD})
    client.post(reverse("logout"))

    events = AuditEvent.objects.filter(user=patient.user)
    assert sorted(events.values_list("action", flat=True)) == ["login", "logout"]
    assert {event.clinic for event in events} == {patient.clinic}


@pytest.mark.parametrize("username", ["dr.okafor", "maya"], ids=["clinician", "patient"])
def test_it_files_a_failed_sign_in_under_the_accounts_clinic(client, clinician, patient, username):
    client.post(reverse("login"), {"username": username, "password": "wrong"})

    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.clinic == patient.clinic
    assert event.user is None and event.username == ""


def test_it_files_a_failed_sign_in_of_an_unknown_name_under_no_clinic(client, patient):
    client.post(reverse("login"), {"username": "not-a-user", "password": "wrong"})

    assert AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED).clinic is None


def test_it_shows_sign_ins_and_failed_sign_ins_in_the_clinics_audit_log(
    client, clinic_admin, patient
):
    from tests.factories import PASSWORD

    client.post(reverse("login"), {"username": "maya", "password": "wrong"})
    client.post(reverse("login"), {"username": "maya", "password": PASSWORD})
    client.force_login(clinic_admin)

    page = client.get("/audit/").text

    assert "failed sign-in" in page
    assert "sign-in" in page.replace("failed sign-in", "")


def test_it_records_nothing_for_a_request_answered_with_an_error(clinician_client, patient):
    # The trends page answers GET only: a HEAD is refused (405) and shows nothing of the patient.
    url = reverse("tracker:patient_trends", args=[patient.pk])

    refused = clinician_client.head(url)
    shown = clinician_client.get(url)

    assert (refused.status_code, shown.status_code) == (405, 200)
    assert list(_patient_events(patient).values_list("method", flat=True)) == ["GET"]


def test_it_names_each_patient_in_the_dashboards_warning_sign_box(
    clinician_client, patient, other_patient, clinician
):
    # A discharged patient is not a row of the default dashboard, but their open warning sign is
    # shown in the box above it; a patient both in a row and in the box is recorded once.
    discharged = PatientFactory(
        clinic=patient.clinic,
        treating_clinician=clinician,
        status=Patient.Status.DISCHARGED,
        discharged_on=patient.local_today(),
    )
    for someone in (patient, discharged):
        WarningSignAlert.objects.create(
            patient=someone, day=someone.local_today(), saddle_numbness=True
        )

    response = clinician_client.get(reverse("tracker:patient_list"))

    assert {a.alert.patient for a in response.context["alerts"]} == {patient, discharged}
    assert discharged not in [r.patient for r in response.context["rows"]]
    event = AuditEvent.objects.filter(action=AuditAction.VIEW, what="dashboard").get()
    assert sorted(event.patient_ids) == sorted([patient.pk, discharged.pk])


def _export_events():
    return AuditEvent.objects.filter(action=AuditAction.EXPORT)


@pytest.mark.parametrize("dataset", ["daily", "diary", "research_diary", "patients", "brace"])
def test_it_records_no_export_event_for_a_range_that_holds_no_rows(
    clinician_client, patient, dataset
):
    # Long before the patient's care began: the file has its header and no row.
    data = {"dataset": dataset, "date_from": "2001-01-01", "date_to": "2001-01-31"}

    response = clinician_client.post(reverse("tracker:export"), data)
    body = b"".join(response.streaming_content).decode("utf-8-sig")

    assert len(body.strip().splitlines()) == 1
    assert not _export_events().exists()
    record = ExportRecord.objects.get()  # the attempt is kept, naming nobody
    assert (record.dataset, list(record.patients.all())) == (dataset, [])


def test_it_records_an_export_event_for_a_range_that_holds_rows(clinician_client, patient):
    logged_history(patient)
    today = patient.local_today().isoformat()
    data = {"dataset": "diary", "date_from": "2001-01-01", "date_to": today}

    response = clinician_client.post(reverse("tracker:export"), data)
    body = b"".join(response.streaming_content).decode("utf-8-sig")

    assert len(body.strip().splitlines()) > 1
    assert list(_export_events().values_list("patient", flat=True)) == [patient.pk]
    assert list(ExportRecord.objects.get().patients.all()) == [patient]


def test_it_records_no_export_event_for_an_empty_range_through_the_api(client, clinician, patient):
    client.force_login(clinician)

    response = client.get(
        reverse("api:export", args=["diary"]), {"date_from": "2001-01-01", "date_to": "2001-01-31"}
    )
    b"".join(response.streaming_content)

    assert response.status_code == 200
    assert not _export_events().exists()
