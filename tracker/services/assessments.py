"""Keeping the stored assessments exact (docs/dashboard.md, "The stored assessment").

- `mark_assessments_stale(patient_ids)`: call after ANY write that can change an assessment input
  and that bypasses model signals (`bulk_create`, `bulk_update`, `QuerySet.update`, raw SQL).
  Single saves and deletes are caught by the signals in `tracker.assessment_invalidation`.
  One UPDATE, whatever the number of patients; safe inside the writer's transaction.
- `assessment_marks_collected()`: inside one transaction, the marks of all its writes become one
  UPDATE at the end of the block (the check-in saves an entry, a brace log and exercise logs).
- `refresh_assessments(patient_ids)`: recompute the invalid (or, with `force`, all) stored rows
  with the live `patient_assessments()` and upsert them; a fixed number of queries.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import router, transaction
from django.db.models import F

from tracker.db_router import primary_reads
from tracker.models import AssessmentSnapshot, Patient
from tracker.selectors.assessment import patient_assessments
from tracker.selectors.dashboard import (
    SNAPSHOT_UPDATE_FIELDS,
    SnapshotState,
    snapshot_fields,
    snapshot_states,
)

# Patients marked inside an `assessment_marks_collected()` block, not yet written.
_collected: ContextVar[set[int] | None] = ContextVar("assessment_marks", default=None)


@contextmanager
def assessment_marks_collected() -> Iterator[None]:
    """Collect the marks of every write in the block and write them as one UPDATE at its end.

    Enter it INSIDE the writer's `transaction.atomic()`: the UPDATE then runs before the commit,
    in the same transaction as the writes. If the block raises, nothing is marked, and the
    transaction around it rolls the writes back too.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "assessment_marks_collected() must be entered inside transaction.atomic()"
        )
    token = _collected.set(set())
    try:
        yield
        ids = _collected.get()
    finally:
        _collected.reset(token)
    _write_marks(ids)


def mark_assessments_stale(patient_ids: Iterable[int]) -> None:
    """These patients' stored assessments must be recomputed before they are shown again."""
    ids = {int(pk) for pk in patient_ids if pk is not None}
    collected = _collected.get()
    if collected is not None:
        collected |= ids
        return
    _write_marks(ids)


def _write_marks(ids: set[int]) -> None:
    if not ids:
        return
    marked = AssessmentSnapshot.objects.filter(patient_id__in=ids).update(
        stale=True, generation=F("generation") + 1
    )
    if marked < len(ids):
        # A patient with no stored row yet (new, or never shown): give them one, stale, and mark
        # it again. A recomputation that started before this write and inserted its own
        # placeholder meanwhile then sees the generation move and leaves the row stale; without
        # a row the mark above would have touched nothing and that verdict would be kept.
        existing = set(Patient.objects.filter(pk__in=ids).values_list("pk", flat=True))
        AssessmentSnapshot.objects.bulk_create(
            [AssessmentSnapshot(patient_id=pk, stale=True) for pk in existing],
            ignore_conflicts=True,
        )
        AssessmentSnapshot.objects.filter(patient_id__in=existing).update(
            stale=True, generation=F("generation") + 1
        )


def mark_clinic_assessments_stale(clinic_ids: Iterable[int]) -> None:
    """Every patient of these clinics (their thresholds or time zone changed)."""
    ids = {int(pk) for pk in clinic_ids if pk is not None}
    if ids:
        AssessmentSnapshot.objects.filter(patient__clinic_id__in=ids).update(
            stale=True, generation=F("generation") + 1
        )


def mark_all_assessments_stale() -> None:
    """Every stored assessment (an instrument's scoring or wording changed)."""
    AssessmentSnapshot.objects.update(stale=True, generation=F("generation") + 1)


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
        rows = [
            AssessmentSnapshot(patient_id=pk, **snapshot_fields(a)) for pk, a in assessed.items()
        ]
        with transaction.atomic(using=write_db):
            AssessmentSnapshot.objects.using(write_db).bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["patient"],
                update_fields=SNAPSHOT_UPDATE_FIELDS,
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
