from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from teamwerk.accounts import services as account_services
from teamwerk.accounts.selectors import invitation_get, invitations_for_user
from teamwerk.accounts.services import invitation_create
from teamwerk.core.versions import ConcurrentChange, with_version

from . import selectors, services
from .forms import (
    InvitationForm,
    NewYearForm,
    OrganisationSettingsForm,
    RoleChangeForm,
    SchoolForm,
    SchoolListForm,
)
from .models import Organisation, School
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


SCHOOL_FIELDS = ("name", "number", "level", "ict_hours_available")

# -- schools -----------------------------------------------------------------------------------


def _school_admin_organisation(request) -> Organisation:
    """The organisation whose schools this user manages (beheerder), or 404."""
    organisation = request.organisation
    allowed = selectors.organisations_for_user(request.user, Action.MANAGE_ORGANISATION)
    if organisation is None or not allowed.filter(pk=organisation.pk).exists():
        raise Http404
    return organisation


def _managed_school(request, pk: int) -> School:
    organisation = _school_admin_organisation(request)
    school = (
        School.objects.for_user(request.user, Action.MANAGE_ORGANISATION)
        .filter(organisation=organisation, pk=pk)
        .first()
    )
    if school is None:
        raise Http404
    return school


@login_required
def schools(request):
    organisation = _school_admin_organisation(request)
    form = SchoolForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in SCHOOL_FIELDS}
        try:
            school = services.school_add(actor=request.user, organisation=organisation, **data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("%(name)s is toegevoegd.") % {"name": school.name})
            return redirect("schools")
    return render(
        request,
        "tenancy/schools.html",
        {
            "organisation": organisation,
            "schools": selectors.schools_of_organisation(organisation),
            "form": form,
            "list_form": SchoolListForm(),
        },
    )


def _form_error(form, error: ValidationError) -> None:
    """A service's error next to its field when it names one, above the form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
@require_POST
def schools_import(request):
    """Several schools at once: the first post checks every row and shows what will be added;
    the confirmation adds them all in one transaction (or none)."""
    organisation = _school_admin_organisation(request)
    form = SchoolListForm(request.POST, request.FILES)
    rows = None
    if form.is_valid():
        rows = form.cleaned_data["rows"]
        parsed = services.schools_parse(organisation, rows)
        if "confirm" in request.POST and not any(row.errors for row in parsed):
            try:
                added = services.schools_add_many(
                    actor=request.user,
                    organisation=organisation,
                    rows=rows,
                    level=form.cleaned_data["level"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s school toegevoegd.", "%(count)s scholen toegevoegd.", len(added)
                    )
                    % {"count": len(added)},
                )
                return redirect("schools")
    else:
        parsed = []
    # The preview carries the rows as text, so the confirmation does not need the file again.
    text = "\n".join(f"{row.name}; {row.number}" for row in parsed)
    return render(
        request,
        "tenancy/schools_preview.html",
        {
            "organisation": organisation,
            "form": form,
            "rows": parsed,
            "ok": bool(parsed) and not any(row.errors for row in parsed),
            "text": text,
            "level": form.cleaned_data.get("level") if form.is_valid() else "",
        },
        status=200 if form.is_valid() else 400,
    )


@login_required
def school_edit(request, pk: int):
    school = _managed_school(request, pk)
    form = SchoolForm(request.POST or None, instance=school, organisation=school.organisation)
    status = 200
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in SCHOOL_FIELDS}
        try:
            services.school_update(
                actor=request.user,
                school=school,
                expected_version=form.cleaned_data.get("version"),
                **fields,
            )
        except ConcurrentChange as change:
            school.refresh_from_db()
            form = SchoolForm(
                with_version(request.POST, school.version),
                instance=school,
                organisation=school.organisation,
            )
            form.is_valid()
            form.add_error(None, change.message)
            status = 409
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("De school is bewaard."))
            return redirect("schools")
    return render(
        request, "tenancy/school_edit.html", {"school": school, "form": form}, status=status
    )


@login_required
@require_POST
def school_archive(request, pk: int):
    school = _managed_school(request, pk)
    try:
        services.school_archive(actor=request.user, school=school)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "%(name)s staat in het archief: niet meer in de schoolkeuze en de overzichten. "
                "Alle gegevens blijven bewaard."
            )
            % {"name": school.name},
        )
    return redirect("schools")


@login_required
@require_POST
def school_restore(request, pk: int):
    school = _managed_school(request, pk)
    services.school_restore(actor=request.user, school=school)
    messages.success(request, _("%(name)s is teruggezet.") % {"name": school.name})
    return redirect("schools")


# -- a new school year -------------------------------------------------------------------------


@login_required
def new_year(request):
    """One guided action: start next school year from this one, per school or for all at
    once, after a preview of what carries over and what to check."""
    organisation = request.organisation
    if organisation is None:
        raise Http404
    schools = selectors.new_year_schools(request.user, organisation)
    if not schools:
        raise Http404
    this_year = selectors.current_school_year(organisation)
    form = NewYearForm(
        request.POST or None, schools=schools, initial={"schools": [s.pk for s in schools]}
    )
    if request.method == "POST" and form.is_valid():
        started = []
        try:
            with transaction.atomic():
                for school in form.cleaned_data["schools"]:
                    services.school_year_start_next(
                        actor=request.user, school=school, from_year=this_year
                    )
                    started.append(school.name)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(
                request,
                _("Schooljaar %(year)s is klaargezet voor %(schools)s.")
                % {
                    "year": f"{this_year.start_year + 1}-{this_year.start_year + 2}",
                    "schools": ", ".join(started),
                },
            )
            return redirect("new_year")
    previews = [selectors.new_year_preview(school, this_year) for school in schools]
    chosen = {s.pk for s in schools}
    if form.is_bound:
        chosen = {int(v) for v in form["schools"].value() or [] if str(v).isdigit()}
    return render(
        request,
        "tenancy/new_year.html",
        {
            "organisation": organisation,
            "this_year": this_year,
            "next_label": f"{this_year.start_year + 1}-{this_year.start_year + 2}",
            "previews": previews,
            "chosen": chosen,
            "form": form,
        },
    )


@login_required
def school_year(request, school_pk: int, start_year: int):
    """A school year of a school, read-only: how it was (earlier years stay readable)."""
    school = selectors.school_get(request.user, school_pk)
    year = school.organisation.school_years.filter(start_year=start_year).first()
    if year is None:
        raise Http404
    years = list(school.organisation.school_years.order_by("-start_year"))
    return render(
        request,
        "tenancy/school_year.html",
        {
            "school": school,
            "year": year,
            "years": years,
            "current": selectors.current_school_year(school.organisation),
            **selectors.school_year_overview(school, year),
        },
    )
