from django.urls import path

from . import views

urlpatterns = [
    path("mensen/", views.members, name="members"),
    path("mensen/<int:pk>/rol/", views.membership_role, name="membership_role"),
    path("mensen/<int:pk>/intrekken/", views.membership_revoke, name="membership_revoke"),
    path("uitnodigingen/<int:pk>/intrekken/", views.invitation_cancel, name="invitation_cancel"),
    path("uitnodigingen/<int:pk>/opnieuw/", views.invitation_resend, name="invitation_resend"),
    path("accounts/<int:pk>/2fa-wissen/", views.account_mfa_reset, name="account_mfa_reset"),
    path("accounts/<int:pk>/afsluiten/", views.account_deactivate, name="account_deactivate"),
    path("instellingen/", views.organisation_settings, name="organisation_settings"),
]
