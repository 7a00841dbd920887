"""The patient's programme for a day: exercises due, brace target, activity stage, and which
check-in sections apply (their keys are what `PUT /api/me/checkins/{day}/` expects)."""

import datetime as dt
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rehab import selectors
from rehab.models import ExerciseLog
from tracker.access import own_patient_record
from tracker.api.common import IsPatient, errors
from tracker.services.checkin import day_questions


class ProgrammeExerciseSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="Programme item id (for the exercises section).")
    name = serializers.CharField()
    purpose = serializers.CharField()
    steps = serializers.ListField(child=serializers.CharField())
    cautions = serializers.ListField(child=serializers.CharField())
    phase = serializers.CharField()
    sets = serializers.IntegerField()
    reps = serializers.IntegerField()
    hold_seconds = serializers.IntegerField()
    sessions_per_week = serializers.IntegerField()
    done = serializers.BooleanField(allow_null=True, help_text="Logged that day; null if not yet.")


class BraceSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="rigid or soft.")
    target_hours = serializers.FloatField(help_text="Hours to wear it that day.")
    weaning = serializers.BooleanField()
    planned_end = serializers.DateField(allow_null=True)
    hours_logged = serializers.FloatField(allow_null=True)


class StageSerializer(serializers.Serializer):
    stage = serializers.CharField(help_text="rest, daily, training, sport or full.")
    label = serializers.CharField()
    advice = serializers.CharField(help_text="What the stage means, in plain words.")
    since = serializers.DateField()


class ProgrammeSerializer(serializers.Serializer):
    day = serializers.DateField()
    exercises = ProgrammeExerciseSerializer(many=True)
    brace = BraceSerializer(allow_null=True, help_text="Null when no brace is due that day.")
    activity_stage = StageSerializer(allow_null=True)
    checkin_sections = serializers.ListField(
        child=serializers.CharField(),
        help_text="Keys of the check-in sections that apply that day (brace, exercises).",
    )


def programme_for(patient, day: dt.date) -> dict[str, Any]:
    items = selectors.programme_items_on(patient, day)
    done = dict(
        ExerciseLog.objects.filter(patient=patient, day=day, item__in=items).values_list(
            "item_id", "done"
        )
    )
    brace = selectors.brace_on(patient, day)
    target = brace.target_on(day) if brace else None
    stage = selectors.stage_on(patient, day)
    hours = patient.brace_logs.filter(day=day).values_list("hours", flat=True).first()
    return {
        "day": day,
        "exercises": [
            {
                "item": item.pk,
                "name": item.exercise.name,
                "purpose": item.exercise.purpose,
                "steps": item.exercise.steps,
                "cautions": item.exercise.caution_lines,
                "phase": item.phase,
                "sets": item.sets,
                "reps": item.reps,
                "hold_seconds": item.hold_seconds,
                "sessions_per_week": item.sessions_per_week,
                "done": done.get(item.pk),
            }
            for item in items
        ],
        "brace": None
        if target is None
        else {
            "kind": brace.kind,
            "target_hours": float(target),
            "weaning": brace.wean_from is not None and day >= brace.wean_from,
            "planned_end": brace.planned_end,
            "hours_logged": None if hours is None else float(hours),
        },
        "activity_stage": None
        if stage is None
        else {
            "stage": stage.stage,
            "label": stage.get_stage_display(),
            "advice": stage.for_patient,
            "since": stage.valid_from,
        },
        "checkin_sections": day_questions(patient=patient, day=day).section_keys,
    }


class ProgrammeQuery(serializers.Serializer):
    day = serializers.DateField(required=False, help_text="Which day; today if left out.")


@extend_schema(
    tags=["me"],
    parameters=[ProgrammeQuery],
    responses={200: ProgrammeSerializer, **errors(400, 401, 404)},
    summary="Your programme for a day",
)
class Programme(APIView):
    permission_classes = [IsPatient]

    def get(self, request: Request) -> Response:
        patient = own_patient_record(request.user)
        query = ProgrammeQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("day") or patient.local_today()
        return Response(ProgrammeSerializer(programme_for(patient, day)).data)
