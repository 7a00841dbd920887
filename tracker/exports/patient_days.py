"""Datasets of rows about a patient on a day, each in a named and a research variant.

A `PatientDayDataset` yields `(patient_id, day, values)` records from one ordered query (or a
merge of several, each read with `.iterator()`); the base class puts the patient in front:

- named (for the care team and the patient's own download): `patient_id`, `day` (ISO date);
- research (`research = True`): `pseudonym`, `age_years` on that day, `care_day` (days since
  conservative care started, so no calendar date leaves the clinic), and only the columns marked
  `research=True` (no free text, no other dates).

So both variants of a dataset read the same query and can never disagree. The patients' own
details (date of birth, clinic, care start, today) are read once per export into a dict: memory
grows with patients, never with rows.
"""

import datetime as dt
import heapq
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db.models import QuerySet

from tracker.exports.datasets import Column, ColumnType, Dataset, ExportScope
from tracker.exports.pseudonym import age_in_years
from tracker.exports.sql_csv import SqlRows

T = ColumnType

Record = tuple[int, dt.date, dict[str, Any]]

NAMED_HEAD = (
    Column("patient_id", T.INTEGER, "ParsTrack's id for the patient."),
    Column("day", T.DATE, "The patient's local day the row is about."),
)
RESEARCH_HEAD = (
    Column(
        "pseudonym",
        T.TEXT,
        "Stable pseudonym of the patient (the same as in every research dataset).",
    ),
    Column("age_years", T.INTEGER, "Age in whole years on the row's day.", "years"),
    Column(
        "care_day",
        T.INTEGER,
        "Days from the start of conservative care to the row's day (0 = first day; "
        "negative before care started). Replaces the calendar date.",
        "days",
    ),
)


@dataclass(frozen=True)
class PatientInfo:
    clinic_id: int
    date_of_birth: dt.date
    care_started: dt.date
    enrolled_on: dt.date
    last_day: dt.date  # the patient's today, or their discharge day if earlier


def patient_infos(scope: ExportScope) -> dict[int, PatientInfo]:
    """What rows need to know about each patient in scope, in one query."""
    infos = {}
    for p in scope.patients.select_related("clinic").order_by("pk"):
        today = p.local_today()
        last = min(today, p.discharged_on) if p.discharged_on else today
        infos[p.pk] = PatientInfo(
            p.clinic_id, p.date_of_birth, p.conservative_care_started, p.enrolled_on, last
        )
    return infos


def in_range(queryset: QuerySet, scope: ExportScope, field: str = "day") -> QuerySet:
    """Narrow a queryset to the export's inclusive date range."""
    if scope.date_from:
        queryset = queryset.filter(**{f"{field}__gte": scope.date_from})
    if scope.date_to:
        queryset = queryset.filter(**{f"{field}__lte": scope.date_to})
    return queryset


def _tag(stream: Iterable[Record], n: int) -> Iterator[tuple[int, dt.date, int, Any]]:
    for patient_id, day, values in stream:
        yield patient_id, day, n, values


def merge_by_patient_day(*streams: Iterable[Record]) -> Iterator[tuple[int, dt.date, list]]:
    """Merge streams each ordered by (patient, day) into one (patient, day, [values, ...]) per
    patient-day, with one slot per stream (None where that stream has nothing that day).

    `heapq.merge` holds one record per stream, so memory stays flat whatever the row count.
    """
    tagged = [_tag(stream, n) for n, stream in enumerate(streams)]
    merged = heapq.merge(*tagged, key=lambda r: (r[0], r[1], r[2]))
    for (pid, day), group in itertools.groupby(merged, key=lambda r: (r[0], r[1])):
        slots: list[Any] = [None] * len(streams)
        for _, _, n, values in group:
            slots[n] = values
        yield pid, day, slots


class PatientDayDataset(Dataset):
    """Named and research variants over one set of records (see the module docstring)."""

    fields: ClassVar[tuple[Column, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.research:
            cls.columns = RESEARCH_HEAD + tuple(c for c in cls.fields if c.research)
        else:
            cls.columns = NAMED_HEAD + cls.fields

    def records(self, scope: ExportScope, patients: dict[int, PatientInfo]) -> Iterator[Record]:
        """(patient id, day, values by column name), ordered by patient then day."""
        raise NotImplementedError

    def named_sql_rows(self, scope: ExportScope) -> SqlRows | None:
        """The named variant's rows (`patient_id`, `day`, the fields) written in SQL, or None."""
        return None

    def sql_rows(self, scope: ExportScope) -> SqlRows | None:
        # Pseudonyms and ages are computed in Python: the research variant takes the general path.
        return None if self.research else self.named_sql_rows(scope)

    def rows(self, scope: ExportScope) -> Iterator[dict[str, Any]]:
        patients = patient_infos(scope)
        for patient_id, day, values in self.records(scope, patients):
            info = patients[patient_id]
            if self.research:
                head = {
                    "pseudonym": scope.pseudonymise(
                        patient_id=patient_id, clinic_id=info.clinic_id
                    ),
                    "age_years": age_in_years(info.date_of_birth, day),
                    "care_day": (day - info.care_started).days,
                }
            else:
                head = {"patient_id": patient_id, "day": day}
            yield head | values
