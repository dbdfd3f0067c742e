from teamwerk.core.testing.access import Row, only, signed_in, statuses

ADMINS = {"beheerder": 200, "beheerder_stichting": 200}


def _invitation_token(world):
    from teamwerk.accounts.services import invitation_create

    invitation = invitation_create(
        actor=world.users["beheerder"],
        organisation=world.organisation,
        school=world.noord,
        email="nieuw@scholengroep-demo.be",
        role="teamlid",
    )
    return {"token": invitation.token}


URL_ACCESS = {
    # Signing in: the form for visitors; signed-in users are sent on.
    "account_login": Row(statuses(302, anonymous=200)),
    "account_logout": Row(signed_in()),
    "account_inactive": Row(statuses(200)),
    # A new school (group) signs up here; signed-in users are sent on.
    "account_signup": Row(statuses(302, anonymous=200)),
    "account_reauthenticate": Row(signed_in()),
    "account_email": Row(signed_in()),
    "account_email_verification_sent": Row(statuses(200)),
    "account_change_password": Row(signed_in()),
    "account_set_password": Row(signed_in(302)),
    "account_reset_password": Row(statuses(200)),
    "account_reset_password_done": Row(statuses(200)),
    "account_reset_password_from_key": Row(
        statuses(200), kwargs=lambda w: {"uidb36": "zz", "key": "bad-key"}
    ),
    "account_reset_password_from_key_done": Row(statuses(200)),
    "account_confirm_login_code": Row(statuses(302)),
    "account_confirm_email": Row(statuses(200), kwargs=lambda w: {"key": "bad-key"}),
    "mfa_index": Row(signed_in()),
    "mfa_authenticate": Row(statuses(302)),
    "mfa_reauthenticate": Row(signed_in(302)),
    # Setting up TOTP first asks for the password again (recent sign-in).
    "mfa_activate_totp": Row(signed_in(302)),
    # Without an authenticator there is nothing to switch off or show: allauth answers 404.
    "mfa_deactivate_totp": Row(signed_in(404)),
    "mfa_view_recovery_codes": Row(signed_in(404)),
    "mfa_generate_recovery_codes": Row(signed_in(302)),
    "mfa_download_recovery_codes": Row(signed_in(404)),
    "invitation_accept": Row(statuses(200), kwargs=_invitation_token),
    "audit_log": Row(only(ADMINS)),
}
