"""Pages of the evaluation. Reads through selectors, writes through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from teamwerk.core.forms import service_errors_to_form
from teamwerk.core.http import no_store
from teamwerk.core.i18n import current_language
from teamwerk.core.sensitive import mark_sensitive
from teamwerk.tenancy.selectors import has_group_view

from . import selectors, services
from .charts import Series, trend_chart
from .content import default_content
from .forms import ActionFromResultForm, CustomQuestionForm, ReopenForm, RoundForm
from .models import MIN_ANSWERS, CustomQuestion, QuestionKind


def _group_request(request) -> bool:
    return request.GET.get("groep") == "1" and request.organisation is not None


@login_required
@require_GET
def index(request):
    school = request.school
    organisation = request.organisation
    if school is None and organisation is None:
        raise Http404
    group = _group_request(request) or school is None
    target_school = None if group else school
    rounds = selectors.rounds_for_user(
        request.user, school=target_school, organisation=organisation
    )
    manage = services.may_manage(request.user, organisation=organisation, school=target_school)
    rows = [
        {
            "round": r,
            "manage": selectors.may_manage_round(request.user, r),
            "results": selectors.may_see_results(request.user, r),
        }
        for r in rounds
    ]
    return render(
        request,
        "evaluation/index.html",
        {
            "school": target_school,
            "organisation": organisation,
            "group": group,
            "rows": rows,
            "manage": manage,
            "may_group": has_group_view(request.user, organisation)
            and services.may_manage(request.user, organisation=organisation),
            "mine": selectors.home_rounds(request.user, school),
            "min_answers": MIN_ANSWERS,
        },
    )


@login_required
def round_create(request):
    organisation = request.organisation
    group = _group_request(request) or request.school is None
    school = None if group else request.school
    if organisation is None or not services.may_manage(
        request.user, organisation=organisation, school=school
    ):
        raise PermissionDenied
    people = selectors.people_choices(request.user, school=school, organisation=organisation)
    form = RoundForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            new_round, _tokens = services.round_create(
                user=request.user,
                organisation=organisation,
                school=school,
                title=form.cleaned_data["title"],
                set_key=form.cleaned_data["set_key"],
                closes_on=form.cleaned_data["closes_on"],
                people=form.chosen_people(),
                request=request,
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            reach = selectors.how_people_were_asked(new_round)
            messages.success(
                request,
                _(
                    "De ronde is geopend: %(mailed)s mensen kregen hun persoonlijke link per "
                    "e-mail, %(home)s zonder e-mailadres zien de ronde op hun startpagina."
                )
                % reach,
            )
            if reach["unreachable"]:
                messages.warning(
                    request,
                    _(
                        "%(unreachable)s gevraagde mensen hebben geen e-mailadres en geen "
                        "account, dus geen link. Vul hun e-mailadres in op hun persoonspagina: "
                        "de herinnering voor de ronde sluit, stuurt hun dan een link."
                    )
                    % reach,
                )
            return redirect("evaluation_round", pk=new_round.pk)
    lang = current_language()
    return render(
        request,
        "evaluation/round_form.html",
        {
            "form": form,
            "school": school,
            "organisation": organisation,
            "sets": [
                (spec, spec.name.get(lang), spec.description.get(lang))
                for spec in default_content().sets.values()
            ],
        },
    )


@login_required
@require_GET
def round_detail(request, pk: int):
    round_ = selectors.round_get(request.user, pk)
    answers, asked = selectors.counts(round_)
    mine = selectors.my_participation(request.user, round_)
    lang = current_language()
    return render(
        request,
        "evaluation/round.html",
        {
            "round": round_,
            "answers": answers,
            "asked": asked,
            "manage": selectors.may_manage_round(request.user, round_),
            "results": selectors.may_see_results(request.user, round_),
            "mine": mine,
            "is_open": round_.is_open(),
            "questions": [
                (q, q.text(lang), selectors.topic_name(q.topic, lang) or _("Eigen vraag"))
                for q in round_.questions.all()
            ],
            "reopen_form": ReopenForm(),
            "may_reopen": round_.may_reopen(),
            "min_answers": MIN_ANSWERS,
        },
    )


@login_required
@require_POST
def round_status(request, pk: int):
    round_ = selectors.round_get(request.user, pk)
    if not selectors.may_manage_round(request.user, round_):
        raise PermissionDenied
    if request.POST.get("to") == "open":
        form = ReopenForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("Kies een nieuwe sluitingsdatum."))
            services.round_reopen(
                user=request.user, round_=round_, closes_on=form.cleaned_data["closes_on"]
            )
            messages.success(request, _("De ronde is opnieuw open."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        services.round_close(user=request.user, round_=round_)
        messages.success(request, _("De ronde is afgesloten."))
    return redirect("evaluation_round", pk=round_.pk)


@login_required
@require_POST
def answer_start(request, pk: int):
    """From the home page or the round page: a fresh personal link for who has not answered."""
    round_ = selectors.round_get(request.user, pk)
    mine = selectors.my_participation(request.user, round_)
    if mine is None:
        raise PermissionDenied
    if not round_.is_open():
        messages.error(request, _("Deze ronde is afgesloten; antwoorden kan niet meer."))
        return redirect("evaluation_round", pk=round_.pk)
    try:
        token = services.participation_new_link(user=request.user, participation=mine)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect("evaluation_round", pk=round_.pk)
    return redirect(services.answer_path(token))


@no_store
def answer(request, token: str):
    """The personal link: whoever holds it answers for that participation (no sign-in
    needed: not every team member has an account). The page never names the person."""
    participation = services.participation_for_token(token)
    if participation is None:
        return render(request, "evaluation/link_gone.html", status=404)
    mark_sensitive()
    round_ = participation.round
    questions = list(round_.questions.all())
    errors: dict = {}
    values = services.stored_answers(token, round_)
    if request.method == "POST":
        data = {q.code: request.POST.get(q.code, "") for q in questions}
        try:
            replaced = services.response_submit(token=token, data=data)
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {}
            if not errors:
                messages.error(request, " ".join(error.messages))
            values = data
        else:
            messages.success(
                request,
                _("Je gewijzigde antwoord is bewaard.")
                if replaced
                else _("Dank je! Je antwoord is anoniem bewaard."),
            )
            return redirect(services.answer_path(token))
    lang = current_language()
    return render(
        request,
        "evaluation/answer.html",
        {
            "round": round_,
            "is_open": round_.is_open(),
            "answered": bool(services.stored_answers(token, round_)),
            "questions": [
                {
                    "q": q,
                    "text": q.text(lang),
                    "value": values.get(q.code, ""),
                    "error": " ".join(errors.get(q.code, [])),
                    "scale": q.kind == QuestionKind.SCALE,
                }
                for q in questions
            ],
            "scale": [
                (1, _("helemaal niet akkoord")),
                (2, _("niet akkoord")),
                (3, _("neutraal")),
                (4, _("akkoord")),
                (5, _("helemaal akkoord")),
            ],
            "min_answers": MIN_ANSWERS,
        },
        status=422 if errors else 200,
    )


def _trend(results) -> list[dict]:
    """Per scale question with a result: its text and a chart of its mean in every round."""
    if not results.history:
        return []
    series = [
        Series(formats.date_format(r.ended_on, "M Y"), means) for r, means in results.history
    ] + [
        Series(
            formats.date_format(results.round.ended_on, "M Y"),
            {q.question.code: q.mean for q in results.questions if q.mean is not None},
        )
    ]
    rows = []
    for index, q in enumerate(results.questions):
        if q.question.kind != QuestionKind.SCALE or not q.shown:
            continue
        described = "; ".join(
            f"{s.label}: {s.means[q.question.code]}"
            if q.question.code in s.means
            else f"{s.label}: –"
            for s in series
        )
        rows.append(
            {
                "text": q.text,
                "dropped": q.dropped,
                "svg": trend_chart(
                    f"evaluation-trend-{index}",
                    _("Gemiddelde per ronde: %(question)s") % {"question": q.text},
                    described,
                    q.question.code,
                    series,
                    dropped=q.dropped,
                ),
            }
        )
    return rows


@login_required
@require_GET
def results(request, pk: int):
    round_ = selectors.round_get(request.user, pk)
    if not selectors.may_see_results(request.user, round_):
        raise PermissionDenied
    data = selectors.round_results(request.user, round_)
    lang = current_language()
    manage = selectors.may_manage_round(request.user, round_)
    topics: list[tuple[str, list]] = []
    for item in data.questions:
        name = selectors.topic_name(item.topic, lang) or _("Eigen vragen")
        if not topics or topics[-1][0] != name:
            topics.append((name, []))
        topics[-1][1].append(item)
    return render(
        request,
        "evaluation/results.html",
        {
            "round": round_,
            "data": data,
            "topics": topics,
            "trend": _trend(data) if data.shown else [],
            "manage": manage,
            "action_form": ActionFromResultForm(questions=list(round_.questions.all()))
            if manage and data.shown
            else None,
            "min_answers": MIN_ANSWERS,
        },
    )


@login_required
@require_POST
def make_action(request, pk: int):
    round_ = selectors.round_get(request.user, pk)
    if not selectors.may_manage_round(request.user, round_):
        raise PermissionDenied
    form = ActionFromResultForm(request.POST, questions=list(round_.questions.all()))
    if not form.is_valid():
        messages.error(request, _("Geef de actie een naam."))
        return redirect("evaluation_results", pk=round_.pk)
    question = form.questions_by_code.get(form.cleaned_data["question"])
    try:
        services.action_from_result(
            user=request.user,
            round_=round_,
            title=form.cleaned_data["title"],
            question=question,
            due=form.cleaned_data["due"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De actie staat in de actielijst van de school."))
    return redirect(reverse("evaluation_results", kwargs={"pk": round_.pk}) + "#acties")


@login_required
def questions(request):
    organisation = request.organisation
    school = request.school
    if school is None:
        raise Http404
    if not services.may_manage(request.user, organisation=organisation, school=school):
        raise PermissionDenied
    form = CustomQuestionForm(request.POST if request.POST.get("do") == "add" else None)
    if request.method == "POST":
        do = request.POST.get("do")
        try:
            if do == "add":
                if form.is_valid():
                    services.custom_question_add(
                        user=request.user,
                        organisation=organisation,
                        school=school,
                        **form.cleaned_data,
                    )
                    messages.success(request, _("De vraag is toegevoegd."))
                    return redirect("evaluation_questions")
            elif do in ("hide", "show"):
                services.question_hide(
                    user=request.user,
                    organisation=organisation,
                    school=school,
                    code=request.POST.get("code", ""),
                    hidden=do == "hide",
                )
                return redirect("evaluation_questions")
            elif do in ("own_off", "own_on"):
                try:
                    own = CustomQuestion.objects.for_user(request.user).get(
                        pk=request.POST.get("id"), school=school
                    )
                except (CustomQuestion.DoesNotExist, ValueError, TypeError):
                    raise Http404 from None
                services.custom_question_toggle(
                    user=request.user, question=own, active=do == "own_on"
                )
                return redirect("evaluation_questions")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    lang = current_language()
    content = default_content()
    current = selectors.question_settings(organisation=organisation, school=school)
    hidden = set(current.hidden_codes) if current else set()
    topics = []
    for topic in content.topics.values():
        items = [
            (q, q.text.get(lang), q.code in hidden)
            for q in content.questions.values()
            if q.topic == topic.code
        ]
        if items:
            topics.append((topic.name.get(lang), topic.step, items))
    return render(
        request,
        "evaluation/questions.html",
        {
            "school": school,
            "topics": topics,
            "own": list(current.custom_questions.all()) if current else [],
            "form": form,
            "version": current.version if current else 0,
            "content_version": content.version,
        },
    )
