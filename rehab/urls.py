from django.urls import path

from rehab import views

app_name = "rehab"

urlpatterns = [
    path("my-programme/", views.my_programme, name="my_programme"),
    path("adherence/", views.adherence_overview, name="adherence_overview"),
    path("patients/<int:patient_id>/", views.patient_rehab, name="patient_rehab"),
    path("patients/<int:patient_id>/programme/", views.programme_edit, name="programme_edit"),
    path("patients/<int:patient_id>/brace/", views.brace_edit, name="brace_edit"),
    path("patients/<int:patient_id>/stage/", views.stage_edit, name="stage_edit"),
    path(
        "patients/<int:patient_id>/brace-sensor/",
        views.brace_sensor_import,
        name="brace_sensor_import",
    ),
    path("library/", views.library, name="library"),
    path("library/add/", views.exercise_add, name="exercise_add"),
    path("library/<int:exercise_id>/", views.exercise_detail, name="exercise_detail"),
    path("library/<int:exercise_id>/edit/", views.exercise_edit, name="exercise_edit"),
    path("library/<int:exercise_id>/archive/", views.exercise_archive, name="exercise_archive"),
    path("library/<int:exercise_id>/image/", views.exercise_image, name="exercise_image"),
]
