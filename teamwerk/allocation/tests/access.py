"""Who gets what from each URL of the allocation assistant (objects of Campus Noord).

Everyone with a role in Campus Noord reads its proposals; directie, ICT-coördinator and the
organisation-wide roles start one and accept (teamlid and lezer get 403); other schools and
organisations get 404. A proposal for the group's plan is only for organisation-wide roles.
"""

from teamwerk.core.testing.access import NOORD_ROLES, Row, only, signed_in

READ_NOORD = dict.fromkeys(NOORD_ROLES, 200)
WRITE_NOORD = {
    "beheerder": 302,
    "directeur": 302,
    "directie_noord": 302,
    "ict_noord": 302,
    "teamlid_noord": 403,
    "lezer_noord": 403,
}
# The start pages work on the user's own current school: read-only roles get 403 there.
FORM_PAGES = signed_in(200, teamlid_noord=403, lezer_noord=403)


def _noord_run(world):
    from teamwerk.allocation.problem import ProposalOptions
    from teamwerk.allocation.services import proposal_start

    run = proposal_start(
        actor=world.users["ict_noord"],
        organisation=world.organisation,
        school=world.noord,
        options=ProposalOptions(),
    )
    return {"pk": run.pk}


URL_ACCESS = {
    "allocation_home": Row(signed_in()),
    "allocation_start": Row(FORM_PAGES),
    "allocation_whatif": Row(FORM_PAGES),
    "allocation_run": Row(only(READ_NOORD), kwargs=_noord_run),
    "allocation_progress": Row(only(READ_NOORD), kwargs=_noord_run),
    # Starting a run again needs the right to start one; the run must have failed (it did
    # not: the row checks who is let through to that check, 302 back to the run).
    "allocation_restart": Row(only(WRITE_NOORD), kwargs=_noord_run, method="post"),
    "allocation_accept": Row(
        only(WRITE_NOORD), kwargs=_noord_run, method="post", data=lambda w: {"all": "1"}
    ),
}
