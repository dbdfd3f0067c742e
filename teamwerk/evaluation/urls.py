from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="evaluation_index"),
    path("nieuw/", views.round_create, name="evaluation_round_create"),
    path("vragen/", views.questions, name="evaluation_questions"),
    path("ronde/<int:pk>/", views.round_detail, name="evaluation_round"),
    path("ronde/<int:pk>/status/", views.round_status, name="evaluation_round_status"),
    path("ronde/<int:pk>/invullen/", views.answer_start, name="evaluation_answer_start"),
    path("ronde/<int:pk>/resultaten/", views.results, name="evaluation_results"),
    path("ronde/<int:pk>/actie/", views.make_action, name="evaluation_make_action"),
    path("antwoord/<str:token>/", views.answer, name="evaluation_answer"),
]
