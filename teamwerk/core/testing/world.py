"""The demo world as tests see it: named users and schools (alice/bob/charlie style)."""

from __future__ import annotations

from dataclasses import dataclass, field

from teamwerk.accounts.models import User
from teamwerk.tenancy.models import Membership, Organisation, School

# The users the access test walks every URL as, by their key.
USER_EMAILS = {
    "beheerder": "beheerder@scholengroep-demo.be",
    "directeur": "directeur@scholengroep-demo.be",
    "directie_noord": "directie.noord@scholengroep-demo.be",
    "ict_noord": "ict.noord@scholengroep-demo.be",
    "teamlid_noord": "teamlid.noord@scholengroep-demo.be",
    "lezer_noord": "lezer@scholengroep-demo.be",
    "directie_zuid": "directie.zuid@scholengroep-demo.be",
    "beheerder_stichting": "beheerder@stichting-demo.nl",
}
ANONYMOUS = "anonymous"
ALL_USERS = (ANONYMOUS, *USER_EMAILS)


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    organisation: Organisation | None = None
    other_organisation: Organisation | None = None
    noord: School | None = None
    zuid: School | None = None

    def membership(self, key: str) -> Membership:
        return Membership.objects.get(user=self.users[key])


def load_world() -> World:
    world = World()
    world.users = {key: User.objects.get(email=email) for key, email in USER_EMAILS.items()}
    world.organisation = Organisation.objects.get(name="Scholengroep Demo")
    world.other_organisation = Organisation.objects.get(name="Stichting Demo")
    world.noord = School.objects.get(name="Campus Noord")
    world.zuid = School.objects.get(name="Campus Zuid")
    return world
