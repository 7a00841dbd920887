"""The REST API (docs/api.md). One module per area; add its paths here."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from tracker.api import checkin, common, docs, exports, fhir, me, patients, programme, trends

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.ApiDocs.as_view(), name="docs"),
    path("me/", me.Me.as_view(), name="me"),
    path("me/checkins/", checkin.CheckinList.as_view(), name="checkin_list"),
    path("me/checkins/<str:day>/", checkin.CheckinDay.as_view(), name="checkin_day"),
    path("me/programme/", programme.Programme.as_view(), name="programme"),
    path("patients/", patients.PatientList.as_view(), name="patient_list"),
    # `str`, not `int`: a malformed id reaches the view and gets the API's JSON 404, not an HTML
    # page (the access rule treats it as any other id it cannot find).
    path("patients/<str:patient_id>/", patients.PatientRecord.as_view(), name="patient_record"),
    path(
        "patients/<str:patient_id>/trends/", trends.PatientTrends.as_view(), name="patient_trends"
    ),
    path("patients/<str:patient_id>/fhir/", fhir.PatientFhir.as_view(), name="patient_fhir"),
    path("exports/<str:dataset>/", exports.ExportDownload.as_view(), name="export"),
    re_path(r"^.*$", common.not_found, name="not_found"),
]
