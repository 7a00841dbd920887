from django.urls import path

from tracker.views import accounts, checkin, patients

app_name = "tracker"

urlpatterns = [
    path("", accounts.home, name="home"),
    path("me/", accounts.patient_home, name="patient_home"),
    path("account/", accounts.account, name="account"),
    path("checkin/", checkin.checkin, name="checkin"),
    path("checkin/saved/<str:day>/", checkin.checkin_saved, name="checkin_saved"),
    path("diary/", checkin.diary_list, name="diary_list"),
    path("diary/<str:day>/", checkin.diary_entry, name="diary_entry"),
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
]
