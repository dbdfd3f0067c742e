"""The data-processing register (verwerkingsregister, AVG art. 30), declared next to the models.

Every model that holds personal data has an entry: which fields, why, who sees them, how long
they are kept, and what erasure does with its rows. ``personal_fields()`` finds the fields that
must be declared (pragmatically: on models with a foreign key to a person or an account, the
keys themselves and every free-text, e-mail, address, JSON or file field; and the name, e-mail,
phone and text fields of Person and User); ``tests/test_register.py`` fails when one of them is
neither listed nor declared not personal, so a new field or app has to be placed here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

from .registry import is_historical, label_of

PERSON = "team.person"
USER = "accounts.user"

# What erasure does with the rows of a model that point at the person.
DELETE = "delete"  # the rows and their history go
KEEP = "keep"  # the rows stay, pointing at the anonymised "verwijderde persoon"
ANONYMISE = "anonymise"  # the person record itself: personal fields blanked, history too

WHO_SCHOOL = _("iedereen met een rol in de school (ook lezers); beheerders van de organisatie")
WHO_SENSITIVE = _(
    "de persoon zelf; directie en ICT-coördinator van een school waar de persoon werkt"
)
WHO_MANAGERS = _("directie van de school en beheerders van de organisatie")
WHO_AUDIT = _("beheerders van de organisatie (auditlog)")
WHO_SELF = _("alleen de persoon zelf (en de server)")
WHO_LEADERS = _("directie en ICT-coördinator van de school; beheerders van de organisatie")
# A conversation's record: the rule of conversations.selectors.may_read_record.
WHO_CONVERSATION = _(
    "de deelnemers, wie het verslag schreef en de directie; anderen zien alleen onderwerp en datum"
)


@dataclass(frozen=True)
class Entry:
    fields: tuple[str, ...]
    purpose: str
    who: str
    retention: str  # a key of privacy.models.RETENTION, or "" with retention_text
    retention_text: str = ""
    not_personal: tuple[str, ...] = ()
    erasure: str = DELETE


UNTIL_ERASED = _("zolang de persoon in de organisatie werkt; gewist op verzoek (art. 17)")
UNTIL_CHANGED = _("tot de gebruiker het wijzigt of het account gewist wordt")
SCHOOL_YEARS = _("zolang de school het schooljaar bijhoudt; daarna met de organisatie")

REGISTER: dict[str, Entry] = {
    PERSON: Entry(
        fields=("first_name", "last_name", "email", "user", "job_title"),
        purpose=_("Het ICT-team samenstellen: wie werkt er, met welke functie en welk account."),
        who=WHO_SCHOOL,
        retention="",
        retention_text=UNTIL_ERASED,
        erasure=ANONYMISE,
    ),
    USER: Entry(
        fields=("email", "first_name", "last_name", "password", "last_login", "language"),
        purpose=_("Aanmelden en de taal van de schermen."),
        who=_("de gebruiker zelf; beheerders zien het e-mailadres bij de rollen"),
        retention="",
        retention_text=UNTIL_CHANGED,
    ),
    "team.availability": Entry(
        fields=("person",),
        purpose=_("Weten hoeveel ICT-uren iemand in welke school heeft."),
        who=WHO_SCHOOL,
        retention="",
        retention_text=SCHOOL_YEARS,
        erasure=KEEP,
    ),
    "team.competence": Entry(
        fields=("person", "set_by", "development_wish", "expertise", "motivation"),
        purpose=_("Taken verdelen naar kennis en zin; bijleren plannen."),
        who=WHO_SENSITIVE,
        retention="rating_history",
        retention_text=_("de huidige inschatting tot ze gewist wordt; vroegere versies:"),
    ),
    "team.assignment": Entry(
        fields=("person", "mandate_note"),
        purpose=_("De verdeling van de ICT-taken: trekker en back-up, uren en mandaat."),
        who=WHO_SCHOOL,
        retention="",
        retention_text=SCHOOL_YEARS,
        erasure=KEEP,
    ),
    "team.agreement": Entry(
        fields=("responsible",),
        not_personal=("text", "documentation_location", "meeting_rhythm", "channel"),
        purpose=_("Teamafspraken en wie ze opvolgt."),
        who=WHO_SCHOOL,
        retention="",
        retention_text=SCHOOL_YEARS,
        erasure=KEEP,
    ),
    "accounts.auditevent": Entry(
        fields=("actor", "target", "data", "ip_address"),
        not_personal=("kind",),
        purpose=_(
            "Verantwoording: aanmeldingen, rollen, inzage in en export van persoonsgegevens."
        ),
        who=WHO_AUDIT,
        retention="audit_log",
    ),
    "accounts.invitation": Entry(
        fields=("email", "invited_by", "person", "accepted_by", "token"),
        not_personal=("role",),
        purpose=_("Iemand uitnodigen om zelf in te loggen."),
        who=WHO_MANAGERS,
        retention="closed_invitations",
    ),
    "tenancy.membership": Entry(
        fields=("user",),
        not_personal=("role",),
        purpose=_("Wie welke rol heeft in welke school."),
        who=WHO_MANAGERS,
        retention="",
        retention_text=_("zolang de rol loopt"),
    ),
    "tenancy.organisationsignup": Entry(
        fields=("user", "name"),
        not_personal=("kind", "region"),
        purpose=_("Een nieuwe organisatie aanvragen."),
        who=_("de aanvrager en de beheerders van de server"),
        retention="",
        retention_text=_(
            "tot de organisatie gemaakt is; werd het adres nooit bevestigd, dan gaan de "
            "aanmelding en het account na 14 dagen weg"
        ),
    ),
    "planning.pendingimport": Entry(
        fields=("created_by", "filename", "rows"),
        not_personal=("plan_fingerprint",),
        purpose=_("Een ingelezen takenoverzicht tonen voor het bevestigd wordt."),
        who=_("wie het bestand inlas"),
        retention="pending_imports",
    ),
    "allocation.proposalrun": Entry(
        fields=("leaving_person", "requested_by", "options", "message", "result"),
        not_personal=("kind", "status"),
        purpose=_("Een voorstel van de verdelingsassistent berekenen en tonen."),
        who=WHO_LEADERS,
        retention="proposals",
        erasure=KEEP,
    ),
    "allocation.proposaldecision": Entry(
        fields=("accepted_by",),
        purpose=_("Bijhouden welk voorstel wie aanvaardde."),
        who=WHO_LEADERS,
        retention="proposals",
    ),
    "stappenplan.answer": Entry(
        fields=("answered_by", "note"),
        not_personal=("check_code",),
        purpose=_("De antwoorden op het stappenplan van de school."),
        who=WHO_SCHOOL,
        retention="",
        retention_text=SCHOOL_YEARS,
    ),
    "documents.jobdescriptioninfo": Entry(
        fields=("person", "function_title", "first_evaluator", "second_evaluator"),
        purpose=_("De functiebeschrijving van een persoon opmaken."),
        who=WHO_LEADERS,
        retention="",
        retention_text=UNTIL_ERASED,
    ),
    "documents.recordeddocument": Entry(
        fields=("person", "recorded_by", "recorded_by_name", "snapshot", "docx", "pdf"),
        not_personal=("kind",),
        purpose=_("Een ondertekende functiebeschrijving of verdeling bewaren zoals ze was."),
        who=WHO_LEADERS,
        retention="",
        retention_text=UNTIL_ERASED,
    ),
    "documents.vacancy": Entry(
        fields=("created_by",),
        not_personal=(
            "title",
            "context",
            "role",
            "profile_text",
            "tasks_text",
            "duration",
            "presence",
            "start",
            "how_to_apply",
            "timeline_internal",
            "timeline_external",
        ),
        purpose=_("Een vacature opstellen."),
        who=WHO_LEADERS,
        retention="",
        retention_text=SCHOOL_YEARS,
    ),
    "documents.housestyle": Entry(
        fields=("uploaded_by",),
        not_personal=("kind", "filename", "docx"),
        purpose=_("Het eigen Word-sjabloon van de organisatie."),
        who=WHO_MANAGERS,
        retention="",
        retention_text=_("tot een nieuw sjabloon het vervangt"),
    ),
    "documents.documentbundle": Entry(
        fields=("requested_by", "content", "message", "file_name"),
        not_personal=("format", "language", "status"),
        purpose=_("Alle functiebeschrijvingen van een school in één bestand."),
        who=WHO_LEADERS,
        retention="bundles",
    ),
    "actions.action": Entry(
        fields=("owner", "created_by", "notes"),
        not_personal=(
            "title",
            "source",
            "source_label",
            "source_url",
            "source_ref",
            "status",
        ),
        purpose=_("Acties opvolgen en wie ze trekt."),
        who=WHO_SCHOOL,
        retention="",
        retention_text=SCHOOL_YEARS,
        erasure=KEEP,
    ),
    "actions.remindersent": Entry(
        fields=("recipient",),
        not_personal=("kind", "ref", "stage"),
        purpose=_("Niet twee keer dezelfde herinnering sturen."),
        who=WHO_SELF,
        retention="",
        retention_text=_("zolang het account bestaat"),
    ),
    "actions.remindersettings": Entry(
        fields=("user", "calendar_token_hash"),
        purpose=_("Herinneringen en de agenda-koppeling van de gebruiker."),
        who=WHO_SELF,
        retention="",
        retention_text=UNTIL_CHANGED,
    ),
    "evaluation.round": Entry(
        fields=("created_by",),
        not_personal=("title", "set_key", "status"),
        purpose=_("Een evaluatieronde opzetten."),
        who=WHO_LEADERS,
        retention="",
        retention_text=SCHOOL_YEARS,
    ),
    "evaluation.participation": Entry(
        fields=("person", "token_hash", "group"),
        purpose=_(
            "Wie uitgenodigd is voor een evaluatie en of die al antwoordde; de antwoorden "
            "zelf hebben geen weg terug naar een persoon."
        ),
        who=WHO_LEADERS,
        retention="",
        retention_text=SCHOOL_YEARS,
    ),
    # No link to anyone by design, but people write these comments about their team.
    "evaluation.answer": Entry(
        fields=("text",),
        not_personal=("value",),
        purpose=_(
            "Anonieme opmerkingen bij een evaluatie. Ze hangen aan niemand, maar kunnen een "
            "collega noemen; bij het wissen van een persoon verdwijnt diens volledige naam ook "
            "hieruit."
        ),
        who=_(
            "wie de resultaten leest, pas als de ronde gesloten is en minstens drie "
            "opmerkingen telt, zonder naam"
        ),
        retention="",
        retention_text=SCHOOL_YEARS,
        erasure=KEEP,
    ),
    "conversations.keyfigurerole": Entry(
        fields=("user",),
        not_personal=("figure",),
        purpose=_("Wie welke sleutelrol heeft in de gesprekken."),
        who=WHO_LEADERS,
        retention="",
        retention_text=_("zolang de rol loopt"),
    ),
    "conversations.conversation": Entry(
        fields=("created_by", "key_figures", "questions", "topics", "preparation", "notes"),
        not_personal=("subject", "status"),
        purpose=_("Gesprekken voorbereiden en verslaan."),
        who=WHO_CONVERSATION,
        retention="",
        retention_text=SCHOOL_YEARS,
        erasure=KEEP,
    ),
    "conversations.conversation_participants": Entry(
        fields=("person",),
        purpose=_("Wie aan een gesprek deelnam."),
        who=WHO_CONVERSATION,
        retention="",
        retention_text=SCHOOL_YEARS,
        erasure=KEEP,
    ),
    "conversations.conversationagreement": Entry(
        fields=("owner", "text"),
        purpose=_("Afspraken uit een gesprek en wie ze opvolgt."),
        who=WHO_CONVERSATION,
        retention="",
        retention_text=SCHOOL_YEARS,
        erasure=KEEP,
    ),
    "core.introdismissal": Entry(
        fields=("user",),
        not_personal=("module",),
        purpose=_("Een uitleg die de gebruiker sloot, blijft gesloten."),
        who=WHO_SELF,
        retention="",
        retention_text=UNTIL_CHANGED,
    ),
    "account.emailaddress": Entry(
        fields=("user", "email"),
        purpose=_("Bevestigde e-mailadressen van een account."),
        who=WHO_SELF,
        retention="",
        retention_text=UNTIL_CHANGED,
    ),
    "mfa.authenticator": Entry(
        fields=("user", "data"),
        not_personal=("type",),
        purpose=_("Tweestapsverificatie (geheimen blijven op de server)."),
        who=WHO_SELF,
        retention="",
        retention_text=UNTIL_CHANGED,
    ),
    "admin.logentry": Entry(
        fields=("user", "object_repr", "change_message", "object_id"),
        purpose=_("Wijzigingen door beheerders van de server (Django-admin)."),
        who=_("beheerders van de server"),
        retention="",
        retention_text=_("zolang de server draait"),
    ),
    "accounts.user_groups": Entry(
        fields=("user",),
        purpose=_("Niet gebruikt."),
        who=WHO_SELF,
        retention="",
        retention_text=UNTIL_CHANGED,
    ),
    "accounts.user_user_permissions": Entry(
        fields=("user",),
        purpose=_("Niet gebruikt."),
        who=WHO_SELF,
        retention="",
        retention_text=UNTIL_CHANGED,
    ),
}

# Readable names of fields that have no verbose name of their own.
FIELD_NAMES = {
    "user": _("account"),
    "person": _("persoon"),
    "owner": _("trekker"),
    "actor": _("wie het deed"),
    "recipient": _("ontvanger"),
    "created_by": _("gemaakt door"),
    "requested_by": _("gevraagd door"),
    "accepted_by": _("aanvaard door"),
    "uploaded_by": _("opgeladen door"),
    "recorded_by": _("vastgelegd door"),
    "recorded_by_name": _("naam van wie het vastlegde"),
    "invited_by": _("uitgenodigd door"),
    "answered_by": _("beantwoord door"),
    "set_by": _("ingevuld door"),
    "token": _("uitnodigingslink"),
    "token_hash": _("vingerafdruk van de persoonlijke link"),
    "calendar_token_hash": _("vingerafdruk van de agenda-link"),
    "data": _("gegevens"),
    "ip_address": _("IP-adres"),
    "snapshot": _("gegevens waaruit het document gemaakt werd"),
    "content": _("bestand"),
    "rows": _("ingelezen rijen"),
    "filename": _("bestandsnaam"),
    "file_name": _("bestandsnaam"),
    "message": _("bericht"),
    "object_repr": _("beschrijving van het object"),
    "object_id": _("nummer van het object"),
    "change_message": _("wijziging"),
}


def field_label(model, name: str) -> str:
    """A field's readable name for the register page."""
    try:
        model_field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a declared field that left the model
        return name
    verbose = str(getattr(model_field, "verbose_name", name))
    if verbose == name.replace("_", " ") and name in FIELD_NAMES:
        return str(FIELD_NAMES[name])
    return verbose


TEXT_FIELDS = (
    models.CharField,
    models.TextField,
    models.JSONField,
    models.GenericIPAddressField,
    models.BinaryField,
)


def _points_at_person(field) -> bool:
    return isinstance(field, models.ForeignKey) and label_of(field.related_model) in (PERSON, USER)


# Models without a link to a person whose free texts are written by people about their team:
# declared like the others.
FREE_TEXT_ABOUT_PEOPLE = {"evaluation.answer"}


def personal_fields(model_list=None) -> dict[str, list[str]]:
    """label → the fields that must be declared (historical models follow their model)."""
    found: dict[str, list[str]] = {}
    if model_list is None:
        model_list = apps.get_models(include_auto_created=True)
    for model in model_list:
        if is_historical(model):
            continue
        label = label_of(model)
        fields = model._meta.concrete_fields
        if label in (PERSON, USER):
            names = [
                f.name
                for f in fields
                if isinstance(f, (models.CharField, models.TextField)) and not f.choices
            ]
            names += [f.name for f in fields if _points_at_person(f)]
        elif label in FREE_TEXT_ABOUT_PEOPLE or any(_points_at_person(f) for f in fields):
            names = [
                f.name
                for f in fields
                if _points_at_person(f)
                or (isinstance(f, TEXT_FIELDS) and not f.choices and not f.primary_key)
            ]
        else:
            continue
        found[label] = names
    return found


def undeclared_fields(model_list=None) -> list[str]:
    missing = []
    for label, names in personal_fields(model_list).items():
        entry = REGISTER.get(label)
        for name in names:
            if entry is None or (name not in entry.fields and name not in entry.not_personal):
                missing.append(f"{label}.{name}")
    return missing


def erasure_of(label: str) -> str | None:
    entry = REGISTER.get(label)
    return entry.erasure if entry else None
