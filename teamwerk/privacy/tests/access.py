"""Who gets what from each privacy URL (objects of Campus Noord; see core/testing/access.py).

A person's data (PDF, JSON) is for the person themself (Tom Peeters, teamlid_noord), the
directie of a school they work in, the directeur and the beheerder of the organisation; erasing
is for the same people except the person. The ICT coordinator, the lezer, other schools and
other organisations get 404. The retention settings are for who manages the organisation
(each beheerder their own); the register is for everyone with a role.
"""

from teamwerk.core.testing.access import Row, only, signed_in

LEADERS = {"beheerder": 200, "directeur": 200, "directie_noord": 200}


def _tom(world):
    from teamwerk.team.models import Person

    return {"pk": Person.objects.get(email="teamlid.noord@scholengroep-demo.be").pk}


URL_ACCESS = {
    "privacy_person_json": Row(only({**LEADERS, "teamlid_noord": 200}), _tom),
    "privacy_person_pdf": Row(only({**LEADERS, "teamlid_noord": 200}), _tom),
    "privacy_person_erase": Row(only(LEADERS), _tom),
    "privacy_retention": Row(only({"beheerder": 200, "beheerder_stichting": 200})),
    "privacy_register": Row(signed_in()),
}
