"""The standard catalogue of ICT-coordination tasks, and an organisation's own additions."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from teamwerk.core.i18n import localized
from teamwerk.core.limits import TASK_HOURS
from teamwerk.tenancy.querysets import TenantQuerySet, scope_for
from teamwerk.tenancy.roles import Action


class Level(models.TextChoices):
    SCHOOL = "school", _("School")
    GROUP = "group", _("Groep")


class Domain(models.Model):
    code = models.CharField(max_length=10, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    seed_ref = models.CharField(max_length=10, blank=True)
    name_nl = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    description_nl = models.TextField(blank=True)
    description_en = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("domein")
        verbose_name_plural = _("domeinen")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")


class Profile(models.Model):
    """A role profile (e.g. i-coach, application manager) that tasks belong to."""

    code = models.CharField(max_length=20, unique=True)
    name_nl = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    description_nl = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    competences = models.JSONField(default=list, blank=True)  # [{"nl": ..., "en": ...}]

    class Meta:
        ordering = ["name_nl"]
        verbose_name = _("rolprofiel")
        verbose_name_plural = _("rolprofielen")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def competence_texts(self) -> list[str]:
        """The competences in the active language, with the region's words filled in."""
        from teamwerk.core.i18n import current_language
        from teamwerk.tenancy.terms import fill_terms

        language = current_language()
        return [fill_terms(c.get(language) or c.get("nl", "")) for c in self.competences or []]


class TaskQuerySet(TenantQuerySet):
    def for_user(self, user, action: str = Action.VIEW):
        """Standard tasks are readable by every member; own tasks only inside the organisation."""
        scope = scope_for(user, action)
        if scope.empty:
            return self.none()
        own = Q(organisation_id__in=scope.organisation_wide | scope.organisations)
        if action == Action.VIEW:
            return self.filter(Q(organisation__isnull=True) | own)
        return self.filter(own)

    def changeable_by(self, user):
        """Own tasks the user may change: every own task of an organisation where the user has
        an organisation-wide role that edits, and those made by a school where the user's role
        edits (its directie or ICT coordinator). Standard tasks never."""
        scope = scope_for(user, Action.EDIT)
        return self.filter(organisation__isnull=False).filter(
            Q(organisation_id__in=scope.organisation_wide)
            | Q(made_by_school_id__in=scope.schools, organisation_id__in=scope.organisations)
        )

    def visible_to_organisation(self, organisation):
        hidden = HiddenTask.objects.filter(organisation=organisation).values("task_id")
        return self.filter(
            Q(organisation__isnull=True) | Q(organisation=organisation), retired=False
        ).exclude(pk__in=hidden)


class Task(models.Model):
    organisation = models.ForeignKey(
        "tenancy.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_tasks",
        help_text=_("Leeg voor taken uit de standaardcatalogus."),
    )
    # An own task made by one school (its directie or ICT coordinator) is changed by that
    # school and the organisation-wide roles; empty: made organisation-wide.
    made_by_school = models.ForeignKey(
        "tenancy.School",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gemaakt door"),
    )
    code = models.CharField(_("code"), max_length=20)
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="tasks")
    title_nl = models.CharField(_("titel (NL)"), max_length=255)
    title_en = models.CharField(_("titel (EN)"), max_length=255, blank=True)
    description_nl = models.TextField(_("omschrijving (NL)"), blank=True)
    description_en = models.TextField(_("omschrijving (EN)"), blank=True)
    core = models.BooleanField(_("kerntaak"), default=False)
    strategic = models.BooleanField(_("strategisch"), default=False)
    technical = models.BooleanField(_("technisch"), default=False)
    needs_pedagogical_qualification = models.BooleanField(
        _("vraagt bewijs van pedagogische bekwaamheid"), default=False
    )
    outsourceable = models.BooleanField(_("kan uitbesteed worden"), default=False)
    usual_level = models.CharField(
        _("gebruikelijk niveau"), max_length=10, choices=Level.choices, default=Level.SCHOOL
    )
    hours_min = models.PositiveIntegerField(
        _("uren per jaar (min)"), default=0, validators=TASK_HOURS.validators()
    )
    hours_max = models.PositiveIntegerField(
        _("uren per jaar (max)"), default=0, validators=TASK_HOURS.validators()
    )
    profiles = models.ManyToManyField(Profile, blank=True, related_name="tasks")
    sources = models.JSONField(default=list, blank=True)
    catalogue_version = models.PositiveIntegerField(default=0)
    # Optimistic version of an own task's edit form.
    version = models.PositiveIntegerField(default=1)
    retired = models.BooleanField(
        default=False, help_text=_("Niet meer in de standaardcatalogus; plannen houden hem.")
    )
    history = HistoricalRecords(excluded_fields=["catalogue_version"])

    objects = TaskQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = None

    class Meta:
        ordering = ["domain__order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(organisation__isnull=True),
                name="task_unique_standard_code",
            ),
            models.UniqueConstraint(fields=["organisation", "code"], name="task_unique_own_code"),
            TASK_HOURS.constraint("hours_min", name="task_hours_min_in_range"),
            TASK_HOURS.constraint("hours_max", name="task_hours_max_in_range"),
            models.CheckConstraint(
                condition=Q(hours_min__lte=models.F("hours_max")), name="task_hours_in_order"
            ),
        ]
        verbose_name = _("taak")
        verbose_name_plural = _("taken")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def is_standard(self) -> bool:
        return self.organisation_id is None

    @property
    def usual_hours_mid(self) -> int:
        return (self.hours_min + self.hours_max) // 2


class HiddenTask(models.Model):
    """An organisation that does not want a standard task offered in its plans."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="hidden_tasks"
    )
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+")

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = None

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "task"], name="hiddentask_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.task_id}"


class CatalogueState(models.Model):
    """Which version of the standard catalogue file is loaded (one row)."""

    version = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"catalogue v{self.version}"
