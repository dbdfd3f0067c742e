"""Demo of the conversations: key figures in the Scholengroep and two recorded conversations
of Campus Noord, each with agreements that became actions. Idempotent: nothing is added when
Campus Noord has conversations already."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from teamwerk.accounts.models import User
from teamwerk.team.models import Person

from . import services
from .models import Conversation

# (e-mail, key figures): the lezer is the group's HR officer and privacy officer.
KEY_FIGURES = [
    ("teamlid.noord@scholengroep-demo.be", ["leraar", "icoach"]),
    ("ict.noord@scholengroep-demo.be", ["icoach"]),
    ("directie.noord@scholengroep-demo.be", ["schoolleider"]),
    ("directeur@scholengroep-demo.be", ["bestuurder"]),
    ("lezer@scholengroep-demo.be", ["hr", "ibp"]),
    ("beheerder@scholengroep-demo.be", ["informatiemanager"]),
]

CONVERSATIONS = [
    {
        "subject": "Wat willen onze leraren dit jaar leren over ICT?",
        "days_ago": 40,
        "key_figures": ["leraar", "icoach"],
        "questions": ["1a", "2b"],
        "topics": ["1.1", "2.3"],
        "participants": ["Ilse Verbeke", "Tom Peeters", "Sofie Maes"],
        "preparation": "Tom en Sofie brachten elk drie vragen uit hun lessen mee.",
        "notes": (
            "Tom wil leerlingen zelf korte video's laten maken en weet niet hoe je dat "
            "beoordeelt. Sofie zoekt een manier om oefeningen in de wiskundeles te "
            "differentiëren met de leeromgeving. Beiden willen liever van een collega leren "
            "dan op een externe opleiding. Ilse merkt dat dezelfde vragen ook in andere "
            "vakgroepen leven."
        ),
        "agreements": [
            ("Twee keer per trimester een leermoment van collega's voor collega's", "Ilse", 30),
            ("Voorbeelden van gedifferentieerde oefeningen delen in de leeromgeving", "Sofie", 45),
        ],
    },
    {
        "subject": "Privacy in de klas: wat moeten leraren weten?",
        "days_ago": 12,
        "key_figures": ["schoolleider", "ibp"],
        "questions": ["1a", "2a"],
        "topics": ["1.3", "2.2"],
        "participants": ["Nadia Noorden", "Lien Jacobs", "Ilse Verbeke"],
        "preparation": "Lien verzamelde de privacyvragen van het voorbije schooljaar.",
        "notes": (
            "De meeste vragen gaan over foto's van leerlingen op de website en over apps die "
            "leraren zelf kiezen. Lien stelt een korte lijst voor van apps die wel mogen. Nadia "
            "wil dat de nieuwe collega's bij de start van het schooljaar een korte vorming "
            "krijgen. Er is budget voor één externe sessie."
        ),
        "agreements": [
            ("Lijst van toegestane apps opstellen en delen met het team", "Lien", 21),
            ("Korte privacyvorming voor nieuwe collega's bij de start", "Nadia", -3),
        ],
    },
]


def _person(organisation, full_name: str) -> Person | None:
    first, _sep, last = full_name.partition(" ")
    return Person.objects.filter(
        organisation=organisation, first_name=first, last_name=last
    ).first()


def seed(context: dict) -> None:
    organisations = context.get("organisations", {})
    schools = context.get("schools", {})
    organisation = organisations.get("Scholengroep Demo")
    noord = schools.get("Campus Noord")
    if organisation is None or noord is None:
        return
    for email, figures in KEY_FIGURES:
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        for figure in figures:
            services.key_figure_grant(
                actor=None, organisation=organisation, user=user, figure=figure
            )
    if Conversation.objects.filter(school=noord).exists():
        return
    today = timezone.localdate()
    for spec in CONVERSATIONS:
        people = [p for p in (_person(organisation, n) for n in spec["participants"]) if p]
        conversation = services.conversation_prepare(
            actor=None,
            school=noord,
            subject=spec["subject"],
            held_on=today - dt.timedelta(days=spec["days_ago"]),
            key_figures=spec["key_figures"],
            questions=spec["questions"],
            topics=spec["topics"],
            participants=people,
            preparation=spec["preparation"],
        )
        conversation = services.conversation_update(
            actor=None,
            conversation=conversation,
            subject=spec["subject"],
            held_on=conversation.held_on,
            key_figures=spec["key_figures"],
            questions=spec["questions"],
            topics=spec["topics"],
            participants=people,
            preparation=spec["preparation"],
            notes=spec["notes"],
            recorded=True,
        )
        by_first_name = {p.first_name: p for p in people}
        for text, owner, due_in in spec["agreements"]:
            agreement = services.agreement_add(
                actor=None,
                conversation=conversation,
                text=text,
                owner=by_first_name.get(owner),
                due=today + dt.timedelta(days=due_in),
            )
            services.agreement_to_action(actor=None, agreement=agreement)
