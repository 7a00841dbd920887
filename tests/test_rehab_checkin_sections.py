"""The check-in's brace and exercise parts, tested directly: asked when due, validate, save
idempotently."""

import datetime as dt
from decimal import Decimal

import pytest

from rehab.models import BraceLog, Exercise, ExerciseLog
from rehab.selectors import programme_items_on
from rehab.services import brace_log_record, exercise_answers_record
from tests.factories import PatientFactory, rehab_brace, rehab_programme
from tracker.forms.checkin import CheckinForm
from tracker.services.checkin import day_questions

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 4)


@pytest.fixture
def brace(patient):
    return rehab_brace(patient, valid_from=DAY - dt.timedelta(days=10), hours="23")


@pytest.fixture
def items(patient):
    rehab_programme(patient, valid_from=DAY - dt.timedelta(days=10))
    return programme_items_on(patient, DAY)


def exercise_data(items, **overrides) -> dict:
    data = {"exercises-items": ",".join(str(i.pk) for i in items)}
    for item in items:
        data[f"exercises-done_{item.pk}"] = "yes"
        data[f"exercises-sets_{item.pk}"] = "2"
        data[f"exercises-pain_{item.pk}"] = "3"
    data.update(overrides)
    return data


def brace_form(patient, data=None):
    """The check-in form's brace part for DAY, bound to `data` or filled with what was saved."""
    return CheckinForm.for_day(patient=patient, day=DAY, today=DAY, data=data).brace_form


def exercises_form(patient, data=None):
    return CheckinForm.for_day(patient=patient, day=DAY, today=DAY, data=data).exercises_form


def asks_brace(patient, day) -> bool:
    return day_questions(patient=patient, day=day).brace_target is not None


def test_it_shows_the_brace_only_while_one_is_prescribed(patient, brace):
    rehab_brace(patient, valid_from=DAY + dt.timedelta(days=1), kind="none")

    assert asks_brace(patient, DAY)
    assert not asks_brace(patient, DAY + dt.timedelta(days=1))
    assert not asks_brace(patient, DAY - dt.timedelta(days=11))


def test_it_hides_exercises_without_a_programme(patient, other_patient, items):
    assert day_questions(patient=patient, day=DAY).due
    assert not day_questions(patient=other_patient, day=DAY).due
    assert exercises_form(other_patient) is None


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("24.5", "A day has 24 hours"),
        ("-1", "cannot be less than 0"),
        ("7.3", "half hours"),
        ("lots", "Enter a number of hours"),
        ("", "Type 0 if you did not wear it"),
    ],
    ids=["over-24", "negative", "not-half-hour", "text", "blank"],
)
def test_it_refuses_impossible_brace_hours(patient, brace, hours, message):
    form = brace_form(patient, {"brace-hours": hours})

    assert not form.is_valid()
    assert message in str(form.errors["hours"])


def test_it_saves_brace_hours_idempotently(patient, brace):
    for hours in ("7.5", "22.5", "22.5"):
        form = brace_form(patient, {"brace-hours": hours})
        assert form.is_valid()
        brace_log_record(patient=patient, day=DAY, hours=form.cleaned_data["hours"])

    assert list(BraceLog.objects.values_list("day", "hours")) == [(DAY, Decimal("22.5"))]
    assert brace_form(patient).initial["hours"] == Decimal("22.5")


def test_it_saves_exercises_idempotently_and_fills_the_form_back(patient, items):
    first, second = items
    data = exercise_data(items, **{f"exercises-done_{second.pk}": "no"})
    for _ in range(2):
        form = exercises_form(patient, data)
        assert form.is_valid(), form.errors
        exercise_answers_record(patient=patient, day=DAY, answers=form.answers())

    logs = {log.item_id: log for log in ExerciseLog.objects.all()}
    assert len(logs) == 2
    assert (logs[first.pk].done, logs[first.pk].sets_done, logs[first.pk].pain) == (True, 2, 3)
    # "Not today" keeps no sets or pain, whatever was typed.
    assert (logs[second.pk].done, logs[second.pk].sets_done, logs[second.pk].pain) == (
        False,
        None,
        None,
    )
    refill = exercises_form(patient)
    assert refill.initial[f"done_{second.pk}"] == "no"


def test_it_refuses_negative_or_too_many_sets(patient, items):
    item = items[0]
    for sets in ("-1", "21"):
        data = exercise_data(items, **{f"exercises-sets_{item.pk}": sets})

        form = exercises_form(patient, data)

        assert not form.is_valid()
        assert "Enter a number from 0 to 20" in str(form.errors[f"sets_{item.pk}"])


@pytest.mark.parametrize("pain", ["11", "-1", "3.5", "abc"])
def test_it_asks_for_exercise_pain_in_plain_words(patient, items, pain):
    item = items[0]
    data = exercise_data(items, **{f"exercises-pain_{item.pk}": pain})

    form = exercises_form(patient, data)

    assert not form.is_valid()
    assert "Pick a number from 0 to 10." in str(form.errors[f"pain_{item.pk}"])


def test_it_needs_done_or_not_for_each_exercise(patient, items):
    data = exercise_data(items)
    del data[f"exercises-done_{items[0].pk}"]

    form = exercises_form(patient, data)

    assert not form.is_valid()
    assert "Tell us if you did" in str(form.errors[f"done_{items[0].pk}"])


def test_it_refuses_an_exercise_from_another_clinics_or_patients_programme(
    patient, items, foreign_clinician
):
    foreign = Exercise.objects.create(
        clinic=foreign_clinician.clinic, name="Their plank", purpose="x", instructions="x"
    )
    theirs = PatientFactory(clinic=foreign_clinician.clinic, treating_clinician=foreign_clinician)
    rehab_programme(theirs, valid_from=DAY - dt.timedelta(days=3), exercises=[foreign])
    stranger = programme_items_on(theirs, DAY)[0]
    data = exercise_data(items)
    data["exercises-items"] += f",{stranger.pk}"
    data[f"exercises-done_{stranger.pk}"] = "yes"

    form = exercises_form(patient, data)

    assert not form.is_valid()
    assert "changed since this page opened" in str(form.errors["items"])
    assert not ExerciseLog.objects.exists()


def test_it_refuses_a_stale_page_after_the_programme_changed(patient, items):
    stale = exercise_data(items)
    rehab_programme(patient, valid_from=DAY, exercises=[Exercise.objects.get(code="bird-dog")])

    form = exercises_form(patient, stale)

    assert not form.is_valid()
    assert "items" in form.errors
