from django.urls import path

from tracker.views import accounts, api_tokens, exports, patients

app_name = "tracker"

urlpatterns = [
    path("", accounts.home, name="home"),
    path("me/", accounts.patient_home, name="patient_home"),
    path("account/", accounts.account, name="account"),
    path("invite/<str:token>/", accounts.invite_accept_view, name="invite_accept"),
    path("account/api-tokens/", api_tokens.api_tokens, name="api_tokens"),
    path(
        "account/api-tokens/<int:token_id>/revoke/",
        api_tokens.api_token_revoke_view,
        name="api_token_revoke",
    ),
    path("account/my-data.csv", exports.my_data_download, name="my_data_download"),
    path("export/", exports.export_page, name="export"),
    path("patients/", patients.patient_list, name="patient_list"),
    path("patients/add/", patients.patient_add, name="patient_add"),
    path("patients/<int:patient_id>/", patients.patient_detail, name="patient_detail"),
    path("patients/<int:patient_id>/edit/", patients.patient_edit, name="patient_edit"),
    path(
        "patients/<int:patient_id>/discharge/",
        patients.patient_discharge_view,
        name="patient_discharge",
    ),
    path(
        "patients/<int:patient_id>/reactivate/",
        patients.patient_reactivate_view,
        name="patient_reactivate",
    ),
    path("patients/<int:patient_id>/invite/", patients.patient_invite, name="patient_invite"),
]
