from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from teamwerk.tenancy.querysets import TenantQuerySet


def normalise_email(email: str) -> str:
    """One spelling per address: trimmed, Unicode-normalised, lower case."""
    import unicodedata

    return unicodedata.normalize("NFKC", (email or "").strip()).lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=normalise_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in, by e-mail address."""

    username = None
    email = models.EmailField(_("e-mailadres"), unique=True)
    language = models.CharField(_("taal"), max_length=5, choices=settings.LANGUAGES, default="nl")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class AuditEvent(models.Model):
    """Security-relevant events: logins, role grants, invitations, exports, publications."""

    organisation = models.ForeignKey(
        "tenancy.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("soort"), max_length=60, db_index=True)
    target = models.CharField(_("betreft"), max_length=255, blank=True)
    data = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = None

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("auditlog")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.kind} {self.target}"


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="invitations"
    )
    school = models.ForeignKey(
        "tenancy.School",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("school"),
    )
    email = models.EmailField(_("e-mailadres"))
    role = models.CharField(_("rol"), max_length=20)
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(
        "team.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("persoon"),
        help_text=_("Wie de uitnodiging aanvaardt, wordt aan deze persoon gekoppeld."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = "school"

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One pending invitation per organisation and address (expired ones are closed
            # when a new one is made).
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(
                    accepted_at__isnull=True, cancelled_at__isnull=True, declined_at__isnull=True
                ),
                name="invitation_one_pending",
            )
        ]
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")

    def __str__(self) -> str:
        return self.email

    @property
    def is_pending(self) -> bool:
        """Not accepted, cancelled or declined (it may have expired)."""
        return self.accepted_at is None and self.cancelled_at is None and self.declined_at is None

    @property
    def is_open(self) -> bool:
        return self.is_pending and self.expires_at > timezone.now()

    @property
    def role_label(self) -> str:
        from teamwerk.tenancy.roles import Role

        return Role(self.role).label if self.role in Role.values else self.role
