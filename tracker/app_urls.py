from django.urls import path

from tracker.views import accounts, patients, security

app_name = "tracker"

urlpatterns = [
    path("", accounts.home, name="home"),
    path("me/", accounts.patient_home, name="patient_home"),
    path("account/", accounts.account, name="account"),
    path("invite/<str:token>/", accounts.invite_accept_view, name="invite_accept"),
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
    path("account/security/", security.account_security, name="account_security"),
    path(
        "account/sessions/sign-out-others/",
        security.sessions_sign_out_others,
        name="sessions_sign_out_others",
    ),
    path("account/two-factor/setup/", security.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/verify/", security.two_factor_verify, name="two_factor_verify"),
    path("account/two-factor/recovery/", security.two_factor_recovery, name="two_factor_recovery"),
    path(
        "account/two-factor/recovery/new/",
        security.two_factor_recovery_new,
        name="two_factor_recovery_new",
    ),
    path("account/two-factor/off/", security.two_factor_off, name="two_factor_off"),
    path("audit/", security.audit_log, name="audit_log"),
]
