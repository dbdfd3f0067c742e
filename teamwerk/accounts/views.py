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
from .audit import audit_details, audit_groups, audit_label
from .forms import InvitationAcceptForm
from .models import normalise_email


def invitation_accept(request, token: str):
    """The link in an invitation. A new address chooses a password here; an address that
    already has an account signs in as usual (with its second factor) and then accepts or
    declines: this page never sets an existing account's password."""
    invitation = selectors.open_invitation_by_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    user = request.user if request.user.is_authenticated else None
    context = {"invitation": invitation}
    if request.method == "POST" and "decline" in request.POST:
        try:
            services.invitation_decline(invitation=invitation, user=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.info(request, _("Je hebt de uitnodiging afgewezen."))
        return redirect("home" if user else "account_login")
    if user is not None:
        context["mismatch"] = normalise_email(user.email) != invitation.email
        if request.method == "POST" and "accept" in request.POST:
            try:
                services.invitation_accept(invitation=invitation, user=user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                user.__dict__.pop("_tenancy_memberships", None)
                messages.success(
                    request,
                    _("Je bent nu lid van %(org)s.") % {"org": invitation.organisation.name},
                )
                return redirect("home")
        return render(request, "accounts/invitation_signed_in.html", context)
    if services.account_for_address(invitation.email) is not None:
        return render(request, "accounts/invitation_sign_in_first.html", context)
    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation,
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welkom bij Teamwerk!"))
            return redirect("home")
    return render(request, "accounts/invitation_accept.html", {**context, "form": form})


@login_required
def audit_log(request):
    if not user_can(request.user, Action.VIEW_AUDIT):
        raise Http404
    events = selectors.audit_events_for_user(request.user)
    groups = audit_groups()
    kind = request.GET.get("soort", "")
    if kind in dict(groups):
        events = events.filter(kind__startswith=f"{kind}.")
    else:
        kind = ""
    page = Paginator(events, 50).get_page(request.GET.get("pagina"))
    rows = [
        {"event": event, "label": audit_label(event.kind), "details": audit_details(event.data)}
        for event in page
    ]
    return render(
        request,
        "accounts/audit_log.html",
        {"page": page, "rows": rows, "kind": kind, "groups": groups},
    )
