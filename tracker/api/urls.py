"""The REST API (docs/api.md). One module per area; add its paths here."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from tracker.api import docs, exports, me, patients

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.ApiDocs.as_view(), name="docs"),
    path("me/", me.Me.as_view(), name="me"),
    path("patients/", patients.PatientList.as_view(), name="patient_list"),
    path("patients/<int:patient_id>/", patients.PatientRecord.as_view(), name="patient_record"),
    path("exports/<str:dataset>/", exports.ExportDownload.as_view(), name="export"),
]
