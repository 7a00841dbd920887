"""Brace wear measured by a sensor, per day, beside what the patient reported (issue 17).

- `measured_hours(patient, start, end)`: one patient's measured hours by day (one query);
- `measured_hours_for_patients(patients, start, end)`: the same for a list (one query);
- `brace_hours_both(patient, start, end)`: reported and measured hours by day in one query (a
  UNION), so the trends page reads both without a query more;
- `worn_rows(...)`: the rows adherence sums, measured hours where a day has them and reported
  hours for the other days (`rehab.selectors.adherence`).

A day is measured when a `MeasuredBraceDay` row holds it: the import stores only days a file
covers in full, so a day without a row is not measured (never "not worn").
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Least, TruncWeek

from rehab.models import BraceLog, MeasuredBraceDay
from tracker.models import Patient

REPORTED, MEASURED = 0, 1  # the origin column of the UNION below


def measured_hours_for_patients(
    patients: Iterable[Patient], start: dt.date, end: dt.date
) -> dict[int, dict[dt.date, Decimal]]:
    """patient id -> {day: measured hours} over [start, end]; one query for any list."""
    ids = [p.pk for p in patients]
    found: dict[int, dict[dt.date, Decimal]] = defaultdict(dict)
    rows = (
        MeasuredBraceDay.objects.filter(patient_id__in=ids, day__range=(start, end))
        .order_by("patient_id", "day")
        .values_list("patient_id", "day", "hours")
    )
    for patient_id, day, hours in rows:
        found[patient_id][day] = hours
    return {pk: found.get(pk, {}) for pk in ids}


def measured_hours(patient: Patient, start: dt.date, end: dt.date) -> dict[dt.date, Decimal]:
    """{day: measured hours} of one patient over [start, end] (one query)."""
    return measured_hours_for_patients([patient], start, end)[patient.pk]


@dataclass(frozen=True)
class BraceHours:
    """A range's brace hours by day, as the patient reported them and as a sensor measured."""

    reported: dict[dt.date, Decimal]
    measured: dict[dt.date, Decimal]


def brace_hours_both(patient: Patient, start: dt.date, end: dt.date) -> BraceHours:
    """Reported and measured hours by day over [start, end], in one query (a UNION ALL)."""
    reported = (
        BraceLog.objects.filter(patient=patient, day__range=(start, end))
        .annotate(origin=Value(REPORTED, output_field=IntegerField()))
        .values_list("day", "hours", "origin")
        .order_by()
    )
    measured = (
        MeasuredBraceDay.objects.filter(patient=patient, day__range=(start, end))
        .annotate(origin=Value(MEASURED, output_field=IntegerField()))
        .values_list("day", "hours", "origin")
        .order_by()
    )
    both = BraceHours({}, {})
    for day, hours, origin in reported.union(measured, all=True):
        (both.measured if origin == MEASURED else both.reported)[day] = Decimal(hours)
    return both


def _not_discharged(day: str = "day") -> Q:
    return Q(patient__discharged_on__isnull=True) | Q(
        **{f"{day}__lte": F("patient__discharged_on")}
    )


def worn_rows(ids: list[int], start: dt.date, end: dt.date, target: Subquery) -> QuerySet:
    """(patient id, week, sum of min(hours / target, 1), measured days, reported days) per
    source, for the logged or measured due days of [start, end]: measured hours where the day
    has them, the reported hours for the others. One query (a UNION ALL of two grouped
    aggregates); `target`: the brace target subquery on the outer row's patient and day."""

    def grouped(rows: QuerySet, measured_days, reported_days) -> QuerySet:
        fraction = Least(Cast("hours", FloatField()) / Cast("target", FloatField()), Value(1.0))
        return (
            rows.filter(patient_id__in=ids, day__gte=start, day__lte=end)
            .filter(_not_discharged())
            .annotate(target=target)
            .filter(target__gt=0)
            .annotate(week=TruncWeek("day"))
            .values("patient_id", "week")
            .annotate(worn=Sum(fraction), measured=measured_days, reported=reported_days)
            .values_list("patient_id", "week", "worn", "measured", "reported")
            .order_by()
        )

    measured_here = MeasuredBraceDay.objects.filter(
        patient_id=OuterRef("patient_id"), day=OuterRef("day")
    )
    none = Value(0, output_field=IntegerField())
    reported = grouped(BraceLog.objects.filter(~Exists(measured_here)), none, Count("id"))
    measured = grouped(MeasuredBraceDay.objects.all(), Count("id"), none)
    return reported.union(measured, all=True)
