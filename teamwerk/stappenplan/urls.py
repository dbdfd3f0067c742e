from django.urls import path

from . import views

urlpatterns = [
    path("", views.route_current, name="stappenplan"),
    path("groep/", views.group, name="stappenplan_group"),
    path("groep/antwoord/", views.group_answer, name="stappenplan_group_answer"),
    path("<int:school_id>/", views.route_school, name="stappenplan_school"),
    path("<int:school_id>/stap/<int:number>/", views.step_detail, name="stappenplan_step"),
    path("<int:school_id>/antwoord/", views.answer, name="stappenplan_answer"),
    path("<int:school_id>/pdf/", views.route_pdf, name="stappenplan_pdf"),
]
