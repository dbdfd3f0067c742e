"""How long an organisation keeps what (AVG art. 5(1)(e)): one row per organisation.

An organisation without a row keeps everything for the defaults below; the daily job
``privacy.retention`` removes what is past it and records what it removed in the audit log.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from teamwerk.core.limits import Bound
from teamwerk.tenancy.querysets import TenantQuerySet

RETENTION_DAYS = Bound(1, 3650)

# key → (field name, default days, readable name). The same keys are used by the register.
RETENTION = {
    "audit_log": ("audit_log_days", 730, _("Auditlog")),
    "rating_history": ("rating_history_days", 365, _("Vroegere kennis en motivatie")),
    "sessions": ("session_days", 1, _("Verlopen aanmeldsessies")),
    "pending_imports": ("pending_import_days", 2, _("Ingelezen bestanden in afwachting")),
    "proposals": ("proposal_days", 365, _("Voorstellen van de verdelingsassistent")),
    "closed_invitations": ("closed_invitation_days", 90, _("Afgesloten uitnodigingen")),
    "bundles": ("bundle_days", 30, _("Bundels van functiebeschrijvingen")),
}

# What belongs to no organisation follows fixed rules: audit events without an organisation
# (a failed sign-in with an unknown address, a sign-up) are kept as long as the default audit
# log; a sign-up whose address was never verified is removed with its account after this.
UNATTACHED_AUDIT_DAYS = RETENTION["audit_log"][1]
UNVERIFIED_SIGNUP_DAYS = 14


def _days(default: int, label, help_text):
    return models.PositiveIntegerField(
        label, default=default, validators=RETENTION_DAYS.validators(), help_text=help_text
    )


class RetentionSettings(models.Model):
    organisation = models.OneToOneField(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="retention"
    )
    audit_log_days = _days(
        730,
        _("auditlog (dagen)"),
        _("Wie zich aanmeldde, wie wat bekeek of exporteerde, welke rollen wijzigden."),
    )
    rating_history_days = _days(
        365,
        _("vroegere kennis en motivatie (dagen)"),
        _("Oudere versies van zelfinschattingen; de huidige blijft staan."),
    )
    session_days = _days(
        1,
        _("verlopen aanmeldsessies (dagen)"),
        _("Een sessie vervalt na twee uur zonder gebruik; zoveel dagen later is ze gewist."),
    )
    pending_import_days = _days(
        2,
        _("ingelezen bestanden in afwachting (dagen)"),
        _("Een Excel-bestand dat niet bevestigd of geannuleerd werd."),
    )
    proposal_days = _days(
        365,
        _("voorstellen van de verdelingsassistent (dagen)"),
        _("Afgelopen voorstellen; aanvaarde toewijzingen blijven in de verdeling."),
    )
    closed_invitation_days = _days(
        90,
        _("afgesloten uitnodigingen (dagen)"),
        _("Aanvaarde, afgewezen, ingetrokken en verlopen uitnodigingen."),
    )
    bundle_days = _days(
        30,
        _("bundels van functiebeschrijvingen (dagen)"),
        _("Het zip- of pdf-bestand met alle functiebeschrijvingen van een school."),
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = None

    class Meta:
        constraints = [
            RETENTION_DAYS.constraint(field, name=f"retention_{field}_in_range")
            for field, _default, _label in RETENTION.values()
        ]
        verbose_name = _("bewaartermijnen")
        verbose_name_plural = _("bewaartermijnen")

    def __str__(self) -> str:
        return f"{self.organisation_id}: retention"

    def days(self, key: str) -> int:
        return getattr(self, RETENTION[key][0])


def retention_for(organisation) -> RetentionSettings:
    """The organisation's settings, or the defaults (unsaved) when it has none."""
    found = RetentionSettings.objects.filter(organisation=organisation).first()
    return found or RetentionSettings(organisation=organisation)
