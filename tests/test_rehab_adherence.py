"""Adherence: the arithmetic on worked examples, each day by the prescription in force, and a
fixed number of queries for a whole patient list."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rehab import adherence
from rehab.models import BraceLog, Exercise, ExerciseLog
from rehab.selectors import (
    adherence_for_patient,
    adherence_for_patients,
    prescriptions_of,
    programme_items_on,
)
from tests.factories import PatientFactory, UserFactory, rehab_brace, rehab_programme

pytestmark = pytest.mark.django_db

MON = dt.date(2026, 3, 2)  # a Monday
WED, THU, FRI, SUN = (MON + dt.timedelta(days=n) for n in (2, 3, 4, 6))


def day(n: int) -> dt.date:
    return MON + dt.timedelta(days=n)


def builtin(code: str) -> Exercise:
    return Exercise.objects.get(clinic__isnull=True, code=code)


def log(patient, on, exercise, done=True):
    item = next(i for i in programme_items_on(patient, on) if i.exercise == exercise)
    ExerciseLog.objects.create(
        patient=patient, day=on, item=item, done=done, sets_done=2 if done else None
    )


@pytest.fixture
def x():
    return builtin("pelvic-tilt")


@pytest.fixture
def y():
    return builtin("bird-dog")


# --- Pure arithmetic ---------------------------------------------------------------------------


def test_it_caps_each_exercise_at_its_prescription():
    prescribed = {"x": 3.0, "y": 3.0}

    result = adherence.exercise_adherence(prescribed, {"x": 5, "y": 0})

    assert result == 0.5  # extra sessions of x do not hide the skipped y


def test_it_calls_nothing_prescribed_not_applicable():
    assert adherence.exercise_adherence({}, {"x": 2}) is None
    assert adherence.brace_adherence(0.0, 0) is None


def test_it_splits_a_range_into_monday_weeks():
    assert adherence.days_per_week(WED, day(9)) == {MON: 5, day(7): 3}


# --- Worked examples through the database -------------------------------------------------------


def test_it_counts_each_day_by_the_programme_in_force_when_it_changes_mid_week(patient, x, y):
    # Mon-Wed: x daily. From Thursday: x and y daily.
    rehab_programme(patient, valid_from=MON, exercises=[x])
    rehab_programme(patient, valid_from=THU, exercises=[x, y])
    for n in (0, 1, 3, 4):  # Wednesday: no check-in at all
        log(patient, day(n), x)
    log(patient, THU, y)
    log(patient, FRI, y, done=False)

    week = adherence_for_patient(patient, MON, SUN).weeks[0]

    # Prescribed: x 7 (3 + 4 days), y 4 (Thu-Sun) = 11. Done: x 4, y 1 = 5.
    assert week.sessions_prescribed == pytest.approx(11)
    assert week.sessions_done == 5
    assert week.exercise == pytest.approx(5 / 11)


def test_it_prorates_a_partial_week(patient, x, y):
    rehab_programme(patient, valid_from=MON, exercises=[x])
    rehab_programme(patient, valid_from=THU, exercises=[x, y])
    for n in (0, 1, 3, 4):
        log(patient, day(n), x)
    log(patient, THU, y)

    week = adherence_for_patient(patient, WED, SUN).weeks[0]

    # From Wednesday: x 5 days, y 4 days prescribed; done x Thu+Fri, y Thu.
    assert (week.first_day, week.days) == (WED, 5)
    assert week.sessions_prescribed == pytest.approx(9)
    assert week.exercise == pytest.approx(3 / 9)


def test_it_prorates_sessions_per_week_below_daily(patient, x, y):
    rehab_programme(patient, valid_from=MON, exercises=[x, y], sessions_per_week=3)
    for n in range(5):
        log(patient, day(n), x)

    week = adherence_for_patient(patient, MON, SUN).weeks[0]

    assert week.sessions_prescribed == pytest.approx(6)
    assert week.exercise == pytest.approx(0.5)


def test_it_counts_a_day_with_no_check_in_as_not_done_and_zero_hours(patient, x):
    rehab_programme(patient, valid_from=MON, exercises=[x])
    rehab_brace(patient, valid_from=MON, hours="20")
    log(patient, MON, x)
    BraceLog.objects.create(patient=patient, day=MON, hours=Decimal("20"))

    week = adherence_for_patient(patient, MON, SUN).weeks[0]

    assert week.exercise == pytest.approx(1 / 7)
    assert week.brace == pytest.approx(1 / 7)


def test_it_caps_a_brace_day_at_the_target(patient):
    rehab_brace(patient, valid_from=MON, hours="20")
    BraceLog.objects.create(patient=patient, day=MON, hours=Decimal("24"))
    BraceLog.objects.create(patient=patient, day=day(1), hours=Decimal("10"))

    assert adherence_for_patient(patient, MON, MON).brace == 1.0  # 24 of 20 hours: no banking
    assert adherence_for_patient(patient, day(1), day(1)).brace == 0.5


def test_it_averages_brace_days_capped_at_the_target(patient):
    rehab_brace(patient, valid_from=MON, hours="20")
    for n, hours in ((0, "20"), (1, "10"), (2, "24")):  # 1, 0.5 and (capped) 1
        BraceLog.objects.create(patient=patient, day=day(n), hours=Decimal(hours))

    week = adherence_for_patient(patient, MON, SUN).weeks[0]

    assert week.brace_days == 7
    assert week.brace == pytest.approx(2.5 / 7)


def test_it_uses_the_weaning_target_and_stops_counting_when_the_brace_stops(patient):
    rehab_brace(patient, valid_from=MON, hours="20", wean_from=THU, wean_hours=Decimal("10"))
    rehab_brace(patient, valid_from=day(5), kind="none")  # stopped on Saturday
    for n, hours in ((0, "20"), (1, "10"), (2, "24"), (3, "10"), (5, "0")):
        BraceLog.objects.create(patient=patient, day=day(n), hours=Decimal(hours))

    week = adherence_for_patient(patient, MON, SUN).weeks[0]

    # Due Mon-Fri only: 1 + 0.5 + 1 + 1 (10 of the weaning 10) + 0 (Friday not logged).
    assert week.brace_days == 5
    assert week.brace == pytest.approx(3.5 / 5)


def test_it_reports_no_brace_as_not_applicable_not_zero(patient, other_patient, x):
    rehab_programme(patient, valid_from=MON, exercises=[x])
    rehab_brace(other_patient, valid_from=MON, kind="none")

    result = adherence_for_patients([patient, other_patient], MON, SUN)

    assert result[patient.pk].weeks[0].brace is None
    assert result[other_patient.pk].weeks[0].brace is None
    assert result[other_patient.pk].weeks[0].exercise is None
    assert result[patient.pk].brace is None


def test_it_ends_a_brace_after_its_planned_last_day(patient):
    rehab_brace(patient, valid_from=MON, hours="20", planned_end=WED)
    BraceLog.objects.create(patient=patient, day=MON, hours=Decimal("20"))

    week = adherence_for_patient(patient, MON, SUN).weeks[0]

    assert week.brace_days == 3
    assert week.brace == pytest.approx(1 / 3)


def _patients_with_history(n: int, clinic, clinician, x, y):
    patients = []
    for i in range(n):
        p = PatientFactory(
            user=UserFactory(username=f"p{n}-{i}"), clinic=clinic, treating_clinician=clinician
        )
        rehab_programme(p, valid_from=MON, exercises=[x])
        rehab_programme(p, valid_from=THU, exercises=[x, y])
        rehab_brace(p, valid_from=MON, hours="22")
        log(p, MON, x)
        log(p, FRI, y)
        BraceLog.objects.create(patient=p, day=MON, hours=Decimal("11"))
        patients.append(p)
    return patients


def test_it_computes_a_patient_list_in_a_fixed_number_of_queries(clinic, clinician, x, y):
    few = _patients_with_history(5, clinic, clinician, x, y)
    many = _patients_with_history(50, clinic, clinician, x, y)

    with CaptureQueriesContext(connection) as small:
        few_result = adherence_for_patients(few, MON, day(13))
    with CaptureQueriesContext(connection) as large:
        many_result = adherence_for_patients(many, MON, day(13))

    assert len(small) == len(large) == 4
    first = many_result[many[-1].pk].weeks[0]
    assert first.exercise == pytest.approx(2 / 11)
    assert first.brace == pytest.approx(0.5 / 7)
    assert few_result[few[0].pk].weeks[1].exercise == 0


def test_prescriptions_read_once_give_the_same_adherence_in_two_queries(patient, x, y):
    rehab_programme(patient, valid_from=MON, exercises=[x])
    rehab_programme(patient, valid_from=THU, exercises=[x, y])
    rehab_brace(patient, valid_from=MON, hours="20", wean_from=THU, wean_hours=Decimal("10"))
    rehab_brace(patient, valid_from=day(5), kind="none")
    for n in (0, 1, 3, 4, 8):
        log(patient, day(n), x)
    log(patient, THU, y)
    for n, hours in ((0, "20"), (1, "10"), (3, "10"), (9, "5")):
        BraceLog.objects.create(patient=patient, day=day(n), hours=Decimal(hours))
    programmes, braces = prescriptions_of(patient)

    for start, end in ((MON, SUN), (day(2), day(12)), (day(4), day(4))):
        with CaptureQueriesContext(connection) as queries:
            shared = adherence_for_patients(
                [patient], start, end, braces=braces, programmes=programmes
            )
        assert len(queries) == 2  # only the logs: the prescriptions were read already
        assert shared == adherence_for_patients([patient], start, end)
