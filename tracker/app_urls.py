from django.urls import path

from tracker.views import (
    accounts,
    api_tokens,
    checkin,
    dashboard,
    exports,
    family,
    guardian_links,
    outcomes,
    patients,
    push,
    records,
    referral,
    reminders,
    security,
)

app_name = "tracker"

urlpatterns = [
    path("", accounts.home, name="home"),
    path("me/", accounts.patient_home, name="patient_home"),
    path("account/", accounts.account, name="account"),
    path("checkin/", checkin.checkin, name="checkin"),
    path("checkin/saved/<str:day>/", checkin.checkin_saved, name="checkin_saved"),
    path("family/<int:patient_id>/checkin/", checkin.guardian_checkin, name="guardian_checkin"),
    path(
        "family/<int:patient_id>/checkin/saved/<str:day>/",
        checkin.guardian_checkin_saved,
        name="guardian_checkin_saved",
    ),
    path("diary/", checkin.diary_list, name="diary_list"),
    path("diary/<str:day>/", checkin.diary_entry, name="diary_entry"),
    path("invite/<str:token>/", accounts.invite_accept_view, name="invite_accept"),
    path("account/api-tokens/", api_tokens.api_tokens, name="api_tokens"),
    path(
        "account/api-tokens/<int:token_id>/revoke/",
        api_tokens.api_token_revoke_view,
        name="api_token_revoke",
    ),
    path("account/my-data.csv", exports.my_data_download, name="my_data_download"),
    path("account/my-data.zip", exports.my_data_zip, name="my_data_zip"),
    path("export/", exports.export_page, name="export"),
    path("export/columns/", exports.data_dictionary, name="data_dictionary"),
    path(
        "export/columns/<slug:slug>.csv",
        exports.data_dictionary_csv,
        name="data_dictionary_csv",
    ),
    # The clinician's dashboard is their patient list (docs/dashboard.md).
    path("patients/", dashboard.dashboard, name="patient_list"),
    path("export/fhir/", exports.export_fhir, name="export_fhir"),
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
    # Parents and guardians (docs/guardians.md)
    path(
        "patients/<int:patient_id>/guardians/invite/",
        guardian_links.guardian_invite_view,
        name="guardian_invite",
    ),
    path(
        "patients/<int:patient_id>/guardians/<int:link_id>/link/",
        guardian_links.guardian_invite_link,
        name="guardian_invite_link",
    ),
    path(
        "patients/<int:patient_id>/guardians/<int:link_id>/scope/",
        guardian_links.guardian_scope_view,
        name="guardian_scope",
    ),
    path(
        "patients/<int:patient_id>/guardians/<int:link_id>/remove/",
        guardian_links.guardian_remove,
        name="guardian_remove",
    ),
    path(
        "account/guardians/<int:link_id>/<slug:action>/",
        guardian_links.guardian_link_answer,
        name="guardian_link_answer",
    ),
    path("family/", family.family_home, name="family_home"),
    path(
        "family/invite/<str:token>/", family.guardian_invite_accept, name="guardian_invite_accept"
    ),
    path(
        "family/permission/<int:link_id>/withdraw/",
        family.guardian_permission_withdraw,
        name="guardian_permission_withdraw",
    ),
    path("family/<int:patient_id>/plan/", family.family_plan, name="guardian_plan"),
    path("family/<int:patient_id>/adherence/", family.family_adherence, name="guardian_adherence"),
    path(
        "family/<int:patient_id>/questionnaires/",
        family.family_questionnaires,
        name="guardian_questionnaires",
    ),
    path("family/<int:patient_id>/calendar/", family.family_calendar, name="guardian_calendar"),
    path("family/<int:patient_id>/pain/", family.family_pain, name="guardian_pain"),
    # Outcome questionnaires (docs/outcomes.md)
    path("me/questionnaires/", outcomes.questionnaire_list, name="questionnaire_list"),
    path(
        "me/questionnaires/start/<slug:code>/",
        outcomes.questionnaire_start,
        name="questionnaire_start",
    ),
    path(
        "me/questionnaires/<int:response_id>/step/<int:step>/",
        outcomes.questionnaire_step,
        name="questionnaire_step",
    ),
    path(
        "me/questionnaires/<int:response_id>/correct/",
        outcomes.questionnaire_correct,
        name="questionnaire_correct",
    ),
    path(
        "me/questionnaires/<int:response_id>/discard/",
        outcomes.questionnaire_discard,
        name="questionnaire_discard",
    ),
    path("patients/<int:patient_id>/outcomes/", outcomes.patient_outcomes, name="patient_outcomes"),
    path(
        "patients/<int:patient_id>/outcomes/schedule/",
        outcomes.patient_outcome_schedule,
        name="patient_outcome_schedule",
    ),
    path(
        "patients/<int:patient_id>/outcomes/responses/<int:response_id>/",
        outcomes.patient_response,
        name="patient_response",
    ),
    path("patients/<int:patient_id>/imaging/", records.imaging_list, name="imaging_list"),
    path("patients/<int:patient_id>/imaging/add/", records.imaging_add, name="imaging_add"),
    path("patients/<int:patient_id>/notes/", records.note_list, name="note_list"),
    path("account/reminders/", reminders.reminder_settings, name="reminder_settings"),
    path("account/reminders/push/", push.patient_push_subscribe, name="patient_push_subscribe"),
    path(
        "account/reminders/push/off/",
        push.patient_push_unsubscribe,
        name="patient_push_unsubscribe",
    ),
    path("account/notifications/", push.clinician_notifications, name="clinician_notifications"),
    path(
        "account/notifications/push/",
        push.clinician_push_subscribe,
        name="clinician_push_subscribe",
    ),
    path(
        "account/notifications/push/off/",
        push.clinician_push_unsubscribe,
        name="clinician_push_unsubscribe",
    ),
    path("reminders/stop/<str:token>/", reminders.reminders_stop_view, name="reminders_stop"),
    path(
        "family/reminders/stop/<str:token>/",
        reminders.guardian_reminders_stop_view,
        name="guardian_reminders_stop",
    ),
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
    # Dashboard, trends, referral summary, the patient's progress (docs/dashboard.md)
    path("me/progress/", dashboard.my_progress, name="my_progress"),
    path("patients/<int:patient_id>/trends/", dashboard.patient_trends_view, name="patient_trends"),
    path(
        "patients/<int:patient_id>/referral/",
        referral.referral_summary_view,
        name="referral_summary",
    ),
    path(
        "patients/<int:patient_id>/referral.pdf",
        referral.referral_pdf_view,
        name="referral_pdf",
    ),
    path(
        "patients/<int:patient_id>/alerts/<int:alert_id>/acknowledge/",
        dashboard.alert_acknowledge_view,
        name="alert_acknowledge",
    ),
]
