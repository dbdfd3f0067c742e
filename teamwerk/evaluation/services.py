"""Writes of the evaluation: the school's questions, rounds, personal links and answers.

The anonymity design (what is stored where, and why an answer cannot be traced back) is
described in :mod:`teamwerk.evaluation.models`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from teamwerk.accounts.services import audit_log
from teamwerk.tenancy.models import Membership
from teamwerk.tenancy.roles import Action as Perm
from teamwerk.tenancy.roles import Role
from teamwerk.tenancy.selectors import user_can

from .content import default_content
from .models import (
    ANSWER_SCALE,
    COMMENT_MAX,
    QUESTION_MAX,
    TITLE_MAX,
    Answer,
    CustomQuestion,
    Participation,
    QuestionKind,
    QuestionSettings,
    RespondentGroup,
    Response,
    Round,
    RoundQuestion,
    RoundStatus,
)

LONGEST_ROUND_DAYS = 120


# --------------------------------------------------------------------------- tokens


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def response_key(round_id: int, token: str) -> str:
    """The respondent's answers are found again only through their link's token."""
    message = f"evaluation.response:{round_id}:{token}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def answer_path(token: str) -> str:
    return reverse("evaluation_answer", kwargs={"token": token})


# -------------------------------------------------------------------------- rights


def may_manage(user, *, organisation, school=None) -> bool:
    """Directie or ICT coordinator of the school; organisation-wide for a group round."""
    if school is not None:
        return user_can(user, Perm.EDIT, school=school)
    return user_can(user, Perm.EDIT, organisation=organisation)


def _require_manage(user, *, organisation, school) -> None:
    if user is None:  # the system: the demo seeder
        return
    if not may_manage(user, organisation=organisation, school=school):
        raise PermissionDenied


# ----------------------------------------------------------------------- questions


def settings_for(*, organisation, school) -> QuestionSettings:
    found, _created = QuestionSettings.objects.get_or_create(
        organisation=organisation, school=school
    )
    return found


def question_hide(*, user, organisation, school, code: str, hidden: bool) -> QuestionSettings:
    """Hide a standard question from the school's next rounds, or ask it again."""
    _require_manage(user, organisation=organisation, school=school)
    if code not in default_content().questions:
        raise ValidationError(_("Onbekende vraag."))
    with transaction.atomic():
        current = settings_for(organisation=organisation, school=school)
        current = QuestionSettings.objects.select_for_update().get(pk=current.pk)
        codes = set(current.hidden_codes)
        codes = codes | {code} if hidden else codes - {code}
        current.hidden_codes = sorted(codes)
        current.version += 1
        current.save()
        _audit_questions(user, organisation, school)
        return current


def custom_question_add(*, user, organisation, school, text: str, kind: str) -> CustomQuestion:
    _require_manage(user, organisation=organisation, school=school)
    text = (text or "").strip()
    if not text or len(text) > QUESTION_MAX:
        message = _("Schrijf een vraag van hoogstens %(n)s tekens.") % {"n": QUESTION_MAX}
        raise ValidationError({"text": message})
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": _("Onbekende soort vraag.")})
    with transaction.atomic():
        current = settings_for(organisation=organisation, school=school)
        current = QuestionSettings.objects.select_for_update().get(pk=current.pk)
        question = CustomQuestion.objects.create(
            organisation=organisation, school=school, settings=current, kind=kind, text=text
        )
        current.version += 1
        current.save()
        _audit_questions(user, organisation, school)
        return question


def custom_question_toggle(*, user, question: CustomQuestion, active: bool) -> CustomQuestion:
    _require_manage(user, organisation=question.organisation, school=question.school)
    with transaction.atomic():
        current = QuestionSettings.objects.select_for_update().get(pk=question.settings_id)
        question.active = active
        question.save()
        current.version += 1
        current.save()
        _audit_questions(user, question.organisation, question.school)
        return question


def _audit_questions(user, organisation, school) -> None:
    audit_log(
        actor=user,
        organisation=organisation,
        kind="evaluation.questions_changed",
        target=school.name if school else organisation.name,
    )


def questions_for_set(*, organisation, school, set_key: str) -> list[dict]:
    """The questions a new round of this school asks: the set minus hidden ones, plus the
    school's own active questions (before the open comments)."""
    content = default_content()
    if set_key not in content.sets:
        raise ValidationError({"set_key": _("Kies een vragenlijst.")})
    current = QuestionSettings.objects.filter(organisation=organisation, school=school).first()
    hidden = set(current.hidden_codes) if current else set()
    rows = []
    for question in content.set_questions(set_key):
        if question.code in hidden:
            continue
        rows.append(
            {
                "code": question.code,
                "topic": question.topic,
                "step": content.topics[question.topic].step,
                "kind": question.kind,
                "text_nl": question.text.nl,
                "text_en": question.text.en,
            }
        )
    own = [
        {
            "code": q.code,
            "topic": "own",
            "step": None,
            "kind": q.kind,
            "text_nl": q.text,
            "text_en": q.text,
        }
        for q in (current.custom_questions.filter(active=True) if current else [])
    ]
    scales = [r for r in rows if r["kind"] == QuestionKind.SCALE]
    opens = [r for r in rows if r["kind"] != QuestionKind.SCALE]
    return (
        scales
        + [r for r in own if r["kind"] == QuestionKind.SCALE]
        + opens
        + [r for r in own if r["kind"] != QuestionKind.SCALE]
    )


# -------------------------------------------------------------------------- rounds


def group_of(person, *, organisation, school) -> str:
    """The coarse group of a respondent: directie or ICT coordinator, or team member."""
    if person.user_id is None:
        return RespondentGroup.TEAM
    roles = Membership.objects.filter(user_id=person.user_id, organisation=organisation)
    if school is not None:
        roles = roles.filter(Q(school=school) | Q(school__isnull=True))
    leading = roles.filter(role__in=[Role.DIRECTIE, Role.ICT]).exists()
    return RespondentGroup.LEADERSHIP if leading else RespondentGroup.TEAM


def round_create(
    *,
    user,
    organisation,
    school,
    title: str,
    set_key: str,
    closes_on: dt.date,
    people,
    opened_on: dt.date | None = None,
    request=None,
    send: bool = True,
) -> tuple[Round, dict[int, str]]:
    """Open a round, ask ``people`` (persons of the school's team, or of the organisation
    for a group round) and send each their personal link. Returns the round and the tokens
    by person id (for the demo and the tests; nothing stores them)."""
    _require_manage(user, organisation=organisation, school=school)
    opened_on = opened_on or timezone.localdate()
    errors = {}
    title = (title or "").strip()
    if not title or len(title) > TITLE_MAX:
        errors["title"] = _("Geef de ronde een titel van hoogstens %(n)s tekens.") % {
            "n": TITLE_MAX
        }
    if not isinstance(closes_on, dt.date) or not (
        opened_on <= closes_on <= opened_on + dt.timedelta(days=LONGEST_ROUND_DAYS)
    ):
        errors["closes_on"] = _(
            "Kies een sluitingsdatum vanaf vandaag en binnen %(days)s dagen."
        ) % {"days": LONGEST_ROUND_DAYS}
    people = list(people)
    if not people:
        errors["people"] = _("Kies wie je de vragen stelt.")
    if any(p.organisation_id != organisation.pk for p in people):
        errors["people"] = _("Kies mensen van de eigen organisatie.")
    if errors:
        raise ValidationError(errors)
    questions = questions_for_set(organisation=organisation, school=school, set_key=set_key)
    current = QuestionSettings.objects.filter(organisation=organisation, school=school).first()
    tokens: dict[int, str] = {}
    with transaction.atomic():
        new_round = Round.objects.create(
            organisation=organisation,
            school=school,
            title=title,
            set_key=set_key,
            content_version=default_content().version,
            settings_version=current.version if current else 0,
            opened_on=opened_on,
            closes_on=closes_on,
            created_by=user,
        )
        RoundQuestion.objects.bulk_create(
            RoundQuestion(round=new_round, order=i, **row) for i, row in enumerate(questions)
        )
        for person in people:
            token = new_token()
            tokens[person.pk] = token
            Participation.objects.create(
                organisation=organisation,
                round=new_round,
                person=person,
                token_hash=token_hash(token),
                group=group_of(person, organisation=organisation, school=school),
            )
            if send and person.email:
                _send_link(new_round, person, token, request=request)
        audit_log(
            actor=user,
            organisation=organisation,
            kind="evaluation.round_opened",
            target=title,
            data={"school": school.name if school else "", "asked": len(people)},
        )
    return new_round, tokens


def _send_link(round_: Round, person, token: str, *, request=None, reminder: bool = False):
    path = answer_path(token)
    base = getattr(settings, "SITE_URL", "")
    link = request.build_absolute_uri(path) if request else f"{base}{path}"
    language = getattr(person.user, "language", None) or "nl"
    with override(language):
        body = render_to_string(
            "evaluation/email/link.txt",
            {"round": round_, "person": person, "link": link, "reminder": reminder},
        )
        if reminder:
            subject = _("Herinnering: evaluatie van het ICT-team")
        else:
            subject = _("Evaluatie van het ICT-team")
    address = person.email
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address]))


def round_close(*, user, round_: Round) -> Round:
    _require_manage(user, organisation=round_.organisation, school=round_.school)
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        locked.status = RoundStatus.CLOSED
        locked.closed_on = timezone.localdate()
        locked.save()
        audit_log(
            actor=user,
            organisation=locked.organisation,
            kind="evaluation.round_closed",
            target=locked.title,
        )
        return locked


def round_reopen(*, user, round_: Round, closes_on: dt.date) -> Round:
    _require_manage(user, organisation=round_.organisation, school=round_.school)
    today = timezone.localdate()
    if not isinstance(closes_on, dt.date) or not (
        today <= closes_on <= today + dt.timedelta(days=LONGEST_ROUND_DAYS)
    ):
        raise ValidationError(
            {
                "closes_on": _("Kies een sluitingsdatum vanaf vandaag en binnen %(days)s dagen.")
                % {"days": LONGEST_ROUND_DAYS}
            }
        )
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if not locked.may_reopen():
            # Its results were shown: a second result after more answers would show, by the
            # difference, what the few later people answered.
            raise ValidationError(
                _(
                    "Deze ronde toonde al resultaten en gaat daarom niet opnieuw open: het "
                    "verschil tussen twee resultaten zou tonen wat enkelen antwoordden. "
                    "Start een nieuwe ronde."
                )
            )
        locked.status = RoundStatus.OPEN
        locked.closed_on = None
        locked.closes_on = closes_on
        locked.save()
        audit_log(
            actor=user,
            organisation=locked.organisation,
            kind="evaluation.round_reopened",
            target=locked.title,
        )
        return locked


# ------------------------------------------------------------------- personal links


def participation_for_token(token: str) -> Participation | None:
    if not token or len(token) > 100:
        return None
    return (
        Participation.objects.filter(token_hash=token_hash(token))
        .select_related("round", "round__school", "round__organisation")
        .first()
    )


def participation_new_link(*, user, participation: Participation) -> str:
    """A fresh personal link for a signed-in person who has not answered yet (from the home
    page). The link of the e-mail stops working; after answering, only the link that was
    used can change the answer (nothing else can find it)."""
    if user is None or participation.person.user_id != user.pk:
        raise PermissionDenied
    if participation.answered:
        raise ValidationError(
            _("Je hebt al geantwoord. Wijzigen kan met de persoonlijke link waarmee je antwoordde.")
        )
    token = new_token()
    with transaction.atomic():
        Participation.objects.filter(pk=participation.pk, answered=False).update(
            token_hash=token_hash(token)
        )
    return token


def clean_answers(questions, data: dict) -> dict[int, tuple[int | None, str]]:
    """{question id: (value, text)} from raw input by question code; every scale question
    needs an answer, comments are optional."""
    cleaned: dict[int, tuple[int | None, str]] = {}
    errors = {}
    for question in questions:
        raw = data.get(question.code)
        if question.kind == QuestionKind.SCALE:
            try:
                value = int(ANSWER_SCALE.validate(raw))
            except (ValidationError, TypeError, ValueError):
                errors[question.code] = _("Kies een antwoord van 1 tot 5.")
                continue
            cleaned[question.pk] = (value, "")
        else:
            text = (raw or "").strip()
            if len(text) > COMMENT_MAX:
                errors[question.code] = _("Hoogstens %(n)s tekens.") % {"n": COMMENT_MAX}
                continue
            if text:
                cleaned[question.pk] = (None, text)
    if errors:
        raise ValidationError(errors)
    return cleaned


def response_submit(*, token: str, data: dict, today: dt.date | None = None) -> bool:
    """Store (or replace) the answers of the link's holder. Returns True when this replaced
    an earlier answer. Nothing about the person reaches the answer rows."""
    with transaction.atomic():
        participation = (
            Participation.objects.select_for_update(of=("self",))
            .filter(token_hash=token_hash(token))
            .select_related("round")
            .first()
        )
        if participation is None:
            raise PermissionDenied
        round_ = participation.round
        if not round_.is_open(today):
            raise ValidationError(_("Deze ronde is afgesloten; antwoorden kan niet meer."))
        questions = list(round_.questions.all())
        cleaned = clean_answers(questions, data)
        key = response_key(round_.pk, token)
        response = Response.objects.filter(round=round_, key=key).first()
        replaced = response is not None
        if response is None:
            if participation.answered:
                raise ValidationError(_("Met deze persoon is al geantwoord via een andere link."))
            response = Response.objects.create(round=round_, key=key, group=participation.group)
        else:
            response.answers.all().delete()
        Answer.objects.bulk_create(
            Answer(response=response, question_id=qid, value=value, text=text)
            for qid, (value, text) in cleaned.items()
        )
        if not participation.answered:
            Participation.objects.filter(pk=participation.pk).update(answered=True)
        return replaced


def stored_answers(token: str, round_: Round) -> dict[str, str]:
    """What the link's holder answered, by question code (to fill the form again)."""
    response = Response.objects.filter(round=round_, key=response_key(round_.pk, token)).first()
    if response is None:
        return {}
    return {
        a.question.code: (str(a.value) if a.value is not None else a.text)
        for a in response.answers.select_related("question")
    }


# ---------------------------------------------------------------------- reminders


def reminder_send(*, participation: Participation, request=None, today=None) -> bool:
    """One reminder per person and round, only while they have not answered. A new link
    is made (the old token is stored nowhere, so it cannot be sent again)."""
    with transaction.atomic():
        locked = (
            Participation.objects.select_for_update(of=("self",))
            .select_related("round", "person", "person__user")
            .get(pk=participation.pk)
        )
        if locked.answered or locked.reminded or not locked.round.is_open(today):
            return False
        if not locked.person.email:
            return False
        token = new_token()
        locked.token_hash = token_hash(token)
        locked.reminded = True
        locked.save(update_fields=["token_hash", "reminded"])
        _send_link(locked.round, locked.person, token, request=request, reminder=True)
        return True


# ------------------------------------------------------------------------- actions


def action_from_result(
    *,
    user,
    round_: Round,
    title: str,
    question: RoundQuestion | None = None,
    owner=None,
    due=None,
):
    """An action that came out of a round (in the action list, source "evaluation")."""
    from teamwerk.actions.services import action_create

    _require_manage(user, organisation=round_.organisation, school=round_.school)
    label = _("Evaluatie: %(title)s") % {"title": round_.title}
    if question is not None:
        label = f"{label} · {question.text_nl}"[:200]
    return action_create(
        user=user,
        organisation=round_.organisation,
        school=round_.school,
        title=title,
        source="evaluation",
        source_label=label,
        source_url=reverse("evaluation_results", kwargs={"pk": round_.pk}),
        source_ref=f"evaluation:{round_.pk}" + (f":{question.code}" if question else ""),
        owner=owner,
        due=due,
    )
