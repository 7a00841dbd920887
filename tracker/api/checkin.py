"""The patient's check-ins: create or update a day (`PUT`, idempotent), list them, read one.

Writes go through `entry_record` with the same day window as the web form (`day_problem`), and
the check-in sections other apps register (brace hours, exercises) through
`tracker.checkin_sections`: each section's own form is bound to the body's `sections.<key>`
object, passed as form data, exactly as the web page's POST would be. So the API and the page
validate the same way and store the same rows.
"""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rehab.models import BraceLog, ExerciseLog
from tracker.access import own_patient_record
from tracker.api.common import IsPatient, errors
from tracker.api.fields import BlankAsNullChoiceField
from tracker.checkin_sections import CheckinSection, section_forms
from tracker.models import Activity, DiaryEntry, Medicine, PainReach, Patient, Side
from tracker.models.checkin import MAX_DOSES, NOTE_MAX_LENGTH, PAIN_MAX, PAIN_MIN
from tracker.rules.checkin import edit_problem
from tracker.services.checkin import CheckinNotAllowed, DiaryAnswers, entry_record

DAY_PARAMETER = OpenApiParameter(
    "day", OpenApiTypes.DATE, OpenApiParameter.PATH, description="The day, YYYY-MM-DD."
)


def pain(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=PAIN_MIN, max_value=PAIN_MAX, **kwargs)


class CheckinWriteSerializer(serializers.Serializer):
    """What a patient may say about a day. Unknown keys are ignored."""

    pain_now = pain(help_text="Back pain right now, 0-10.")
    pain_worst = pain(help_text="Worst back pain today, 0-10; not below pain_now.")
    activities = serializers.DictField(
        child=pain(),
        required=False,
        default=dict,
        help_text='Activities done today and the pain each caused, e.g. {"walking": 2}. Keys: '
        + ", ".join(Activity.values)
        + ".",
    )
    pain_reach = BlankAsNullChoiceField(choices=PainReach.choices, required=False, default=None)
    pain_side = BlankAsNullChoiceField(choices=Side.choices, required=False, default=None)
    leg_numbness = serializers.BooleanField(required=False, default=False)
    leg_weakness = serializers.BooleanField(required=False, default=False)
    night_pain = serializers.BooleanField(required=False, default=False)
    medicine = serializers.ChoiceField(
        choices=Medicine.choices, required=False, default=Medicine.NONE
    )
    medicine_doses = serializers.IntegerField(
        min_value=0, max_value=MAX_DOSES, required=False, default=0
    )
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, required=False, default="", allow_blank=True
    )
    saddle_numbness = serializers.BooleanField(
        help_text="Warning sign: new numbness around the private parts or bottom. Required."
    )
    bladder_bowel = serializers.BooleanField(
        help_text="Warning sign: new trouble peeing or pooing. Required."
    )
    leg_weakness_worse = serializers.BooleanField(
        help_text="Warning sign: both legs getting weaker. Required."
    )
    sections = serializers.DictField(
        child=serializers.DictField(),
        required=False,
        default=dict,
        help_text="Answers for the day's check-in sections, by key (`GET /api/me/programme/` "
        'lists the keys that apply): `brace`: {"hours": 7.5}; `exercises`: {"items": '
        '"<item ids of the day, comma-separated>", "done_<id>": "yes"|"no", '
        '"sets_<id>": 2, "pain_<id>": 3}. Every section shown that day is required.',
    )

    def validate_activities(self, value: dict[str, int]) -> dict[str, int]:
        unknown = sorted(set(value) - set(Activity.values))
        if unknown:
            raise serializers.ValidationError(
                f"Not activities we know: {', '.join(unknown)}. Use: {', '.join(Activity.values)}."
            )
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        problems: dict[str, list[str]] = {}
        if attrs["pain_worst"] < attrs["pain_now"]:
            problems["pain_worst"] = [
                "Your worst pain today can't be lower than your pain right now."
            ]
        if attrs["medicine"] != Medicine.NONE and not attrs["medicine_doses"]:
            problems["medicine_doses"] = ["How many times did you take it? 1 or more."]
        if attrs["medicine"] == Medicine.NONE and attrs["medicine_doses"]:
            problems["medicine_doses"] = ["You said no medicine: leave this 0, or name one."]
        if problems:
            raise serializers.ValidationError(problems)
        return attrs

    def answers(self) -> DiaryAnswers:
        data = self.validated_data
        return DiaryAnswers(
            pain_now=data["pain_now"],
            pain_worst=data["pain_worst"],
            activities=dict(data["activities"]),
            pain_reach=data["pain_reach"],
            pain_side=data["pain_side"],
            leg_numbness=data["leg_numbness"],
            leg_weakness=data["leg_weakness"],
            night_pain=data["night_pain"],
            medicine=data["medicine"],
            medicine_doses=data["medicine_doses"],
            note=data["note"].strip(),
            saddle_numbness=data["saddle_numbness"],
            bladder_bowel=data["bladder_bowel"],
            leg_weakness_worse=data["leg_weakness_worse"],
        )


class ExerciseAnswerSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="Programme item id.")
    exercise = serializers.CharField()
    done = serializers.BooleanField()
    sets_done = serializers.IntegerField(allow_null=True)
    pain = serializers.IntegerField(allow_null=True)


class CheckinSerializer(serializers.ModelSerializer):
    """A stored check-in, with what the sections stored for the same day."""

    activities = serializers.SerializerMethodField()
    pain_reach = BlankAsNullChoiceField(choices=PainReach.choices, read_only=True)
    pain_side = BlankAsNullChoiceField(choices=Side.choices, read_only=True)
    brace_hours = serializers.SerializerMethodField(
        help_text="Brace hours logged that day; null if none."
    )
    exercises = serializers.SerializerMethodField()

    class Meta:
        model = DiaryEntry
        fields = [
            "day",
            "pain_now",
            "pain_worst",
            "activities",
            "pain_reach",
            "pain_side",
            "leg_numbness",
            "leg_weakness",
            "night_pain",
            "medicine",
            "medicine_doses",
            "note",
            "saddle_numbness",
            "bladder_bowel",
            "leg_weakness_worse",
            "brace_hours",
            "exercises",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "integer"}})
    def get_activities(self, entry: DiaryEntry) -> dict[str, int]:
        return {a.activity: a.pain for a in entry.activities.all()}

    def get_brace_hours(self, entry: DiaryEntry) -> float | None:
        hours = self.context.get("brace", {}).get(entry.day)
        return None if hours is None else float(hours)

    @extend_schema_field(ExerciseAnswerSerializer(many=True))
    def get_exercises(self, entry: DiaryEntry) -> list[dict[str, Any]]:
        return self.context.get("exercises", {}).get(entry.day, [])


def section_context(patient: Patient, days: list[dt.date]) -> dict[str, Any]:
    """What the rehab sections stored on these days, in two queries, for `CheckinSerializer`."""
    brace = dict(
        BraceLog.objects.filter(patient=patient, day__in=days)
        .order_by()
        .values_list("day", "hours")
    )
    exercises: dict[dt.date, list[dict[str, Any]]] = {}
    logs = (
        ExerciseLog.objects.filter(patient=patient, day__in=days)
        .select_related("item__exercise")
        .order_by("day", "item__order", "item_id")
    )
    for log in logs:
        exercises.setdefault(log.day, []).append(
            {
                "item": log.item_id,
                "exercise": log.item.exercise.name,
                "done": log.done,
                "sets_done": log.sets_done,
                "pain": log.pain,
            }
        )
    return {"brace": brace, "exercises": exercises}


def entries(patient: Patient) -> QuerySet[DiaryEntry]:
    return DiaryEntry.objects.filter(patient=patient).prefetch_related("activities")


def parse_day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({"day": ["Use a real day, written YYYY-MM-DD."]}) from None


def _form_value(value: Any) -> Any:
    """A JSON value as a browser would post it (`true` -> "true"; lists stay lists)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return [_form_value(v) for v in value]
    if isinstance(value, dict):
        raise ValidationError({"sections": ["Section answers must be plain values or lists."]})
    return "" if value is None else str(value)


def bound_section_forms(
    patient: Patient, day: dt.date, answers: dict[str, dict[str, Any]]
) -> list[tuple[CheckinSection, forms.Form]]:
    """Each section shown that day, its form bound to the body's answers as form data."""

    def data_for(key: str) -> "_QueryDict":
        return _QueryDict(
            {
                f"{key}-{name}": _form_value(value)
                for name, value in (answers.get(key) or {}).items()
            }
        )

    return section_forms(patient=patient, day=day, data_for=data_for)


class _QueryDict(dict):
    """Form data from a dict: forms read multi-value fields with `getlist`."""

    def getlist(self, key: str, default: Any = None) -> list[Any]:
        value = self.get(key, default if default is not None else [])
        return value if isinstance(value, list) else [value]


def _section_errors(pairs: list[tuple[CheckinSection, forms.Form]]) -> dict[str, Any]:
    found = {}
    for section, form in pairs:
        if not form.is_valid():
            found[section.key] = {
                name: [str(m) for m in messages] for name, messages in form.errors.items()
            }
    return found


@extend_schema(
    tags=["me"],
    parameters=[DAY_PARAMETER],
    summary="Your check-in for a day",
    responses={200: CheckinSerializer, **errors(400, 401, 404)},
)
class CheckinDay(APIView):
    permission_classes = [IsPatient]

    def get(self, request: Request, day: str) -> Response:
        patient = own_patient_record(request.user)
        entry = entries(patient).filter(day=parse_day(day)).first()
        if entry is None:
            raise NotFound("No check-in for that day.")
        context = section_context(patient, [entry.day])
        return Response(CheckinSerializer(entry, context=context).data)

    @extend_schema(
        request=CheckinWriteSerializer,
        responses={
            200: CheckinSerializer,
            201: CheckinSerializer,
            **errors(400, 401, 403, 404),
        },
        summary="Check in for a day (create or replace)",
        description="Creates the day's check-in (201) or replaces it (200). Idempotent: the same "
        "body again stores nothing new and answers the same. The day must be within the last "
        "7 days, not before you joined and not in the future (as on the check-in page). Errors "
        "are 400 with messages by field; section errors under `sections.<key>.<field>`.",
    )
    def put(self, request: Request, day: str) -> Response:
        patient = own_patient_record(request.user)
        parsed = parse_day(day)
        problem = edit_problem(
            day=parsed,
            today=patient.local_today(),
            enrolled_on=patient.enrolled_on,
            is_active=patient.is_active,
        )
        if problem:
            raise ValidationError({"day": [problem]})
        body = CheckinWriteSerializer(data=request.data)
        problems = {} if body.is_valid() else dict(body.errors)
        # Sections are checked even when the body has errors, so one answer lists them all.
        raw = request.data.get("sections") if isinstance(request.data, dict) else None
        answers = body.validated_data["sections"] if not problems else raw
        if not isinstance(answers, dict) or not all(isinstance(v, dict) for v in answers.values()):
            answers = {}
        sections = bound_section_forms(patient, parsed, answers)
        section_problems = _section_errors(sections)
        if section_problems:
            problems["sections"] = section_problems
        if problems:
            raise ValidationError(problems)
        try:
            result = entry_record(
                patient=patient,
                day=parsed,
                answers=body.answers(),
                by=request.user,
                sections=sections,
            )
        except CheckinNotAllowed as error:
            raise ValidationError({"day": error.messages}) from None
        except DjangoValidationError as error:
            raise ValidationError({"sections": error.messages}) from None
        # The entry as just stored, with its activities: no need to read it back.
        entry = result.entry
        context = section_context(patient, [entry.day])
        return Response(
            CheckinSerializer(entry, context=context).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class CheckinQuery(serializers.Serializer):
    date_from = serializers.DateField(required=False, help_text="First day (inclusive).")
    date_to = serializers.DateField(required=False, help_text="Last day (inclusive).")


@extend_schema(
    tags=["me"],
    parameters=[CheckinQuery],
    responses={200: CheckinSerializer(many=True), **errors(400, 401, 404)},
    summary="Your check-ins",
    description="Newest first, paginated.",
)
class CheckinList(generics.ListAPIView):
    permission_classes = [IsPatient]
    serializer_class = CheckinSerializer

    def get_queryset(self) -> QuerySet[DiaryEntry]:
        query = CheckinQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        self.patient = own_patient_record(self.request.user)
        found = entries(self.patient).order_by("-day")
        if "date_from" in query.validated_data:
            found = found.filter(day__gte=query.validated_data["date_from"])
        if "date_to" in query.validated_data:
            found = found.filter(day__lte=query.validated_data["date_to"])
        return found

    def get_serializer(self, *args: Any, **kwargs: Any) -> CheckinSerializer:
        if args and not isinstance(args[0], DiaryEntry):
            page = list(args[0])
            kwargs["context"] = {
                **self.get_serializer_context(),
                **section_context(self.patient, [e.day for e in page]),
            }
            return self.serializer_class(page, *args[1:], **kwargs)
        return super().get_serializer(*args, **kwargs)
