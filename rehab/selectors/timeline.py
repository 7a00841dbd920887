"""The rehab events on a patient's timeline: brace started/changed/stopped, programme changed,
activity stage changed."""

import datetime as dt
from collections.abc import Callable

from rehab.models import ActivityStagePrescription, BracePrescription, ProgrammeVersion
from rehab.selectors.prescribed import brace_prescriptions, programme_versions
from tracker.models import Patient
from tracker.utils.timeline import TimelineEvent

Within = Callable[[dt.date], bool]


def _hours(value) -> str:
    return f"{float(value):g} h/day"


def _programme_events(programmes: list[ProgrammeVersion], within: Within) -> list[TimelineEvent]:
    events = []
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
    return events


def _brace_events(braces: list[BracePrescription], within: Within) -> list[TimelineEvent]:
    events = []
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
    return events


def _stage_events(patient: Patient, within: Within) -> list[TimelineEvent]:
    """In words, as a clinician says it: the first stage is set, each later one a change."""
    events = []
    previous = None
    stages = ActivityStagePrescription.objects.filter(patient=patient).order_by(
        "valid_from", "created_at"
    )
    for stage in stages:
        if not stage.was_in_force:
            continue
        if within(stage.valid_from):
            verb = "set to" if previous is None else "changed to"
            label = f"Activity stage {verb} {stage.get_stage_display().lower()}"
            events.append(TimelineEvent(stage.valid_from, "activity_stage", label, stage.note))
        previous = stage
    return events


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

    def within(day: dt.date) -> bool:
        return start <= day <= end

    events = _programme_events(
        programme_versions(patient) if programmes is None else programmes, within
    )
    events += _brace_events(brace_prescriptions(patient) if braces is None else braces, within)
    events += _stage_events(patient, within)
    return sorted(events, key=lambda e: (e.day, e.kind))
