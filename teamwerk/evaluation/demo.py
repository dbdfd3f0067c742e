"""Demo evaluation rounds, through the services (deterministic and idempotent).

- Campus Noord: two ended rounds (6 and 8 answers; the back-up question dropped by a full
  point, so step 8 proposes going back to step 7) and one open round in which Tom Peeters
  (the demo teamlid) has not answered yet.
- Campus Zuid: an ended round with 2 answers: its results stay withheld.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from teamwerk.team.models import Person
from teamwerk.tenancy.selectors import current_school_year

from .content import default_content
from .models import Round
from .services import response_submit, round_create

TEAMLID = "teamlid.noord@scholengroep-demo.be"

# The usual answer per question in each Noord round; respondents vary around it so that the
# mean is exactly this value. Only the back-up question drops (by 1), one rises.
BASE_EARLIER = {"agree_backup": 4, "coop_findable": 3}
BASE_LATER = {"agree_backup": 3, "coop_findable": 4}
BASE_DEFAULT = {"load_hours": 3, "comp_size": 3, "agree_documentation": 3, "tasks_goals": 3}
OFFSETS = {6: [-1, 0, 1, 0, 1, -1], 8: [-1, 0, 1, 0, 0, -1, 1, 0], 2: [0, 1]}

COMMENTS_EARLIER = {
    "open_good": [
        "De wekelijkse korte stand-up van het team werkt goed.",
        "Vragen van collega's komen nu via één formulier binnen.",
        "Er is meer tijd voor pedagogische ondersteuning dan vroeger.",
    ],
    "open_better": [
        "De documentatie van het netwerk is nog te weinig bijgewerkt.",
        "Soms is onduidelijk wie beslist over nieuwe software.",
        "Meer uren voor wie de toestellen beheert.",
    ],
}
COMMENTS_LATER = {
    "open_good": [
        "Collega's vinden de weg naar het team beter.",
        "De afspraken over wie wat opvolgt, zijn duidelijker geworden.",
        "De opleidingsmomenten voor leraren worden gewaardeerd.",
        "Goede sfeer in het team.",
    ],
    "open_better": [
        "Bij afwezigheid blijft werk liggen: de back-up kent de taak niet goed genoeg.",
        "De overdracht bij ziekte moet beter geregeld worden.",
        "Meer tijd om samen te zitten als team.",
    ],
}


def _answers(codes, kinds, base: dict, offset: int, comments: dict, index: int) -> dict:
    data = {}
    for code in codes:
        if kinds[code] == "scale":
            value = base.get(code, BASE_DEFAULT.get(code, 4)) + offset
            data[code] = str(min(5, max(1, value)))
        else:
            texts = comments.get(code, [])
            data[code] = texts[index] if index < len(texts) else ""
    return data


def _team(school) -> list[Person]:
    year = current_school_year(school.organisation)
    return list(
        Person.objects.filter(
            availabilities__school=school,
            availabilities__school_year=year,
            availabilities__hours_available__gt=0,
            active=True,
        )
        .distinct()
        .order_by("pk")
    )


def _round(school, title, *, opened, closes, people, answering, base, comments) -> Round:
    found = Round.objects.filter(school=school, title=title).first()
    if found is not None:
        return found
    new_round, tokens = round_create(
        user=None,
        organisation=school.organisation,
        school=school,
        title=title,
        set_key="full",
        closes_on=closes,
        opened_on=opened,
        people=people,
        send=False,
    )
    kinds = {q.code: q.kind for q in new_round.questions.all()}
    offsets = OFFSETS.get(len(answering), [0] * len(answering))
    for index, person in enumerate(answering):
        data = _answers(kinds, kinds, base, offsets[index], comments, index)
        response_submit(token=tokens[person.pk], data=data, today=opened)
    return new_round


def seed(context: dict) -> None:
    default_content()  # fail early on a broken content file
    schools = context.get("schools") or {}
    today = timezone.localdate()
    noord = schools.get("Campus Noord")
    if noord is not None:
        team = _team(noord)
        # Those without an account answer first: the demo accounts still have a round to do.
        others = sorted(
            (p for p in team if p.email != TEAMLID), key=lambda p: (p.user_id is not None, p.pk)
        )
        _round(
            noord,
            "Evaluatie ICT-team, vorig schooljaar",
            opened=today - dt.timedelta(days=420),
            closes=today - dt.timedelta(days=400),
            people=team,
            answering=others[:6],
            base=BASE_EARLIER,
            comments=COMMENTS_EARLIER,
        )
        _round(
            noord,
            "Evaluatie ICT-team, einde schooljaar",
            opened=today - dt.timedelta(days=160),
            closes=today - dt.timedelta(days=140),
            people=team,
            answering=others[:8],
            base=BASE_LATER,
            comments=COMMENTS_LATER,
        )
        _round(
            noord,
            "Tussentijdse evaluatie",
            opened=today - dt.timedelta(days=3),
            closes=today + dt.timedelta(days=11),
            people=team,
            answering=others[:2],
            base=BASE_LATER,
            comments={},
        )
    zuid = schools.get("Campus Zuid")
    if zuid is not None:
        team = _team(zuid)
        _round(
            zuid,
            "Evaluatie ICT-team",
            opened=today - dt.timedelta(days=40),
            closes=today - dt.timedelta(days=20),
            people=team,
            answering=team[:2],
            base=BASE_LATER,
            comments={},
        )
