"""A clinic's own assessment thresholds: defaults, overrides, constraints, the admin."""

from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse

from tests.factories import ClinicFactory, ImagingStudyFactory
from tracker.models import ClinicThresholds
from tracker.rules.thresholds import DEFAULTS
from tracker.selectors.records import thresholds_for

pytestmark = pytest.mark.django_db


def test_it_uses_the_defaults_for_a_clinic_without_overrides(clinic):
    assert thresholds_for(clinic) == DEFAULTS


def test_it_applies_only_the_values_a_clinic_set(clinic):
    ClinicThresholds.objects.create(
        clinic=clinic, pain_important_points=Decimal("2.5"), plateau_weeks=10
    )

    thresholds = thresholds_for(clinic)

    assert thresholds.pain_important_points == 2.5
    assert thresholds.plateau_weeks == 10
    assert thresholds.referral_weeks == DEFAULTS.referral_weeks
    assert thresholds_for(ClinicFactory(name="Other")) == DEFAULTS


@pytest.mark.parametrize(
    ("field", "value"),
    [("fair_adherence_percent", 0), ("plateau_weeks", 200), ("referral_slip_grade", 1)],
)
def test_it_refuses_a_value_out_of_range_in_the_database(clinic, field, value):
    with pytest.raises(IntegrityError):
        ClinicThresholds.objects.create(clinic=clinic, **{field: value})


def test_it_refuses_a_slip_grade_that_disagrees_with_the_percentage(patient):
    with pytest.raises(IntegrityError):
        ImagingStudyFactory(patient=patient, slip_percent=Decimal("60"), slip_grade=1)


def test_a_clinic_admin_edits_only_their_own_clinics_thresholds(client, clinic, clinic_admin):
    other = ClinicThresholds.objects.create(clinic=ClinicFactory(name="Other clinic"))
    client.force_login(clinic_admin)
    add_url = reverse("admin:tracker_clinicthresholds_add")

    response = client.post(
        add_url, {"clinic": str(clinic.pk), "pain_important_points": "2.5", "plateau_weeks": "10"}
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert thresholds_for(clinic).plateau_weeks == 10
    assert ClinicThresholds.objects.get(clinic=clinic).updated_by == clinic_admin
    listing = client.get(reverse("admin:tracker_clinicthresholds_changelist"))
    assert "Other clinic" not in listing.text
    foreign = client.get(reverse("admin:tracker_clinicthresholds_change", args=[other.pk]))
    assert foreign.status_code == 302  # the admin's "does not exist" redirect
    steal = client.post(add_url, {"clinic": str(other.clinic.pk)})
    assert "clinic" in steal.context["adminform"].form.errors


def test_the_admin_refuses_thresholds_that_contradict_each_other(client, clinic, clinic_admin):
    client.force_login(clinic_admin)

    response = client.post(
        reverse("admin:tracker_clinicthresholds_add"),
        {"clinic": str(clinic.pk), "plateau_weeks": "30", "referral_weeks": "26"},
    )

    assert response.status_code == 200
    assert "plateau week must come no later than the referral week" in response.text
    assert not ClinicThresholds.objects.exists()


def test_clinicians_cannot_change_thresholds(client, clinician):
    client.force_login(clinician)

    response = client.get(reverse("admin:tracker_clinicthresholds_changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
