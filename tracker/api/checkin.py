"""The patient's check-ins: create or update a day (`PUT`, idempotent), list them, read one.

The body is checked by DRF serializers: the diary's answers, and under `sections` the brace hours
and exercise answers the day asks for (`day_questions`, as on the page). What does not fit
together is the same pure rule as the page's (`answer_problems`, same words); the day window is
the service's to check. Writes go through `entry_record`, with plain values, like the page.
"""

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rehab.models import BraceLog, ExerciseLog
from rehab.services import ExerciseAnswer
from tracker.access import own_patient_record
from tracker.api.common import IsPatient, errors
from tracker.api.fields import BlankAsNullChoiceField
from tracker.forms.checkin import BRACE, EXERCISES, DayQuestions, day_questions
from tracker.models import Activity, DiaryEntry, Medicine, PainReach, Patient, Side
from tracker.models.checkin import MAX_DOSES, NOTE_MAX_LENGTH, PAIN_MAX, PAIN_MIN
from tracker.rules.checkin import (
    HOURS_ERRORS,
    MAX_SETS_DONE,
    PAIN_ERROR,
    answer_problems,
    count_error,
    day_version,
    exercise_done_missing,
    shown_items_problem,
    version_parts,
)
from tracker.selectors.checkin import changes_since
from tracker.services.checkin import (
    CheckinNotAllowed,
    CheckinStale,
    DiaryAnswers,
    day_state,
    entry_record,
)

DAY_PARAMETER = OpenApiParameter(
    "day", OpenApiTypes.DATE, OpenApiParameter.PATH, description="The day, YYYY-MM-DD."
)
IF_MATCH_HEADER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="The day's `ETag` as you last read it: the save is refused with 412 if the day "
    "was saved since. Leave it out to replace the day whatever it holds.",
)


def etag_header(*statuses: int) -> OpenApiParameter:
    return OpenApiParameter(
        "ETag",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=list(statuses),
        description="The day's version; send it back as `If-Match` when you save the day.",
    )


class FlatDictField(serializers.DictField):
    """A DictField whose value errors are a flat list of messages, each naming its key, as the
    documented 400 answer has it (DRF nests them in an object by key)."""

    def run_child_validation(self, data: dict[Any, Any]) -> dict[str, Any]:
        try:
            return super().run_child_validation(data)
        except serializers.ValidationError as error:
            problems = [
                f"{str(key)[:40]}: {message}"
                for key, messages in error.detail.items()
                for message in (messages if isinstance(messages, list) else [messages])
            ]
            raise serializers.ValidationError(problems) from None


def pain(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=PAIN_MIN, max_value=PAIN_MAX, **kwargs)


class CheckinWriteSerializer(serializers.Serializer):
    """What a patient may say about a day. Unknown keys are ignored."""

    pain_now = pain(help_text="Back pain right now, 0-10.")
    pain_worst = pain(help_text="Worst back pain today, 0-10; not below pain_now.")
    activities = FlatDictField(
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
    sections = FlatDictField(
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

    def validate_sections(self, value: dict[str, dict[str, Any]]) -> dict[str, Any]:
        """The day's brace hours and exercise answers, each required when the day asks for it."""
        questions: DayQuestions = self.context["questions"]
        problems: dict[str, Any] = {}
        found: dict[str, Any] = {"brace_hours": None, "exercises": None}
        if questions.brace_target is not None:
            brace = BraceAnswerSerializer(data=value.get(BRACE.key) or {})
            if brace.is_valid():
                found["brace_hours"] = brace.validated_data["hours"]
            else:
                problems[BRACE.key] = brace.errors
        if questions.due:
            exercises = ExerciseAnswersSerializer(
                data=value.get(EXERCISES.key) or {}, context={"due": questions.due}
            )
            if exercises.is_valid():
                found["exercises"] = exercises.answers()
            else:
                problems[EXERCISES.key] = exercises.errors
        if problems:
            raise serializers.ValidationError(problems)
        return found

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        problems = answer_problems(
            pain_now=attrs["pain_now"],
            pain_worst=attrs["pain_worst"],
            medicine_taken=attrs["medicine"] != Medicine.NONE,
            medicine_doses=attrs["medicine_doses"],
        )
        if problems:
            raise serializers.ValidationError({k: [v] for k, v in problems.items()})
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


class BraceAnswerSerializer(serializers.Serializer):
    """`sections.brace`: the hours the brace was worn, 0-24 in half hours."""

    hours = serializers.DecimalField(
        max_digits=None,
        decimal_places=None,
        min_value=Decimal("0"),
        max_value=Decimal("24"),
        error_messages={**HOURS_ERRORS, "null": HOURS_ERRORS["required"]},
    )

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict) and data.get("hours") == "":
            data = {**data, "hours": None}  # a blank answer is a missing one, as on the page
        return super().to_internal_value(data)

    def validate_hours(self, value: Decimal) -> Decimal:
        if value % Decimal("0.5"):
            raise serializers.ValidationError(HOURS_ERRORS["step_size"])
        return value


class ExerciseAnswersSerializer(serializers.Serializer):
    """`sections.exercises`: `items` (the day's item ids, comma-separated), then per item
    `done_<id>` ("yes" or "no"), `sets_<id>` and `pain_<id>`; the fields follow the day's
    programme (`context["due"]`)."""

    items = serializers.CharField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in self.context["due"]:
            self.fields[f"done_{item.pk}"] = serializers.ChoiceField(
                choices=["yes", "no"],
                error_messages={
                    "required": exercise_done_missing(item.exercise.name),
                    "null": exercise_done_missing(item.exercise.name),
                },
            )
            sets_error = count_error(0, MAX_SETS_DONE)
            self.fields[f"sets_{item.pk}"] = serializers.IntegerField(
                min_value=0,
                max_value=MAX_SETS_DONE,
                required=False,
                allow_null=True,
                error_messages={
                    "min_value": sets_error,
                    "max_value": sets_error,
                    "invalid": "Enter a whole number.",
                    "max_string_length": sets_error,
                },
            )
            self.fields[f"pain_{item.pk}"] = pain(
                required=False,
                allow_null=True,
                error_messages={
                    "min_value": PAIN_ERROR,
                    "max_value": PAIN_ERROR,
                    "invalid": PAIN_ERROR,
                    "max_string_length": PAIN_ERROR,
                },
            )

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            # A blank number is no answer, as on the page.
            data = {k: None if v == "" else v for k, v in data.items()}
        return super().to_internal_value(data)

    def validate_items(self, value: str) -> str:
        problem = shown_items_problem(shown=value, due=[item.pk for item in self.context["due"]])
        if problem:
            raise serializers.ValidationError(problem)
        return value

    def answers(self) -> tuple[ExerciseAnswer, ...]:
        data = self.validated_data
        return tuple(
            ExerciseAnswer(
                item_id=item.pk,
                done=data[f"done_{item.pk}"] == "yes",
                sets_done=data.get(f"sets_{item.pk}"),
                pain=data.get(f"pain_{item.pk}"),
            )
            for item in self.context["due"]
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


class CheckinConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    changes = serializers.ListField(
        child=serializers.CharField(), help_text="What is different now, in words."
    )
    current = CheckinSerializer(allow_null=True, help_text="The day as stored now; null if none.")
    current_etag = serializers.CharField(help_text="Its ETag, for `If-Match` on the next PUT.")
    sent = serializers.DictField(help_text="The answers you sent (not saved).")


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


@extend_schema(
    tags=["me"],
    parameters=[DAY_PARAMETER],
    summary="Your check-in for a day",
    responses={200: CheckinSerializer, **errors(400, 401, 404)},
)
class CheckinDay(APIView):
    permission_classes = [IsPatient]

    @extend_schema(parameters=[DAY_PARAMETER, etag_header(200)])
    def get(self, request: Request, day: str) -> Response:
        patient = own_patient_record(request.user)
        entry = day_state(patient=patient, day=parse_day(day)).entry
        if entry is None:
            raise NotFound("No check-in for that day.")
        context = section_context(patient, [entry.day])
        return Response(
            CheckinSerializer(entry, context=context).data, headers={"ETag": _etag(entry, context)}
        )

    @extend_schema(
        request=CheckinWriteSerializer,
        parameters=[DAY_PARAMETER, IF_MATCH_HEADER, etag_header(200, 201, 412)],
        responses={
            200: CheckinSerializer,
            201: CheckinSerializer,
            **errors(400, 401, 403, 404),
            412: OpenApiResponse(
                CheckinConflictSerializer,
                description="`If-Match` names a version that is no longer the day's: someone "
                "saved the day since. Nothing was saved; both versions are in the answer.",
            ),
        },
        summary="Check in for a day (create or replace)",
        description="Creates the day's check-in (201) or replaces it (200). Idempotent: the same "
        "body again stores nothing new and answers the same. The day must be within the last "
        "7 days, not before you joined and not in the future (as on the check-in page). Errors "
        "are 400 with messages by field; section errors under `sections.<key>.<field>`. Send "
        "the `ETag` of your last `GET` (or `PUT`) as `If-Match` and a day saved since is refused "
        'with 412 instead of overwritten; `If-Match: "0.…"` from a day with no check-in yet works '
        "too (see docs/api.md). Without `If-Match` the day is replaced as before.",
    )
    def put(self, request: Request, day: str) -> Response:
        patient = own_patient_record(request.user)
        parsed = parse_day(day)
        questions = day_questions(patient=patient, day=parsed)
        body = CheckinWriteSerializer(data=request.data, context={"questions": questions})
        body.is_valid(raise_exception=True)
        sections = body.validated_data["sections"]
        try:
            result = entry_record(
                patient=patient,
                day=parsed,
                answers=body.answers(),
                brace_hours=sections["brace_hours"],
                exercises=sections["exercises"],
                if_version=_if_match(request),
                by=request.user,
            )
        except CheckinStale as error:
            return _conflict(request, patient, parsed, error, body)
        except CheckinNotAllowed as error:
            raise ValidationError({"day": error.messages}) from None
        # The entry as just stored, with its activities: no need to read it back.
        entry = result.entry
        context = section_context(patient, [entry.day])
        return Response(
            CheckinSerializer(entry, context=context).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
            headers={"ETag": _etag(entry, context)},
        )


def _etag(entry: DiaryEntry, context: dict[str, Any]) -> str:
    """The day's version (`day_version`, as the service computes it) as a strong ETag."""
    exercises = [
        (e["item"], e["done"], e["sets_done"], e["pain"])
        for e in context["exercises"].get(entry.day, [])
    ]
    brace = context["brace"].get(entry.day)
    version = day_version(number=entry.version_count, brace_hours=brace, exercises=exercises)
    return f'"{version}"'


def _if_match(request: Request) -> frozenset[str] | None:
    """The versions `If-Match` accepts; None when it is absent or `*` (no precondition). Weak
    tags never match (If-Match compares strongly), so a header of only those always fails."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    tags = [tag.strip() for tag in header.split(",") if tag.strip()]
    if "*" in tags:
        return None
    return frozenset(t[1:-1] for t in tags if len(t) >= 2 and t[0] == t[-1] == '"')


def _conflict(
    request: Request,
    patient: Patient,
    day: dt.date,
    error: CheckinStale,
    body: CheckinWriteSerializer,
) -> Response:
    """412: what is stored now (with its ETag and what changed since the version sent) and what
    was sent, so the client can show both and let the patient choose."""
    entry = error.current.entry
    context = section_context(patient, [day])
    current = None if entry is None else CheckinSerializer(entry, context=context).data
    etag = f'"{error.current.version}"'
    seen = next(filter(None, map(version_parts, _if_match(request) or ())), (0, ""))
    changes = [
        f"{c.what}: {c.before} → {c.after}"
        for c in changes_since(patient=patient, day=day, number=seen[0])
    ]
    if seen[1] != (version_parts(error.current.version) or (0, ""))[1]:
        changes.append("brace hours or exercise answers changed")
    sections = body.validated_data["sections"]
    sent = {
        **body.answers().snapshot(),
        "brace_hours": None if sections["brace_hours"] is None else float(sections["brace_hours"]),
        "exercises": [dataclasses.asdict(a) for a in sections["exercises"] or ()],
    }
    data = {
        "detail": error.message,
        "changes": changes,
        "current": current,
        "current_etag": etag,
        "sent": sent,
    }
    return Response(data, status=status.HTTP_412_PRECONDITION_FAILED, headers={"ETag": etag})


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
