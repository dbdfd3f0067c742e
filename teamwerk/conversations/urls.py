from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="conversations_index"),
    path("gids/", views.guide_page, name="conversations_guide"),
    path("gids/<slug:code>/", views.figure_page, name="conversations_figure"),
    path("sleutelfiguren/", views.key_figures, name="conversations_key_figures"),
    path(
        "sleutelfiguren/<int:pk>/intrekken/",
        views.key_figure_revoke,
        name="conversations_key_figure_revoke",
    ),
    path("nieuw/", views.conversation_create, name="conversations_create"),
    path("<int:pk>/", views.conversation_detail, name="conversations_detail"),
    path("<int:pk>/verslag/", views.conversation_edit, name="conversations_edit"),
    path("<int:pk>/afspraken/", views.agreement_add, name="conversations_agreement_add"),
    path(
        "afspraken/<int:pk>/actie/", views.agreement_action, name="conversations_agreement_action"
    ),
]
