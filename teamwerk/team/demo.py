"""Demo people, expertise and motivation, distributions and agreements, through the services.

Deterministic (fixed names, a seeded random per school) and idempotent: every part is only
created when the school has none of it yet.

- Campus Noord: a complete distribution with back-ups and mandates, all five kinds of
  agreements, and a few changes dated in the past (the history page shows them).
- Campus Zuid: half done: tasks without trekker, someone over their hours, knowledge that
  sits with one person, a domain nobody masters; two agreements.
- Het Baken: complete; Basisschool De Linde: mostly done; De Vlinder: people only.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from teamwerk.accounts.models import User
from teamwerk.catalogue.models import Domain, Profile
from teamwerk.planning.models import Horizon, PlannedTask, Sourcing, TaskPlan
from teamwerk.tenancy.models import School, SchoolYear
from teamwerk.tenancy.selectors import current_school_year

from . import services
from .models import Agreement, AgreementKind, Assignment, Availability, Competence, Mandate, Person
from .selectors import DISTRIBUTABLE, task_hours

DOMAINS = ("POL", "SUP", "PED", "TEC", "PRO", "COO")


@dataclass
class Member:
    """One member of a school's ICT team as the demo wants it."""

    first_name: str
    last_name: str
    job_title: str
    hours: int
    skills: dict[str, tuple[int, int]]  # domain code -> (expertise, motivation)
    qualified: bool = True
    profile: str = ""
    email: str = ""
    external: bool = False
    also: dict[str, int] = field(default_factory=dict)  # other school -> hours there


# The ICT teams of the two Flemish campuses are written out: the demo tells a story there.
NOORD = [
    Member(
        "Ilse",
        "Verbeke",
        "ICT-coördinator",
        160,
        {"POL": (3, 3), "SUP": (3, 2), "PED": (2, 3), "TEC": (2, 2), "PRO": (3, 3), "COO": (3, 3)},
        profile="PED_COORD",
        email="ict.noord@scholengroep-demo.be",
    ),
    Member(
        "Tom",
        "Peeters",
        "leraar informatica",
        60,
        {"POL": (1, 1), "SUP": (2, 3), "PED": (3, 3), "TEC": (2, 2), "PRO": (2, 2), "COO": (1, 2)},
        profile="ICOACH",
        email="teamlid.noord@scholengroep-demo.be",
    ),
    Member(
        "Nadia",
        "Noorden",
        "directeur",
        24,
        {"POL": (3, 2), "SUP": (1, 1), "PED": (2, 1), "TEC": (0, 0), "PRO": (1, 1), "COO": (2, 2)},
        email="directie.noord@scholengroep-demo.be",
    ),
    Member(
        "Wim",
        "Claes",
        "technicus",
        110,
        {"POL": (1, 0), "SUP": (2, 2), "PED": (0, 0), "TEC": (3, 3), "PRO": (1, 1), "COO": (1, 1)},
        qualified=False,
        profile="NET_ADMIN",
        also={"Campus Zuid": 40},
    ),
    Member(
        "Sofie",
        "Maes",
        "leraar wiskunde",
        40,
        {"POL": (1, 1), "SUP": (2, 2), "PED": (2, 3), "TEC": (1, 1), "PRO": (2, 3), "COO": (1, 1)},
        profile="ICOACH",
    ),
    Member(
        "Jeroen",
        "Wouters",
        "leraar STEM",
        40,
        {"POL": (1, 1), "SUP": (1, 2), "PED": (2, 2), "TEC": (2, 3), "PRO": (2, 2), "COO": (1, 1)},
    ),
    Member(
        "Lien",
        "Jacobs",
        "leerlingenbegeleider",
        30,
        {"POL": (2, 2), "SUP": (2, 2), "PED": (1, 1), "TEC": (0, 1), "PRO": (1, 1), "COO": (2, 2)},
        profile="ISP_OFFICER",
    ),
    Member(
        "Koen",
        "De Smet",
        "secretariaatsmedewerker",
        40,
        {"POL": (1, 1), "SUP": (2, 3), "PED": (0, 0), "TEC": (2, 2), "PRO": (1, 1), "COO": (1, 1)},
        qualified=False,
        profile="APP_MGR",
    ),
    Member(
        "Peter",
        "Goossens",
        "netwerkpartner (NetWijs bv)",
        30,
        {"POL": (0, 0), "SUP": (1, 1), "PED": (0, 0), "TEC": (3, 2), "PRO": (0, 0), "COO": (0, 0)},
        qualified=False,
        external=True,
        profile="NET_ADMIN",
    ),
]
# Nobody at Zuid masters cooperation (COO); only Wim (40 hours here) knows the technical work.
ZUID = [
    Member(
        "Zeno",
        "Zuidema",
        "directeur",
        16,
        {"POL": (2, 2), "SUP": (1, 1), "PED": (1, 1), "TEC": (0, 0), "PRO": (1, 1), "COO": (1, 1)},
        email="directie.zuid@scholengroep-demo.be",
    ),
    Member(
        "Hanne",
        "Vermeulen",
        "ICT-coördinator",
        80,
        {"POL": (1, 2), "SUP": (2, 3), "PED": (2, 2), "TEC": (1, 1), "PRO": (2, 2), "COO": (1, 2)},
        profile="PED_COORD",
    ),
    Member(
        "Bram",
        "Willems",
        "leraar informatica",
        40,
        {"POL": (0, 1), "SUP": (1, 2), "PED": (2, 2), "TEC": (1, 2), "PRO": (1, 2), "COO": (0, 1)},
    ),
    Member(
        "Eline",
        "Dubois",
        "leraar Frans",
        20,
        {"POL": (0, 0), "SUP": (1, 1), "PED": (1, 2), "TEC": (0, 0), "PRO": (1, 2), "COO": (1, 1)},
    ),
    Member(
        "Stijn",
        "Lambrechts",
        "leraar LO",
        20,
        {"POL": (0, 0), "SUP": (1, 1), "PED": (1, 1), "TEC": (0, 1), "PRO": (0, 1), "COO": (0, 0)},
    ),
    Member(
        "Femke",
        "Hermans",
        "secretariaatsmedewerker",
        30,
        {"POL": (0, 0), "SUP": (1, 2), "PED": (0, 0), "TEC": (1, 1), "PRO": (0, 1), "COO": (1, 1)},
        qualified=False,
        profile="APP_MGR",
    ),
]

FLEMISH_FIRST = [
    "Anke",
    "Bert",
    "Carine",
    "Dirk",
    "Evelien",
    "Frederik",
    "Greet",
    "Hilde",
    "Ides",
    "Joke",
    "Kris",
    "Leen",
    "Mathias",
    "Nele",
    "Olivier",
    "Pieter",
    "Ruben",
    "Sarah",
    "Thomas",
    "Veerle",
    "Ward",
    "Yana",
    "Jens",
    "Lore",
    "Arne",
    "Fien",
    "Gilles",
    "Lars",
    "Marthe",
    "Nathan",
    "Roos",
    "Seppe",
    "Tine",
    "Wout",
    "Elke",
    "Joris",
    "Kato",
    "Lander",
    "Inge",
    "Bavo",
]
FLEMISH_LAST = [
    "Aerts",
    "Bogaert",
    "Declercq",
    "Desmet",
    "Dewulf",
    "Janssens",
    "Lambert",
    "Martens",
    "Mertens",
    "Michiels",
    "Pauwels",
    "Renders",
    "Smets",
    "Stevens",
    "Timmermans",
    "Van Damme",
    "Van den Broeck",
    "Vandenberghe",
    "Verhoeven",
    "Verlinden",
    "Coppens",
    "De Backer",
    "Segers",
    "Cools",
    "Leys",
    "Baert",
    "Vervoort",
    "Wuyts",
    "Geerts",
    "Hendrickx",
]
DUTCH_FIRST = [
    "Anouk",
    "Bas",
    "Daan",
    "Eva",
    "Gijs",
    "Hanna",
    "Joost",
    "Kim",
    "Lieke",
    "Maarten",
    "Noor",
    "Pim",
    "Ruud",
    "Sanne",
    "Thijs",
    "Vera",
    "Wouter",
    "Yara",
    "Fleur",
    "Jesse",
    "Lotte",
    "Mila",
    "Niels",
    "Sem",
    "Tess",
    "Luuk",
    "Iris",
    "Koen",
    "Marloes",
    "Rik",
    "Saskia",
    "Tim",
    "Wendy",
    "Youssef",
    "Esther",
    "Floor",
    "Hidde",
    "Ilse",
    "Jasper",
    "Merel",
]
DUTCH_LAST = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "de Graaf",
    "van der Meer",
    "Kok",
    "de Haan",
    "van den Heuvel",
    "van der Veen",
    "Koster",
    "Prins",
    "Huisman",
    "Kuipers",
]
FLEMISH_JOBS_SECONDARY = [
    "leraar Nederlands",
    "leraar Frans",
    "leraar Engels",
    "leraar wiskunde",
    "leraar geschiedenis",
    "leraar aardrijkskunde",
    "leraar LO",
    "leraar biologie",
    "leraar chemie",
    "leraar fysica",
    "leraar economie",
    "leraar levensbeschouwing",
    "leerlingenbegeleider",
    "opvoeder",
]
FLEMISH_JOBS_PRIMARY = [
    "leraar lager onderwijs",
    "kleuteronderwijzer",
    "zorgleerkracht",
    "leraar LO",
]
DUTCH_JOBS_SECONDARY = [
    "docent Nederlands",
    "docent Engels",
    "docent Duits",
    "docent wiskunde",
    "docent geschiedenis",
    "docent aardrijkskunde",
    "docent LO",
    "docent biologie",
    "docent scheikunde",
    "docent natuurkunde",
    "docent economie",
    "mentor",
    "zorgcoördinator",
    "onderwijsassistent",
]
DUTCH_JOBS_PRIMARY = [
    "leerkracht groep 3",
    "leerkracht groep 5",
    "leerkracht groep 8",
    "intern begeleider",
]
NOT_TEACHING = {"opvoeder", "onderwijsassistent", "secretariaatsmedewerker", "technicus"}

# staff size, ICT members to generate, how far the distribution goes, who divides the tasks
SCHOOL_PLANS = {
    "Campus Noord": {
        "staff": 32,
        "members": NOORD,
        "distribution": "complete",
        "divided_by": "ict.noord@scholengroep-demo.be",
        "changed_by": "directie.noord@scholengroep-demo.be",
    },
    "Campus Zuid": {
        "staff": 26,
        "members": ZUID,
        "distribution": "half",
        "divided_by": "directie.zuid@scholengroep-demo.be",
    },
    "Basisschool De Linde": {"staff": 16, "generate": 6, "distribution": "mostly"},
    "Het Baken": {"staff": 38, "generate": 10, "distribution": "complete"},
    "De Vlinder": {"staff": 18, "generate": 6, "distribution": None},
}

MANDATES = {
    "POL": (Mandate.ADVISES, "bereidt voor en adviseert; de directie beslist"),
    "SUP": (Mandate.DECIDES, "beslist zelf hoe de ondersteuning loopt"),
    "PED": (Mandate.EXECUTES, "werkt uit wat de vakgroepen vragen"),
    "TEC": (Mandate.DECIDES, "beslist zelf over het dagelijkse beheer"),
    "PRO": (Mandate.EXECUTES, "plant samen met de directie"),
    "COO": (Mandate.ADVISES, "vertegenwoordigt de school en brengt verslag uit"),
}
BUDGET_TASKS = {"POL-03": Decimal("2500"), "POL-05": Decimal("5000"), "TEC-01": Decimal("1500")}


def seed(context: dict) -> None:
    domains = {d.code: d for d in Domain.objects.all()}
    profiles = {p.code: p for p in Profile.objects.all()}
    people_by_school: dict[str, list[Person]] = {}
    for school_name, spec in SCHOOL_PLANS.items():
        school = context["schools"][school_name]
        year = current_school_year(school.organisation)
        _ensure_plan(school, year)
        people_by_school[school_name] = _seed_people(school, year, spec, domains, profiles, context)
    for school_name, spec in SCHOOL_PLANS.items():
        school = context["schools"][school_name]
        year = current_school_year(school.organisation)
        plan = TaskPlan.objects.filter(school=school, school_year=year).first()
        # Everyone with ICT hours here, also people of another school who help out.
        team = list(
            Person.objects.filter(
                availabilities__school=school,
                availabilities__school_year=year,
                availabilities__hours_available__gt=0,
                active=True,
            ).order_by("pk")
        )
        _seed_task_skills(school, plan, team, domains)
        if plan is not None and spec["distribution"]:
            _seed_distribution(school, year, plan, team, spec)
        _seed_agreements(school, year, team)
    context["team_people"] = people_by_school


# --------------------------------------------------------------------------------- plans


def _ensure_plan(school: School, year: SchoolYear) -> TaskPlan | None:
    """The planning demo runs first and makes the plans. When it made none for this school
    (a partial checkout), a plan is made here through the planning services, with the
    common choices of a school that starts."""
    plan = TaskPlan.objects.filter(school=school, school_year=year).first()
    if plan is not None:
        return plan
    try:
        from teamwerk.planning.services import (
            plan_create_from_catalogue,
            planned_tasks_bulk_update,
        )
    except ImportError:
        return None
    actor = (
        User.objects.filter(
            memberships__organisation=school.organisation,
            memberships__school__isnull=True,
            memberships__role="beheerder",
        )
        .order_by("pk")
        .first()
    )
    plan = plan_create_from_catalogue(
        actor=actor, school=school, organisation=school.organisation, school_year=year
    )
    items = list(plan.items.select_related("task").order_by("task__code"))
    now, later, outsource, recruit = [], [], [], []
    for index, item in enumerate(items):
        task = item.task
        if task.core or index % 3 == 0:
            now.append(item)
        elif task.outsourceable and task.technical and index % 4 == 1:
            outsource.append(item)
        elif task.strategic and index % 5 == 2:
            recruit.append(item)
        else:
            later.append(item)
    common = {"applies": True, "level": "school"}
    planned_tasks_bulk_update(
        actor=actor,
        plan=plan,
        items_or_domain=now,
        use_usual_hours=True,
        horizon=Horizon.NOW,
        sourcing=Sourcing.TEAM,
        **common,
    )
    planned_tasks_bulk_update(
        actor=actor,
        plan=plan,
        items_or_domain=later,
        use_usual_hours=True,
        horizon=Horizon.LATER,
        sourcing=Sourcing.TEAM,
        **common,
    )
    planned_tasks_bulk_update(
        actor=actor,
        plan=plan,
        items_or_domain=outsource,
        use_usual_hours=True,
        horizon=Horizon.NOW,
        sourcing=Sourcing.OUTSOURCE,
        **common,
    )
    planned_tasks_bulk_update(
        actor=actor,
        plan=plan,
        items_or_domain=recruit,
        use_usual_hours=True,
        horizon=Horizon.NOW,
        sourcing=Sourcing.RECRUIT,
        **common,
    )
    return plan


# -------------------------------------------------------------------------------- people


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in text if ch.isalnum())


def _email_domain(school: School) -> str:
    return "stichting-demo.nl" if school.organisation.region == "NL" else "scholengroep-demo.be"


def _generated_members(school: School, spec: dict, rng: random.Random) -> list[Member]:
    dutch = school.organisation.region == "NL"
    primary = school.level == "basis"
    first_names = DUTCH_FIRST if dutch else FLEMISH_FIRST
    last_names = DUTCH_LAST if dutch else FLEMISH_LAST
    coordinator = "ICT-coördinator" if not dutch else "ICT-coördinator"
    titles = [coordinator, "technicus" if not primary else "leerkracht met ICT-taak"]
    if dutch:
        titles += ["docent informatica", "onderwijsassistent", "docent wiskunde", "mentor"]
    else:
        titles += ["leraar informatica", "leraar STEM", "zorgcoördinator", "leraar wiskunde"]
    members = []
    for index in range(spec["generate"]):
        title = titles[index] if index < len(titles) else rng.choice(_jobs(dutch, primary))
        skills = {
            code: (rng.choice([0, 1, 1, 2, 2, 3]), rng.choice([0, 1, 2, 2, 3])) for code in DOMAINS
        }
        if title == "technicus":
            skills["TEC"] = (3, 3)
        if title.startswith("ICT"):
            skills.update({"POL": (3, 3), "SUP": (3, 2), "COO": (2, 3)})
        members.append(
            Member(
                first_names[(index * 7 + len(school.name)) % len(first_names)],
                last_names[(index * 11 + len(school.name) * 3) % len(last_names)],
                title,
                [120, 80, 40, 40, 30, 30, 24, 20, 20, 16][index % 10],
                skills,
                qualified=title not in NOT_TEACHING and title != "technicus",
                profile={0: "PED_COORD", 1: "NET_ADMIN", 2: "ICOACH"}.get(index, ""),
            )
        )
    return members


def _jobs(dutch: bool, primary: bool) -> list[str]:
    if dutch:
        return DUTCH_JOBS_PRIMARY if primary else DUTCH_JOBS_SECONDARY
    return FLEMISH_JOBS_PRIMARY if primary else FLEMISH_JOBS_SECONDARY


def _seed_people(school, year, spec, domains, profiles, context) -> list[Person]:
    rng = random.Random(f"teamwerk-team-{school.name}")  # noqa: S311 - demo data
    organisation = school.organisation
    members = spec.get("members") or _generated_members(school, spec, rng)
    people = []
    for member in members:
        person = _person_for(school, year, member, profiles, context)
        people.append(person)
        if not person.competences.exists():
            actor = person.user  # people with an account filled in their own answers
            if actor is None and school.name == "Campus Noord":
                actor = User.objects.filter(email="ict.noord@scholengroep-demo.be").first()
            services.competences_save(
                actor=actor,
                person=person,
                entries=[
                    services.CompetenceEntry(
                        domain=domains[code],
                        task=None,
                        expertise=expertise,
                        motivation=motivation,
                        development_wish=_wish(code, expertise, motivation),
                    )
                    for code, (expertise, motivation) in member.skills.items()
                    if code in domains
                ],
            )
    # The rest of the staff: a place in the school, no ICT hours (yet). Their names come
    # from a fixed walk through the lists, so a second run finds the same people again.
    dutch = organisation.region == "NL"
    first_names = DUTCH_FIRST if dutch else FLEMISH_FIRST
    last_names = DUTCH_LAST if dutch else FLEMISH_LAST
    jobs = _jobs(dutch, school.level == "basis")
    taken = context.setdefault("team_demo_names", {}).setdefault(organisation.pk, set())
    taken.update((m.first_name, m.last_name) for m in members)
    staff_needed = spec["staff"] - len(members)
    index = 0
    while staff_needed > 0 and index < 5000:
        first = first_names[(index * 13 + len(school.name)) % len(first_names)]
        last = last_names[
            (index * 17 + len(school.name) * 5 + index // len(first_names)) % len(last_names)
        ]
        index += 1
        if (first, last) in taken:
            continue
        taken.add((first, last))
        job = jobs[index % len(jobs)]
        member = Member(first, last, job, 0, {}, qualified=job not in NOT_TEACHING)
        _person_for(school, year, member, profiles, context)
        staff_needed -= 1
    return people


def _person_for(school, year, member: Member, profiles, context) -> Person:
    organisation = school.organisation
    email = member.email or (
        f"{_slug(member.first_name)}.{_slug(member.last_name)}@{_email_domain(school)}"
    )
    person = Person.objects.filter(organisation=organisation, email=email).first()
    if person is None:
        person = services.person_create(
            actor=None,
            organisation=organisation,
            school=school,
            school_year=year,
            first_name=member.first_name,
            last_name=member.last_name,
            email=email,
            job_title=member.job_title,
            profile=profiles.get(member.profile),
            pedagogically_qualified=member.qualified,
            external=member.external,
            hours_available=Decimal(member.hours),
        )
        # The demo's accounts are linked to their own entry on purpose (as a directie would).
        account = User.objects.filter(email=email).first() if member.email else None
        if account is not None and account.memberships.filter(organisation=organisation).exists():
            person = services.person_link_user(actor=None, person=person, user=account)
    elif not Availability.objects.filter(person=person, school=school, school_year=year).exists():
        services.availability_set(
            actor=None, person=person, school=school, school_year=year, hours_available=member.hours
        )
    for other_name, hours in member.also.items():
        other = context["schools"][other_name]
        if not Availability.objects.filter(person=person, school=other, school_year=year).exists():
            services.availability_set(
                actor=None, person=person, school=other, school_year=year, hours_available=hours
            )
    return person


def _wish(code: str, expertise: int, motivation: int) -> str:
    if motivation >= 2 and expertise <= 1:
        return {
            "POL": "Meer leren over privacy en het ICT-beleidsplan.",
            "SUP": "Een opleiding over hoe je collega's coacht.",
            "PED": "Ideeën om digitale toetsen goed in te zetten.",
            "TEC": "Een cursus over het beheer van Chromebooks en het netwerk.",
            "PRO": "Een studiedag over nieuwe digitale didactiek.",
            "COO": "Leren hoe je een werkgroep goed begeleidt.",
        }.get(code, "")
    return ""


def _seed_task_skills(school, plan, team: list[Person], domains) -> None:
    """A few answers per task, where someone knows one task better than the domain."""
    if plan is None or not team:
        return
    tasks = list(
        PlannedTask.objects.filter(plan=plan).filter(DISTRIBUTABLE).select_related("task__domain")
    )
    if not tasks:
        return
    for index, person in enumerate(team[:6]):
        if Competence.objects.filter(person=person, task__isnull=False).exists():
            continue
        domain_skills = {
            c.domain_id: c for c in Competence.objects.filter(person=person, task__isnull=True)
        }
        picks = [tasks[(index * 5 + step * 7) % len(tasks)] for step in range(2)]
        entries = []
        for planned in picks:
            base = domain_skills.get(planned.task.domain_id)
            expertise = min(3, (base.expertise if base else 1) + 1)
            motivation = 3 if index % 2 == 0 else max(0, (base.motivation if base else 1) - 1)
            entries.append(
                services.CompetenceEntry(
                    domain=planned.task.domain,
                    task=planned.task,
                    expertise=expertise,
                    motivation=motivation,
                )
            )
        services.competences_save(actor=person.user, person=person, entries=entries)


# -------------------------------------------------------------------------- distribution


def _score(person: Person, planned, skills) -> int:
    competences = skills.get(person.pk, {})
    skill = competences.get(("t", planned.task_id)) or competences.get(
        ("d", planned.task.domain_id)
    )
    if skill is None:
        return 0
    return skill[0] * 3 + skill[1] * 2


def _seed_distribution(school, year, plan, team: list[Person], spec: dict) -> None:
    if Assignment.objects.filter(planned_task__plan=plan).exists() or not team:
        return
    how = spec["distribution"]
    # The history shows who divided the tasks: the school's own people where they have an account.
    actor = User.objects.filter(email=spec.get("divided_by", "")).first()
    tasks = list(
        PlannedTask.objects.filter(plan=plan)
        .filter(DISTRIBUTABLE)
        .select_related("task__domain", "plan__school_year")
        .order_by("task__domain__order", "task__code")
    )
    skills: dict[int, dict] = {}
    for c in Competence.objects.filter(person__in=team):
        key = ("t", c.task_id) if c.task_id else ("d", c.domain_id)
        skills.setdefault(c.person_id, {})[key] = (c.expertise, c.motivation)
    available = {
        a.person_id: a.hours_available
        for a in Availability.objects.filter(school=school, school_year=year, person__in=team)
    }
    load = {p.pk: Decimal(0) for p in team}
    respect_hours = how in ("complete", "mostly")
    started = timezone.now()
    changes = []
    for index, planned in enumerate(tasks):
        if how == "half" and index % 2 == 1:
            continue
        if how == "mostly" and index % 5 == 4:
            continue
        hours = task_hours(planned)
        eligible = [
            p
            for p in team
            if p.pedagogically_qualified or not planned.task.needs_pedagogical_qualification
        ]
        if not eligible:
            continue

        def owner_rank(person, planned=planned, hours=hours):
            room = available.get(person.pk, Decimal(0)) - load[person.pk]
            fits = room >= hours or not respect_hours
            return (fits, _score(person, planned, skills), room, -person.pk)

        owner = max(eligible, key=owner_rank)
        mandate, note = MANDATES.get(planned.task.domain.code, (Mandate.EXECUTES, ""))
        budget = BUDGET_TASKS.get(planned.task.code)
        services.assignment_set_owner(
            actor=actor,
            planned_task=planned,
            person=owner,
            mandate=Mandate.BUDGET if budget else mandate,
            mandate_budget=budget,
            mandate_note=(
                "aankopen boven dit bedrag eerst met de directie bespreken" if budget else note
            ),
            starts_on=year.starts_on,
        )
        load[owner.pk] += hours
        wants_backup = {
            "complete": index % 6 != 5,
            "mostly": index % 2 == 0,
            "half": index % 5 == 0,
        }[how]
        others = [p for p in eligible if p.pk != owner.pk]
        if wants_backup and others:
            backup = max(others, key=lambda p, planned=planned: (_score(p, planned, skills), -p.pk))
            services.assignment_add_backup(
                actor=actor, planned_task=planned, person=backup, hours=2, starts_on=year.starts_on
            )
            load[backup.pk] += 2
            if how == "complete" and len(changes) < 3 and index % 4 == 1:
                changes.append((planned, owner, backup))
    if how == "complete":
        # A complete distribution also fits in everyone's hours: top up where it does not.
        for person in team:
            if load[person.pk] > available.get(person.pk, Decimal(0)):
                services.availability_set(
                    actor=None,
                    person=person,
                    school=school,
                    school_year=year,
                    hours_available=Decimal(math.ceil(load[person.pk] / 10) * 10),
                )
    if how == "half" and not any(load[p.pk] > available.get(p.pk, 0) for p in team):
        # The half-done school has someone with more tasks than hours: the dashboard's point.
        busiest = max(team, key=lambda p: (load[p.pk], -p.pk))
        services.availability_set(
            actor=None,
            person=busiest,
            school=school,
            school_year=year,
            hours_available=Decimal(int(load[busiest.pk] * 3 / 4)),
        )
    if school.name == "Campus Noord":
        changer = User.objects.filter(email=spec.get("changed_by", "")).first()
        _seed_past_changes(school, started, changes, changer)


def _seed_past_changes(school, started, changes, actor) -> None:
    """The distribution was made six weeks ago; ten days ago three tasks changed hands."""
    now = timezone.now()
    made = now - dt.timedelta(days=40)
    changed = now - dt.timedelta(days=10)
    Assignment.history.filter(school=school, history_date__gte=started).update(history_date=made)
    moment = timezone.now()
    for planned, owner, backup in changes:
        services.distribution_apply(
            actor=actor,
            planned_task=planned,
            owner=backup,
            backups=[owner],
            reason="wissel na het teamoverleg",
        )
    Assignment.history.filter(school=school, history_date__gte=moment).update(history_date=changed)


# ---------------------------------------------------------------------------- agreements


AGREEMENTS = {
    "Campus Noord": [
        (
            AgreementKind.KNOWLEDGE,
            "Op elke personeelsvergadering toont iemand van het ICT-team in tien minuten iets "
            "nieuws. Wie een toepassing uitprobeert, schrijft er een korte handleiding bij.",
            {},
            ("Tom", "Peeters"),
            9,
            150,
        ),
        (
            AgreementKind.BACKUP,
            "Elke taak heeft een back-up die minstens één keer per trimester meekijkt met de "
            "trekker. Is de trekker langer dan een week afwezig, dan neemt de back-up over en "
            "laat dat aan de ICT-coördinator weten.",
            {},
            ("Ilse", "Verbeke"),
            9,
            150,
        ),
        (
            AgreementKind.DOCUMENTATION,
            "Procedures, contactgegevens van leveranciers en afspraken over accounts (nooit de "
            "wachtwoorden zelf) staan op één plek. Wie iets verandert, past de documentatie "
            "dezelfde week aan.",
            {"documentation_location": "Teams-kanaal ‘ICT-team’ › Bestanden › Documentatie"},
            ("Wim", "Claes"),
            12,
            120,
        ),
        (
            AgreementKind.ORGANISATION,
            "Het ICT-team komt elke maand samen; de directie schuift één keer per trimester aan.",
            {
                "meeting_rhythm": "elke eerste dinsdag van de maand, 15.45–16.45 uur",
                "channel": "Teams-kanaal ‘ICT-team’",
            },
            ("Ilse", "Verbeke"),
            5,
            60,
        ),
        (
            AgreementKind.WORKING,
            "Vragen van collega's komen binnen via het meldpunt op het intranet, niet in de "
            "gang. Wie een melding oppakt, zet er zijn naam bij. Aankopen boven het mandaat "
            "gaan eerst langs de directie.",
            {},
            ("Nadia", "Noorden"),
            5,
            45,
        ),
    ],
    "Campus Zuid": [
        (
            AgreementKind.KNOWLEDGE,
            "Wie een opleiding volgt over ICT, vertelt er op het volgende teamoverleg kort over.",
            {},
            ("Hanne", "Vermeulen"),
            20,
            200,
        ),
        (
            AgreementKind.ORGANISATION,
            "Het ICT-team komt samen wanneer er iets dringends is.",
            {"meeting_rhythm": "onregelmatig", "channel": "e-mail"},
            None,
            20,
            None,
        ),
    ],
    "Het Baken": [
        (
            AgreementKind.BACKUP,
            "Voor elke taak is er een vaste vervanger die de toegang en de documentatie heeft.",
            {},
            None,
            14,
            180,
        ),
        (
            AgreementKind.DOCUMENTATION,
            "Alle werkinstructies staan in de gedeelde map van de sectie ICT.",
            {"documentation_location": "SharePoint › ICT › Werkinstructies"},
            None,
            14,
            180,
        ),
        (
            AgreementKind.ORGANISATION,
            "De ICT-werkgroep komt om de zes weken samen, aansluitend op de sectievergadering.",
            {"meeting_rhythm": "om de zes weken", "channel": "Teams-groep ‘ICT-werkgroep’"},
            None,
            14,
            90,
        ),
    ],
}


def _seed_agreements(school, year, team: list[Person]) -> None:
    specs = AGREEMENTS.get(school.name)
    if not specs or Agreement.objects.filter(school=school, school_year=year).exists():
        return
    by_name = {(p.first_name, p.last_name): p for p in team}
    for kind, text, extra, responsible, agreed_day, review_day in specs:
        agreed = year.starts_on + dt.timedelta(days=agreed_day)
        services.agreement_create(
            actor=None,
            school=school,
            school_year=year,
            kind=kind,
            text=text,
            agreed_on=agreed,
            review_on=agreed + dt.timedelta(days=review_day) if review_day else None,
            responsible=by_name.get(responsible) if responsible else (team[0] if team else None),
            **extra,
        )
