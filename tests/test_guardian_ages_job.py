"""The daily age job, `manage.py apply_guardian_ages` (issue 16, docs/guardians.md "The age
rules"): notices 30 days before the assent age and before 18, each once; a link not renewed 30
days after the 18th birthday ends; every day judged in the young person's own time zone."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command

from tests.factories import PatientFactory, UserFactory, guardian_link
from tracker.access import link_state_now
from tracker.models import ConsentRecord, GuardianNotice
from tracker.rules.guardian_notices import GuardianNoticeKind
from tracker.rules.guardians import WORDING, ConsentKind, LinkEnd, LinkState

pytestmark = pytest.mark.django_db
AUCKLAND = "Pacific/Auckland"  # UTC+13 in January (daylight time), +12 in winter


@pytest.fixture
def young(clinic, clinician):
    """Born 10 March 2011 in Auckland: 16 on 10 March 2027, 18 on 10 March 2029."""
    return PatientFactory(
        user=UserFactory(first_name="Mia", last_name="Ngata", email="mia@example.test"),
        clinic=clinic,
        treating_clinician=clinician,
        date_of_birth=dt.date(2011, 3, 10),
        time_zone=AUCKLAND,
    )


@pytest.fixture
def link(young):
    return guardian_link(young, assent=False)


def _run(at: str) -> None:
    call_command("apply_guardian_ages", "--at", at, stdout=io.StringIO())


def _kinds(link) -> list[str]:
    return list(GuardianNotice.objects.filter(link=link).values_list("kind", flat=True))


def test_nothing_is_sent_31_days_before_the_assent_age(link):
    _run("2027-02-07T10:30+00:00")  # 7 February 23:30 in Auckland: 31 days before

    assert _kinds(link) == []
    assert mail.outbox == []


def test_the_assent_notice_goes_30_days_before_on_the_young_persons_day(link, young):
    # 11:30 UTC on 7 February is already 8 February (00:30) in Auckland: 30 days before.
    _run("2027-02-07T11:30+00:00")

    assert _kinds(link) == [GuardianNoticeKind.ASSENT_SOON]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([young.user.email, link.guardian.email])
    to_mia = next(m for m in mail.outbox if m.to == [young.user.email])
    assert "10 March 2027" in to_mia.body and "confirm" in to_mia.body
    assert "pain" not in to_mia.body.lower()


def test_each_notice_is_sent_once_across_runs(link):
    _run("2027-02-08T09:00+00:00")
    _run("2027-02-08T09:00+00:00")
    _run("2027-02-20T09:00+00:00")

    assert _kinds(link) == [GuardianNoticeKind.ASSENT_SOON]
    assert len(mail.outbox) == 2


def test_no_assent_notice_when_the_young_person_already_confirmed(young):
    confirmed = guardian_link(young, assent=True)

    _run("2027-02-08T09:00+00:00")

    assert _kinds(confirmed) == []


def test_access_pauses_at_the_assent_age_until_confirmed_on_their_day(link):
    # 9 March 2027, 10:59 UTC is 23:59 in Auckland; 11:00 UTC is midnight on the 10th.
    before = link_state_now(link, dt.datetime(2027, 3, 9, 10, 59, tzinfo=dt.UTC))
    on = link_state_now(link, dt.datetime(2027, 3, 9, 11, 0, tzinfo=dt.UTC))

    assert (before, on) == (LinkState.ACTIVE, LinkState.AWAITING_ASSENT)


@pytest.fixture
def confirmed(young):
    return guardian_link(young, assent=True)


def test_the_adult_notice_goes_30_days_before_18_once(confirmed, young):
    _run("2029-02-07T10:00+00:00")  # 7 February in Auckland: 31 days before
    nothing = _kinds(confirmed)
    _run("2029-02-08T10:00+00:00")  # 8 February: 30 days before
    _run("2029-02-09T10:00+00:00")

    assert nothing == []
    assert _kinds(confirmed) == [GuardianNoticeKind.ADULT_SOON]
    assert len(mail.outbox) == 2
    assert all("10 March 2029" in m.body for m in mail.outbox)


def test_access_pauses_on_the_18th_birthday_on_their_day(confirmed):
    before = link_state_now(confirmed, dt.datetime(2029, 3, 9, 10, 59, tzinfo=dt.UTC))
    on = link_state_now(confirmed, dt.datetime(2029, 3, 9, 11, 0, tzinfo=dt.UTC))

    assert (before, on) == (LinkState.ACTIVE, LinkState.AWAITING_RENEWAL)


def test_a_link_not_renewed_ends_30_days_after_18(confirmed):
    # 18 on 10 March 2029; it ends on 9 April 2029 in Auckland (12:00 UTC on the 8th is 00:00).
    _run("2029-04-08T11:59+00:00")  # 8 April 23:59 in Auckland: 29 days after
    confirmed.refresh_from_db()
    still_open = confirmed.ended_at is None
    _run("2029-04-08T12:00+00:00")
    _run("2029-04-09T12:00+00:00")

    confirmed.refresh_from_db()
    assert still_open
    assert confirmed.end_reason == LinkEnd.ADULT and confirmed.ended_by is None
    assert _kinds(confirmed) == [GuardianNoticeKind.ENDED_ADULT]
    assert len(mail.outbox) == 2


def test_a_renewed_link_goes_on_after_18(confirmed, young):
    ConsentRecord.objects.create(
        link=confirmed,
        kind=ConsentKind.ADULT_RENEWAL,
        wording_version=WORDING[ConsentKind.ADULT_RENEWAL][0],
        given_by=young.user,
        given_at=dt.datetime(2029, 3, 12, tzinfo=dt.UTC),
    )

    _run("2029-05-01T09:00+00:00")

    confirmed.refresh_from_db()
    assert confirmed.ended_at is None
    assert link_state_now(confirmed, dt.datetime(2029, 5, 1, tzinfo=dt.UTC)) == LinkState.ACTIVE


def test_it_refuses_a_moment_that_is_not_iso():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ISO 8601"):
        _run("tomorrow")


def test_a_young_person_without_an_email_is_still_recorded_once(clinic, clinician):
    quiet = PatientFactory(
        user=UserFactory(email=""),
        clinic=clinic,
        treating_clinician=clinician,
        date_of_birth=dt.date(2011, 3, 10),
    )
    link = guardian_link(quiet, assent=False)

    _run("2027-02-08T12:00+00:00")
    _run("2027-02-08T13:00+00:00")

    assert _kinds(link) == [GuardianNoticeKind.ASSENT_SOON]
    assert [m.to for m in mail.outbox] == [[link.guardian.email]]
