"""Demo organisations, schools and accounts, created through the services."""

from __future__ import annotations

from teamwerk.accounts.models import User
from teamwerk.accounts.services import user_create

from . import services
from .models import Organisation, OrganisationKind, Region, SchoolLevel
from .roles import Role

DEMO_PASSWORD = "teamwerk-demo"

ORGANISATIONS = [
    {
        "name": "Scholengroep Demo",
        "kind": OrganisationKind.GROUP,
        "region": Region.FLANDERS,
        "schools": [
            ("Campus Noord", "012345", SchoolLevel.SECONDARY, 420),
            ("Campus Zuid", "012346", SchoolLevel.SECONDARY, 300),
            ("Basisschool De Linde", "012347", SchoolLevel.NURSERY_PRIMARY, 120),
        ],
    },
    {
        "name": "Stichting Demo",
        "kind": OrganisationKind.BOARD,
        "region": Region.NETHERLANDS,
        "schools": [
            ("Het Baken", "12AB", SchoolLevel.SECONDARY, 500),
            ("De Vlinder", "34CD", SchoolLevel.NURSERY_PRIMARY, 160),
        ],
    },
]

# (e-mail, first name, last name, organisation, school or None, role)
ACCOUNTS = [
    (
        "beheerder@scholengroep-demo.be",
        "Bert",
        "Beheerder",
        "Scholengroep Demo",
        None,
        Role.BEHEERDER,
    ),
    (
        "directie.noord@scholengroep-demo.be",
        "Nadia",
        "Noorden",
        "Scholengroep Demo",
        "Campus Noord",
        Role.DIRECTIE,
    ),
    (
        "ict.noord@scholengroep-demo.be",
        "Ilse",
        "Verbeke",
        "Scholengroep Demo",
        "Campus Noord",
        Role.ICT,
    ),
    (
        "teamlid.noord@scholengroep-demo.be",
        "Tom",
        "Peeters",
        "Scholengroep Demo",
        "Campus Noord",
        Role.TEAMLID,
    ),
    (
        "lezer@scholengroep-demo.be",
        "Lotte",
        "Lezer",
        "Scholengroep Demo",
        "Campus Noord",
        Role.LEZER,
    ),
    (
        "directie.zuid@scholengroep-demo.be",
        "Zeno",
        "Zuidema",
        "Scholengroep Demo",
        "Campus Zuid",
        Role.DIRECTIE,
    ),
    (
        "directeur@scholengroep-demo.be",
        "Dirk",
        "Coördinerend",
        "Scholengroep Demo",
        None,
        Role.DIRECTIE,
    ),
    ("beheerder@stichting-demo.nl", "Sanne", "de Vries", "Stichting Demo", None, Role.BEHEERDER),
]

DEMO_ACCOUNTS_HELP = [
    ("beheerder@scholengroep-demo.be", "beheerder, Scholengroep Demo"),
    ("directeur@scholengroep-demo.be", "directie (alle scholen), Scholengroep Demo"),
    ("directie.noord@scholengroep-demo.be", "directie, Campus Noord"),
    ("ict.noord@scholengroep-demo.be", "ict-coördinator, Campus Noord"),
    ("teamlid.noord@scholengroep-demo.be", "teamlid, Campus Noord"),
    ("lezer@scholengroep-demo.be", "lezer, Campus Noord"),
    ("directie.zuid@scholengroep-demo.be", "directie, Campus Zuid"),
    ("beheerder@stichting-demo.nl", "beheerder, Stichting Demo"),
]


def seed(context: dict) -> None:
    organisations = {}
    schools = {}
    for spec in ORGANISATIONS:
        organisation = Organisation.objects.filter(name=spec["name"]).first()
        if organisation is None:
            organisation = services.organisation_create(
                name=spec["name"],
                kind=spec["kind"],
                region=spec["region"],
                require_mfa_for_admins=False,  # the demo accounts sign in without a second factor
            )
        organisations[organisation.name] = organisation
        for name, number, level, hours in spec["schools"]:
            school = organisation.schools.filter(name=name).first() or services.school_create(
                organisation=organisation,
                name=name,
                number=number,
                level=level,
                ict_hours_available=hours,
            )
            schools[name] = school
    for email, first, last, org_name, school_name, role in ACCOUNTS:
        user = User.objects.filter(email=email).first() or user_create(
            email=email, password=DEMO_PASSWORD, first_name=first, last_name=last
        )
        services.membership_grant(
            actor=None,
            user=user,
            organisation=organisations[org_name],
            school=schools[school_name] if school_name else None,
            role=role,
        )
    context["organisations"] = organisations
    context["schools"] = schools
