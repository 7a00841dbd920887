"""The dashboard's stored assessment, whole: what it watches, marking rows stale, when a row is
valid, and the refresh (docs/dashboard.md, "The stored assessment").

A row (`AssessmentSnapshot`) is **valid** when all three hold, and only then is it shown:
- `computed_for` is the patient's assessment day today (their midnight expires it);
- `stale` is false (every write to an input marks it, below);
- `rules_format == RULES_FORMAT`.

Rule changes: nothing hashes the rules' source. Every deploy's `migrate` marks all rows stale
(`stale_after_migrate`), which covers a release whose old workers stop before it migrates.
`RULES_FORMAT`, bumped by hand with every change to what a row says (the rules, the default
thresholds, a column's meaning), covers the rest: an old worker still serving after the migrate
stores its rows under the old number, and the new release does not trust them (nor the old one
the new). A rule change shipped without a bump relies on the migrate alone. A clinic's thresholds
are in no stamp either: their saves mark the clinic's patients (`WATCHED`).

Marking, one module for every kind of write:
- `WATCHED`: every model the assessment reads, with what a save or a delete of one row marks;
  `connect()` hooks `post_save` / `post_delete` on each, the net under every service, the admin
  and the shell.
- `mark_assessments_stale(patient_ids)`: call after ANY write that skips those signals
  (`bulk_create`, `bulk_update`, `QuerySet.update`, raw SQL), inside the writer's transaction.
  `mark_clinic_assessments_stale`, `mark_all_assessments_stale`: a clinic's patients, everyone.
  Every mark also gives a patient without a stored row a stale one (see `_mark`).

`snapshot_states(patient_ids)` is the validity check (one query); `refresh_assessments(...)`
recomputes the invalid rows with the live `patient_assessments()`, guarded by `generation`
against a write that races the recomputation.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

from django.apps import AppConfig
from django.db import connections, router, transaction
from django.db.models import F, Model, QuerySet
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils import timezone

from rehab.models import (
    BraceLog,
    BracePrescription,
    ExerciseLog,
    MeasuredBraceDay,
    ProgrammeItem,
    ProgrammeVersion,
)
from tracker.db_router import primary_reads
from tracker.models import (
    AssessmentSnapshot,
    Clinic,
    ClinicThresholds,
    DiaryEntry,
    ImagingStudy,
    Instrument,
    Patient,
    QuestionnaireResponse,
    WarningSignAlert,
)
from tracker.selectors.assessment import day_of_assessment, patient_assessments
from tracker.selectors.dashboard import snapshot_fields

# Bump by hand with every change to what a stored row says (rules, default thresholds, columns).
# 2: the pain reading and thin-data caveat (issue 18); 3: brace hours measured by a sensor (17).
RULES_FORMAT = 3


# --- Marking rows stale ----------------------------------------------------------------------


def mark_assessments_stale(patient_ids: Iterable[int]) -> None:
    """These patients' stored assessments must be recomputed before they are shown again."""
    ids = {int(pk) for pk in patient_ids if pk is not None}
    if ids:
        _mark(Patient.objects.filter(pk__in=ids), expected=len(ids))


def mark_clinic_assessments_stale(clinic_ids: Iterable[int]) -> None:
    """Every patient of these clinics (their thresholds or time zone changed)."""
    ids = {int(pk) for pk in clinic_ids if pk is not None}
    if ids:
        _mark(Patient.objects.filter(clinic_id__in=ids))


def mark_all_assessments_stale(*, using: str | None = None) -> None:
    """Every patient (an instrument's scoring changed; a migrate)."""
    _mark(Patient.objects.all(), using=using)


def _mark(
    patients: QuerySet[Patient], *, expected: int | None = None, using: str | None = None
) -> None:
    """Mark the stored rows of `patients` stale and move their generation: one UPDATE when
    every patient has a row (for a clinic or everyone, one count too). On the primary, in the
    writer's transaction.

    A patient with no stored row yet (new, or never shown) is given one, stale, and marked
    again: a recomputation that started before this write and inserted its own placeholder
    meanwhile then sees the generation move and leaves the row stale; without a row the mark
    would touch nothing and that verdict would be kept.
    """
    db = using or router.db_for_write(AssessmentSnapshot)
    patients = patients.using(db).order_by()
    rows = AssessmentSnapshot.objects.using(db).filter(patient__in=patients.values("pk"))
    marked = rows.update(stale=True, generation=F("generation") + 1)
    if marked >= (patients.count() if expected is None else expected):
        return
    ids = list(patients.values_list("pk", flat=True))
    if not ids:
        return
    AssessmentSnapshot.objects.using(db).bulk_create(
        [AssessmentSnapshot(patient_id=pk, stale=True) for pk in ids],
        ignore_conflicts=True,
        batch_size=1000,
    )
    rows.update(stale=True, generation=F("generation") + 1)


# --- What the assessment watches ----------------------------------------------------------------


def _patient(instance: Model) -> None:
    mark_assessments_stale([instance.patient_id])


def _programme_item(instance: ProgrammeItem) -> None:
    patient_ids = ProgrammeVersion.objects.filter(pk=instance.programme_id).values_list(
        "patient_id", flat=True
    )
    mark_assessments_stale(patient_ids)


# model -> what to mark when one of its rows is saved or deleted. The snapshot tests check that
# every table `patient_assessments()` reads is here, and that a save and a delete of each
# invalidate the row.
WATCHED: dict[type[Model], Callable[[Model], None]] = {
    Patient: lambda p: mark_assessments_stale([p.pk]),  # care start, discharge, status, zone
    Clinic: lambda c: mark_clinic_assessments_stale([c.pk]),  # its time zone
    ClinicThresholds: lambda t: mark_clinic_assessments_stale([t.clinic_id]),
    Instrument: lambda i: mark_all_assessments_stale(),  # scoring and change thresholds
    DiaryEntry: _patient,
    WarningSignAlert: _patient,  # raised and acknowledged
    QuestionnaireResponse: _patient,
    ImagingStudy: _patient,
    BraceLog: _patient,
    MeasuredBraceDay: _patient,  # a sensor file's import, or an overlapping file's replacement
    ExerciseLog: _patient,
    BracePrescription: _patient,
    ProgrammeVersion: _patient,
    ProgrammeItem: _programme_item,
}


def _changed(sender: type[Model], instance: Model, **kwargs) -> None:
    WATCHED[sender](instance)


def stale_after_migrate(sender: AppConfig, using: str = "default", **kwargs) -> None:
    """After every migrate (a deploy), every stored assessment is recomputed on its next view: a
    data migration writes through historical models, whose saves send no signals we listen to."""
    if AssessmentSnapshot._meta.db_table in connections[using].introspection.table_names():
        mark_all_assessments_stale(using=using)


def connect(app: AppConfig) -> None:
    """Hook the marks to every watched model's saves and deletes, and to `migrate`."""
    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"assessment-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"assessment-del-{model.__name__}")
    post_migrate.connect(stale_after_migrate, sender=app, dispatch_uid="assessment-migrate")


# --- Validity ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SnapshotState:
    patient_id: int
    day: dt.date  # the patient's assessment day today
    generation: int | None  # None: no stored row yet
    valid: bool
    category: str | None = None  # the stored row's verdict and "not logged" flag, whatever its
    not_logged: bool | None = None  # validity (the dashboard counts them, once all are valid)


def snapshot_states(
    patient_ids: Iterable[int], now: dt.datetime | None = None
) -> list[SnapshotState]:
    """Which patients' stored assessments are valid now, in one query (the patients with their
    stored row's bookkeeping)."""
    now = now or timezone.now()
    rows = (
        Patient.objects.filter(pk__in=list(patient_ids))
        .values_list(
            "pk",
            "time_zone",
            "clinic__time_zone",
            "discharged_on",
            "assessment_snapshot__computed_for",
            "assessment_snapshot__stale",
            "assessment_snapshot__rules_format",
            "assessment_snapshot__generation",
            "assessment_snapshot__category",
            "assessment_snapshot__not_logged",
        )
        .order_by()
    )
    today_in = cache(lambda zone: now.astimezone(ZoneInfo(zone)).date())
    states = []
    for pk, zone, clinic_zone, discharged_on, computed_for, stale, fmt, gen, *shown in rows:
        day = day_of_assessment(today_in(zone or clinic_zone), discharged_on)
        valid = gen is not None and not stale and computed_for == day and fmt == RULES_FORMAT
        states.append(SnapshotState(pk, day, gen, valid, *shown))
    return states


# --- The refresh ------------------------------------------------------------------------------


def refresh_assessments(
    patient_ids: Iterable[int],
    *,
    force: bool = False,
    now: dt.datetime | None = None,
    states: list[SnapshotState] | None = None,
) -> int:
    """Recompute these patients' invalid stored assessments; returns how many were recomputed.

    `states`: these patients' `snapshot_states()`, when the caller has just read them on the
    primary (the dashboard reads its counts from the same rows); otherwise they are read here.

    Exact under concurrent writes: every row exists (a placeholder is inserted first) before the
    inputs are read, so an invalidation during the computation bumps the row's `generation`;
    the upsert never writes `generation`, and a row whose generation moved is marked stale again
    in the same transaction, so the outdated verdict is never served as current.
    Everything here reads the primary: a lagging replica must not decide what is stored.
    """
    write_db = router.db_for_write(AssessmentSnapshot)
    with primary_reads():
        if states is None:
            states = snapshot_states(patient_ids, now)
        invalid = [s for s in states if force or not s.valid]
        if not invalid:
            return 0
        missing = [s.patient_id for s in invalid if s.generation is None]
        if missing:
            AssessmentSnapshot.objects.bulk_create(
                [AssessmentSnapshot(patient_id=pk) for pk in missing], ignore_conflicts=True
            )
        started = {s.patient_id: s.generation or 0 for s in invalid}
        patients = Patient.objects.filter(pk__in=list(started)).select_related("clinic")
        assessed = patient_assessments(patients)
        computed_at = timezone.now()
        rows = [
            AssessmentSnapshot(
                patient_id=pk,
                stale=False,
                rules_format=RULES_FORMAT,
                computed_at=computed_at,
                **snapshot_fields(a),
            )
            for pk, a in assessed.items()
        ]
        with transaction.atomic(using=write_db):
            AssessmentSnapshot.objects.using(write_db).bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["patient"],
                update_fields=_UPDATE_FIELDS,
            )
            moved = [
                pk
                for pk, generation in AssessmentSnapshot.objects.using(write_db)
                .filter(patient_id__in=list(started))
                .values_list("patient_id", "generation")
                if generation != started[pk]
            ]
            if moved:
                AssessmentSnapshot.objects.using(write_db).filter(patient_id__in=moved).update(
                    stale=True
                )
    return len(rows)


# Every column a recomputation writes: all but the key and `generation`, which only marks move.
_UPDATE_FIELDS = [
    f.name
    for f in AssessmentSnapshot._meta.concrete_fields
    if f.name not in {"patient", "generation"}
]
