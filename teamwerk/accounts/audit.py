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
    "privacy.person_exported": _("Alle gegevens van een persoon geëxporteerd (AVG)"),
    "privacy.person_erased": _("Persoon gewist (AVG)"),
    "privacy.retention_changed": _("Bewaartermijnen gewijzigd"),
    "retention.purged": _("Gegevens gewist na hun bewaartermijn"),
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
    "organisation.created": _("Organisatie aangemaakt"),
    "school.added": _("School toegevoegd"),
    "school.updated": _("School gewijzigd"),
    "school.archived": _("School gearchiveerd"),
    "school.restored": _("School teruggezet uit het archief"),
    "schoolyear.started": _("Nieuw schooljaar gestart"),
    "plan.exported": _("Takenoverzicht geëxporteerd"),
    "plan.imported": _("Takenoverzicht geïmporteerd"),
    "document.recorded": _("Document vastgelegd als ondertekend"),
    "document.template_uploaded": _("Eigen Word-sjabloon opgeladen"),
    "document.downloaded": _("Document gedownload"),
    "document.bundle_requested": _("Alle functiebeschrijvingen van een school aangevraagd"),
    "document.bundle_downloaded": _("Alle functiebeschrijvingen van een school gedownload"),
    "ratings.viewed": _("Kennis en motivatie van iemand anders bekeken"),
    "ratings.changed": _("Kennis en motivatie gewijzigd"),
    "people.imported": _("Mensen ingelezen"),
    "people.template_downloaded": _("Sjabloon voor mensen gedownload"),
    "stappenplan.exported": _("Stappenplan als pdf gedownload"),
    "evaluation.round_opened": _("Evaluatieronde geopend"),
    "evaluation.round_closed": _("Evaluatieronde afgesloten"),
    "evaluation.round_reopened": _("Evaluatieronde opnieuw geopend"),
    "evaluation.questions_changed": _("Vragen van de evaluatie aangepast"),
    "keyfigure.granted": _("Sleutelfiguur toegekend"),
    "keyfigure.revoked": _("Sleutelfiguur ingetrokken"),
    "conversation.recorded": _("Verslag van een gesprek vastgelegd"),
    "conversation.viewed": _("Verslag van een gesprek gelezen"),
    "conversation.action_created": _("Afspraak uit een gesprek werd een actie"),
    "calendar.created": _("Persoonlijke agenda-link gemaakt"),
    "calendar.renewed": _("Persoonlijke agenda-link vernieuwd (de oude werkt niet meer)"),
    "calendar.revoked": _("Persoonlijke agenda-link ingetrokken"),
}


def audit_label(kind: str) -> str:
    """The readable label of an audit kind; an unknown kind shows its code."""
    return str(AUDIT_KINDS.get(kind, kind))


# The audit page's filter: the first part of a kind's code, with a readable name. A group
# without a name here shows its code (a test lists the groups used by AUDIT_KINDS).
AUDIT_GROUPS = {
    "login": _("Aanmeldingen"),
    "invitation": _("Uitnodigingen"),
    "privacy": _("Privacy (AVG)"),
    "retention": _("Bewaartermijnen"),
    "role": _("Rollen"),
    "person": _("Koppelingen van accounts"),
    "email": _("E-mailadressen"),
    "mfa": _("Tweestapsverificatie"),
    "account": _("Accounts"),
    "organisation": _("Organisatie"),
    "school": _("Scholen"),
    "schoolyear": _("Schooljaren"),
    "plan": _("Takenoverzicht"),
    "people": _("Mensen"),
    "ratings": _("Kennis en motivatie"),
    "document": _("Documenten"),
    "stappenplan": _("Stappenplan"),
    "evaluation": _("Evaluatie"),
    "keyfigure": _("Sleutelfiguren"),
    "conversation": _("Gesprekken"),
    "calendar": _("Agenda-links"),
}

# Readable names of the keys in an event's details.
AUDIT_DATA_LABELS = {
    "role": _("rol"),
    "school": _("school"),
    "fields": _("velden"),
    "removed": _("gewist"),
    "from": _("van"),
    "to": _("naar"),
    "person": _("persoon (nr.)"),
    "how": _("hoe"),
    "address": _("adres"),
    "verified": _("bevestigd"),
    "type": _("soort"),
    "organisations": _("organisaties"),
    "asked": _("gevraagd"),
    "figure": _("sleutelfiguur"),
    "conversation": _("gesprek (nr.)"),
    "action": _("actie (nr.)"),
    "kind": _("soort"),
    "region": _("regio"),
    "by": _("via"),
    "plan": _("takenoverzicht"),
    "people": _("mensen"),
    "assignments": _("trekkers en back-ups"),
    "agreements": _("afspraken"),
}

AUDIT_DATA_VALUES = {
    "invitation": _("via een uitnodiging"),
    "by_hand": _("door directie of ICT-coördinator"),
    "totp": _("authenticator-app"),
    "recovery_codes": _("herstelcodes"),
    "signup": _("zelf aangemeld"),
    "operator": _("door de uitbater aangemaakt"),
}


def audit_groups() -> list[tuple[str, str]]:
    """(code, label) of every group of kinds, in the order of AUDIT_KINDS."""
    groups: dict[str, str] = {}
    for kind in AUDIT_KINDS:
        group = kind.split(".", 1)[0]
        groups.setdefault(group, str(AUDIT_GROUPS.get(group, group)))
    return list(groups.items())


def _readable_value(key: str, value) -> str:
    from teamwerk.tenancy.roles import Role

    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("ja") if value else _("nee"))
    if isinstance(value, (list, tuple)):
        return ", ".join(_readable_value(key, item) for item in value)
    if key in ("role", "from", "to") and value in Role.values:
        return str(Role(value).label)
    if isinstance(value, str) and value in AUDIT_DATA_VALUES:
        return str(AUDIT_DATA_VALUES[value])
    return str(value)


def audit_details(data: dict) -> list[tuple[str, str]]:
    """An event's details as (readable name, readable value) pairs."""
    # A fixed order (PostgreSQL's jsonb does not keep the order the keys were written in).
    order = {key: index for index, key in enumerate(AUDIT_DATA_LABELS)}
    items = sorted((data or {}).items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
    return [
        (str(AUDIT_DATA_LABELS.get(key, key)), _readable_value(key, value)) for key, value in items
    ]
