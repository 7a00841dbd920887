"""Rehab pages: the access rule on every view, prescribing with history, bad input, library."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from rehab.models import (
    ActivityStagePrescription,
    BracePrescription,
    Exercise,
    Phase,
    ProgrammeVersion,
)
from rehab.selectors import programme_items_on, timeline_events
from rehab.services import ExerciseEntry, brace_log_record, exercise_logs_record
from rehab.templatetags.rehab import percent
from tests.factories import rehab_brace, rehab_programme
from tests.helpers import assert_login_redirect, assert_not_found_for
from tracker.models import ClinicThresholds
from tracker.selectors.assessment import patient_assessment

pytestmark = pytest.mark.django_db

PATIENT_VIEWS = ["patient_rehab", "programme_edit", "brace_edit", "stage_edit"]


def png(size=(20, 20)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return SimpleUploadedFile("maya-patel.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def own_exercise(clinic, clinician):
    return Exercise.objects.create(
        clinic=clinic, name="Clinic crunch", purpose="p", instructions="a\nb", image=png()
    )


@pytest.mark.parametrize("name", PATIENT_VIEWS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_hides_patient_pages_from_everyone_else(
    client,
    patient,
    other_patient,
    other_clinician,
    foreign_clinician,
    name,
    method,
    guardians,
):
    url = reverse(f"rehab:{name}", args=[patient.pk])

    assert_not_found_for(
        client,
        [
            other_patient.user,
            other_clinician,
            foreign_clinician,
            *guardians,
        ],
        url,
        method,
    )
    assert_login_redirect(client, url, method)


def test_it_hides_my_programme_from_clinicians(client, clinician, guardians):
    url = reverse("rehab:my_programme")

    assert_not_found_for(client, [clinician, *guardians], url)
    assert_login_redirect(client, url)


@pytest.mark.parametrize("name", ["library", "exercise_add", "adherence_overview"], ids=lambda n: n)
def test_it_keeps_clinician_pages_from_patients(client, patient, name, guardians):
    url = reverse(f"rehab:{name}")

    assert_not_found_for(client, [patient.user, *guardians], url)
    assert_login_redirect(client, url)


@pytest.mark.parametrize(
    "name", ["exercise_detail", "exercise_edit", "exercise_archive", "exercise_image"]
)
def test_it_keeps_a_clinics_exercise_from_other_clinics(
    client, own_exercise, foreign_clinician, name, guardians
):
    url = reverse(f"rehab:{name}", args=[own_exercise.pk])
    method = "post" if name == "exercise_archive" else "get"

    assert_not_found_for(client, [foreign_clinician, *guardians], url, method)
    assert_login_redirect(client, url, method)


def test_it_shows_a_clinics_image_to_its_own_users_only(
    client,
    own_exercise,
    clinician,
    patient,
    foreign_clinician,
    guardians,
):
    url = reverse("rehab:exercise_image", args=[own_exercise.pk])
    outsider = foreign_clinician
    from tests.factories import PatientFactory

    stranger = PatientFactory(clinic=outsider.clinic, treating_clinician=outsider)

    for user in (clinician, patient.user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert_not_found_for(client, [outsider, stranger.user, *guardians], url)


def test_it_does_not_let_a_clinic_edit_built_in_exercises(clinician_client):
    builtin = Exercise.objects.filter(clinic__isnull=True).first()

    response = clinician_client.get(reverse("rehab:exercise_edit", args=[builtin.pk]))

    assert response.status_code == 404


def test_it_prescribes_a_programme_and_keeps_the_old_one(clinician_client, patient):
    today = patient.local_today()
    rehab_programme(patient, valid_from=today - dt.timedelta(days=20))
    bird_dog = Exercise.objects.get(code="bird-dog")
    url = reverse("rehab:programme_edit", args=[patient.pk])
    form = clinician_client.get(url).context["form"]

    response = clinician_client.post(
        url,
        {
            "valid_from": today.isoformat(),
            "exercises": [bird_dog.pk],
            f"sets_{bird_dog.pk}": "3",
            f"reps_{bird_dog.pk}": "8",
            f"hold_{bird_dog.pk}": "5",
            f"spw_{bird_dog.pk}": "4",
            f"phase_{bird_dog.pk}": "stabilise",
            "note": "Moving on to phase 2.",
        },
        follow=True,
    )

    assert len(form.library) >= 10
    assert "The new programme was saved" in response.content.decode()
    assert ProgrammeVersion.objects.filter(patient=patient).count() == 2
    [item] = programme_items_on(patient, today)
    assert (item.exercise, item.sets, item.sessions_per_week) == (bird_dog, 3, 4)
    assert len(programme_items_on(patient, today - dt.timedelta(days=1))) == 2
    labels = [e.label for e in timeline_events(patient, today, today)]
    assert labels == ["Programme moved on a phase (1 exercise)"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sets", "-1", "Enter a number from 1 to 20"),
        ("spw", "9", "Enter a number from 1 to 7"),
        ("reps", "", "Enter this for"),
    ],
    ids=["negative-sets", "too-many-sessions", "missing-reps"],
)
def test_it_refuses_bad_dosage(clinician_client, patient, field, value, message):
    ex = Exercise.objects.get(code="bird-dog")
    data = {
        "valid_from": patient.local_today().isoformat(),
        "exercises": [ex.pk],
        f"sets_{ex.pk}": "3",
        f"reps_{ex.pk}": "8",
        f"hold_{ex.pk}": "5",
        f"spw_{ex.pk}": "4",
        f"phase_{ex.pk}": "stabilise",
    }
    data[f"{field}_{ex.pk}"] = value

    response = clinician_client.post(reverse("rehab:programme_edit", args=[patient.pk]), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProgrammeVersion.objects.exists()


def test_it_refuses_another_clinics_exercise(clinician_client, patient, foreign_clinician):
    foreign = Exercise.objects.create(
        clinic=foreign_clinician.clinic, name="Secret", purpose="p", instructions="i"
    )

    response = clinician_client.post(
        reverse("rehab:programme_edit", args=[patient.pk]),
        {
            "valid_from": patient.local_today().isoformat(),
            "exercises": [foreign.pk],
            f"sets_{foreign.pk}": "3",
            f"reps_{foreign.pk}": "8",
            f"hold_{foreign.pk}": "0",
            f"spw_{foreign.pk}": "4",
            f"phase_{foreign.pk}": "protect",
        },
    )

    assert response.status_code == 200
    assert "is not an exercise your clinic can use" in response.content.decode()
    assert not ProgrammeVersion.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"target_hours": "24.5"}, "target_hours", "A day has 24 hours"),
        ({"target_hours": "-1"}, "target_hours", "Hours cannot be less than 0.5"),
        ({"target_hours": ""}, "target_hours", "Enter how many hours"),
        ({"wean_from": "2026-01-01"}, "wean_hours", "needs both"),
        ({"planned_end": "2020-01-01"}, "planned_end", "cannot be before the start"),
    ],
    ids=["24.5-hours", "negative", "missing", "half-weaning-plan", "end-before-start"],
)
def test_it_refuses_a_bad_brace_prescription(clinician_client, patient, overrides, field, message):
    data = {"kind": "rigid", "valid_from": patient.local_today().isoformat(), "target_hours": "23"}
    data.update(overrides)

    response = clinician_client.post(reverse("rehab:brace_edit", args=[patient.pk]), data)

    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not BracePrescription.objects.exists()


def test_it_prescribes_then_stops_a_brace_with_history_and_timeline(clinician_client, patient):
    today = patient.local_today()
    rehab_brace(patient, valid_from=today - dt.timedelta(days=30), hours="23")
    url = reverse("rehab:brace_edit", args=[patient.pk])

    clinician_client.post(url, {"kind": "none", "valid_from": today.isoformat()})

    assert BracePrescription.objects.filter(patient=patient).count() == 2
    labels = [e.label for e in timeline_events(patient, today - dt.timedelta(days=40), today)]
    assert labels[0].startswith("Brace started: Rigid")
    assert labels[-1] == "Brace stopped"


def test_it_refuses_a_change_dated_before_the_current_prescription(clinician_client, patient):
    today = patient.local_today()
    rehab_brace(patient, valid_from=today, hours="23")
    earlier = (today - dt.timedelta(days=3)).isoformat()

    response = clinician_client.post(
        reverse("rehab:brace_edit", args=[patient.pk]),
        {"kind": "soft", "valid_from": earlier, "target_hours": "12"},
    )

    assert "a change must start on or after that day" in response.content.decode()
    assert BracePrescription.objects.count() == 1


def test_it_sets_the_activity_stage_and_the_patient_reads_it(client, clinician, patient):
    client.force_login(clinician)
    client.post(
        reverse("rehab:stage_edit", args=[patient.pk]),
        {"stage": "training", "valid_from": patient.local_today().isoformat(), "note": "No jumps"},
    )
    client.force_login(patient.user)

    page = client.get(reverse("rehab:my_programme")).content.decode()

    assert ActivityStagePrescription.objects.get().stage == "training"
    assert "no jumping and no bending your back backwards" in page


def test_it_shows_todays_exercises_with_their_instructions(patient_client, patient):
    rehab_programme(patient, valid_from=patient.local_today())

    page = patient_client.get(reverse("rehab:my_programme")).content.decode()

    first = programme_items_on(patient, patient.local_today())[0]
    assert first.exercise.name in page
    assert first.exercise.steps[0] in page


def test_it_shows_the_clinician_the_how_to_the_patient_reads(
    client, clinician, patient, own_exercise
):
    own_exercise.cautions = "Stop if your leg goes numb."
    own_exercise.save()
    rehab_programme(patient, valid_from=patient.local_today(), exercises=[own_exercise])
    client.force_login(patient.user)
    mine = client.get(reverse("rehab:my_programme")).content.decode()
    client.force_login(clinician)

    detail = client.get(reverse("rehab:exercise_detail", args=[own_exercise.pk])).content.decode()

    picture = reverse("rehab:exercise_image", args=[own_exercise.pk])
    for page in (mine, detail):
        assert f'src="{picture}"' in page
        assert '<ol class="rehab-steps"><li>a</li><li>b</li></ol>' in page
        assert "<strong>Be careful</strong></p><ul><li>Stop if your leg goes numb.</li>" in page


def test_it_shows_the_clinician_history_and_adherence(clinician_client, patient):
    rehab_programme(patient, valid_from=patient.local_today() - dt.timedelta(days=3))

    page = clinician_client.get(reverse("rehab:patient_rehab", args=[patient.pk])).content.decode()

    assert "Weekly adherence" in page
    assert "Exercise programme started (2 exercises)" in page


@pytest.fixture
def adherence_in_window(clinic, patient):
    """A clinic whose adherence window is 10 days (never whole weeks, so it always cuts a week
    short), and a patient who did both exercises on 3 of those days and wore the brace on 5."""
    ClinicThresholds.objects.create(clinic=clinic, adherence_window_days=10)
    today = patient.local_today()
    started = today - dt.timedelta(days=40)
    rehab_programme(patient, valid_from=started)
    rehab_brace(patient, valid_from=started, hours="20")
    for back in range(9, 4, -1):  # the first 5 days of the window
        day = today - dt.timedelta(days=back)
        brace_log_record(patient=patient, day=day, hours=Decimal("20"))
        if back >= 7:
            entries = [ExerciseEntry(item, done=True) for item in programme_items_on(patient, day)]
            exercise_logs_record(patient=patient, day=day, entries=entries)
    return patient


def test_it_shows_the_assessments_adherence_on_every_rehab_page(
    client, clinician, adherence_in_window
):
    patient = adherence_in_window
    assessed = patient_assessment(patient).adherence
    client.force_login(clinician)

    rehab = client.get(reverse("rehab:patient_rehab", args=[patient.pk])).content.decode()
    card = client.get(reverse("tracker:patient_detail", args=[patient.pk])).content.decode()
    overview = client.get(reverse("rehab:adherence_overview")).content.decode()
    client.force_login(patient.user)
    mine = client.get(reverse("rehab:my_programme")).content.decode()

    # 6 of 20 sessions and 5 of 10 brace days: a Monday-to-Sunday count would dilute both.
    assert (percent(assessed.exercise), percent(assessed.brace)) == ("30%", "50%")
    assert "Last 10 days (" in rehab and "exercises 30%, brace 50%" in rehab
    assert "Adherence, last 10 days</dt><dd>Exercises 30% · Brace 50%" in card
    assert "over the last 10 days" in overview
    assert "<td>30%</td>" in overview and "<td>50%</td>" in overview
    assert "Last 10 days</h3>" in mine
    assert "you did 30% of your sessions" in mine and "wore it for 50% of your hours" in mine


def test_it_labels_the_weekly_breakdown_as_weekly(clinician_client, adherence_in_window):
    url = reverse("rehab:patient_rehab", args=[adherence_in_window.pk])

    page = clinician_client.get(url).content.decode()

    assert "Weekly adherence, Monday to Sunday, last 8 weeks" in page


@pytest.mark.parametrize(
    ("share", "shown"),
    [(0.698, "69%"), (0.7, "70%"), (0.3, "30%"), (None, "n/a")],
    ids=["just-under-the-bar", "at-the-bar", "float-noise", "nothing-prescribed"],
)
def test_it_rounds_adherence_down_like_the_dashboard(share, shown):
    assert percent(share) == shown


def test_it_lists_adherence_for_the_care_team_only(clinician_client, patient, other_patient):
    page = clinician_client.get(reverse("rehab:adherence_overview")).content.decode()

    assert str(patient) in page
    assert str(other_patient) not in page


def test_it_adds_an_exercise_with_a_picture(clinician_client, clinic):
    response = clinician_client.post(
        reverse("rehab:exercise_add"),
        {
            "name": "Clam shells",
            "purpose": "Hip strength",
            "phase": "stabilise",
            "instructions": "Lie on your side.\nLift the top knee.",
            "sets": "2",
            "reps": "12",
            "hold_seconds": "0",
            "sessions_per_week": "4",
            "image": png(),
            "image_alt": "A girl lying on her side lifting her knee",
        },
        follow=True,
    )

    exercise = Exercise.objects.get(name="Clam shells")
    assert exercise.clinic == clinic
    assert "maya" not in exercise.image.name
    assert "was added to your clinic" in response.content.decode()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("x.png", b"not an image", content_type="image/png"), "valid image"),
        ("gif", "Use a JPEG, PNG or WebP picture."),
    ],
    ids=["not-an-image", "gif"],
)
def test_it_refuses_bad_pictures(clinician_client, upload, message):
    if upload == "gif":
        buffer = io.BytesIO()
        Image.new("RGB", (5, 5)).save(buffer, "GIF")
        upload = SimpleUploadedFile("x.gif", buffer.getvalue(), content_type="image/gif")

    response = clinician_client.post(
        reverse("rehab:exercise_add"),
        {
            "name": "Clam shells",
            "purpose": "Hip strength",
            "phase": "stabilise",
            "instructions": "Lie down.",
            "sets": "2",
            "reps": "12",
            "hold_seconds": "0",
            "sessions_per_week": "4",
            "image": upload,
            "image_alt": "x",
        },
    )

    assert message in str(response.context["form"].errors["image"])
    assert not Exercise.objects.filter(name="Clam shells").exists()


def phases_in_order_shown(page: str) -> list[str]:
    """Each phase label once, in the order the page first shows it."""
    found = sorted((page.find(label), label) for label in Phase.labels if label in page)
    return [label for _, label in found]


def test_it_lists_the_library_by_phase_with_archived_exercises_last(clinician_client, clinic):
    Exercise.objects.create(
        clinic=clinic, name="Aardvark hold", purpose="p", instructions="a", phase=Phase.RETURN
    )
    Exercise.objects.create(
        clinic=clinic, name="Archived tilt", purpose="p", instructions="a", is_active=False
    )

    page = clinician_client.get(reverse("rehab:library")).content.decode()

    assert phases_in_order_shown(page) == Phase.labels
    assert page.index("Aardvark hold") > page.index(Phase.STABILISE.label)
    assert page.index("Archived tilt") > page.index("Aardvark hold")


def test_it_groups_the_patients_exercises_by_phase_in_order(patient_client, patient):
    library = Exercise.objects.filter(clinic__isnull=True)
    chosen = [library.filter(phase=phase).first() for phase in reversed(Phase.values)]
    rehab_programme(patient, valid_from=patient.local_today(), exercises=chosen)

    page = patient_client.get(reverse("rehab:my_programme")).content.decode()

    assert phases_in_order_shown(page) == Phase.labels


def test_it_archives_a_clinic_exercise(clinician_client, own_exercise):
    clinician_client.post(reverse("rehab:exercise_archive", args=[own_exercise.pk]))

    own_exercise.refresh_from_db()
    assert not own_exercise.is_active


def test_it_brings_built_in_exercise_wording_up_to_date_without_churn():
    from rehab.models import Exercise
    from rehab.services import exercise_library_load

    exercise_library_load()
    stretch = Exercise.objects.filter(clinic=None).first()
    stretch.purpose = "Old wording with jargon."
    stretch.save()
    versions = stretch.history.count()

    exercise_library_load()
    exercise_library_load()

    stretch.refresh_from_db()
    assert stretch.purpose != "Old wording with jargon."
    assert stretch.history.count() == versions + 1
