"""The check-in API's bodies: what a patient may send for a day (`CheckinWriteSerializer`, with
the brace hours and exercise answers under `sections`), what a stored day reads as
(`CheckinSerializer`) and the 412 answer to a stale save (`CheckinConflictSerializer`). The views
are in tracker/api/checkin.py."""

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from rehab.services import ExerciseAnswer
from tracker.api.fields import BlankAsNullChoiceField
from tracker.models import Activity, DiaryEntry, Medicine, PainReach, Side
from tracker.models.checkin import MAX_DOSES, NOTE_MAX_LENGTH, PAIN_MAX, PAIN_MIN
from tracker.rules.checkin import (
    DOSES_WITHOUT_WHICH,
    HOURS_ERRORS,
    MAX_SETS_DONE,
    PAIN_ERROR,
    answer_problems,
    count_error,
    exercise_done_missing,
    shown_items_problem,
)
from tracker.services.checkin import BRACE_KEY, EXERCISES_KEY, DayQuestions, DiaryAnswers


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
    leg_numbness = serializers.BooleanField(required=False, default=False, allow_null=True)
    leg_weakness = serializers.BooleanField(required=False, default=False, allow_null=True)
    night_pain = serializers.BooleanField(required=False, default=False, allow_null=True)
    # null is "not answered" (issue 14), as on the page; left out, the default is kept.
    medicine = BlankAsNullChoiceField(
        choices=Medicine.choices, required=False, default=Medicine.NONE
    )
    medicine_doses = serializers.IntegerField(
        min_value=0, max_value=MAX_DOSES, required=False, default=0
    )
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, required=False, default="", allow_blank=True
    )
    note_private = serializers.BooleanField(
        required=False,
        help_text="Keep the note private from the young person's parents or guardians (only "
        "they and the care team see it). Left out: the day's stored choice, or private for a new "
        "day. Ignored when a guardian saves (a guardian's note is shared).",
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
            brace = BraceAnswerSerializer(data=value.get(BRACE_KEY) or {})
            if brace.is_valid():
                found["brace_hours"] = brace.validated_data["hours"]
            else:
                problems[BRACE_KEY] = brace.errors
        if questions.due:
            exercises = ExerciseAnswersSerializer(
                data=value.get(EXERCISES_KEY) or {}, context={"due": questions.due}
            )
            if exercises.is_valid():
                found["exercises"] = exercises.answers()
            else:
                problems[EXERCISES_KEY] = exercises.errors
        if problems:
            raise serializers.ValidationError(problems)
        return found

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        problems = answer_problems(
            pain_now=attrs["pain_now"],
            pain_worst=attrs["pain_worst"],
            medicine_taken=None if not attrs["medicine"] else attrs["medicine"] != Medicine.NONE,
            medicine_doses=attrs["medicine_doses"],
        )
        if not attrs["medicine"] and attrs["medicine_doses"] and "medicine" not in problems:
            problems["medicine"] = DOSES_WITHOUT_WHICH
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
            note_private=data.get("note_private"),
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
    # Null when the patient left it alone on the page (not answered, issue 14); like the three
    # leg symptoms (nullable in the model).
    medicine = BlankAsNullChoiceField(choices=Medicine.choices, read_only=True)
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
            "note_private",
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
