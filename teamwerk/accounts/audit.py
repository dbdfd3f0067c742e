"""The kinds of audit event, with the label the audit page shows for each.

Every `audit_log(kind=...)` in the code uses a kind listed here; add new kinds in this one
place (grouped by the first part of the code, which is also the audit page's filter).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_KINDS = {
    "login.succeeded": _("Aangemeld"),
    "login.failed": _("Aanmelden mislukt"),
    "invitation.sent": _("Uitnodiging verstuurd"),
    "invitation.accepted": _("Uitnodiging aanvaard"),
    "invitation.declined": _("Uitnodiging afgewezen"),
    "invitation.cancelled": _("Uitnodiging ingetrokken"),
    "invitation.resent": _("Uitnodiging opnieuw verstuurd"),
    "person.linked": _("Account gekoppeld aan een persoon"),
    "person.unlinked": _("Koppeling van account en persoon opgeheven"),
    "email.added": _("E-mailadres toegevoegd"),
    "email.confirmed": _("E-mailadres bevestigd"),
    "email.changed": _("E-mailadres gewijzigd"),
    "email.removed": _("E-mailadres verwijderd"),
    "mfa.activated": _("Tweestapsverificatie ingesteld"),
    "mfa.deactivated": _("Tweestapsverificatie uitgezet"),
    "mfa.reset": _("Tweestapsverificatie gewist door een beheerder"),
    "account.deactivated": _("Account afgesloten"),
    "role.granted": _("Rol toegekend"),
    "role.changed": _("Rol gewijzigd"),
    "role.revoked": _("Rol ingetrokken"),
    "organisation.updated": _("Organisatie-instellingen gewijzigd"),
    "plan.exported": _("Takenoverzicht geëxporteerd"),
    "plan.imported": _("Takenoverzicht geïmporteerd"),
    "document.recorded": _("Document vastgelegd als ondertekend"),
    "ratings.viewed": _("Kennis en motivatie van iemand anders bekeken"),
    "ratings.changed": _("Kennis en motivatie gewijzigd"),
    "people.imported": _("Mensen ingelezen"),
    "people.template_downloaded": _("Sjabloon voor mensen gedownload"),
    "stappenplan.exported": _("Stappenplan als pdf gedownload"),
}


def audit_label(kind: str) -> str:
    """The readable label of an audit kind; an unknown kind shows its code."""
    return str(AUDIT_KINDS.get(kind, kind))
