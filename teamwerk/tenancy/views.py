from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teamwerk.accounts import services as account_services
from teamwerk.accounts.selectors import invitation_get, invitations_for_user
from teamwerk.accounts.services import invitation_create

from . import selectors, services
from .forms import InvitationForm, OrganisationSettingsForm, RoleChangeForm
from .roles import Action


def _managed_organisation(request):
    """The organisation whose people this user manages, or 404 when they manage none."""
    organisations = selectors.organisations_for_user(request.user)
    organisation = request.organisation
    if organisation is None or not organisations.filter(pk=organisation.pk).exists():
        raise Http404
    if not selectors.user_can(request.user, Action.MANAGE_MEMBERS):
        raise Http404
    return organisation


@login_required
def members(request):
    organisation = _managed_organisation(request)
    form = InvitationForm(
        request.POST or None,
        user=request.user,
        organisation=organisation,
        initial={"role": "teamlid", "school": getattr(request.school, "pk", None)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation_create(
                actor=request.user,
                organisation=organisation,
                school=form.cleaned_data["school"],
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            form.add_error(None, _("Die rol mag je op deze plaats niet toekennen."))
        else:
            messages.success(
                request, _("Uitnodiging verstuurd naar %(email)s.") % form.cleaned_data
            )
            return redirect("members")
    memberships = selectors.memberships_for_user(request.user).filter(organisation=organisation)
    invitations = invitations_for_user(request.user).filter(
        organisation=organisation,
        accepted_at__isnull=True,
        cancelled_at__isnull=True,
        declined_at__isnull=True,
    )
    account_manager = selectors.user_can(
        request.user, Action.MANAGE_ORGANISATION, organisation=organisation
    )
    return render(
        request,
        "tenancy/members.html",
        {
            "account_manager": account_manager,
            "only_here": selectors.users_only_in(organisation) if account_manager else set(),
            "organisation": organisation,
            "memberships": memberships,
            "invitations": invitations,
            "form": form,
            "role_form": RoleChangeForm(user=request.user, organisation=organisation),
        },
    )


@login_required
@require_POST
def membership_role(request, pk: int):
    membership = selectors.membership_get(request.user, pk)
    form = RoleChangeForm(request.POST, user=request.user, organisation=membership.organisation)
    if not form.is_valid():
        messages.error(request, _("Kies een geldige rol."))
        return redirect("members")
    try:
        services.membership_change_role(
            actor=request.user, membership=membership, role=form.cleaned_data["role"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        messages.error(request, _("Die rol mag je niet toekennen."))
    else:
        messages.success(request, _("Rol gewijzigd."))
    return redirect("members")


@login_required
@require_POST
def membership_revoke(request, pk: int):
    membership = selectors.membership_get(request.user, pk)
    try:
        services.membership_revoke(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        messages.error(request, _("Die rol mag je niet intrekken."))
    else:
        messages.success(request, _("Rol ingetrokken."))
    return redirect("members")


@login_required
def organisation_settings(request):
    organisation = request.organisation
    allowed = selectors.organisations_for_user(request.user, Action.MANAGE_ORGANISATION)
    if organisation is None or not allowed.filter(pk=organisation.pk).exists():
        raise Http404
    form = OrganisationSettingsForm(request.POST or None, instance=organisation)
    status = 200
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data if name != "version"}
        organisation.refresh_from_db()
        try:
            services.organisation_update(
                actor=request.user,
                organisation=organisation,
                expected_version=form.cleaned_data["version"],
                **changed,
            )
        except services.StaleSettings as error:
            # Keep the user's input; the next save goes over the version now stored.
            data = request.POST.copy()
            organisation.refresh_from_db()
            data["version"] = organisation.version
            form = OrganisationSettingsForm(data, instance=organisation)
            form.is_valid()
            form.add_error(None, error)
            status = 409
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Instellingen bewaard."))
            return redirect("organisation_settings")
    return render(
        request,
        "tenancy/settings.html",
        {"form": form, "organisation": organisation},
        status=status,
    )


@login_required
@require_POST
def invitation_cancel(request, pk: int):
    invitation = invitation_get(request.user, pk)
    try:
        account_services.invitation_cancel(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        messages.error(request, _("Deze uitnodiging mag je niet intrekken."))
    else:
        messages.success(
            request, _("Uitnodiging voor %(email)s ingetrokken.") % {"email": invitation.email}
        )
    return redirect("members")


@login_required
@require_POST
def invitation_resend(request, pk: int):
    invitation = invitation_get(request.user, pk)
    try:
        account_services.invitation_resend(
            actor=request.user, invitation=invitation, request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        messages.error(request, _("Deze uitnodiging mag je niet opnieuw versturen."))
    else:
        messages.success(
            request,
            _("Uitnodiging opnieuw verstuurd naar %(email)s; de vorige link werkt niet meer.")
            % {"email": invitation.email},
        )
    return redirect("members")


def _member_account(request, pk: int):
    """A user with a role in the organisation the signed-in beheerder manages, or 404."""
    from teamwerk.accounts.models import User

    organisation = request.organisation
    allowed = selectors.organisations_for_user(request.user, Action.MANAGE_ORGANISATION)
    if organisation is None or not allowed.filter(pk=organisation.pk).exists():
        raise Http404
    user = User.objects.filter(pk=pk, memberships__organisation=organisation).first()
    if user is None:
        raise Http404
    return organisation, user


@login_required
@require_POST
def account_mfa_reset(request, pk: int):
    organisation, user = _member_account(request, pk)
    try:
        account_services.user_mfa_reset(actor=request.user, user=user, organisation=organisation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(
            request,
            _(
                "De tweestapsverificatie van %(email)s is gewist. Bij de volgende aanmelding "
                "stelt die persoon ze opnieuw in."
            )
            % {"email": user.email},
        )
    return redirect("members")


@login_required
@require_POST
def account_deactivate(request, pk: int):
    organisation, user = _member_account(request, pk)
    try:
        account_services.user_deactivate(actor=request.user, user=user, organisation=organisation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(
            request,
            _("Het account van %(email)s is afgesloten en overal afgemeld.")
            % {"email": user.email},
        )
    return redirect("members")
