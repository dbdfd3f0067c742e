from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="team_dashboard"),
    path("overzicht/<slug:kind>/", views.dashboard_list, name="team_dashboard_list"),
    path("organisatie/", views.organisation_dashboard, name="team_organisation"),
    path("verdeling/", views.matrix, name="team_matrix"),
    path(
        "verdeling/cel/<int:task_pk>/<int:person_pk>/",
        views.matrix_cell,
        name="team_matrix_cell",
    ),
    path("verdeling/geschiedenis/", views.history, name="team_history"),
    path("taak/<int:pk>/", views.task_detail, name="team_task"),
    path("taak/<int:pk>/trekker/", views.task_set_owner, name="team_task_owner"),
    path("taak/<int:pk>/back-up/", views.task_add_backup, name="team_task_backup"),
    path("toewijzing/<int:pk>/", views.assignment_edit, name="team_assignment"),
    path("toewijzing/<int:pk>/weghalen/", views.assignment_remove, name="team_assignment_remove"),
    path("mensen/", views.people, name="team_people"),
    path("mensen/nieuw/", views.person_create, name="team_person_create"),
    path("mensen/vorig-jaar/", views.people_copy_year, name="team_people_copy_year"),
    path("mensen/importeren/", views.people_import, name="team_import"),
    path(
        "mensen/importeren/bevestigen/",
        views.people_import_confirm,
        name="team_import_confirm",
    ),
    path(
        "mensen/importeren/sjabloon.xlsx",
        views.people_import_template,
        name="team_import_template",
    ),
    path("mensen/<int:pk>/", views.person_detail, name="team_person"),
    path("mensen/<int:pk>/bewerken/", views.person_edit, name="team_person_edit"),
    path("mensen/<int:pk>/uitnodigen/", views.person_invite, name="team_person_invite"),
    path("mensen/<int:pk>/account/", views.person_account, name="team_person_account"),
    path("mensen/<int:pk>/kennis/", views.competences, name="team_competences"),
    path("mijn-taken/", views.my_tasks, name="team_my_tasks"),
    path("mijn-kennis/", views.my_competences, name="team_my_competences"),
    path("afspraken/", views.agreements, name="team_agreements"),
    path("afspraken/nieuw/", views.agreement_create, name="team_agreement_create"),
    path("afspraken/<int:pk>/", views.agreement_edit, name="team_agreement_edit"),
    path("afspraken/<int:pk>/verwijderen/", views.agreement_delete, name="team_agreement_delete"),
]
