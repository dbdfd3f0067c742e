"""Demo actions for Scholengroep Demo: Campus Noord, Campus Zuid and the group, in every
PDCA phase, a few overdue and a few done, dated relative to today. Seeding twice changes
nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from teamwerk.team.models import Person
from teamwerk.tenancy.models import Organisation, School

from .models import Action, ActionSource, ActionStatus
from .services import action_create

# (school or None for the group, title, source, source label, owner's e-mail or name,
#  due in days from today (None: no date), status, done days ago (None: open), notes)
NOORD = "Campus Noord"
ZUID = "Campus Zuid"
DEMO_ACTIONS = [
    (
        NOORD,
        "Wachtwoordbeleid voor leerlingen op papier zetten",
        ActionSource.ROUTE_STEP,
        "stap 7, afspraken maken",
        "ict.noord@scholengroep-demo.be",
        12,
        ActionStatus.DO,
        None,
        "Eerste versie ligt klaar; nog afstemmen met de directie.",
    ),
    (
        NOORD,
        "Back-up kiezen voor het beheer van de Chromebooks",
        ActionSource.EVALUATION,
        "ronde over de samenwerking, voorjaar",
        "teamlid.noord@scholengroep-demo.be",
        -5,
        ActionStatus.PLAN,
        None,
        "",
    ),
    (
        NOORD,
        "Handleiding wifi-toegang voor bezoekers bijwerken",
        ActionSource.TASK,
        "netwerkbeheer",
        "teamlid.noord@scholengroep-demo.be",
        4,
        ActionStatus.DO,
        None,
        "Screenshots van het nieuwe portaal nog toevoegen.",
    ),
    (
        NOORD,
        "Teamoverleg ICT maandelijks inplannen",
        ActionSource.CONVERSATION,
        "met de schoolleider, oktober",
        "directie.noord@scholengroep-demo.be",
        21,
        ActionStatus.PLAN,
        None,
        "",
    ),
    (
        NOORD,
        "Nagaan of de nieuwe uitleenprocedure werkt",
        ActionSource.AGREEMENT_REVIEW,
        "uitlenen van toestellen",
        "ict.noord@scholengroep-demo.be",
        2,
        ActionStatus.CHECK,
        None,
        "Drie weken getest met de derde graad.",
    ),
    (
        NOORD,
        "Opleiding digitale toetsen voor vier collega's",
        ActionSource.PROFESSIONALISATION,
        "wensen rond digitale toetsen",
        "Sofie Maes",
        35,
        ActionStatus.PLAN,
        None,
        "",
    ),
    (
        NOORD,
        "Licenties van het leerplatform opschonen",
        ActionSource.TASK,
        "licentiebeheer",
        "Wim Claes",
        -12,
        ActionStatus.DO,
        None,
        "Wacht op de lijst van de leverancier.",
    ),
    (
        NOORD,
        "Taakverdeling bijsturen na de evaluatie",
        ActionSource.EVALUATION,
        "ronde over de verdeling van de taken",
        "directie.noord@scholengroep-demo.be",
        28,
        ActionStatus.ACT,
        None,
        "",
    ),
    (
        NOORD,
        "Inventaris van de projectoren afgewerkt",
        ActionSource.TASK,
        "inventaris",
        "teamlid.noord@scholengroep-demo.be",
        -20,
        ActionStatus.CHECK,
        15,
        "",
    ),
    (
        NOORD,
        "Kennisdeling: korte demo's op de personeelsvergadering",
        ActionSource.CONVERSATION,
        "met de i-coach, november",
        "Lien Jacobs",
        45,
        ActionStatus.PLAN,
        None,
        "",
    ),
    (
        ZUID,
        "Vacature digitaliseringscoördinator opstellen",
        ActionSource.ROUTE_STEP,
        "stap 6, werven of uitbesteden",
        "directie.zuid@scholengroep-demo.be",
        9,
        ActionStatus.DO,
        None,
        "",
    ),
    (
        ZUID,
        "Afspraken over back-ups op de schoolserver herbekijken",
        ActionSource.AGREEMENT_REVIEW,
        "back-up van de schoolserver",
        "Hanne Vermeulen",
        -3,
        ActionStatus.CHECK,
        None,
        "",
    ),
    (
        ZUID,
        "Coachingsopleiding voor de i-coach aanvragen",
        ActionSource.PROFESSIONALISATION,
        "wensen rond coaching",
        "Bram Willems",
        30,
        ActionStatus.PLAN,
        None,
        "",
    ),
    (
        ZUID,
        "Helpdeskformulier in gebruik nemen",
        ActionSource.OTHER,
        "",
        "Eline Dubois",
        -30,
        ActionStatus.ACT,
        25,
        "In gebruik sinds de herfstvakantie.",
    ),
    (
        ZUID,
        "Overzicht van de ICT-taken delen met het team",
        ActionSource.ROUTE_STEP,
        "stap 3, het takenoverzicht",
        "directie.zuid@scholengroep-demo.be",
        None,
        ActionStatus.PLAN,
        None,
        "",
    ),
    (
        None,
        "Raamcontract toestellen voor alle campussen vergelijken",
        ActionSource.OTHER,
        "Directieoverleg scholengroep",
        "Wim Claes",
        60,
        ActionStatus.DO,
        None,
        "",
    ),
    (
        None,
        "Privacybeleid (AVG) van de scholengroep actualiseren",
        ActionSource.CONVERSATION,
        "met de functionaris gegevensbescherming",
        None,
        -8,
        ActionStatus.PLAN,
        None,
        "",
    ),
    (
        None,
        "Evaluatie van de samenwerking tussen de campussen plannen",
        ActionSource.EVALUATION,
        "",
        None,
        90,
        ActionStatus.PLAN,
        None,
        "",
    ),
]


def _owner(organisation, who):
    if not who:
        return None
    if "@" in who:
        return Person.objects.filter(organisation=organisation, user__email=who).first()
    first, _, last = who.partition(" ")
    return Person.objects.filter(
        organisation=organisation, first_name=first, last_name=last
    ).first()


def seed(context: dict) -> None:
    organisation = Organisation.objects.filter(name="Scholengroep Demo").first()
    if organisation is None:
        return
    titles = [row[1] for row in DEMO_ACTIONS]
    if Action.objects.filter(organisation=organisation, title__in=titles).exists():
        return
    schools = {s.name: s for s in School.objects.filter(organisation=organisation)}
    today = timezone.localdate()
    for school_name, title, source, label, who, due_in, status, done_ago, notes in DEMO_ACTIONS:
        school = schools.get(school_name) if school_name else None
        if school_name and school is None:
            continue
        action = action_create(
            user=None,
            organisation=organisation,
            school=school,
            title=title,
            source=source,
            source_label=label,
            owner=_owner(organisation, who),
            due=today + dt.timedelta(days=due_in) if due_in is not None else None,
            status=status,
            notes=notes,
        )
        if done_ago is not None:
            Action.objects.filter(pk=action.pk).update(done_on=today - dt.timedelta(days=done_ago))
