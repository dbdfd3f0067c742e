from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("school/kiezen/", views.switch_school, name="switch_school"),
    path("hulp/", views.help_index, name="help_index"),
    path("hulp/<slug:module>/", views.help_module, name="help_module"),
    path("hulp/<slug:module>/sluiten/", views.help_dismiss, name="help_dismiss"),
]
