from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from teamwerk.tenancy.roles import Action
from teamwerk.tenancy.selectors import user_can

from . import selectors, services
from .forms import InvitationAcceptForm


def invitation_accept(request, token: str):
    invitation = selectors.open_invitation_by_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation, password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            user.first_name = user.first_name or form.cleaned_data["first_name"]
            user.last_name = user.last_name or form.cleaned_data["last_name"]
            user.save(update_fields=["first_name", "last_name"])
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welkom bij Teamwerk!"))
            return redirect("home")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


@login_required
def audit_log(request):
    if not user_can(request.user, Action.VIEW_AUDIT):
        raise Http404
    events = selectors.audit_events_for_user(request.user)
    kind = request.GET.get("soort", "")
    if kind:
        events = events.filter(kind__startswith=kind)
    page = Paginator(events, 50).get_page(request.GET.get("pagina"))
    return render(request, "accounts/audit_log.html", {"page": page, "kind": kind})
