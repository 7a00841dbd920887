"""The Django admin shows a clinic administrator only their own clinic's records."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import ClinicFactory, ClinicianFactory, PatientFactory, UserFactory
from tests.helpers import signed_in_clinic_admin
from tracker.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, clinic):
    """A clinic administrator who is not a superuser, allowed to view patients and users."""
    return signed_in_clinic_admin(client, clinic, "view_patient", "view_user", "view_exercise")


@pytest.fixture
def foreign_patient():
    elsewhere = ClinicFactory(name="Elsewhere Clinic")
    return PatientFactory(
        user=UserFactory(username="far.away", first_name="Far", last_name="Away"),
        clinic=elsewhere,
        treating_clinician=ClinicianFactory(username="dr.far", clinic=elsewhere),
    )


def test_it_lists_only_the_administrators_clinic(admin_client, patient, foreign_patient):
    response = admin_client.get(reverse("admin:tracker_patient_changelist"))

    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert patient in shown
    assert foreign_patient not in shown


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:tracker_patient_changelist",
        "admin:tracker_user_changelist",
        "admin:rehab_exercise_changelist",
    ],
)
def test_its_list_filters_name_no_other_clinic(admin_client, patient, foreign_patient, changelist):
    page = admin_client.get(reverse(changelist)).content.decode()

    assert "Elsewhere Clinic" not in page


def test_it_hides_another_clinics_patient_page(admin_client, foreign_patient):
    response = admin_client.get(reverse("admin:tracker_patient_change", args=[foreign_patient.pk]))

    assert response.status_code == 302  # the admin redirects a missing object to its index
    assert reverse("admin:index") in response["Location"]


def test_it_lists_only_the_clinics_users(admin_client, patient, foreign_patient):
    response = admin_client.get(reverse("admin:tracker_user_changelist"))

    names = {u.username for u in response.context["cl"].result_list}
    assert "maya" in names and "dr.okafor" in names
    assert "far.away" not in names and "dr.far" not in names


def test_it_shows_a_superuser_every_clinic(client, patient, foreign_patient):
    root = UserFactory(username="root", role=Role.CLINIC_ADMIN, is_staff=True, is_superuser=True)
    client.force_login(root)

    response = client.get(reverse("admin:tracker_patient_changelist"))

    assert {patient, foreign_patient} <= set(response.context["cl"].result_list)


def test_it_keeps_admin_rights_and_clinic_moves_for_superusers(admin_client, patient):
    from tracker.models import User

    admin_user = User.objects.get(username="clinic.admin")
    admin_user.user_permissions.add(Permission.objects.get(codename="change_user"))

    page = admin_client.get(reverse("admin:tracker_user_change", args=[patient.user.pk]))

    form = page.context["adminform"].form
    assert "is_superuser" not in form.fields and "clinic" not in form.fields
    assert "first_name" in form.fields


def test_it_offers_only_the_clinics_clinicians_as_treating_clinician(
    admin_client, patient, foreign_patient
):
    from tracker.models import User

    admin_user = User.objects.get(username="clinic.admin")
    admin_user.user_permissions.add(Permission.objects.get(codename="change_patient"))

    page = admin_client.get(reverse("admin:tracker_patient_change", args=[patient.pk]))

    choices = page.context["adminform"].form.fields["treating_clinician"].queryset
    assert patient.treating_clinician in choices
    assert foreign_patient.treating_clinician not in choices


def test_it_audits_reading_a_patients_history_in_the_admin(admin_client, patient):
    from tracker.models import AuditEvent

    response = admin_client.get(reverse("admin:tracker_patient_history", args=[patient.pk]))

    assert response.status_code == 200
    assert AuditEvent.objects.filter(patient=patient, what="admin: patient history").exists()


# --- History pages and reverts (issue 19, finding 1) --------------------------------------------


def _grant(codenames: list[str]) -> None:
    from tracker.models import User

    admin_user = User.objects.get(username="clinic.admin")
    admin_user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))


def _form_data(form) -> dict:
    """What a browser posts for this admin form as it stands (the revert button)."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def _brace_log(patient, hours: str):
    from decimal import Decimal

    from rehab.models import BraceLog

    return BraceLog.objects.create(patient=patient, day=patient.local_today(), hours=Decimal(hours))


def _history_urls(model_label: str, obj) -> tuple[str, str]:
    version = obj.history.order_by("history_date").first()
    return (
        reverse(f"admin:{model_label}_history", args=[obj.pk]),
        reverse(f"admin:{model_label}_simple_history", args=[obj.pk, version.history_id]),
    )


@pytest.mark.parametrize("page", [0, 1], ids=["history-list", "old-version"])
def test_it_hides_another_clinics_patient_history(admin_client, foreign_patient, page):
    _grant(["change_patient"])
    url = _history_urls("tracker_patient", foreign_patient)[page]

    response = admin_client.get(url)

    assert response.status_code == 404
    assert b"Far" not in response.content


def test_it_refuses_to_revert_another_clinics_patient_into_its_own(
    admin_client, clinic, clinician, foreign_patient
):
    from tracker.models import Patient

    _grant(["change_patient"])
    url = _history_urls("tracker_patient", foreign_patient)[1]
    data = {
        "user": foreign_patient.user_id,
        "clinic": clinic.pk,
        "treating_clinician": clinician.pk,
        "date_of_birth": "2009-05-01",
        "diagnosis": "Moved",
        "conservative_care_started": foreign_patient.conservative_care_started.isoformat(),
        "enrolled_on": foreign_patient.enrolled_on.isoformat(),
        "status": "active",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 404
    kept = Patient.objects.get(pk=foreign_patient.pk)
    assert (kept.clinic_id, kept.treating_clinician_id) == (
        foreign_patient.clinic_id,
        foreign_patient.treating_clinician_id,
    )


def test_it_hides_and_keeps_another_clinics_brace_log(admin_client, foreign_patient):
    from rehab.models import BraceLog

    _grant(["view_bracelog", "change_bracelog"])
    log = _brace_log(foreign_patient, "7.0")
    log.hours = "0.5"
    log.save()
    log.hours = "7.0"
    log.save()
    listing, version = _history_urls("rehab_bracelog", log)
    old = log.history.order_by("history_date")[1]
    revert = reverse("admin:rehab_bracelog_simple_history", args=[log.pk, old.history_id])

    seen = [admin_client.get(listing).status_code, admin_client.get(version).status_code]
    posted = admin_client.post(revert, {"hours": "0.5"})

    assert seen == [404, 404]
    assert posted.status_code == 404
    assert BraceLog.objects.get(pk=log.pk).hours == 7


def test_it_hides_the_history_of_another_clinics_deleted_log(admin_client, foreign_patient):
    _grant(["view_bracelog", "change_bracelog"])
    log = _brace_log(foreign_patient, "7.0")
    pk = log.pk
    log.delete()

    response = admin_client.get(reverse("admin:rehab_bracelog_history", args=[pk]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    ["tracker/patient/abc/history/", "tracker/patient/{pk}/history/abc/"],
    ids=["object-id", "version-id"],
)
def test_it_answers_404_for_malformed_history_ids(admin_client, patient, path):
    _grant(["change_patient"])

    response = admin_client.get("/admin/" + path.format(pk=patient.pk))

    assert response.status_code == 404


def test_it_refuses_a_revert_that_changes_who_a_patient_belongs_to(
    admin_client, patient, other_clinician
):
    from tracker.models import Patient

    _grant(["change_patient"])
    url = _history_urls("tracker_patient", patient)[1]
    form = admin_client.get(url).context["adminform"].form
    data = _form_data(form) | {"treating_clinician": other_clinician.pk}

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "cannot change" in " ".join(response.context["adminform"].form.non_field_errors())
    assert Patient.objects.get(pk=patient.pk).treating_clinician == patient.treating_clinician


def test_it_reverts_a_brace_log_of_its_own_clinic_and_audits_it(admin_client, patient):
    from rehab.models import BraceLog
    from tracker.models import AuditAction, AuditEvent

    _grant(["view_bracelog", "change_bracelog"])
    log = _brace_log(patient, "7.0")
    log.hours = "0.5"
    log.save()
    first = log.history.order_by("history_date")[0]
    url = reverse("admin:rehab_bracelog_simple_history", args=[log.pk, first.history_id])
    data = _form_data(admin_client.get(url).context["adminform"].form)

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert BraceLog.objects.get(pk=log.pk).hours == 7
    events = AuditEvent.objects.filter(patient=patient)
    assert events.filter(action=AuditAction.VIEW, what="admin: brace log history").exists()
    assert events.filter(action=AuditAction.CHANGE, what="admin: brace log revert").exists()


def test_it_refuses_a_revert_to_an_administrator_who_may_only_view(admin_client, patient):
    from rehab.models import BraceLog

    _grant(["view_bracelog"])
    log = _brace_log(patient, "7.0")
    log.hours = "0.5"
    log.save()
    first = log.history.order_by("history_date")[0]
    url = reverse("admin:rehab_bracelog_simple_history", args=[log.pk, first.history_id])

    response = admin_client.post(url, {"hours": "7.0"})

    assert response.status_code == 403
    assert BraceLog.objects.get(pk=log.pk).hours == Decimal("0.5")


def test_it_audits_opening_an_old_version_of_a_patient(admin_client, patient):
    from tracker.models import AuditAction, AuditEvent

    _grant(["change_patient"])

    response = admin_client.get(_history_urls("tracker_patient", patient)[1])

    assert response.status_code == 200
    event = AuditEvent.objects.get(patient=patient)
    assert (event.action, event.what) == (AuditAction.VIEW, "admin: patient history")


def test_it_hides_another_clinics_thresholds_history(admin_client, foreign_patient):
    from tracker.models import ClinicThresholds

    thresholds = ClinicThresholds.objects.create(clinic=foreign_patient.clinic)

    response = admin_client.get(
        reverse("admin:tracker_clinicthresholds_history", args=[thresholds.pk])
    )

    assert response.status_code == 404


def test_it_scopes_every_admin_that_keeps_history():
    from django.contrib import admin
    from simple_history.admin import SimpleHistoryAdmin

    from tracker.security.admin_scope import ClinicScopedAdmin

    unscoped = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, SimpleHistoryAdmin)
        and not isinstance(model_admin, ClinicScopedAdmin)
    ]

    assert unscoped == []


# --- The exercise library and its pictures (issue 19, finding 3) --------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _picture(kind: str, name: str, size=(40, 30)):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, kind)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def _exercise_post(clinic_id, **extra) -> dict:
    return {
        "name": "Bird dog",
        "purpose": "Core control",
        "instructions": "Kneel on all fours.\nReach out one arm.",
        "cautions": "",
        "phase": "stabilise",
        "sets": "2",
        "reps": "10",
        "hold_seconds": "5",
        "sessions_per_week": "5",
        "is_active": "on",
        "code": "",
        "clinic": "" if clinic_id is None else str(clinic_id),
        "image_alt": "",
        **extra,
    }


def test_it_refuses_adding_to_another_clinics_library(admin_client, foreign_patient):
    from rehab.models import Exercise

    _grant(["add_exercise", "change_exercise"])

    response = admin_client.post(
        reverse("admin:rehab_exercise_add"), _exercise_post(foreign_patient.clinic_id)
    )

    assert response.status_code == 200
    assert "clinic" in response.context["adminform"].form.errors
    assert not Exercise.objects.filter(name="Bird dog").exists()


def test_it_refuses_a_clinic_administrator_a_new_built_in_exercise(admin_client):
    from rehab.models import Exercise

    _grant(["add_exercise", "change_exercise"])

    response = admin_client.post(reverse("admin:rehab_exercise_add"), _exercise_post(None))

    assert response.status_code == 200
    assert "clinic" in response.context["adminform"].form.errors
    assert not Exercise.objects.filter(name="Bird dog").exists()


def test_it_adds_to_its_own_library_and_audits_nothing_of_a_patient(admin_client, clinic):
    from rehab.models import Exercise
    from tracker.models import AuditEvent, User

    _grant(["add_exercise", "change_exercise"])
    admin_user = User.objects.get(username="clinic.admin")
    data = _exercise_post(clinic.pk, created_by=str(admin_user.pk))

    response = admin_client.post(reverse("admin:rehab_exercise_add"), data)

    assert response.status_code == 302
    exercise = Exercise.objects.get(name="Bird dog")
    assert (exercise.clinic, exercise.created_by) == (clinic, admin_user)
    assert not AuditEvent.objects.filter(patient__isnull=False).exists()


def test_it_offers_only_the_clinics_staff_as_the_exercises_author(
    admin_client, clinician, patient, foreign_patient
):
    _grant(["add_exercise"])

    page = admin_client.get(reverse("admin:rehab_exercise_add"))

    form = page.context["adminform"].form
    authors = set(form.fields["created_by"].queryset.values_list("username", flat=True))
    assert "dr.okafor" in authors and "clinic.admin" in authors
    assert "dr.far" not in authors and "far.away" not in authors and "maya" not in authors
    assert list(form.fields["clinic"].queryset) == [clinician.clinic]


def test_it_keeps_built_in_exercises_from_a_clinic_administrator(admin_client):
    from rehab.models import Exercise

    _grant(["view_exercise", "change_exercise", "delete_exercise"])
    builtin = Exercise.objects.filter(clinic__isnull=True).first()

    deleted = admin_client.post(
        reverse("admin:rehab_exercise_delete", args=[builtin.pk]), {"post": "yes"}
    )

    assert deleted.status_code == 403
    assert Exercise.objects.filter(pk=builtin.pk).exists()


def test_it_stores_and_serves_an_admin_upload_as_what_it_is(
    admin_client, client, clinic, clinician, media
):
    from django.test import Client

    from rehab.models import Exercise

    _grant(["add_exercise", "change_exercise"])
    data = _exercise_post(
        clinic.pk, image=_picture("PNG", "x.pdf"), image_alt="A man kneeling on all fours"
    )

    response = admin_client.post(reverse("admin:rehab_exercise_add"), data)
    exercise = Exercise.objects.get(name="Bird dog")
    viewer = Client()
    viewer.force_login(clinician)
    served = viewer.get(reverse("rehab:exercise_image", args=[exercise.pk]))
    served.close()

    assert response.status_code == 302
    assert exercise.image.name.endswith(".png")
    assert served["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    ("picture", "message"),
    [
        (lambda: _picture("GIF", "x.png"), "Use a JPEG, PNG or WebP picture."),
        (lambda: _picture("PNG", "x.png", size=(4001, 10)), "at most 4000 px a side"),
    ],
    ids=["gif", "too-many-pixels"],
)
def test_it_holds_admin_uploads_to_the_apps_picture_rules(
    admin_client, clinic, media, picture, message
):
    from rehab.models import Exercise

    _grant(["add_exercise", "change_exercise"])
    data = _exercise_post(clinic.pk, image=picture(), image_alt="A picture")

    response = admin_client.post(reverse("admin:rehab_exercise_add"), data)

    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors["image"])
    assert not Exercise.objects.filter(name="Bird dog").exists()


def test_it_checks_a_picture_however_it_arrives(clinic, clinician, media):
    from django.core.exceptions import ValidationError

    from rehab.models import Exercise
    from rehab.services import exercise_create

    with pytest.raises(ValidationError) as refused:
        exercise_create(
            clinic=clinic,
            created_by=clinician,
            name="Bird dog",
            purpose="Core control",
            instructions="Kneel.",
            image=_picture("GIF", "x.png"),
            image_alt="A picture",
        )

    assert "Use a JPEG, PNG or WebP picture." in refused.value.message_dict["image"]
    assert not Exercise.objects.filter(name="Bird dog").exists()
