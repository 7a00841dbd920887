"""Demo rehab history fits the stories and is not duplicated by a second run."""

import pytest
from django.core.management import call_command

from rehab.models import BraceLog, ExerciseLog, ProgrammeVersion
from rehab.selectors import adherence_for_patient, recent_weeks
from tracker.models import Patient

pytestmark = pytest.mark.django_db


def test_it_seeds_rehab_history_that_fits_the_stories_once(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (
        ProgrammeVersion.objects.count(),
        BraceLog.objects.count(),
        ExerciseLog.objects.count(),
    )

    call_command("seed_demo")

    assert counts[0] > 0 and counts[1] > 0 and counts[2] > 0
    assert (
        ProgrammeVersion.objects.count(),
        BraceLog.objects.count(),
        ExerciseLog.objects.count(),
    ) == counts
    maya, tom = (Patient.objects.get(user__username=u) for u in ("patient", "tom"))
    start, end = recent_weeks(maya.local_today(), 4)
    maya_weeks, tom_weeks = (adherence_for_patient(p, start, end) for p in (maya, tom))
    assert maya_weeks.brace > 0.75 > 0.4 > tom_weeks.brace
    assert maya_weeks.exercise > tom_weeks.exercise
