"""CSV exports for clinicians' integrations: the same datasets and rules as the Export page."""

from typing import Any

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from tracker.access import get_patient_for
from tracker.api.common import IsClinician, errors
from tracker.exports.datasets import DATASETS, clinician_datasets
from tracker.exports.run import ExportRequest, export_response
from tracker.utils.dates import validate_day_in_window


class CSVRenderer(BaseRenderer):
    """Lets a client ask for `Accept: text/csv`; errors are still rendered as JSON text."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None):
        return JSONRenderer().render(data)


class ExportQuery(serializers.Serializer):
    patient = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="One patient's id; leave out for all of your patients.",
    )
    date_from = serializers.DateField(
        required=False, validators=[validate_day_in_window], help_text="First day (inclusive)."
    )
    date_to = serializers.DateField(
        required=False, validators=[validate_day_in_window], help_text="Last day (inclusive)."
    )
    excel = serializers.BooleanField(
        required=False, default=False, help_text="Start with a UTF-8 byte-order mark for Excel."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if (
            attrs.get("date_from")
            and attrs.get("date_to")
            and attrs["date_from"] > attrs["date_to"]
        ):
            raise serializers.ValidationError({"date_to": ["Must be on or after date_from."]})
        return attrs


@extend_schema(
    tags=["exports"],
    summary="Download a CSV dataset",
    description=(
        "Streams a CSV (docs/export.md has every column). Research datasets are pseudonymised. "
        "Every export is recorded."
    ),
    parameters=[
        OpenApiParameter(
            "dataset",
            OpenApiTypes.STR,
            OpenApiParameter.PATH,
            enum=sorted(DATASETS),
            description="Which dataset.",
        ),
        ExportQuery,
    ],
    responses={
        (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="The CSV file."),
        **errors(400, 401, 404),
    },
)
class ExportDownload(APIView):
    permission_classes = [IsClinician]
    throttle_scope = "export"  # a stricter rate limit (tracker/api/throttling.py)
    renderer_classes = [JSONRenderer, CSVRenderer]

    def get(self, request: Request, dataset: str) -> StreamingHttpResponse:
        datasets = {d.slug: d for d in clinician_datasets()}
        if dataset not in datasets:
            raise NotFound("No such dataset.")
        query = ExportQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        patient = get_patient_for(request.user, data["patient"]) if "patient" in data else None
        return export_response(
            http_request=request,
            request=ExportRequest(
                dataset=datasets[dataset],
                patient=patient,
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
                excel=data["excel"],
            ),
            via="api",
        )
