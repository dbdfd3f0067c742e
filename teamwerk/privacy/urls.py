from django.urls import path

from . import views

urlpatterns = [
    path("personen/<int:pk>/gegevens.json", views.person_json, name="privacy_person_json"),
    path("personen/<int:pk>/gegevens.pdf", views.person_pdf, name="privacy_person_pdf"),
    path("personen/<int:pk>/wissen/", views.person_erase, name="privacy_person_erase"),
    path("bewaartermijnen/", views.retention, name="privacy_retention"),
    path("verwerkingsregister/", views.register_page, name="privacy_register"),
]
