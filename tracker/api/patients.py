"""Clinicians' patients: the list (filter by status) and one patient's record.

Trends and the assessment are the sub-resource `/api/patients/{id}/trends/` (tracker/api/trends.py).
See docs/api.md, "Adding an endpoint".
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from tracker.access import audit_clinician_access, get_patient_for, visible_patients
from tracker.api.common import IsClinician, errors
from tracker.models import AuditAction, Patient, User
from tracker.services.audit import audit_patients


class ClinicianSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "name"]

    def get_name(self, user: User) -> str:
        return str(user)


class PatientSummarySerializer(serializers.ModelSerializer):
    """A patient as a row of the clinician's list."""

    first_name = serializers.CharField(source="user.first_name")
    last_name = serializers.CharField(source="user.last_name")
    age_years = serializers.SerializerMethodField(help_text="Age today, in whole years.")
    weeks_of_care = serializers.SerializerMethodField(
        help_text="Whole weeks since conservative care started, counted to the patient's today."
    )
    treating_clinician = ClinicianSerializer()
    invite_pending = serializers.SerializerMethodField(
        help_text="The patient has not yet accepted their invite."
    )

    class Meta:
        model = Patient
        fields = [
            "id",
            "first_name",
            "last_name",
            "date_of_birth",
            "age_years",
            "status",
            "conservative_care_started",
            "weeks_of_care",
            "discharged_on",
            "treating_clinician",
            "invite_pending",
        ]
        read_only_fields = fields

    def get_age_years(self, patient: Patient) -> int:
        return patient.age_on(patient.local_today())

    def get_weeks_of_care(self, patient: Patient) -> int:
        return patient.weeks_of_care(patient.local_today())

    def get_invite_pending(self, patient: Patient) -> bool:
        return not patient.user.is_active


class PatientRecordSerializer(PatientSummarySerializer):
    """One patient's record: what a clinician needs to see them in clinic."""

    clinic = serializers.CharField(source="clinic.name")
    time_zone = serializers.SerializerMethodField(
        help_text="IANA time zone the patient's days are counted in (theirs, or the clinic's)."
    )
    care_team = ClinicianSerializer(many=True)

    class Meta(PatientSummarySerializer.Meta):
        fields = [
            *PatientSummarySerializer.Meta.fields,
            "clinic",
            "diagnosis",
            "spondylolisthesis",
            "slip_grade",
            "diagnosis_notes",
            "sport",
            "enrolled_on",
            "time_zone",
            "care_team",
        ]
        read_only_fields = fields

    def get_time_zone(self, patient: Patient) -> str:
        return patient.time_zone or patient.clinic.time_zone


class PatientListQuery(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=Patient.Status.choices, required=False, help_text="Only patients with this status."
    )


@extend_schema(
    tags=["patients"],
    parameters=[PatientListQuery],
    responses={200: PatientSummarySerializer(many=True), **errors(400, 401, 404)},
    summary="Your patients",
    description="Patients on the signed-in clinician's care teams, ordered by name.",
)
class PatientList(generics.ListAPIView):
    permission_classes = [IsClinician]
    serializer_class = PatientSummarySerializer

    def get_queryset(self) -> QuerySet[Patient]:
        query = PatientListQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        patients = visible_patients(self.request.user).select_related(
            "user", "clinic", "treating_clinician"
        )
        if "status" in query.validated_data:
            patients = patients.filter(status=query.validated_data["status"])
        return patients.order_by("user__last_name", "user__first_name", "pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        # Each patient on the page was read: recorded in one insert (the page is already loaded).
        audit_patients(
            request=request,
            patients=list(self.paginator.page),
            action=AuditAction.VIEW,
            what="api patient list",
        )
        return response


@extend_schema(
    tags=["patients"],
    parameters=[
        OpenApiParameter(
            "patient_id",
            OpenApiTypes.INT,
            OpenApiParameter.PATH,
            description="The patient's id (from the list).",
        ),
    ],
    responses={200: PatientRecordSerializer, **errors(401, 404)},
    summary="One patient's record",
)
class PatientRecord(generics.RetrieveAPIView):
    permission_classes = [IsClinician]
    serializer_class = PatientRecordSerializer

    def get_object(self) -> Patient:
        self.patient = get_patient_for(self.request.user, self.kwargs["patient_id"])
        return self.patient

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        audit_clinician_access(request, self.patient, response)
        return response
