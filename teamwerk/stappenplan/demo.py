"""Demo journeys: schools at different steps, with a dated history by different people.

Scholengroep Demo: Campus Noord has walked the whole route (evaluated at step 8), Campus Zuid
is halfway the checklist of step 7, Basisschool De Linde is held up at step 2; the group
itself decided to pool means (step 4). Stichting Demo: Het Baken is at step 5, De Vlinder at
step 3. Dates count back from today so the step-8 evaluation stays recent. A journey that
already has answers is left alone, so seeding twice changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from teamwerk.accounts.models import User

from . import services

DIRECTIE_NOORD = "directie.noord@scholengroep-demo.be"
ICT_NOORD = "ict.noord@scholengroep-demo.be"
DIRECTIE_ZUID = "directie.zuid@scholengroep-demo.be"
DIRECTEUR = "directeur@scholengroep-demo.be"
BEHEERDER_STICHTING = "beheerder@stichting-demo.nl"

# (days ago, hour, who, check, answer, note) — in the order they were given.
NOORD = [
    (
        300,
        10,
        DIRECTIE_NOORD,
        "S1.awareness",
        True,
        "Besproken op het MT: we willen af van één ICT-coördinator die alles alleen draagt.",
    ),
    (300, 10, DIRECTIE_NOORD, "S2.vision", True, ""),
    (
        290,
        14,
        DIRECTIE_NOORD,
        "S3.policy_plan",
        False,
        "Het beleidsplan van 2019 is verouderd. We schrijven een nieuw plan met de scholengroep.",
    ),
    (
        230,
        11,
        DIRECTIE_NOORD,
        "S3.policy_plan",
        True,
        "Nieuw ICT-beleidsplan goedgekeurd op het MT.",
    ),
    (
        220,
        9,
        DIRECTIE_NOORD,
        "S4.pooling",
        True,
        "We volgen de scholengroep: netwerkbeheer en helpdesk samen.",
    ),
    (200, 15, ICT_NOORD, "S5.tailored", False, "Nog 18 taken zonder beslissing."),
    (170, 15, ICT_NOORD, "S5.tailored", True, "Alle taken overlopen met de directie."),
    (
        150,
        10,
        DIRECTIE_NOORD,
        "S6.expertise",
        False,
        "Niemand in de school kan het netwerkbeheer opnemen.",
    ),
    (
        140,
        10,
        DIRECTIE_NOORD,
        "S6.sourcing",
        True,
        "Netwerkbeheer gaat naar een externe partner; de rest blijft in het team.",
    ),
    (120, 13, ICT_NOORD, "S7.team", True, "Eerste overleg van het ICT-team met vijf collega's."),
    (110, 13, DIRECTIE_NOORD, "S7.division", True, ""),
    (110, 13, DIRECTIE_NOORD, "S7.hours", True, ""),
    (100, 16, DIRECTIE_NOORD, "S7.mandates", True, "Mandaten staan in de functiebeschrijvingen."),
    (95, 12, ICT_NOORD, "S7.knowledge", True, ""),
    (95, 12, ICT_NOORD, "S7.backup", True, ""),
    (
        90,
        12,
        ICT_NOORD,
        "S7.documentation",
        True,
        "Handleidingen staan in het gedeelde ICT-kanaal.",
    ),
    (90, 14, DIRECTIE_NOORD, "S7.organisation", True, "Maandelijks overleg, eerste dinsdag."),
    (85, 14, DIRECTIE_NOORD, "S7.working", True, ""),
    (
        20,
        11,
        DIRECTIE_NOORD,
        "S8.evaluated",
        True,
        "Evaluatieronde met het hele ICT-team: de samenwerking loopt vlot.",
    ),
    (20, 11, DIRECTIE_NOORD, "S8.tasks", False, ""),
    (20, 11, DIRECTIE_NOORD, "S8.composition", False, ""),
    (20, 11, DIRECTIE_NOORD, "S8.division", False, ""),
]

ZUID = [
    (260, 10, DIRECTIE_ZUID, "S1.awareness", True, ""),
    (255, 10, DIRECTIE_ZUID, "S2.vision", True, ""),
    (250, 10, DIRECTIE_ZUID, "S3.policy_plan", True, ""),
    (215, 9, DIRECTIE_ZUID, "S4.pooling", True, ""),
    (
        180,
        15,
        DIRECTIE_ZUID,
        "S5.tailored",
        False,
        "Over de pedagogische taken is nog niets beslist.",
    ),
    (120, 15, DIRECTIE_ZUID, "S5.tailored", True, "Takenoverzicht afgewerkt met de werkgroep."),
    (100, 11, DIRECTIE_ZUID, "S6.expertise", True, ""),
    (80, 13, DIRECTIE_ZUID, "S7.team", True, "Vier collega's vormen het ICT-team."),
    (60, 13, DIRECTIE_ZUID, "S7.division", True, ""),
    (45, 13, DIRECTIE_ZUID, "S7.hours", True, ""),
    (
        40,
        16,
        DIRECTIE_ZUID,
        "S7.knowledge",
        True,
        "Elke maand een korte kennisdeling op de personeelsvergadering.",
    ),
    (
        30,
        16,
        DIRECTIE_ZUID,
        "S7.documentation",
        False,
        "De procedures zitten nog alleen in het hoofd van de ICT-coördinator.",
    ),
]

DE_LINDE = [
    (60, 10, DIRECTEUR, "S1.awareness", True, ""),
    (
        35,
        10,
        DIRECTEUR,
        "S2.vision",
        False,
        "Het visietraject met de pedagogische begeleiding start in het voorjaar.",
    ),
]

HET_BAKEN = [
    (150, 10, BEHEERDER_STICHTING, "S1.awareness", True, ""),
    (150, 10, BEHEERDER_STICHTING, "S2.vision", True, ""),
    (140, 10, BEHEERDER_STICHTING, "S3.policy_plan", True, ""),
    (130, 10, BEHEERDER_STICHTING, "S4.pooling", False, "Het Baken organiseert dit zelf."),
]

DE_VLINDER = [
    (90, 10, BEHEERDER_STICHTING, "S1.awareness", True, ""),
    (90, 10, BEHEERDER_STICHTING, "S2.vision", True, ""),
    (
        60,
        10,
        BEHEERDER_STICHTING,
        "S3.policy_plan",
        False,
        "Het ICT-beleidsplan wordt na de zomer geschreven, samen met het bestuur.",
    ),
]

SCHOOLS = {
    "Campus Noord": NOORD,
    "Campus Zuid": ZUID,
    "Basisschool De Linde": DE_LINDE,
    "Het Baken": HET_BAKEN,
    "De Vlinder": DE_VLINDER,
}

GROUPS = {
    "Scholengroep Demo": [
        (
            225,
            10,
            DIRECTEUR,
            "S4.pooling",
            True,
            "Directiecomité: netwerkbeheer en helpdesk organiseren we voor alle scholen samen.",
        ),
    ],
    "Stichting Demo": [
        (
            135,
            10,
            BEHEERDER_STICHTING,
            "S4.pooling",
            False,
            "Elke school doet het voorlopig zelf; volgend schooljaar bekijken we het opnieuw.",
        ),
    ],
}


def _moment(today: dt.date, days_ago: int, hour: int) -> dt.datetime:
    day = today - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _replay(journey, answers, users: dict[str, User], today: dt.date) -> None:
    if journey.answers.exists():  # seeded before: leave it as it is
        return
    for days_ago, hour, email, code, value, note in answers:
        services.answer_record(
            actor=users[email],
            journey=journey,
            check_code=code,
            value=value,
            note=note,
            answered_at=_moment(today, days_ago, hour),
        )


def seed(context: dict) -> None:
    today = timezone.localdate()
    emails = {answer[2] for spec in (*SCHOOLS.values(), *GROUPS.values()) for answer in spec}
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    for name, answers in SCHOOLS.items():
        journey = services.journey_ensure(school=context["schools"][name])
        _replay(journey, answers, users, today)
    for name, answers in GROUPS.items():
        journey = services.journey_ensure(organisation=context["organisations"][name])
        _replay(journey, answers, users, today)
