"""A guardian sees a young patient through the one access rule: only the parts their link allows,
only while permission (and from the clinic's age, the young person's confirmation) stands, and
until 18 unless the adult renews it; birthdays count in the young person's time zone."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from tests.factories import ClinicFactory, GuardianFactory, PatientFactory, guardian_link
from tracker.access import ANY_PART, get_patient_for, guardian_link_for, visible_patients
from tracker.models import ConsentRecord
from tracker.rules.guardians import (
    ConsentHeld,
    ConsentKind,
    GuardianScope,
    LinkEnd,
    LinkState,
    coming_age_changes,
    link_state,
    may_withdraw,
)
from tracker.services.guardians import (
    consent_give,
    consent_withdraw,
    guardian_link_create,
    guardian_link_end,
    guardian_scope_set,
)

BORN = dt.date(2010, 6, 15)
PERMISSION = ConsentHeld(permission=True)
BOTH = ConsentHeld(permission=True, assent=True)


def state(today, held=PERMISSION, assent_age=16, ended=False):
    return link_state(born=BORN, today=today, assent_age=assent_age, held=held, ended=ended)


class TestTheAgeRules:
    def test_before_the_assent_age_the_guardians_permission_is_enough(self):
        assert state(dt.date(2026, 6, 14)) == LinkState.ACTIVE

    def test_on_the_sixteenth_birthday_the_young_person_must_confirm(self):
        assert state(dt.date(2026, 6, 15)) == LinkState.AWAITING_ASSENT
        assert state(dt.date(2026, 6, 15), held=BOTH) == LinkState.ACTIVE

    def test_a_clinic_may_set_a_lower_assent_age(self):
        assert state(dt.date(2023, 6, 14), assent_age=13) == LinkState.ACTIVE
        assert state(dt.date(2023, 6, 15), assent_age=13) == LinkState.AWAITING_ASSENT

    def test_access_pauses_on_the_eighteenth_birthday_until_the_adult_renews_it(self):
        assert state(dt.date(2028, 6, 14), held=BOTH) == LinkState.ACTIVE
        assert state(dt.date(2028, 6, 15), held=BOTH) == LinkState.AWAITING_RENEWAL
        renewed = ConsentHeld(permission=True, assent=True, renewal=True)
        assert state(dt.date(2028, 6, 15), held=renewed) == LinkState.ACTIVE

    def test_without_the_guardians_permission_there_is_no_access(self):
        assert state(dt.date(2020, 1, 1), held=ConsentHeld()) == LinkState.AWAITING_PERMISSION

    def test_an_ended_link_never_comes_back(self):
        assert state(dt.date(2020, 1, 1), held=BOTH, ended=True) == LinkState.ENDED

    def test_a_leap_day_birthday_counts_on_the_first_of_march(self):
        leap = dt.date(2012, 2, 29)
        kw = {"born": leap, "assent_age": 16, "held": PERMISSION, "ended": False}
        assert link_state(today=dt.date(2028, 2, 28), **kw) == LinkState.ACTIVE
        assert link_state(today=dt.date(2028, 2, 29), **kw) == LinkState.AWAITING_ASSENT
        assert link_state(today=dt.date(2027, 2, 28), **kw) == LinkState.ACTIVE
        assert link_state(today=dt.date(2027, 3, 1), **kw) == LinkState.ACTIVE  # 15 in 2027

    def test_the_young_person_may_withdraw_from_the_assent_age(self):
        assert not may_withdraw(born=BORN, today=dt.date(2026, 6, 14), assent_age=16)
        assert may_withdraw(born=BORN, today=dt.date(2026, 6, 15), assent_age=16)

    def test_people_are_told_of_a_birthday_that_changes_access_within_thirty_days(self):
        changes = coming_age_changes(born=BORN, today=dt.date(2026, 5, 16), assent_age=16)
        assert [(c.day, c.what) for c in changes] == [(dt.date(2026, 6, 15), "assent")]
        assert coming_age_changes(born=BORN, today=dt.date(2026, 5, 15), assent_age=16) == []
        assert coming_age_changes(born=BORN, today=dt.date(2026, 6, 15), assent_age=16) == []


def young_patient(clinic, clinician, *, age_days_to_16=100, time_zone=""):
    """A patient turning 16 in `age_days_to_16` days (negative: already past it)."""
    sixteenth = timezone.localdate() + dt.timedelta(days=age_days_to_16)
    born = sixteenth.replace(year=sixteenth.year - 16)
    return PatientFactory(
        clinic=clinic, treating_clinician=clinician, date_of_birth=born, time_zone=time_zone
    )


@pytest.mark.django_db
class TestTheAccessRule:
    def test_a_guardian_sees_the_parts_their_scope_allows_and_no_more(self, clinic, clinician):
        child = young_patient(clinic, clinician)
        link = guardian_link(child)
        user = link.guardian

        assert list(visible_patients(user, scope=GuardianScope.PLAN)) == [child]
        assert list(visible_patients(user, scope=ANY_PART)) == [child]
        assert not visible_patients(user, scope=GuardianScope.PAIN).exists()
        assert not visible_patients(user).exists()  # the whole record: never a guardian's
        with pytest.raises(Http404):
            get_patient_for(user, child.pk)  # what every clinician or patient page asks
        assert get_patient_for(user, child.pk, scope=GuardianScope.ADHERENCE) == child

    def test_a_guardian_of_another_patient_sees_nothing_of_this_one(
        self, clinic, clinician, patient
    ):
        child = young_patient(clinic, clinician)
        other = guardian_link(child).guardian

        for scope in [*GuardianScope, ANY_PART]:
            with pytest.raises(Http404):
                guardian_link_for(other, patient.pk, scope)
            with pytest.raises(Http404):
                get_patient_for(other, patient.pk, scope=scope)

    def test_one_guardian_may_see_siblings(self, clinic, clinician):
        older, younger = young_patient(clinic, clinician), young_patient(clinic, clinician)
        parent = guardian_link(older).guardian
        guardian_link(younger, parent)

        assert set(visible_patients(parent, scope=GuardianScope.PLAN)) == {older, younger}

    def test_without_the_guardians_permission_the_link_gives_nothing(self, clinic, clinician):
        child = young_patient(clinic, clinician)
        link = guardian_link(child)
        ConsentRecord.objects.filter(link=link).delete()

        assert not visible_patients(link.guardian, scope=ANY_PART).exists()

    def test_the_sixteenth_birthday_counts_in_the_young_persons_time_zone(
        self, clinic, clinician, monkeypatch
    ):
        # Born 16 years before 2 March 2026: 16 on 2 March. At 20:00 UTC on 1 March it is
        # already 2 March in Sydney (UTC+11) and still 1 March in London.
        born = dt.date(2010, 3, 2)
        sydney = PatientFactory(
            clinic=clinic,
            treating_clinician=clinician,
            date_of_birth=born,
            time_zone="Australia/Sydney",
        )
        london = PatientFactory(
            clinic=clinic,
            treating_clinician=clinician,
            date_of_birth=born,
            time_zone="Europe/London",
        )
        parent = guardian_link(sydney, assent=False).guardian
        guardian_link(london, parent, assent=False)
        moment = dt.datetime(2026, 3, 1, 20, 0, tzinfo=dt.UTC)
        monkeypatch.setattr("tracker.models.people.timezone.now", lambda: moment)

        assert list(visible_patients(parent, scope=GuardianScope.PLAN)) == [london]

    def test_withdrawing_the_young_persons_confirmation_ends_access_at_once(
        self, clinic, clinician
    ):
        child = young_patient(clinic, clinician, age_days_to_16=-10)
        link = guardian_link(child)
        assert visible_patients(link.guardian, scope=GuardianScope.PLAN).exists()

        consent_withdraw(link=link, kind=ConsentKind.ASSENT, by=child.user)

        link.refresh_from_db()
        assert link.end_reason == LinkEnd.ASSENT_WITHDRAWN
        assert not visible_patients(link.guardian, scope=ANY_PART).exists()
        record = link.consents.get(kind=ConsentKind.ASSENT)
        assert record.withdrawn_by == child.user and record.withdrawn_at is not None

    def test_withdrawing_the_guardians_permission_ends_access_at_once(self, clinic, clinician):
        child = young_patient(clinic, clinician)
        link = guardian_link(child)

        consent_withdraw(link=link, kind=ConsentKind.GUARDIAN_PERMISSION, by=link.guardian)

        assert not visible_patients(link.guardian, scope=ANY_PART).exists()
        with pytest.raises(ValidationError):  # an ended link is not brought back
            consent_give(link=link, kind=ConsentKind.GUARDIAN_PERMISSION, by=link.guardian)

    def test_only_the_right_person_gives_or_withdraws_each_record(self, clinic, clinician):
        child = young_patient(clinic, clinician, age_days_to_16=-10)
        link = guardian_link(child, assent=False)

        with pytest.raises(ValidationError):
            consent_give(link=link, kind=ConsentKind.ASSENT, by=link.guardian)
        with pytest.raises(ValidationError):
            consent_withdraw(link=link, kind=ConsentKind.GUARDIAN_PERMISSION, by=child.user)
        assert not visible_patients(link.guardian, scope=ANY_PART).exists()

        record = consent_give(link=link, kind=ConsentKind.ASSENT, by=child.user)

        assert record.wording_version == "assent-1"
        assert visible_patients(link.guardian, scope=GuardianScope.PLAN).exists()

    def test_a_changed_scope_applies_to_the_next_request(self, clinic, clinician):
        child = young_patient(clinic, clinician)
        link = guardian_link(child)

        guardian_scope_set(link=link, scope=[GuardianScope.PAIN], by=clinician)

        assert visible_patients(link.guardian, scope=GuardianScope.PAIN).exists()
        assert not visible_patients(link.guardian, scope=GuardianScope.PLAN).exists()
        assert link.history.count() == 2

    def test_a_link_the_care_team_ended_gives_nothing(self, clinic, clinician):
        child = young_patient(clinic, clinician)
        link = guardian_link(child)

        guardian_link_end(link=link, reason=LinkEnd.REMOVED, by=clinician)

        assert not visible_patients(link.guardian, scope=ANY_PART).exists()

    def test_only_a_guardian_account_can_be_linked_and_only_once(self, clinic, clinician):
        child = young_patient(clinic, clinician)
        with pytest.raises(ValidationError):
            guardian_link_create(
                patient=child, guardian=clinician, relationship="parent", scope=[], by=clinician
            )
        parent = GuardianFactory()
        guardian_link_create(
            patient=child, guardian=parent, relationship="parent", scope=[], by=clinician
        )
        with pytest.raises(ValidationError):
            guardian_link_create(
                patient=child, guardian=parent, relationship="parent", scope=[], by=clinician
            )

    def test_clinicians_and_patients_are_unaffected_by_a_scope(self, patient, clinician):
        assert list(visible_patients(clinician, scope=GuardianScope.PAIN)) == [patient]
        assert list(visible_patients(patient.user, scope=GuardianScope.PLAN)) == [patient]

    def test_a_deactivated_guardian_sees_nothing(self, clinic, clinician):
        link = guardian_link(young_patient(clinic, clinician))
        link.guardian.is_active = False
        link.guardian.save()

        assert not visible_patients(link.guardian, scope=ANY_PART).exists()


def test_a_clinics_assent_age_is_held_to_13_to_16(db):
    from django.db import IntegrityError, transaction

    clinic = ClinicFactory()
    clinic.guardian_assent_age = 12
    with pytest.raises(IntegrityError), transaction.atomic():
        clinic.save()
