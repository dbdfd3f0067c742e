"""Pages of the conversation guide and of a school's conversations. Reads through selectors,
writes through services; objects outside the user's scope answer 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from teamwerk.core.forms import service_errors_to_form
from teamwerk.core.versions import ConcurrentChange, with_version
from teamwerk.core.versions import differences as version_differences

from . import selectors, services
from .content import guide_for
from .forms import AgreementForm, ConversationForm, KeyFigureForm, RecordForm


def _mine(request, guide) -> list[dict]:
    codes = selectors.my_key_figures(request.user, request.organisation)
    return [f for f in (guide.figure(code) for code in codes) if f]


# ------------------------------------------------------------------------------ guide


@login_required
@require_GET
def index(request):
    organisation = request.organisation
    school = request.school
    guide = guide_for(organisation)
    conversations = []
    readable: set[int] = set()
    if school is not None:
        conversations = list(selectors.conversations_for_school(request.user, school)[:50])
        readable = selectors.readable_ids(request.user, conversations)
    rows = [
        {
            "conversation": c,
            "readable": c.pk in readable,
            "figures": guide.figure_names(c.key_figures),
            "questions": c.questions,
        }
        for c in conversations
    ]
    return render(
        request,
        "conversations/index.html",
        {
            "guide": guide,
            "school": school,
            "mine": _mine(request, guide),
            "rows": rows,
            "may_prepare": selectors.may_prepare(request.user, school),
            "may_manage": selectors.may_manage_key_figures(request.user, organisation),
        },
    )


@login_required
@require_GET
def guide_page(request):
    guide = guide_for(request.organisation)
    return render(
        request,
        "conversations/guide.html",
        {"guide": guide, "mine": _mine(request, guide)},
    )


@login_required
@require_GET
def figure_page(request, code: str):
    guide = guide_for(request.organisation)
    figure = guide.figure(code)
    if figure is None:
        raise Http404
    questions = [guide.question(q) for q in figure["questions"]]
    return render(
        request,
        "conversations/figure.html",
        {
            "guide": guide,
            "figure": figure,
            "questions": [q for q in questions if q],
            "is_mine": code in selectors.my_key_figures(request.user, request.organisation),
            "may_prepare": selectors.may_prepare(request.user, request.school),
        },
    )


# ------------------------------------------------------------------------ key figures


@login_required
def key_figures(request):
    organisation = request.organisation
    if not selectors.may_manage_key_figures(request.user, organisation):
        raise PermissionDenied
    guide = guide_for(organisation)
    candidates = selectors.key_figure_candidates(request.user, organisation)
    form = KeyFigureForm(
        request.POST if request.method == "POST" else None, candidates=candidates, guide=guide
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.key_figure_grant(
                actor=request.user,
                organisation=organisation,
                user=form.cleaned_data["user"],
                figure=form.cleaned_data["figure"],
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("De sleutelfiguur is toegekend."))
            return redirect("conversations_key_figures")
    holders: dict[int, dict] = {}
    for role in selectors.key_figure_roles(request.user, organisation):
        entry = holders.setdefault(role.user_id, {"user": role.user, "roles": []})
        figure = guide.figure(role.figure)
        entry["roles"].append((role, figure["name"] if figure else role.figure))
    return render(
        request,
        "conversations/key_figures.html",
        {"form": form, "holders": list(holders.values()), "organisation": organisation},
    )


@login_required
@require_POST
def key_figure_revoke(request, pk: int):
    organisation = request.organisation
    if not selectors.may_manage_key_figures(request.user, organisation):
        raise Http404
    role = selectors.key_figure_role_get(request.user, organisation, pk)
    services.key_figure_revoke(actor=request.user, role=role)
    messages.success(request, _("De sleutelfiguur is ingetrokken."))
    return redirect("conversations_key_figures")


# ---------------------------------------------------------------------- conversations


@login_required
def conversation_create(request):
    school = request.school
    if school is None:
        raise Http404
    if not selectors.may_prepare(request.user, school):
        raise PermissionDenied
    guide = guide_for(school.organisation)
    people = selectors.participant_choices(request.user, school)
    initial = {
        "held_on": selectors.today(),
        "key_figures": [c for c in request.GET.getlist("figuur") if guide.figure(c)],
        "questions": [c for c in request.GET.getlist("vraag") if guide.question(c)],
    }
    form = ConversationForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        guide=guide,
        people=people,
    )
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.conversation_prepare(
                actor=request.user, school=school, **form.cleaned_data
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("Het gesprek is voorbereid."))
            return redirect("conversations_detail", conversation.pk)
    return render(
        request,
        "conversations/form.html",
        {"form": form, "school": school, "guide": guide, "creating": True},
    )


@login_required
@require_GET
def conversation_detail(request, pk: int):
    conversation = selectors.conversation_get(request.user, pk)
    guide = guide_for(conversation.organisation)
    record = selectors.conversation_record(request.user, conversation)
    may_edit = record is not None and selectors.may_edit_record(request.user, conversation)
    agreements = []
    if record is not None:
        actions = selectors.actions_by_id(request.user, [a.action_id for a in record.agreements])
        for agreement in record.agreements:
            action = actions.get(agreement.action_id)
            agreements.append(
                {
                    "agreement": agreement,
                    "action": action,
                    "action_url": reverse("actions_detail", args=[action.pk]) if action else "",
                }
            )
    agreement_form = None
    if may_edit:
        agreement_form = AgreementForm(
            people=selectors.participant_choices(request.user, conversation.school)
        )
    return render(
        request,
        "conversations/detail.html",
        {
            "conversation": conversation,
            "guide": guide,
            "figures": guide.figure_names(conversation.key_figures),
            "questions": [q for q in map(guide.question, conversation.questions) if q],
            "topics": guide.topic_titles(conversation.topics),
            "record": record,
            "agreements": agreements,
            "agreement_count": conversation.agreements.count(),
            "may_edit": may_edit,
            "agreement_form": agreement_form,
        },
    )


@login_required
def conversation_edit(request, pk: int):
    conversation = selectors.conversation_get(request.user, pk)
    if not selectors.may_edit_record(request.user, conversation):
        raise PermissionDenied
    record = selectors.conversation_record(request.user, conversation)
    guide = guide_for(conversation.organisation)
    people = selectors.participant_choices(request.user, conversation.school)
    initial = {
        "subject": conversation.subject,
        "held_on": conversation.held_on,
        "key_figures": conversation.key_figures,
        "questions": conversation.questions,
        "topics": conversation.topics,
        "participants": [p.pk for p in record.participants],
        "preparation": record.preparation,
        "notes": record.notes,
        "recorded": True,
        "version": conversation.version,
    }
    form = RecordForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        guide=guide,
        people=people,
    )
    conflict = None
    differences = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.conversation_update(
                actor=request.user, conversation=conversation, expected_version=version, **data
            )
        except ConcurrentChange as change:
            # Keep the user's input, now on the stored version, and show what differs.
            current = change.current
            conflict = change
            stored = {
                "subject": current.subject,
                "held_on": current.held_on,
                "key_figures": current.key_figures,
                "questions": current.questions,
                "topics": current.topics,
                "preparation": current.preparation,
                "notes": current.notes,
            }
            form = RecordForm(
                with_version(request.POST, current.version), guide=guide, people=people
            )
            form.is_valid()
            differences = version_differences(form, stored)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("Het verslag is bewaard."))
            return redirect("conversations_detail", conversation.pk)
    return render(
        request,
        "conversations/form.html",
        {
            "form": form,
            "school": conversation.school,
            "guide": guide,
            "conversation": conversation,
            "creating": False,
            "conflict": conflict,
            "differences": differences,
        },
    )


@login_required
@require_POST
def agreement_add(request, pk: int):
    conversation = selectors.conversation_get(request.user, pk)
    if not selectors.may_edit_record(request.user, conversation):
        raise PermissionDenied
    form = AgreementForm(
        request.POST, people=selectors.participant_choices(request.user, conversation.school)
    )
    if form.is_valid():
        try:
            services.agreement_add(
                actor=request.user, conversation=conversation, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("De afspraak is toegevoegd."))
    else:
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, " ".join(problems))
    return redirect("conversations_detail", conversation.pk)


@login_required
@require_POST
def agreement_action(request, pk: int):
    agreement = selectors.agreement_get(request.user, pk)
    conversation = agreement.conversation
    if not selectors.may_edit_record(request.user, conversation):
        raise PermissionDenied
    try:
        services.agreement_to_action(actor=request.user, agreement=agreement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De afspraak staat nu als actie in de actielijst."))
    return redirect("conversations_detail", conversation.pk)
