from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="documents_index"),
    path("huisstijl/", views.house_style, name="documents_house_style"),
    path("school/<int:school_id>/instellingen/", views.settings_edit, name="documents_settings"),
    path(
        "school/<int:school_id>/functiebeschrijving/<int:person_id>/",
        views.job_page,
        name="documents_job",
    ),
    path(
        "school/<int:school_id>/functiebeschrijving/<int:person_id>/vastleggen/",
        views.job_record,
        name="documents_job_record",
    ),
    path(
        "school/<int:school_id>/functiebeschrijving/<int:person_id>/<str:fmt>/",
        views.job_file,
        name="documents_job_file",
    ),
    path(
        "school/<int:school_id>/functiebeschrijvingen/<str:fmt>/",
        views.bundle_file,
        name="documents_bundle",
    ),
    path("functiebeschrijvingen/<int:pk>/", views.bundle_status, name="documents_bundle_status"),
    path(
        "functiebeschrijvingen/<int:pk>/voortgang/",
        views.bundle_progress,
        name="documents_bundle_progress",
    ),
    path(
        "functiebeschrijvingen/<int:pk>/downloaden/",
        views.bundle_download,
        name="documents_bundle_download",
    ),
    path(
        "school/<int:school_id>/werkverdelingsplan/vastleggen/",
        views.plan_record,
        name="documents_plan_record",
    ),
    path(
        "school/<int:school_id>/werkverdelingsplan/<str:fmt>/",
        views.plan_file,
        name="documents_plan_file",
    ),
    path(
        "groep/<int:organisation_id>/werkverdelingsplan/<str:fmt>/",
        views.group_plan_file,
        name="documents_group_plan_file",
    ),
    path("vastgelegd/<int:pk>/<str:fmt>/", views.recorded_file, name="documents_recorded_file"),
    path(
        "school/<int:school_id>/vacature/nieuw/",
        views.vacancy_start,
        name="documents_vacancy_start",
    ),
    path("vacature/<int:pk>/", views.vacancy_edit, name="documents_vacancy"),
    path("vacature/<int:pk>/<str:fmt>/", views.vacancy_file, name="documents_vacancy_file"),
]
