from django.urls import path

from . import views

urlpatterns = [
    path("", views.school_list, name="actions_list"),
    path("nieuw/", views.create, name="actions_create"),
    path("groep/", views.group_list, name="actions_group"),
    path("groep/nieuw/", views.group_create, name="actions_group_create"),
    path("mijn/", views.mine, name="actions_mine"),
    path("mijn/herinneringen/", views.reminders, name="actions_reminders"),
    path("mijn/agenda/", views.calendar_renew, name="actions_calendar_renew"),
    path("mijn/agenda/intrekken/", views.calendar_revoke, name="actions_calendar_revoke"),
    path("agenda/<str:token>.ics", views.calendar_feed, name="actions_calendar_feed"),
    path("professionalisering/", views.professionalisation, name="actions_professionalisation"),
    path("<int:pk>/", views.detail, name="actions_detail"),
    path("<int:pk>/bewerken/", views.edit, name="actions_edit"),
    path("<int:pk>/voortgang/", views.progress, name="actions_progress"),
    path("<int:pk>/afgerond/", views.mark_done, name="actions_done"),
    path("<int:pk>/verwijderen/", views.delete, name="actions_delete"),
]
