"""Reads of the evaluation, scoped to the user.

Results are the one place where answers are read (:func:`round_results`). It shows nothing
of a round that is still open (two intermediate results a day apart would show what one
person answered), nothing of a round, a question or a group with fewer than ``MIN_ANSWERS``
answers, marks the response no-store, and lists comments in alphabetical order (never in the
order they were stored, and never together with the other answers of the same respondent).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from teamwerk.core.i18n import current_language
from teamwerk.core.sensitive import mark_sensitive
from teamwerk.tenancy.roles import Action, Role
from teamwerk.tenancy.selectors import roles_of

from .content import SCALE, default_content
from .models import (
    MIN_ANSWERS,
    Answer,
    Participation,
    QuestionKind,
    QuestionSettings,
    RespondentGroup,
    Response,
    Round,
    RoundQuestion,
    RoundStatus,
)
from .services import may_manage

# A question "dropped" when its mean fell by at least this much since the previous round.
DROP = Decimal("0.5")


def _scope(school=None, organisation=None) -> Q:
    if school is not None:
        return Q(school=school) | Q(school__isnull=True, organisation_id=school.organisation_id)
    return Q(school__isnull=True, organisation=organisation)


def rounds_for_user(user, *, school=None, organisation=None) -> list[Round]:
    """The rounds of the school (and of its group) the user can see."""
    rounds = (
        Round.objects.for_user(user, Action.VIEW)
        .filter(_scope(school, organisation))
        .select_related("school", "organisation")
        .annotate(
            asked=Count("participations", distinct=True),
            answers=Count("responses", distinct=True),
        )
    )
    return list(rounds)


def round_get(user, pk) -> Round:
    try:
        return (
            Round.objects.for_user(user, Action.VIEW)
            .select_related("school", "organisation")
            .get(pk=pk)
        )
    except (Round.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def may_manage_round(user, round_: Round) -> bool:
    return may_manage(user, organisation=round_.organisation, school=round_.school)


def may_see_results(user, round_: Round) -> bool:
    """Who runs the round and a lezer: always; everyone else of the school once it closed."""
    if may_manage_round(user, round_):
        return True
    if round_.school is not None:
        roles = roles_of(user, school=round_.school)
    else:
        roles = roles_of(user, organisation=round_.organisation)
    if Role.LEZER in roles:
        return True
    return bool(roles) and round_.is_closed()


def how_people_were_asked(round_: Round) -> dict[str, int]:
    """How the people asked reach the round: a mailed link, their home page (an account but
    no address), or not at all (neither)."""
    reach = {"mailed": 0, "home": 0, "unreachable": 0}
    for email, user_id in round_.participations.values_list("person__email", "person__user_id"):
        reach["mailed" if email else "home" if user_id else "unreachable"] += 1
    return reach


def my_participation(user, round_: Round) -> Participation | None:
    if not user.is_authenticated:
        return None
    return (
        Participation.objects.filter(round=round_, person__user=user)
        .select_related("person")
        .first()
    )


def home_rounds(user, school) -> list[dict]:
    """Open rounds the user is asked in (their person's participation), for the home card."""
    if school is None or not user.is_authenticated:
        return []
    today = timezone.localdate()
    rows = (
        Participation.objects.filter(
            person__user=user,
            round__status=RoundStatus.OPEN,
            round__closes_on__gte=today,
            round__organisation_id=school.organisation_id,
        )
        .filter(Q(round__school=school) | Q(round__school__isnull=True))
        .select_related("round")
        .order_by("round__closes_on", "round__pk")
    )
    return [{"round": p.round, "answered": p.answered} for p in rows]


def counts(round_: Round) -> tuple[int, int]:
    """(answers, people asked)."""
    return round_.responses.count(), round_.participations.count()


def people_choices(user, *, school, organisation) -> list:
    """Who can be asked: the school's ICT team this year (people with ICT hours or a task
    there); a group round: the organisation's active people."""
    from teamwerk.team.models import Person
    from teamwerk.team.selectors import people_for_school
    from teamwerk.tenancy.selectors import current_school_year

    if school is not None:
        return people_for_school(
            user, school, current_school_year(school.organisation), ict_only=True
        )
    return list(
        Person.objects.for_user(user, Action.VIEW)
        .filter(organisation=organisation, active=True)
        .order_by("last_name", "first_name", "pk")
    )


def question_settings(*, organisation, school) -> QuestionSettings | None:
    return (
        QuestionSettings.objects.filter(organisation=organisation, school=school)
        .prefetch_related("custom_questions")
        .first()
    )


# ------------------------------------------------------------------------- results


@dataclass
class Bar:
    value: int
    count: int
    share: int  # percent


@dataclass
class QuestionResult:
    question: RoundQuestion
    text: str
    topic: str
    count: int
    shown: bool
    mean: Decimal | None = None
    bars: list[Bar] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    previous_mean: Decimal | None = None
    groups: list[tuple[str, Decimal | None]] = field(default_factory=list)

    @property
    def delta(self) -> Decimal | None:
        if self.mean is None or self.previous_mean is None:
            return None
        return self.mean - self.previous_mean

    @property
    def dropped(self) -> bool:
        return self.delta is not None and self.delta <= -DROP

    @property
    def step(self) -> int | None:
        return self.question.step


@dataclass
class RoundResults:
    round: Round
    answers: int
    asked: int
    shown: bool
    questions: list[QuestionResult]
    groups_shown: bool
    group_labels: list[str]
    previous: Round | None
    history: list[tuple[Round, dict[str, Decimal]]]  # earlier comparable rounds, oldest first

    @property
    def dropped(self) -> list[QuestionResult]:
        return [q for q in self.questions if q.dropped]

    @property
    def back_to_step(self) -> int | None:
        steps = [q.step for q in self.dropped if q.step]
        return min(steps) if steps else None


def _mean(values: list[int]) -> Decimal:
    return (Decimal(sum(values)) / Decimal(len(values))).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def scale_means(round_: Round) -> dict[str, Decimal]:
    """The mean per scale question code of a round, only where it has >= MIN_ANSWERS."""
    values: dict[str, list[int]] = defaultdict(list)
    for code, value in Answer.objects.filter(
        question__round=round_, value__isnull=False
    ).values_list("question__code", "value"):
        values[code].append(value)
    return {code: _mean(v) for code, v in values.items() if len(v) >= MIN_ANSWERS}


def comparable_rounds(round_: Round) -> list[Round]:
    """Earlier rounds of the same school (or group) that ended, with enough answers."""
    earlier = (
        Round.objects.filter(
            organisation_id=round_.organisation_id,
            school_id=round_.school_id,
            opened_on__lt=round_.opened_on,
        )
        .annotate(answers=Count("responses"))
        .filter(answers__gte=MIN_ANSWERS)
        .order_by("opened_on", "pk")
    )
    return [r for r in earlier if r.is_closed()]


def round_results(user, round_: Round) -> RoundResults:
    """Everything the results page shows. The caller has checked ``may_see_results``."""
    mark_sensitive()
    lang = current_language()
    answers, asked = counts(round_)
    questions = list(round_.questions.all())
    shown = answers >= MIN_ANSWERS and round_.is_closed()
    history: list[tuple[Round, dict[str, Decimal]]] = []
    previous = None
    if shown:
        history = [(r, scale_means(r)) for r in comparable_rounds(round_)]
        previous = history[-1][0] if history else None
    group_counts = dict(
        Response.objects.filter(round=round_)
        .order_by()
        .values("group")
        .annotate(n=Count("id"))
        .values_list("group", "n")
    )
    # A part is shown only when every part has enough answers: with one small part left
    # out, the total minus the shown part would give the small one away.
    groups_shown = shown and len(group_counts) > 1 and min(group_counts.values()) >= MIN_ANSWERS
    group_order = [g for g in RespondentGroup.values if g in group_counts]
    labels = dict(RespondentGroup.choices)
    values: dict[int, list[tuple[int, str]]] = defaultdict(list)
    comments: dict[int, list[str]] = defaultdict(list)
    if shown:
        rows = Answer.objects.filter(question__round=round_).values_list(
            "question_id", "value", "text", "response__group"
        )
        for question_id, value, text, group in rows.order_by():
            if value is not None:
                values[question_id].append((value, group))
            elif text:
                comments[question_id].append(text)
    previous_means = history[-1][1] if history else {}
    results = []
    for question in questions:
        if question.kind == QuestionKind.SCALE:
            given = [v for v, _g in values.get(question.pk, [])]
            count = len(given)
            result = QuestionResult(
                question, question.text(lang), question.topic, count, shown and count >= MIN_ANSWERS
            )
            if result.shown:
                result.mean = _mean(given)
                result.bars = [
                    Bar(v, given.count(v), round(100 * given.count(v) / count)) for v in SCALE
                ]
                result.previous_mean = previous_means.get(question.code)
                if groups_shown:
                    for group in group_order:
                        part = [v for v, g in values[question.pk] if g == group]
                        result.groups.append(
                            (str(labels[group]), _mean(part) if len(part) >= MIN_ANSWERS else None)
                        )
        else:
            texts = sorted(comments.get(question.pk, []), key=str.casefold)
            result = QuestionResult(
                question,
                question.text(lang),
                question.topic,
                len(texts),
                shown and len(texts) >= MIN_ANSWERS,
            )
            if result.shown:
                result.comments = texts
        results.append(result)
    return RoundResults(
        round=round_,
        answers=answers,
        asked=asked,
        shown=shown,
        questions=results,
        groups_shown=groups_shown,
        group_labels=[str(labels[g]) for g in group_order],
        previous=previous,
        history=history,
    )


def topic_name(code: str, lang: str) -> str:
    topic = default_content().topics.get(code)
    return topic.name.get(lang) if topic else ""


# ------------------------------------------------------------------ step 8 evidence


@dataclass(frozen=True)
class LatestEvaluation:
    round: Round
    ended_on: dt.date
    answers: int
    dropped: tuple[str, ...]  # question texts whose mean fell since the round before
    back_to_step: int | None


def latest_evaluation(school) -> LatestEvaluation | None:
    """The school's last ended round with enough answers to show a result (for step 8).

    Only ended rounds count: the route may be read by everyone of the school, and a team
    member sees results once a round has closed."""
    candidates = (
        Round.objects.filter(school=school)
        .annotate(answers=Count("responses"))
        .filter(answers__gte=MIN_ANSWERS)
        .order_by("-opened_on", "-pk")
    )
    latest = next((r for r in candidates[:10] if r.is_closed()), None)
    if latest is None:
        return None
    lang = current_language()
    means = scale_means(latest)
    earlier = comparable_rounds(latest)
    dropped: list[RoundQuestion] = []
    if earlier:
        before = scale_means(earlier[-1])
        for question in latest.questions.filter(kind=QuestionKind.SCALE):
            code = question.code
            if code in means and code in before and means[code] - before[code] <= -DROP:
                dropped.append(question)
    steps = [q.step for q in dropped if q.step]
    return LatestEvaluation(
        round=latest,
        ended_on=latest.ended_on,
        answers=latest.answers,
        dropped=tuple(q.text(lang) for q in dropped),
        back_to_step=min(steps) if steps else None,
    )


# ----------------------------------------------------------------------- reminders


def reminder_candidates(today: dt.date | None = None) -> QuerySet[Participation]:
    """People asked in a round that is still open, who have not answered and have not been
    reminded, with an e-mail address (for the daily reminder job)."""
    today = today or timezone.localdate()
    return (
        Participation.objects.filter(
            answered=False,
            reminded=False,
            round__status=RoundStatus.OPEN,
            round__closes_on__gte=today,
        )
        .exclude(person__email="")
        .select_related("round", "person")
    )


def _months_later(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    return day


def step8_evidence(school, *, review_months: int = 12) -> dict | None:
    """What the last evaluation round says for step 8 (S8.evaluated), as the fields of the
    route's ``Evidence`` (summary, items, items_label, hint); None without such a round.

    "Laatste evaluatie: <datum>, <n> antwoorden", what dropped, and which step to go back to
    (5 task overview, 6 composition, 7 division and agreements: the earliest one wins)."""
    from django.utils import formats
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    latest = latest_evaluation(school)
    if latest is None:
        return None
    when = formats.date_format(latest.ended_on, "j F Y")
    summary = ngettext(
        "Laatste evaluatie: %(date)s, %(n)d antwoord.",
        "Laatste evaluatie: %(date)s, %(n)d antwoorden.",
        latest.answers,
    ) % {"date": when, "n": latest.answers}
    too_old = latest.ended_on < timezone.localdate() - dt.timedelta(
        days=round(review_months * 30.5)
    )
    if too_old:
        summary += " " + _("Dat is langer dan %(months)d maanden geleden.") % {
            "months": review_months
        }
    else:
        summary += " " + _("Volgende ten laatste: %(next)s.") % {
            "next": formats.date_format(_months_later(latest.ended_on, review_months), "j F Y")
        }
    if latest.dropped:
        summary += " " + ngettext(
            "Eén vraag daalde sinds de ronde ervoor.",
            "%(n)d vragen daalden sinds de ronde ervoor.",
            len(latest.dropped),
        ) % {"n": len(latest.dropped)}
        if latest.back_to_step:
            summary += " " + _("Voorstel: herneem stap %(step)d.") % {"step": latest.back_to_step}
    else:
        summary += " " + _("Geen enkele vraag daalde duidelijk.")
    return {
        "summary": summary,
        "items": latest.dropped[:8],
        "more": max(0, len(latest.dropped) - 8),
        "items_label": _("Gedaald") if latest.dropped else "",
        "hint": not (too_old or latest.dropped),
    }
