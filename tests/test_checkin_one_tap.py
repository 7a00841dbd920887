"""The check-in in few taps (issue 14): the brace worn as prescribed in one tap, every exercise
due done in one tap, only the exercises due that day asked."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from rehab.models import BraceLog, ExerciseLog
from rehab.selectors import adherence_for_patient, exercises_due_on, programme_items_on
from rehab.services import (
    ExerciseAnswer,
    ExerciseEntry,
    brace_log_record,
    exercise_answers_record,
    exercise_logs_record,
)
from tests.factories import checkin_post, rehab_brace, rehab_programme
from tracker.forms.checkin import CheckinForm
from tracker.rules.checkin import exercise_is_due

pytestmark = pytest.mark.django_db
URL = reverse("tracker:checkin")
DAY = dt.date(2026, 3, 4)  # a Wednesday


def brace_form(patient, data=None, day=DAY):
    return CheckinForm.for_day(patient=patient, day=day, today=DAY, data=data).brace_form


@pytest.fixture
def brace(patient):
    return rehab_brace(patient, valid_from=DAY - dt.timedelta(days=10), hours="23")


def test_the_brace_choice_names_the_prescribed_hours(patient, brace):
    form = brace_form(patient)

    assert dict(form.fields["worn"].choices)["prescribed"] == (
        "I wore my brace as prescribed (23 h)"
    )


def test_the_brace_choice_names_the_weaning_hours_once_weaning_starts(patient):
    rehab_brace(
        patient,
        valid_from=DAY - dt.timedelta(days=10),
        hours="23",
        wean_from=DAY - dt.timedelta(days=1),
        wean_hours=Decimal("16.5"),
    )

    labels = dict(brace_form(patient).fields["worn"].choices)

    assert labels["prescribed"] == "I wore my brace as prescribed (16.5 h)"


def test_as_prescribed_saves_the_prescribed_hours_whatever_is_typed(patient, brace):
    form = brace_form(patient, {"brace-worn": "prescribed", "brace-hours": "4"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["hours"] == Decimal("23")


def test_different_hours_saves_the_typed_hours(patient, brace):
    form = brace_form(patient, {"brace-worn": "different", "brace-hours": "7.5"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["hours"] == Decimal("7.5")


def test_different_hours_without_hours_asks_for_them(patient, brace):
    form = brace_form(patient, {"brace-worn": "different", "brace-hours": ""})

    assert not form.is_valid()
    assert "Type the hours you wore it" in str(form.errors["hours"])


def test_hours_typed_without_a_choice_are_saved(patient, brace):
    form = brace_form(patient, {"brace-hours": "12"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["hours"] == Decimal("12")


def test_an_unanswered_brace_part_is_asked_for_not_saved_as_zero(patient_client, patient):
    rehab_brace(patient, valid_from=patient.local_today() - dt.timedelta(days=3))

    response = patient_client.post(URL, checkin_post(patient.local_today()))

    assert response.status_code == 200
    assert "I wore my brace as prescribed" in response.content.decode()
    assert not BraceLog.objects.exists()


def test_one_tap_on_the_page_saves_the_prescribed_hours(patient_client, patient):
    today = patient.local_today()
    rehab_brace(patient, valid_from=today - dt.timedelta(days=3), hours="22")

    response = patient_client.post(URL, checkin_post(today, **{"brace-worn": "prescribed"}))

    assert response.status_code == 302
    assert list(BraceLog.objects.values_list("day", "hours")) == [(today, Decimal("22"))]
    assert patient_client.get(URL).context["form"].brace_form.initial["worn"] == "prescribed"


def test_the_saved_brace_answer_comes_back_as_the_choice(patient, brace):
    for hours, choice in (("23", "prescribed"), ("10", "different")):
        form = brace_form(patient, {"brace-worn": "different", "brace-hours": hours})
        assert form.is_valid()
        brace_log_record(patient=patient, day=DAY, hours=form.cleaned_data["hours"])
        assert brace_form(patient).initial["worn"] == choice


# -- exercises: one tap for all, and only those due ---------------------------------------------


def three_a_week(patient):
    rehab_programme(patient, valid_from=DAY - dt.timedelta(days=20), sessions_per_week=3)
    return programme_items_on(patient, DAY)


def exercises_form(patient, data=None, day=DAY):
    return CheckinForm.for_day(patient=patient, day=day, today=day, data=data).exercises_form


def mark_done(patient, day, items, done=True):
    exercise_logs_record(
        patient=patient, day=day, entries=[ExerciseEntry(item, done=done) for item in items]
    )


@pytest.mark.parametrize(
    ("per_week", "done_before", "answered", "due"),
    [
        (7, 7, False, True),
        (3, 0, False, True),
        (3, 2, False, True),
        (3, 3, False, False),
        (3, 3, True, True),
        (1, 1, False, False),
    ],
)
def test_an_exercise_is_due_until_done_its_times_that_week(per_week, done_before, answered, due):
    assert (
        exercise_is_due(
            sessions_per_week=per_week,
            done_earlier_this_week=done_before,
            answered_that_day=answered,
        )
        is due
    )


def test_a_three_times_a_week_exercise_is_not_asked_once_done_three_times(patient):
    items = three_a_week(patient)
    monday = DAY - dt.timedelta(days=2)
    mark_done(patient, monday, items)
    mark_done(patient, monday + dt.timedelta(days=1), items)
    assert exercises_due_on(patient, DAY) == items  # done twice: still asked

    mark_done(patient, DAY, items)

    assert exercises_due_on(patient, DAY) == items  # answered that day: still shown
    thursday = DAY + dt.timedelta(days=1)
    assert exercises_due_on(patient, thursday) == []
    assert exercises_due_on(patient, DAY + dt.timedelta(days=5)) == items  # next Monday


def test_an_exercise_not_done_stays_due(patient):
    items = three_a_week(patient)
    for n in range(3):
        mark_done(patient, DAY - dt.timedelta(days=2 - n), items, done=False)

    assert exercises_due_on(patient, DAY + dt.timedelta(days=1)) == items


def test_a_day_answers_only_the_exercises_due_that_day(patient):
    first, second = three_a_week(patient)
    monday = DAY - dt.timedelta(days=2)
    for n in range(3):
        mark_done(patient, monday + dt.timedelta(days=n), [first])
    thursday = DAY + dt.timedelta(days=1)
    assert exercises_due_on(patient, thursday) == [second]

    def answer(items):
        return [ExerciseAnswer(item_id=i.pk, done=True, sets_done=None, pain=None) for i in items]

    with pytest.raises(ValidationError), transaction.atomic():
        exercise_answers_record(patient=patient, day=thursday, answers=answer([first, second]))
    exercise_answers_record(patient=patient, day=thursday, answers=answer([second]))

    assert list(ExerciseLog.objects.filter(day=thursday).values_list("item", flat=True)) == [
        second.pk
    ]


def test_adherence_does_not_count_an_exercise_not_asked_as_missed(patient):
    items = three_a_week(patient)
    monday = DAY - dt.timedelta(days=2)
    for n in range(3):
        mark_done(patient, monday + dt.timedelta(days=n), items)

    week = adherence_for_patient(patient, monday, monday + dt.timedelta(days=6)).weeks[0]

    assert week.exercise == 1.0


def test_all_done_marks_every_exercise_due_done(patient):
    items = three_a_week(patient)
    data = {"exercises-items": ",".join(str(i.pk) for i in items), "exercises-all_done": "on"}

    form = exercises_form(patient, data)

    assert form.is_valid(), form.errors
    assert [a.done for a in form.answers()] == [True, True]


def test_each_exercise_is_still_answerable_on_its_own(patient):
    first, second = three_a_week(patient)
    data = {
        "exercises-items": f"{first.pk},{second.pk}",
        f"exercises-done_{first.pk}": "yes",
        f"exercises-done_{second.pk}": "no",
    }

    form = exercises_form(patient, data)

    assert form.is_valid(), form.errors
    assert [a.done for a in form.answers()] == [True, False]


def test_all_done_with_an_exercise_not_done_is_a_field_error(patient):
    first, second = three_a_week(patient)
    data = {
        "exercises-items": f"{first.pk},{second.pk}",
        "exercises-all_done": "on",
        f"exercises-done_{second.pk}": "no",
    }

    form = exercises_form(patient, data)

    assert not form.is_valid()
    assert "Untick “all”" in str(form.errors[f"done_{second.pk}"])
    assert f"done_{first.pk}" not in form.errors


def test_without_all_done_each_exercise_must_be_answered(patient):
    first, second = three_a_week(patient)
    data = {"exercises-items": f"{first.pk},{second.pk}", f"exercises-done_{first.pk}": "yes"}

    form = exercises_form(patient, data)

    assert not form.is_valid()
    assert "Tell us if you did" in str(form.errors[f"done_{second.pk}"])


def test_one_tap_on_the_page_saves_every_exercise_done(patient_client, patient):
    today = patient.local_today()
    rehab_programme(patient, valid_from=today - dt.timedelta(days=3))
    items = programme_items_on(patient, today)
    data = checkin_post(
        today,
        **{"exercises-items": ",".join(str(i.pk) for i in items), "exercises-all_done": "on"},
    )

    response = patient_client.post(URL, data)

    assert response.status_code == 302
    assert list(ExerciseLog.objects.filter(day=today).values_list("done", flat=True)) == [
        True,
        True,
    ]
    assert patient_client.get(URL).context["form"].exercises_form.initial["all_done"] is True
