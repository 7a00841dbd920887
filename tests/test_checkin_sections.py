"""A section registered through tracker.checkin_sections shows on the check-in page and is saved
with the entry in one transaction, or not at all."""

import datetime as dt

import pytest
from django import forms
from django.urls import reverse

from tests.factories import checkin_post
from tracker import checkin_sections
from tracker.checkin_sections import CheckinSection
from tracker.models import DiaryEntry, Patient

pytestmark = pytest.mark.django_db
URL = reverse("tracker:checkin")
SAVED: dict[tuple[int, dt.date], int] = {}


class StretchForm(forms.Form):
    minutes = forms.IntegerField(label="Minutes of stretching", min_value=0, max_value=180)


class StretchSection(CheckinSection):
    key = "stretch"
    title = "Stretching"
    template_name = "tests/_stretch_section.html"
    order = 10

    def __init__(self, fail_on_save: bool = False) -> None:
        self.fail_on_save = fail_on_save

    def is_shown(self, *, patient: Patient, day: dt.date) -> bool:
        return patient.sport != "none"

    def form(self, *, patient: Patient, day: dt.date, data=None) -> forms.Form:
        saved = SAVED.get((patient.pk, day))
        return StretchForm(data, initial={"minutes": saved})

    def save(self, *, patient: Patient, day: dt.date, form: forms.Form) -> None:
        if self.fail_on_save:
            raise RuntimeError("the section's storage broke")
        SAVED[(patient.pk, day)] = form.cleaned_data["minutes"]


@pytest.fixture
def section(request, tmp_path, settings):
    template_dir = tmp_path / "tests"
    template_dir.mkdir()
    (template_dir / "_stretch_section.html").write_text(
        '{% include "_field.html" with field=form.minutes %}'
    )
    settings.TEMPLATES[0]["DIRS"] = [*settings.TEMPLATES[0]["DIRS"], tmp_path]
    instance = StretchSection(fail_on_save=getattr(request, "param", False))
    checkin_sections.register(instance)
    yield instance
    checkin_sections._sections.pop(instance.key, None)
    SAVED.clear()


def test_it_shows_a_registered_section(patient_client, section):
    html = patient_client.get(URL).content.decode()

    assert '<h2 id="section-stretch">Stretching</h2>' in html
    assert 'name="stretch-minutes"' in html
    assert '<label for="id_stretch-minutes">Minutes of stretching</label>' in html


def test_it_saves_the_section_with_the_entry(patient_client, patient, section):
    today = patient.local_today()

    response = patient_client.post(URL, checkin_post(today, **{"stretch-minutes": "15"}))

    assert response.status_code == 302
    assert DiaryEntry.objects.filter(patient=patient, day=today).exists()
    assert SAVED == {(patient.pk, today): 15}
    assert 'value="15"' in patient_client.get(URL).content.decode()


def test_it_saves_nothing_when_the_section_is_invalid(patient_client, patient, section):
    response = patient_client.post(
        URL, checkin_post(patient.local_today(), **{"stretch-minutes": "-5"})
    )

    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 0" in response.content.decode()
    assert not DiaryEntry.objects.exists()
    assert SAVED == {}


def test_it_saves_no_section_when_the_diary_form_is_invalid(patient_client, patient, section):
    patient_client.post(
        URL, checkin_post(patient.local_today(), pain_now="11", **{"stretch-minutes": "5"})
    )

    assert SAVED == {}


@pytest.mark.parametrize("section", [True], indirect=True, ids=["failing-save"])
def test_it_rolls_back_the_entry_when_a_section_fails_to_save(patient_client, patient, section):
    with pytest.raises(RuntimeError):
        patient_client.post(URL, checkin_post(patient.local_today(), **{"stretch-minutes": "5"}))

    assert not DiaryEntry.objects.exists()


def test_it_leaves_out_a_section_that_is_not_shown(patient_client, patient, section):
    patient.sport = "none"
    patient.save()

    html = patient_client.get(URL).content.decode()

    assert "Stretching" not in html
