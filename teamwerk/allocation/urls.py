from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="allocation_home"),
    path("voorstel/", views.start, name="allocation_start"),
    path("wat-als/", views.whatif, name="allocation_whatif"),
    path("<int:pk>/", views.run_detail, name="allocation_run"),
    path("<int:pk>/voortgang/", views.run_progress, name="allocation_progress"),
    path("<int:pk>/aanvaarden/", views.accept, name="allocation_accept"),
    path("<int:pk>/opnieuw/", views.restart, name="allocation_restart"),
]
