"""Questionnaires as patients and clinicians meet them: answering, schedules, scores, access."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from tests.factories import outcome_schedule, submitted_response
from tests.helpers import assert_login_redirect, assert_not_found_for
from tracker.models import OutcomeSchedule, QuestionnaireResponse
from tracker.selectors.outcomes import score_series

pytestmark = pytest.mark.django_db

FAKE_ODI_WORDING = Path(__file__).parent / "data" / "odi_wording_fake.json"
ODI_KEYS = [
    "pain_intensity",
    "personal_care",
    "lifting",
    "walking",
    "sitting",
    "standing",
    "sleeping",
    "sex_life",
    "social_life",
    "travelling",
]


def _start(client, code: str):
    return client.post(reverse("tracker:questionnaire_start", args=[code]))


def _draft(patient, code: str) -> QuestionnaireResponse:
    return QuestionnaireResponse.objects.get(
        patient=patient, instrument__code=code, status=QuestionnaireResponse.Status.DRAFT
    )


def _step_url(response, step: int) -> str:
    return reverse("tracker:questionnaire_step", args=[response.pk, step])


# --- Access rule --------------------------------------------------------------------------------


@pytest.fixture
def answered(patient):
    today = patient.local_today()
    outcome_schedule(patient, "weekly_pain", starts_on=today)
    return submitted_response(
        patient, "weekly_pain", due_on=today, answers={"average": 6, "worst": 8}
    )


@pytest.fixture
def draft(patient):
    schedule = outcome_schedule(patient, "psfs")
    return QuestionnaireResponse.objects.create(
        patient=patient,
        instrument=schedule.instrument,
        due_on=patient.enrolled_on,
        is_baseline=True,
        entered_by=patient.user,
    )


@pytest.mark.parametrize(
    ("name", "method", "target"),
    [
        ("tracker:questionnaire_step", "get", "draft"),
        ("tracker:questionnaire_step", "post", "draft"),
        ("tracker:questionnaire_discard", "post", "draft"),
        ("tracker:questionnaire_correct", "post", "answered"),
    ],
    ids=str,
)
def test_it_hides_a_patients_questionnaires_from_everyone_else(
    request,
    client,
    patient,
    other_patient,
    clinician,
    foreign_clinician,
    name,
    method,
    target,
    guardians,
):
    response = request.getfixturevalue(target)
    args = [response.pk, 1] if name == "tracker:questionnaire_step" else [response.pk]
    url = reverse(name, args=args)

    assert_not_found_for(
        client,
        [
            other_patient.user,
            clinician,
            foreign_clinician,
            *guardians,
        ],
        url,
        method,
    )
    assert_login_redirect(client, url, method)
    assert QuestionnaireResponse.objects.filter(pk=response.pk).exists()
    assert QuestionnaireResponse.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "method"),
    [("tracker:questionnaire_list", "get"), ("tracker:questionnaire_start", "post")],
    ids=str,
)
def test_it_keeps_patient_questionnaire_pages_for_patients(
    client, patient, clinician, name, method, guardians
):
    outcome_schedule(patient, "psfs")
    url = reverse(name, args=["psfs"] if name.endswith("start") else [])

    assert_not_found_for(client, [clinician, *guardians], url, method)
    assert_login_redirect(client, url, method)
    assert not QuestionnaireResponse.objects.exists()


def test_it_does_not_start_another_patients_schedule(client, patient, other_patient, guardians):
    outcome_schedule(patient, "psfs")

    for user in (other_patient.user, *guardians):
        client.force_login(user)

        response = _start(client, "psfs")

        assert response.status_code == 404, user.username
    assert not QuestionnaireResponse.objects.exists()


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("tracker:patient_outcomes", "get"),
        ("tracker:patient_outcome_schedule", "get"),
        ("tracker:patient_outcome_schedule", "post"),
        ("tracker:patient_response", "get"),
    ],
    ids=str,
)
def test_it_hides_outcomes_from_everyone_outside_the_care_team(
    client,
    patient,
    other_patient,
    other_clinician,
    foreign_clinician,
    clinic_admin,
    answered,
    name,
    method,
    guardians,
):
    args = [patient.pk, answered.pk] if name.endswith("response") else [patient.pk]
    url = reverse(name, args=args)

    assert_not_found_for(
        client,
        [
            patient.user,
            other_patient.user,
            other_clinician,
            foreign_clinician,
            clinic_admin,
            *guardians,
        ],
        url,
        method,
    )
    assert_login_redirect(client, url, method)
    assert OutcomeSchedule.objects.count() == 1


def test_it_hides_another_patients_response_under_this_patients_url(
    clinician_client, patient, clinician, clinic
):
    from tests.factories import PatientFactory

    stranger = PatientFactory(clinic=clinic)
    outcome_schedule(stranger, "weekly_pain")
    theirs = submitted_response(
        stranger, "weekly_pain", due_on=stranger.enrolled_on, answers={"average": 1, "worst": 2}
    )

    response = clinician_client.get(
        reverse("tracker:patient_response", args=[patient.pk, theirs.pk])
    )

    assert response.status_code == 404


# --- Patient: answering ---------------------------------------------------------------------


def test_it_shows_whats_due_on_the_patients_home(patient_client, patient):
    outcome_schedule(patient, "psfs")
    outcome_schedule(patient, "groc")  # no baseline: first due 4 weeks after the start

    response = patient_client.get(reverse("tracker:patient_home"))

    assert "Things you find hard" in response.content.decode()
    assert "How are you doing overall" in response.content.decode()


def test_it_marks_a_questionnaire_overdue_after_a_week(patient_client, patient):
    outcome_schedule(patient, "psfs", starts_on=patient.local_today() - dt.timedelta(days=8))

    response = patient_client.get(reverse("tracker:patient_home"))

    assert "Overdue" in response.content.decode()


def test_it_offers_the_same_carry_on_button_on_home_and_the_questionnaire_list(
    patient_client, draft
):
    start = reverse("tracker:questionnaire_start", args=["psfs"])
    discard = reverse("tracker:questionnaire_discard", args=[draft.pk])

    home = patient_client.get(reverse("tracker:patient_home")).content.decode()
    listing = patient_client.get(reverse("tracker:questionnaire_list")).content.decode()

    for page in (home, listing):
        assert f'action="{start}"' in page
        assert "Not finished" in page and "Carry on: things you find hard" in page
    assert discard not in home  # throwing answers away is offered where all of them are listed
    assert discard in listing


def test_it_completes_a_psfs_baseline(patient_client, patient):
    outcome_schedule(patient, "psfs")

    start = _start(patient_client, "psfs")
    draft = _draft(patient, "psfs")
    assert start["Location"] == _step_url(draft, 1)
    names = {"activity_1": "Back walkover", "activity_2": "Bowling", "activity_3": "Sitting"}
    step1 = patient_client.post(_step_url(draft, 1), names)
    page = patient_client.get(step1["Location"])
    finish = patient_client.post(_step_url(draft, 2), {"item_1": "2", "item_2": "4", "item_3": "3"})

    assert "Back walkover" in page.content.decode()
    assert finish["Location"] == reverse("tracker:patient_home")
    draft.refresh_from_db()
    assert draft.status == QuestionnaireResponse.Status.SUBMITTED
    assert draft.activities == ["Back walkover", "Bowling", "Sitting"]
    assert draft.score == pytest.approx(3.0)
    home = patient_client.get(reverse("tracker:patient_home")).content.decode()
    assert "Things you find hard" not in home


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"activity_1": "Bowling", "activity_2": "Running"}, "activity_3", "Please name"),
        (
            {"activity_1": "Bowling", "activity_2": "bowling", "activity_3": "Run"},
            "activity_2",
            "You already named",
        ),
        ({"activity_1": "x" * 81, "activity_2": "a", "activity_3": "b"}, "activity_1", "at most"),
    ],
    ids=["two", "duplicate", "too long"],
)
def test_it_explains_bad_activities_beside_the_field(patient_client, patient, data, field, message):
    outcome_schedule(patient, "psfs")
    _start(patient_client, "psfs")
    draft = _draft(patient, "psfs")

    response = patient_client.post(_step_url(draft, 1), data)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    draft.refresh_from_db()
    assert draft.activities == []


def test_it_keeps_answers_when_the_patient_leaves_halfway(patient_client, patient):
    outcome_schedule(patient, "psfs")
    _start(patient_client, "psfs")
    draft = _draft(patient, "psfs")

    patient_client.post(
        _step_url(draft, 1), {"activity_1": "Bowling", "activity_2": "Running", "later": "1"}
    )
    home = patient_client.get(reverse("tracker:patient_home")).content.decode()
    back = _start(patient_client, "psfs")
    page = patient_client.get(back["Location"]).content.decode()

    assert "Not finished" in home
    assert back["Location"] == _step_url(draft, 1)
    assert 'value="Bowling"' in page and 'value="Running"' in page


def test_it_resumes_at_the_first_unanswered_screen(patient_client, patient):
    call_command("load_instruments", str(FAKE_ODI_WORDING), stdout=None)
    outcome_schedule(patient, "odi")
    _start(patient_client, "odi")
    draft = _draft(patient, "odi")
    for step in (1, 2, 3):
        patient_client.post(_step_url(draft, step), {f"item_{ODI_KEYS[step - 1]}": "2"})

    back = _start(patient_client, "odi")

    assert back["Location"] == _step_url(draft, 4)


def test_it_rates_the_baseline_activities_at_follow_up(patient_client, patient):
    today = patient.local_today()
    outcome_schedule(patient, "psfs", starts_on=today - dt.timedelta(weeks=4))
    submitted_response(
        patient,
        "psfs",
        due_on=today - dt.timedelta(weeks=4),
        answers={"1": 2, "2": 4, "3": 3},
        activities=["Back walkover", "Bowling", "Sitting"],
    )

    _start(patient_client, "psfs")
    draft = _draft(patient, "psfs")
    page = patient_client.get(_step_url(draft, 1)).content.decode()
    patient_client.post(_step_url(draft, 1), {"item_1": "6", "item_2": "5", "item_3": "4"})

    assert "Back walkover" in page and "step 1 of 1" in page
    draft.refresh_from_db()
    assert not draft.is_baseline
    assert draft.due_on == today
    assert draft.score == pytest.approx(5.0)


def test_it_asks_for_a_rating_of_every_activity(patient_client, patient):
    outcome_schedule(patient, "psfs")
    _start(patient_client, "psfs")
    draft = _draft(patient, "psfs")
    patient_client.post(
        _step_url(draft, 1), {"activity_1": "A", "activity_2": "B", "activity_3": "C"}
    )

    response = patient_client.post(_step_url(draft, 2), {"item_1": "2", "item_3": "11"})

    assert response.context["form"].errors["item_2"] == ["Please pick an answer."]
    assert "not one of the choices" in response.context["form"].errors["item_3"][0]
    draft.refresh_from_db()
    assert draft.status == QuestionnaireResponse.Status.DRAFT


def test_it_lets_the_patient_skip_two_odi_sections_but_not_three(patient_client, patient):
    call_command("load_instruments", str(FAKE_ODI_WORDING), stdout=None)
    outcome_schedule(patient, "odi")
    _start(patient_client, "odi")
    draft = _draft(patient, "odi")

    patient_client.post(_step_url(draft, 1), {"skip": "1"})
    patient_client.post(_step_url(draft, 2), {"skip": "1"})
    third = patient_client.post(_step_url(draft, 3), {"skip": "1"})
    for step in range(3, 11):
        patient_client.post(_step_url(draft, step), {f"item_{ODI_KEYS[step - 1]}": "2"})

    assert "already skipped 2 questions" in third.content.decode()
    draft.refresh_from_db()
    assert draft.status == QuestionnaireResponse.Status.SUBMITTED
    assert draft.skipped_count == 2
    assert draft.score == pytest.approx(40.0)  # 16 / (5 x 8) x 100
    assert draft.band == "Moderate disability"


def test_it_shows_the_clinics_odi_wording_to_the_patient(patient_client, patient):
    call_command("load_instruments", str(FAKE_ODI_WORDING), stdout=None)
    outcome_schedule(patient, "odi")
    _start(patient_client, "odi")

    page = patient_client.get(_step_url(_draft(patient, "odi"), 1)).content.decode()

    assert "TEST WORDING (not the ODI)" in page
    assert "step 1 of 10" in page
    assert "Skip this question" in page


def test_it_never_changes_a_submitted_response(patient, answered):
    answered.answers = {"average": 0, "worst": 0}

    with pytest.raises(ValidationError):
        answered.save()

    answered.refresh_from_db()
    assert answered.answers == {"average": 6, "worst": 8}


def test_it_keeps_both_responses_when_the_patient_corrects_one(
    patient_client, clinician, patient, answered
):
    fix = patient_client.post(reverse("tracker:questionnaire_correct", args=[answered.pk]))
    draft = _draft(patient, "weekly_pain")
    page = patient_client.get(fix["Location"]).content.decode()
    patient_client.post(_step_url(draft, 1), {"item_average": "4", "item_worst": "8"})

    assert "Your care team will see both" in page
    draft.refresh_from_db()
    answered.refresh_from_db()
    assert draft.replaces == answered
    assert (answered.score, draft.score) == (6, 4)
    series = score_series([patient])[patient.pk]["weekly_pain"]
    assert [p.score for p in series.points] == [4]
    patient_client.force_login(clinician)
    detail = patient_client.get(reverse("tracker:patient_response", args=[patient.pk, answered.pk]))
    assert "These answers were corrected" in detail.content.decode()


def test_it_lets_the_patient_carry_on_a_correction_left_half_done(patient_client, answered):
    first = patient_client.post(reverse("tracker:questionnaire_correct", args=[answered.pk]))
    listing = patient_client.get(reverse("tracker:questionnaire_list")).content.decode()

    again = patient_client.post(reverse("tracker:questionnaire_correct", args=[answered.pk]))

    assert "Replaced by your fixed answers" not in listing
    assert "Carry on fixing these answers" in listing
    assert again["Location"] == first["Location"]
    assert QuestionnaireResponse.objects.filter(replaces=answered).count() == 1


def test_it_refuses_a_questionnaire_already_answered_for_this_occasion(patient_client, answered):
    response = _start(patient_client, "weekly_pain")

    assert response["Location"] == reverse("tracker:patient_home")
    assert QuestionnaireResponse.objects.count() == 1


def test_it_lets_the_patient_throw_away_a_draft(patient_client, patient, draft):
    response = patient_client.post(reverse("tracker:questionnaire_discard", args=[draft.pk]))

    assert response.status_code == 302
    assert not QuestionnaireResponse.objects.exists()


# --- Clinician ------------------------------------------------------------------------------


def test_it_shows_odi_as_unavailable_with_the_reason(clinician_client, patient):
    page = clinician_client.get(reverse("tracker:patient_outcomes", args=[patient.pk]))
    form = clinician_client.get(reverse("tracker:patient_outcome_schedule", args=[patient.pk]))

    assert "Oswestry Disability Index v2.1a: not available" in page.content.decode()
    assert "Mapi Research Trust" in page.content.decode()
    assert form.context["form"].fields["odi_active"].disabled


def _schedule_post(patient, **overrides) -> dict:
    data = {}
    for code in ("psfs", "groc", "weekly_pain"):
        data |= {
            f"{code}_active": "on",
            f"{code}_interval_weeks": "4",
            f"{code}_starts_on": patient.enrolled_on.isoformat(),
        }
    data |= overrides
    return {k: v for k, v in data.items() if v is not None}


def test_it_saves_the_clinicians_schedule(clinician_client, patient, clinician):
    url = reverse("tracker:patient_outcome_schedule", args=[patient.pk])

    response = clinician_client.post(
        url, _schedule_post(patient, groc_active=None, psfs_interval_weeks="2")
    )

    assert response.status_code == 302
    schedules = {s.instrument.code: s for s in patient.outcome_schedules.all()}
    assert set(schedules) == {"psfs", "weekly_pain"}
    assert schedules["psfs"].interval_weeks == 2
    assert schedules["psfs"].set_by == clinician


def test_it_stops_a_schedule_but_keeps_its_answers(clinician_client, patient, answered):
    url = reverse("tracker:patient_outcome_schedule", args=[patient.pk])

    clinician_client.post(url, _schedule_post(patient, weekly_pain_active=None))

    assert not patient.outcome_schedules.get(instrument__code="weekly_pain").active
    assert QuestionnaireResponse.objects.filter(pk=answered.pk).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("psfs_interval_weeks", "0", "at least 1 week"),
        ("psfs_interval_weeks", "99", "at most 26 weeks"),
        ("psfs_interval_weeks", "four", "whole number"),
        ("psfs_starts_on", "", "Enter the day"),
        ("psfs_starts_on", "1900-01-01", "check the year"),
    ],
    ids=str,
)
def test_it_explains_a_bad_schedule_beside_the_field(
    clinician_client, patient, field, value, message
):
    url = reverse("tracker:patient_outcome_schedule", args=[patient.pk])

    response = clinician_client.post(url, _schedule_post(patient, **{field: value}))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not OutcomeSchedule.objects.exists()


def test_it_shows_scores_with_change_flagged_at_the_threshold(clinician_client, patient):
    start = patient.local_today() - dt.timedelta(weeks=8)
    outcome_schedule(patient, "psfs", starts_on=start)
    activities = ["Bowling", "Running", "Sitting"]
    for weeks, answers in ((0, [2, 3, 4]), (4, [3, 4, 6]), (8, [5, 5, 5])):
        submitted_response(
            patient,
            "psfs",
            due_on=start + dt.timedelta(weeks=weeks),
            answers={str(n): v for n, v in enumerate(answers, 1)},
            activities=activities,
        )

    page = clinician_client.get(reverse("tracker:patient_outcomes", args=[patient.pk]))

    html = page.content.decode()
    assert "Baseline" in html
    points = page.context["series"][0].points
    assert [p.score for p in points] == [3.0, pytest.approx(4.333, abs=0.001), 5.0]
    assert [p.change.label if p.change else None for p in points] == [
        None,
        "No important change",
        "Important improvement",
    ]
    assert html.count("Important improvement") == 1
    assert "3 of 3" in html  # completion


def test_it_reads_scores_for_many_patients_in_two_queries(
    django_assert_num_queries, clinic, clinician
):
    from tests.factories import PatientFactory

    patients = PatientFactory.create_batch(5, clinic=clinic, treating_clinician=clinician)
    for p in patients:
        outcome_schedule(p, "weekly_pain")
        outcome_schedule(p, "psfs")
        for week, pain in ((0, 6), (4, 3)):
            submitted_response(
                p,
                "weekly_pain",
                due_on=p.enrolled_on + dt.timedelta(weeks=week),
                answers={"average": pain, "worst": 8},
            )

    with django_assert_num_queries(2):
        series = score_series(patients)

    assert all(series[p.pk]["weekly_pain"].latest.change.improved for p in patients)


def test_it_reads_scores_without_the_answers_when_asked_and_with_one_instrument_object(
    django_assert_num_queries, patient
):
    outcome_schedule(patient, "weekly_pain")
    for week, pain in ((0, 6), (4, 3)):
        submitted_response(
            patient,
            "weekly_pain",
            due_on=patient.enrolled_on + dt.timedelta(weeks=week),
            answers={"average": pain, "worst": 8},
        )

    with django_assert_num_queries(2):
        points = score_series([patient], answers=False)[patient.pk]["weekly_pain"].points

    assert [p.score for p in points] == [6, 3]
    assert {"answers", "activities"} <= points[0].response.get_deferred_fields()
    assert points[0].response.instrument is points[1].response.instrument


def test_it_schedules_the_default_questionnaires_at_enrolment(clinician_client, clinician):
    from tests.helpers import new_patient_form

    clinician_client.post(reverse("tracker:patient_add"), new_patient_form(clinician))

    schedules = OutcomeSchedule.objects.select_related("patient", "instrument")
    assert {s.instrument.code for s in schedules} == {"psfs", "groc", "weekly_pain"}
    assert all(s.interval_weeks == 4 for s in schedules)
    assert all(s.starts_on == s.patient.enrolled_on for s in schedules)
