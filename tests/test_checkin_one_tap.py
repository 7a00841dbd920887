"""The check-in in few taps (issue 14): the brace worn as prescribed in one tap, every exercise
due done in one tap, only the exercises due that day asked."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from rehab.models import BraceLog
from rehab.services import brace_log_record
from tests.factories import checkin_post, rehab_brace
from tracker.forms.checkin import CheckinForm

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
