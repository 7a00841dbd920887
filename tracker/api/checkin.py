"""The patient's check-ins: create or update a day (`PUT`, idempotent), list them, read one.

The body is checked by DRF serializers (tracker/api/checkin_serializers.py): the diary's
answers, and under `sections` the brace hours and exercise answers the day asks for
(`day_questions`, as on the page). What does not fit together is the same pure rule as the
page's (`answer_problems`, same words); the day window is the service's to check. Writes go
through `entry_record`, with plain values, like the page.
"""

import dataclasses
import datetime as dt
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rehab.models import BraceLog, ExerciseLog
from tracker.access import own_patient_record
from tracker.api.checkin_serializers import (
    CheckinConflictSerializer,
    CheckinSerializer,
    CheckinWriteSerializer,
)
from tracker.api.common import IsPatient, errors
from tracker.models import DiaryEntry, Patient
from tracker.rules.checkin import day_version, version_parts
from tracker.selectors.checkin import changes_since
from tracker.services.checkin import (
    CheckinNotAllowed,
    CheckinStale,
    day_questions,
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
