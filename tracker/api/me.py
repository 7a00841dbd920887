"""The signed-in patient's own record: read it, and choose their time zone."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.access import own_patient_record
from tracker.api.common import IsPatient, errors
from tracker.api.patients import PatientRecordSerializer
from tracker.models.people import time_zone_choices
from tracker.services.people import patient_time_zone_set


class MeUpdateSerializer(serializers.Serializer):
    """What a patient may change about their own record. Any other key is ignored."""

    time_zone = serializers.ChoiceField(
        choices=[("", "The clinic's time zone"), *time_zone_choices()],
        allow_blank=True,
        help_text="IANA time zone, e.g. Europe/London; empty for the clinic's.",
    )


class Me(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        tags=["me"],
        responses={200: PatientRecordSerializer, **errors(401, 404)},
        summary="Your own record",
    )
    def get(self, request: Request) -> Response:
        patient = own_patient_record(request.user)
        return Response(PatientRecordSerializer(patient).data)

    @extend_schema(
        tags=["me"],
        request=MeUpdateSerializer,
        responses={200: PatientRecordSerializer, **errors(400, 401, 403, 404)},
        summary="Change your time zone",
        description="Only `time_zone` can be changed; other keys in the body are ignored.",
    )
    def patch(self, request: Request) -> Response:
        patient = own_patient_record(request.user)
        update = MeUpdateSerializer(data=request.data)
        update.is_valid(raise_exception=True)
        patient = patient_time_zone_set(
            patient=patient, time_zone=update.validated_data["time_zone"]
        )
        return Response(PatientRecordSerializer(patient).data)
