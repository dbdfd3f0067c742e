"""The invitation flow for an existing account, the audit page and the second-factor reset,
driven in Chromium at phone width."""

from __future__ import annotations

import pytest

from conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
# The elements that stick out on the right (named in the failure message).
TOO_WIDE = """
[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .map(e => e.tagName + '.' + e.className)
  .slice(0, 8)
"""


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_existing_user_sees_and_accepts_an_invitation_after_signing_in(browser_page, sign_in):
    from teamwerk.accounts.models import User
    from teamwerk.accounts.services import invitation_create
    from teamwerk.tenancy.models import Membership, Organisation

    stichting = Organisation.objects.get(name="Stichting Demo")
    invitation = invitation_create(
        actor=User.objects.get(email="beheerder@stichting-demo.nl"),
        organisation=stichting,
        school=stichting.schools.first(),
        email="lezer@scholengroep-demo.be",
        role="lezer",
    )
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(f"/uitnodiging/{invitation.token}/")
    assert page.locator("#id_password1").count() == 0
    assert "al een account" in page.content()
    assert _no_sideways_scroll(page)
    screenshot(page, "invitation-existing-account-anonymous")
    sign_in(page, "lezer@scholengroep-demo.be")
    page.goto("/")
    invite = page.get_by_role("link", name="Bekijken en aanvaarden of afwijzen")
    assert invite.is_visible()
    assert _no_sideways_scroll(page)
    screenshot(page, "invitation-on-home-page")
    invite.click()
    page.wait_for_url(f"**/uitnodiging/{invitation.token}/")
    assert _no_sideways_scroll(page)
    screenshot(page, "invitation-accept-signed-in")
    page.get_by_role("button", name="Aanvaarden").click()
    page.wait_for_url(lambda url: "/uitnodiging/" not in url)
    assert "Je bent nu lid van Stichting Demo" in page.content()
    user = User.objects.get(email="lezer@scholengroep-demo.be")
    assert Membership.objects.filter(user=user, organisation=stichting).exists()
    assert user.check_password("teamwerk-demo")


def test_audit_page_and_second_factor_reset_at_phone_width(browser_page, sign_in):
    from allauth.mfa.models import Authenticator

    from teamwerk.accounts.models import User

    teacher = User.objects.get(email="teamlid.noord@scholengroep-demo.be")
    Authenticator.objects.create(user=teacher, type=Authenticator.Type.TOTP, data={"secret": "x"})
    page = browser_page
    page.set_viewport_size(PHONE)
    sign_in(page, "beheerder@scholengroep-demo.be")
    page.goto("/organisatie/mensen/")
    screenshot(page, "members-account-actions")
    wide = page.evaluate(TOO_WIDE)
    assert _no_sideways_scroll(page), wide
    page.get_by_role(
        "button", name="Tweestapsverificatie van teamlid.noord@scholengroep-demo.be wissen"
    ).click()
    page.wait_for_url("**/organisatie/mensen/")
    assert "is gewist" in page.content()
    assert not Authenticator.objects.filter(user=teacher).exists()
    page.goto("/auditlog/")
    assert page.get_by_text("Tweestapsverificatie gewist door een beheerder").first.is_visible()
    assert "mfa.reset" not in page.content()
    assert _no_sideways_scroll(page)
    screenshot(page, "audit-log-phone")
    page.set_viewport_size({"width": 1300, "height": 900})
    screenshot(page, "audit-log-wide")
