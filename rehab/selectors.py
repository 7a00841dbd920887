"""Reads: what was prescribed on a day, history, timeline events, and adherence in aggregate."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Least, TruncWeek

from rehab import adherence
from rehab.models import (
    ActivityStagePrescription,
    BraceKind,
    BraceLog,
    BracePrescription,
    Exercise,
    ExerciseLog,
    ProgrammeItem,
    ProgrammeVersion,
)
from tracker.models import Clinic, Patient
from tracker.utils.timeline import TimelineEvent


def in_force_on(day: dt.date | F | OuterRef, prefix: str = "") -> Q:
    """Versions in force on `day`: valid_from <= day < valid_to (valid_to null: open)."""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


def overlapping(start: dt.date, end: dt.date, prefix: str = "") -> Q:
    """Versions in force on at least one day of [start, end]."""
    return (
        Q(**{f"{prefix}valid_from__lte": end})
        & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": start}))
        & (
            Q(**{f"{prefix}valid_to__isnull": True})
            | Q(**{f"{prefix}valid_to__gt": F(f"{prefix}valid_from")})
        )
    )


# --- The exercise library ---------------------------------------------------------------------


def exercises_for_clinic(clinic: Clinic | int, *, active_only: bool = True) -> QuerySet[Exercise]:
    """Exercises a clinic may see and prescribe: the built-in ones and the clinic's own."""
    clinic_id = clinic if isinstance(clinic, int) else clinic.pk
    exercises = Exercise.objects.filter(Q(clinic__isnull=True) | Q(clinic_id=clinic_id))
    if active_only:
        exercises = exercises.filter(is_active=True)
    return exercises


# --- What is prescribed on a day ----------------------------------------------------------------


def programme_on(patient: Patient, day: dt.date) -> ProgrammeVersion | None:
    return ProgrammeVersion.objects.filter(in_force_on(day), patient=patient).first()


def programme_items_on(patient: Patient, day: dt.date) -> list[ProgrammeItem]:
    """The exercises due on this day, in programme order, with their exercise."""
    return list(
        ProgrammeItem.objects.filter(in_force_on(day, "programme__"), programme__patient=patient)
        .select_related("exercise")
        .order_by("order", "pk")
    )


def brace_on(patient: Patient, day: dt.date) -> BracePrescription | None:
    return BracePrescription.objects.filter(in_force_on(day), patient=patient).first()


def brace_target_on(patient: Patient, day: dt.date) -> float | None:
    """Target hours for this day, or None when no brace is due (no brace, or past its end)."""
    brace = brace_on(patient, day)
    target = brace.target_on(day) if brace else None
    return None if target is None else float(target)


def stage_on(patient: Patient, day: dt.date) -> ActivityStagePrescription | None:
    return ActivityStagePrescription.objects.filter(in_force_on(day), patient=patient).first()


def programme_history(patient: Patient) -> list[ProgrammeVersion]:
    return list(
        ProgrammeVersion.objects.filter(patient=patient)
        .select_related("prescribed_by")
        .prefetch_related("items__exercise")
        .order_by("-valid_from", "-created_at")
    )


def brace_history(patient: Patient) -> QuerySet[BracePrescription]:
    return BracePrescription.objects.filter(patient=patient).select_related("prescribed_by")


def stage_history(patient: Patient) -> QuerySet[ActivityStagePrescription]:
    return ActivityStagePrescription.objects.filter(patient=patient).select_related("prescribed_by")


def _programmes(patient: Patient) -> list[ProgrammeVersion]:
    return list(
        ProgrammeVersion.objects.filter(patient=patient)
        .order_by("valid_from", "created_at")
        .prefetch_related("items__exercise")
    )


def prescriptions_of(patient: Patient) -> tuple[list[ProgrammeVersion], list[BracePrescription]]:
    """All of one patient's programme versions (items and exercises prefetched) and brace
    prescriptions, oldest first: read once for a page that needs them for adherence, brace
    targets and the timeline (4 queries)."""
    braces = list(
        BracePrescription.objects.filter(patient=patient).order_by("valid_from", "created_at")
    )
    return _programmes(patient), braces


# --- Timeline ----------------------------------------------------------------------------------


def _hours(value) -> str:
    return f"{float(value):g} h/day"


def timeline_events(
    patient: Patient,
    start: dt.date,
    end: dt.date,
    *,
    braces: list[BracePrescription] | None = None,
    programmes: list[ProgrammeVersion] | None = None,
) -> list[TimelineEvent]:
    """Brace started/changed/stopped, programme changed, activity stage changed, in [start, end].

    `braces`, `programmes`: the patient's prescriptions already read (`prescriptions_of`), to
    save reading them again."""
    events: list[TimelineEvent] = []

    def within(day: dt.date) -> bool:
        return start <= day <= end

    if programmes is None:
        programmes = _programmes(patient)
    previous = None
    for version in programmes:
        if not version.was_in_force:
            continue
        items = list(version.items.all())
        if within(version.valid_from):
            phases = sorted({i.get_phase_display() for i in items})
            label = "Exercise programme started" if previous is None else "Programme changed"
            if previous is not None and {i.phase for i in items} != {
                i.phase for i in previous.items.all()
            }:
                label = "Programme moved on a phase"
            names = ", ".join(i.exercise.name for i in items) or "no exercises"
            events.append(
                TimelineEvent(
                    day=version.valid_from,
                    kind="programme",
                    label=f"{label} ({len(items)} exercise{'s' if len(items) != 1 else ''})",
                    detail=f"{'; '.join(phases)}. {names}.".lstrip(". "),
                )
            )
        previous = version

    if braces is None:
        braces = list(
            BracePrescription.objects.filter(patient=patient).order_by("valid_from", "created_at")
        )
    previous_brace = None
    for brace in braces:
        if not brace.was_in_force:
            continue
        was_brace = previous_brace is not None and previous_brace.is_brace
        if within(brace.valid_from):
            if brace.is_brace:
                kind = "started" if not was_brace else "changed"
                label = f"Brace {kind}: {brace.get_kind_display()}, {_hours(brace.target_hours)}"
                events.append(TimelineEvent(brace.valid_from, "brace", label, brace.note))
            elif was_brace:
                events.append(TimelineEvent(brace.valid_from, "brace", "Brace stopped", brace.note))
        if brace.is_brace and brace.wean_from and within(brace.wean_from):
            if brace.valid_to is None or brace.wean_from < brace.valid_to:
                events.append(
                    TimelineEvent(
                        brace.wean_from,
                        "brace",
                        f"Brace weaning: {_hours(brace.wean_hours)}",
                    )
                )
        if brace.is_brace and brace.planned_end:
            stop = brace.planned_end + dt.timedelta(days=1)
            if within(stop) and (brace.valid_to is None or stop < brace.valid_to):
                events.append(TimelineEvent(stop, "brace", "Brace stopped (planned end)"))
        previous_brace = brace

    for stage in ActivityStagePrescription.objects.filter(patient=patient).order_by(
        "valid_from", "created_at"
    ):
        if stage.was_in_force and within(stage.valid_from):
            events.append(
                TimelineEvent(
                    stage.valid_from,
                    "activity_stage",
                    f"Activity stage: {stage.get_stage_display()}",
                    stage.note,
                )
            )
    return sorted(events, key=lambda e: (e.day, e.kind))


# --- Adherence ---------------------------------------------------------------------------------


def _brace_target_subquery() -> Subquery:
    """The target hours of the brace prescription in force on the outer log's day (or null)."""
    day = OuterRef("day")
    return Subquery(
        BracePrescription.objects.filter(in_force_on(day), patient_id=OuterRef("patient_id"))
        .exclude(kind=BraceKind.NONE)
        .filter(Q(planned_end__isnull=True) | Q(planned_end__gte=day))
        .annotate(
            target=Case(When(wean_from__lte=day, then=F("wean_hours")), default=F("target_hours"))
        )
        .values("target")[:1]
    )


def _last_day(patient: Patient, end: dt.date) -> dt.date:
    return min(end, patient.discharged_on) if patient.discharged_on else end


def _overlaps(version: BracePrescription | ProgrammeVersion, start: dt.date, end: dt.date) -> bool:
    """`overlapping(start, end)` for a prescription already read."""
    return version.valid_from <= end and (
        version.valid_to is None
        or (version.valid_to > start and version.valid_to > version.valid_from)
    )


def adherence_for_patients(
    patients: Iterable[Patient],
    start: dt.date,
    end: dt.date,
    *,
    braces: Iterable[BracePrescription] | None = None,
    programmes: Iterable[ProgrammeVersion] | None = None,
) -> dict[int, adherence.AdherenceSummary]:
    """Weekly adherence for [start, end] for each patient, keyed by patient id.

    A fixed number of queries whatever the number of patients: the prescriptions in force (rows,
    not days) and the logs aggregated by patient, week and exercise in the database. Only the
    prescriptions' date ranges are split into weeks in Python. `braces`, `programmes`: every
    brace prescription and programme version (items prefetched) of these patients, already read
    (`prescriptions_of`: one query fewer each).
    """
    patients = list(patients)
    ids = [p.pk for p in patients]
    if not ids or end < start:
        return {p.pk: adherence.AdherenceSummary(start, end, []) for p in patients}
    last_day = {p.pk: _last_day(p, end) for p in patients}

    # Sessions prescribed: per (patient, week, exercise), sessions_per_week x days / 7.
    prescribed: dict[tuple[int, dt.date], dict[int, float]] = defaultdict(
        lambda: defaultdict(float)
    )
    if programmes is None:
        items = ProgrammeItem.objects.filter(
            overlapping(start, end, "programme__"), programme__patient_id__in=ids
        ).values_list(
            "programme__patient_id",
            "programme__valid_from",
            "programme__valid_to",
            "exercise_id",
            "sessions_per_week",
        )
    else:  # the query's order (the models' orderings: newest version first), so sums agree
        wanted = set(ids)
        versions = [v for v in programmes if v.patient_id in wanted and _overlaps(v, start, end)]
        versions.sort(key=lambda v: (v.patient_id, v.valid_from, v.created_at), reverse=True)
        versions.sort(key=lambda v: v.patient_id)
        items = [
            (v.patient_id, v.valid_from, v.valid_to, i.exercise_id, i.sessions_per_week)
            for v in versions
            for i in v.items.all()
        ]
    for patient_id, valid_from, valid_to, exercise_id, per_week in items:
        last = None if valid_to is None else valid_to - dt.timedelta(days=1)
        span = adherence.overlap(valid_from, last, start, last_day[patient_id])
        if span:
            for monday, days in adherence.days_per_week(*span).items():
                prescribed[patient_id, monday][exercise_id] += per_week * days / 7

    # Sessions done: logged done on a day when that item's programme was in force.
    done: dict[tuple[int, dt.date], dict[int, int]] = defaultdict(dict)
    logs = (
        ExerciseLog.objects.filter(patient_id__in=ids, day__gte=start, day__lte=end, done=True)
        .filter(day__gte=F("item__programme__valid_from"))
        .filter(
            Q(item__programme__valid_to__isnull=True) | Q(item__programme__valid_to__gt=F("day"))
        )
        .filter(Q(patient__discharged_on__isnull=True) | Q(day__lte=F("patient__discharged_on")))
        .annotate(week=TruncWeek("day"), exercise_id=F("item__exercise_id"))
        .values("patient_id", "week", "exercise_id")
        .annotate(sessions=Count("id"))
        .values_list("patient_id", "week", "exercise_id", "sessions")
    )
    for patient_id, week, exercise_id, sessions in logs:
        done[patient_id, _as_date(week)][exercise_id] = sessions

    # Brace days due: from the prescriptions' ranges (up to the planned end).
    brace_days: dict[tuple[int, dt.date], int] = defaultdict(int)
    if braces is None:
        brace_rows = (
            BracePrescription.objects.filter(overlapping(start, end), patient_id__in=ids)
            .exclude(kind=BraceKind.NONE)
            .values_list("patient_id", "valid_from", "valid_to", "planned_end")
        )
    else:
        wanted = set(ids)
        brace_rows = [
            (b.patient_id, b.valid_from, b.valid_to, b.planned_end)
            for b in braces
            if b.patient_id in wanted and b.kind != BraceKind.NONE and _overlaps(b, start, end)
        ]
    for patient_id, valid_from, valid_to, planned_end in brace_rows:
        last = None if valid_to is None else valid_to - dt.timedelta(days=1)
        if planned_end is not None:
            last = planned_end if last is None else min(last, planned_end)
        span = adherence.overlap(valid_from, last, start, last_day[patient_id])
        if span:
            for monday, days in adherence.days_per_week(*span).items():
                brace_days[patient_id, monday] += days

    # Brace worn: sum over logged due days of min(hours / that day's target, 1), in the database.
    worn: dict[tuple[int, dt.date], float] = {}
    fraction = Least(Cast("hours", FloatField()) / Cast("target", FloatField()), Value(1.0))
    rows = (
        BraceLog.objects.filter(patient_id__in=ids, day__gte=start, day__lte=end)
        .filter(Q(patient__discharged_on__isnull=True) | Q(day__lte=F("patient__discharged_on")))
        .annotate(target=_brace_target_subquery())
        .filter(target__gt=0)
        .annotate(week=TruncWeek("day"))
        .values("patient_id", "week")
        .annotate(worn=Sum(fraction))
        .values_list("patient_id", "week", "worn")
    )
    for patient_id, week, total in rows:
        worn[patient_id, _as_date(week)] = float(total or 0)

    result = {}
    for patient in patients:
        weeks = []
        for monday, first, last in adherence.weeks_between(start, end):
            key = (patient.pk, monday)
            if first > last_day[patient.pk]:
                break
            sessions = prescribed.get(key, {})
            days_due = brace_days.get(key, 0)
            weeks.append(
                adherence.WeekAdherence(
                    week=monday,
                    first_day=first,
                    last_day=min(last, last_day[patient.pk]),
                    sessions_prescribed=sum(sessions.values()),
                    sessions_done=adherence.capped_done(sessions, done.get(key, {})),
                    exercise=adherence.exercise_adherence(sessions, done.get(key, {})),
                    brace_days=days_due,
                    brace_worn=worn.get(key, 0.0) if days_due else 0.0,
                    brace=adherence.brace_adherence(worn.get(key, 0.0), days_due),
                )
            )
        result[patient.pk] = adherence.AdherenceSummary(start, end, weeks)
    return result


def adherence_for_patient(patient: Patient, start: dt.date, end: dt.date):
    return adherence_for_patients([patient], start, end)[patient.pk]


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def recent_weeks(today: dt.date, weeks: int) -> tuple[dt.date, dt.date]:
    """From the Monday `weeks - 1` weeks before this one, up to today (weekly breakdowns)."""
    return adherence.week_start(today) - dt.timedelta(weeks=weeks - 1), today


def rolling_window(end: dt.date, days: int) -> tuple[dt.date, dt.date]:
    """The `days` days ending on `end`, both included (the assessment's adherence window)."""
    return end - dt.timedelta(days=days - 1), end


def adherence_over_windows(
    patients: Iterable[Patient], windows: Mapping[int, tuple[dt.date, dt.date]]
) -> dict[int, adherence.AdherenceSummary]:
    """Each patient's adherence over their own (start, end), keyed by patient id.

    Patients sharing a window share its 4 queries, so a list costs 4 queries a distinct window.
    """
    groups: dict[tuple[dt.date, dt.date], list[Patient]] = defaultdict(list)
    for patient in patients:
        groups[windows[patient.pk]].append(patient)
    result: dict[int, adherence.AdherenceSummary] = {}
    for (start, end), group in groups.items():
        result.update(adherence_for_patients(group, start, end))
    return result


# For other readers of brace logs (exports, FHIR): the target in force on each log's day.
brace_target_subquery = _brace_target_subquery
