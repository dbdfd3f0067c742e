from teamwerk.core.testing.access import Row, only

MANAGERS = {
    "beheerder": 200,
    "directeur": 200,
    "directie_noord": 200,
    "directie_zuid": 200,
    "beheerder_stichting": 200,
}
# Changing or revoking the teamlid of Campus Noord: only who manages Campus Noord.
NOORD_MANAGERS = {"beheerder": 302, "directeur": 302, "directie_noord": 302}


def _teamlid_membership(world):
    return {"pk": world.membership("teamlid_noord").pk}


def _noord_invitation(world):
    from teamwerk.accounts.services import invitation_create

    invitation = invitation_create(
        actor=world.users["directie_noord"],
        organisation=world.organisation,
        school=world.noord,
        email="uitgenodigd@scholengroep-demo.be",
        role="teamlid",
    )
    return {"pk": invitation.pk}


def _teamlid_user(world):
    return {"pk": world.users["teamlid_noord"].pk}


URL_ACCESS = {
    "members": Row(only(MANAGERS)),
    "membership_role": Row(
        only(NOORD_MANAGERS),
        kwargs=_teamlid_membership,
        method="post",
        data=lambda w: {"role": "lezer"},
    ),
    "membership_revoke": Row(only(NOORD_MANAGERS), kwargs=_teamlid_membership, method="post"),
    # Cancelling or resending an invitation to Campus Noord: who manages Campus Noord.
    "invitation_cancel": Row(only(NOORD_MANAGERS), kwargs=_noord_invitation, method="post"),
    "invitation_resend": Row(only(NOORD_MANAGERS), kwargs=_noord_invitation, method="post"),
    # Resetting a second factor or ending an account: the beheerder of the organisation only.
    "account_mfa_reset": Row(only({"beheerder": 302}), kwargs=_teamlid_user, method="post"),
    "account_deactivate": Row(only({"beheerder": 302}), kwargs=_teamlid_user, method="post"),
    "organisation_settings": Row(only({"beheerder": 200, "beheerder_stichting": 200})),
}
