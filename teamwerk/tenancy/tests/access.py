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

ADMINS = {"beheerder": 200, "beheerder_stichting": 200}
# Who may start next school year: everyone who edits a school (in their own organisation).
EDITORS = {
    "beheerder": 200,
    "directeur": 200,
    "directie_noord": 200,
    "ict_noord": 200,
    "directie_zuid": 200,
    "beheerder_stichting": 200,
}
# Who sees Campus Noord.
NOORD_VIEWERS = {
    "beheerder": 200,
    "directeur": 200,
    "directie_noord": 200,
    "ict_noord": 200,
    "teamlid_noord": 200,
    "lezer_noord": 200,
}


def _noord(world):
    return {"pk": world.noord.pk}


def _noord_this_year(world):
    from teamwerk.tenancy.selectors import current_school_year

    return {
        "school_pk": world.noord.pk,
        "start_year": current_school_year(world.organisation).start_year,
    }


URL_ACCESS |= {
    # Schools of the organisation: its beheerder only (each their own organisation's).
    "schools": Row(only(ADMINS)),
    "schools_import": Row(
        only(ADMINS), method="post", data=lambda w: {"text": "Campus West; 123", "level": "basis"}
    ),
    "school_edit": Row(only({"beheerder": 200}), kwargs=_noord),
    "school_archive": Row(only({"beheerder": 302}), kwargs=_noord, method="post"),
    "school_restore": Row(only({"beheerder": 302}), kwargs=_noord, method="post"),
    "new_year": Row(only(EDITORS)),
    # A school year of Campus Noord, read-only: whoever sees Campus Noord.
    "school_year": Row(only(NOORD_VIEWERS), kwargs=_noord_this_year),
}
