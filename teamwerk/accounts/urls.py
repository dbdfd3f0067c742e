from django.urls import path

from . import views

urlpatterns = [
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("auditlog/", views.audit_log, name="audit_log"),
]
