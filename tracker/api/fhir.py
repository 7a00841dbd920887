"""One patient's record as a FHIR R4 Bundle (type collection), for their care team."""

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from tracker.access import get_patient_for
from tracker.api.common import IsClinician, errors
from tracker.exports.run import FHIR_CONTENT_TYPE, fhir_bundle_response


class FhirJSONRenderer(BaseRenderer):
    """Lets a client ask for `Accept: application/fhir+json`; errors still come as JSON."""

    media_type = FHIR_CONTENT_TYPE
    format = "fhir"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None):
        return JSONRenderer().render(data)


@extend_schema(
    tags=["exports"],
    parameters=[OpenApiParameter("patient_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
    summary="A patient's record as FHIR R4",
    description="A Bundle of type collection: the Patient, an Observation per pain rating "
    "(LOINC 72514-3), per activity pain and per day of brace wear, and a QuestionnaireResponse "
    "(with its score Observation) per submitted questionnaire. Codes: docs/export.md. Recorded "
    "like every export.",
    responses={
        (200, FHIR_CONTENT_TYPE): OpenApiResponse(
            OpenApiTypes.OBJECT, description="The FHIR R4 Bundle."
        ),
        **errors(401, 404),
    },
)
class PatientFhir(APIView):
    permission_classes = [IsClinician]
    renderer_classes = [JSONRenderer, FhirJSONRenderer]

    def get(self, request: Request, patient_id: str) -> HttpResponse:
        patient = get_patient_for(request.user, patient_id)
        return fhir_bundle_response(http_request=request, patient=patient, via="api")
