from django.urls import include, path

urlpatterns = [
    path("", include("teamwerk.core.urls")),
    path("accounts/", include("allauth.account.urls")),
    path("accounts/2fa/", include("allauth.mfa.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("organisatie/", include("teamwerk.tenancy.urls")),
    path("", include("teamwerk.accounts.urls")),
    path("catalogus/", include("teamwerk.catalogue.urls")),
    path("takenoverzicht/", include("teamwerk.planning.urls")),
    path("team/", include("teamwerk.team.urls")),
    path("verdelingsassistent/", include("teamwerk.allocation.urls")),
    path("stappenplan/", include("teamwerk.stappenplan.urls")),
    path("documenten/", include("teamwerk.documents.urls")),
    path("acties/", include("teamwerk.actions.urls")),
    path("evaluatie/", include("teamwerk.evaluation.urls")),
    path("gesprekken/", include("teamwerk.conversations.urls")),
    path("privacy/", include("teamwerk.privacy.urls")),
]

handler403 = "teamwerk.core.views.error_403"
handler404 = "teamwerk.core.views.error_404"
handler500 = "teamwerk.core.views.error_500"
