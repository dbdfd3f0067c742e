from django.urls import path

from . import views

urlpatterns = [
    path("", views.catalogue_index, name="catalogue_index"),
    path("rolprofielen/", views.catalogue_profiles, name="catalogue_profiles"),
    path("eigen-taak/", views.catalogue_task_create, name="catalogue_task_create"),
    path("taak/<int:pk>/", views.catalogue_task, name="catalogue_task"),
    path("taak/<int:pk>/bewerken/", views.catalogue_task_edit, name="catalogue_task_edit"),
    path("taak/<int:pk>/verbergen/", views.catalogue_task_hide, name="catalogue_task_hide"),
]
