"""A guardian logging a check-in for the young person (issue 16, docs/guardians.md "Entries made
by a guardian"): the same form and save, who entered it, a day someone else logged kept from
them, warning signs, and the note's privacy."""

import pytest
from django.urls import reverse

from tests.factories import GuardianFactory, checkin_post, guardian_link
from tests.helpers import assert_login_redirect, assert_not_found_for
from tracker.models import AuditEvent, DiaryEntry, DiaryEntryVersion, WarningSignAlert
from tracker.rules.guardians import GuardianScope

pytestmark = pytest.mark.django_db


@pytest.fixture
def logging_parent(patient):
    """Maya's mother, Asha Patel, allowed to log check-ins."""
    guardian = GuardianFactory(username="asha", first_name="Asha", last_name="Patel")
    guardian_link(patient, guardian, scope=[GuardianScope.PLAN, GuardianScope.LOG])
    return guardian


def _url(patient):
    return reverse("tracker:guardian_checkin", args=[patient.pk])


def test_it_says_plainly_whom_the_guardian_is_logging_for(client, patient, logging_parent):
    client.force_login(logging_parent)

    response = client.get(_url(patient))

    html = response.content.decode()
    assert response.status_code == 200
    assert "You are logging for Maya" in html
    assert "Save Maya&#x27;s check-in" in html or "Save Maya's check-in" in html
    assert "Keep this note private" not in html  # a guardian's own note is shared
    assert "Maya and their care team will see your note." in html
    assert f'action="{_url(patient)}?day=' in html


def test_a_guardians_save_shows_as_entered_by_them(client, patient, logging_parent):
    client.force_login(logging_parent)
    today = patient.local_today()

    response = client.post(_url(patient), checkin_post(today), follow=True)

    entry = DiaryEntry.objects.get(patient=patient, day=today)
    assert (entry.created_by, entry.updated_by) == (logging_parent, logging_parent)
    assert DiaryEntryVersion.objects.get(entry=entry).recorded_by == logging_parent
    assert entry.note_private is False
    html = response.content.decode()
    assert "Saved for Maya (entered by you)." in html
    assert response.redirect_chain[-1][0] == reverse(
        "tracker:guardian_checkin_saved", args=[patient.pk, today.isoformat()]
    )
    assert AuditEvent.objects.filter(patient=patient, user=logging_parent).exists()


def test_warning_signs_a_guardian_enters_raise_the_alert_and_the_urgent_advice(
    client, patient, logging_parent
):
    client.force_login(logging_parent)
    today = patient.local_today()

    response = client.post(_url(patient), checkin_post(today, bladder_bowel="yes"), follow=True)

    assert WarningSignAlert.objects.get(patient=patient, day=today).bladder_bowel
    assert 'class="urgent" role="alert"' in response.content.decode()


def test_a_guardian_may_change_a_day_they_entered(client, patient, logging_parent):
    client.force_login(logging_parent)
    today = patient.local_today()
    client.post(_url(patient), checkin_post(today))

    page = client.get(_url(patient))
    client.post(_url(patient), checkin_post(today, pain_now="1"))

    assert "You already logged this day for Maya" in page.content.decode()
    assert DiaryEntry.objects.get(patient=patient, day=today).pain_now == 1


def test_a_day_the_young_person_logged_is_neither_shown_to_nor_changed_by_a_guardian(
    client, patient, logging_parent
):
    today = patient.local_today()
    client.force_login(patient.user)
    client.post(reverse("tracker:checkin"), checkin_post(today, note="Only for my physio."))
    client.force_login(logging_parent)

    page = client.get(_url(patient))
    posted = client.post(_url(patient), checkin_post(today, pain_now="0", pain_worst="0"))

    for response in (page, posted):
        html = response.content.decode()
        assert "Maya has already checked in for this day" in html
        assert "Only for my physio." not in html
        assert 'name="pain_now"' not in html
    entry = DiaryEntry.objects.get(patient=patient, day=today)
    assert (entry.pain_now, entry.updated_by) == (3, patient.user)
    saved = reverse("tracker:guardian_checkin_saved", args=[patient.pk, today.isoformat()])
    assert client.get(saved).status_code == 404


def test_the_save_refuses_a_guardian_over_the_young_persons_day(patient, logging_parent):
    from tracker.forms.checkin import CheckinForm
    from tracker.services.checkin import CheckinNotAllowed, entry_record

    today = patient.local_today()
    form = CheckinForm.for_day(patient=patient, day=today, today=today, data=checkin_post(today))
    assert form.is_valid()
    entry_record(patient=patient, day=today, answers=form.answers(), by=patient.user)

    with pytest.raises(CheckinNotAllowed, match="already checked in"):
        entry_record(patient=patient, day=today, answers=form.answers(), by=logging_parent)


def test_the_wrong_users_get_404_or_log_in(
    client, patient, clinician, other_patients_guardian, patients_guardian, other_patient
):
    url = _url(patient)
    assert_login_redirect(client, url)
    assert_login_redirect(client, url, "post")
    # The patient, their clinician, another patient's guardian (with logging), and Maya's own
    # guardian without the logging part of the scope.
    users = [patient.user, clinician, other_patient.user, other_patients_guardian]
    users.append(patients_guardian)
    assert_not_found_for(client, users, url)
    assert_not_found_for(client, users, url, "post")
    saved = reverse("tracker:guardian_checkin_saved", args=[patient.pk, "2026-01-01"])
    assert_not_found_for(client, users, saved)
    assert not DiaryEntry.objects.filter(patient=patient).exists()


def test_a_guardian_whose_link_ended_gets_404(client, patient, logging_parent, guardians):
    from tracker.rules.guardians import LinkEnd
    from tracker.services.guardians import guardian_link_end

    link = logging_parent.guardian_links.get()
    guardian_link_end(link=link, reason=LinkEnd.REMOVED, by=patient.treating_clinician)

    assert_not_found_for(client, [logging_parent, *guardians], _url(patient))


def test_the_patients_diary_says_who_entered_a_day(client, patient, logging_parent):
    today = patient.local_today()
    client.force_login(logging_parent)
    client.post(_url(patient), checkin_post(today))
    client.force_login(patient.user)

    listing = client.get(reverse("tracker:diary_list")).content.decode()
    day_page = client.get(reverse("tracker:diary_entry", args=[today.isoformat()]))

    assert "Entered by Asha Patel (parent)" in listing
    assert "Entered by Asha Patel (parent)." in day_page.content.decode()


def test_the_patients_own_days_say_nothing_extra(patient_client, patient):
    today = patient.local_today()
    patient_client.post(reverse("tracker:checkin"), checkin_post(today))

    listing = patient_client.get(reverse("tracker:diary_list")).content.decode()

    assert "Entered by" not in listing
