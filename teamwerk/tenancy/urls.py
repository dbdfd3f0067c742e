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
    path("scholen/", views.schools, name="schools"),
    path("scholen/lijst/", views.schools_import, name="schools_import"),
    path("scholen/<int:pk>/", views.school_edit, name="school_edit"),
    path("scholen/<int:pk>/archiveren/", views.school_archive, name="school_archive"),
    path("scholen/<int:pk>/terugzetten/", views.school_restore, name="school_restore"),
    path("nieuw-schooljaar/", views.new_year, name="new_year"),
    path("schooljaar/<int:school_pk>/<int:start_year>/", views.school_year, name="school_year"),
]
