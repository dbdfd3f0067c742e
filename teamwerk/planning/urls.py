from django.urls import path

from . import views

urlpatterns = [
    path("", views.plan_index, name="plan_index"),
    path("alle/", views.plan_list, name="plan_list"),
    path("starten/", views.plan_start, name="plan_start"),
    path("groep/", views.plan_group_overview, name="plan_group_overview"),
    path("groep/taak/<int:task_pk>/", views.plan_group_decide, name="plan_group_decide"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/taak/<int:item_pk>/", views.plan_item_update, name="plan_item_update"),
    path("<int:pk>/in-een-keer/", views.plan_bulk_update, name="plan_bulk_update"),
    path("<int:pk>/eigen-taak/", views.plan_custom_task_add, name="plan_custom_task_add"),
    path(
        "<int:pk>/taken-toevoegen/", views.plan_catalogue_tasks_add, name="plan_catalogue_tasks_add"
    ),
    path("<int:pk>/geschiedenis/", views.plan_history, name="plan_history"),
    path("<int:pk>/excel/", views.plan_export, name="plan_export"),
    path("<int:pk>/importeren/", views.plan_import, name="plan_import"),
    path(
        "<int:pk>/importeren/<int:import_pk>/",
        views.plan_import_preview,
        name="plan_import_preview",
    ),
    path(
        "<int:pk>/importeren/<int:import_pk>/bevestigen/",
        views.plan_import_confirm,
        name="plan_import_confirm",
    ),
    path(
        "<int:pk>/importeren/<int:import_pk>/annuleren/",
        views.plan_import_cancel,
        name="plan_import_cancel",
    ),
]
