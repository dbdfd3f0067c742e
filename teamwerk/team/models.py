"""The ICT team of a school: people, what they can and want to do, who does which task, and
the team's agreements (step 7 of the step plan)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from teamwerk.core.limits import HOURS_PER_YEAR, MANDATE_BUDGET, SCALE_0_3
from teamwerk.tenancy.querysets import TenantQuerySet, scope_for
from teamwerk.tenancy.roles import Action


class Level(models.IntegerChoices):
    """Expertise on a 0–3 scale, in words a teacher recognises."""

    NONE = 0, _("Nog geen ervaring")
    WITH_HELP = 1, _("Lukt met hulp")
    INDEPENDENT = 2, _("Lukt zelfstandig")
    EXPERT = 3, _("Kan het anderen leren")


class Motivation(models.IntegerChoices):
    NONE = 0, _("Liever niet")
    IF_NEEDED = 1, _("Als het moet")
    GLADLY = 2, _("Graag")
    EAGER = 3, _("Heel graag")


# Expertise from this level on counts as "can do it alone" (dashboard, knowledge risk).
SOLID_EXPERTISE = Level.INDEPENDENT


class AssignmentRole(models.TextChoices):
    OWNER = "owner", _("Trekker")
    BACKUP = "backup", _("Back-up")


class Mandate(models.TextChoices):
    DECIDES = "decides", _("Beslist zelf")
    BUDGET = "budget", _("Beslist binnen een budget")
    ADVISES = "advises", _("Adviseert")
    EXECUTES = "executes", _("Voert uit")


class AgreementKind(models.TextChoices):
    KNOWLEDGE = "knowledge", _("Kennisdeling")
    BACKUP = "backup", _("Back-up")
    DOCUMENTATION = "documentation", _("Documentatie")
    ORGANISATION = "organisation", _("Organisatie")
    WORKING = "working", _("Werkwijze")


class PersonQuerySet(TenantQuerySet):
    def for_user(self, user, action: str = Action.VIEW):
        """A person is inside a school scope when they have hours (a place) in that school."""
        scope = scope_for(user, action)
        if scope.empty:
            return self.none()
        in_school = Availability.objects.filter(person=OuterRef("pk"), school_id__in=scope.schools)
        return self.filter(Q(organisation_id__in=scope.organisation_wide) | Exists(in_school))


class Person(models.Model):
    """Someone who works in the organisation; an account is optional (linked on invitation)."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="people"
    )
    first_name = models.CharField(_("voornaam"), max_length=100)
    last_name = models.CharField(_("achternaam"), max_length=100)
    email = models.EmailField(_("e-mailadres"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team_people",
        verbose_name=_("account"),
    )
    job_title = models.CharField(_("functie"), max_length=150, blank=True)
    profile = models.ForeignKey(
        "catalogue.Profile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("rolprofiel"),
    )
    pedagogically_qualified = models.BooleanField(
        _("bewijs van pedagogische bekwaamheid"), default=False
    )
    external = models.BooleanField(_("extern (leverancier of partner)"), default=False)
    active = models.BooleanField(_("actief"), default=True)
    # Optimistic versions: of the details above, and of the person's expertise and motivation
    # (one counter for all their answers, bumped by every save of the ratings page).
    version = models.PositiveIntegerField(default=1)
    ratings_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["ratings_version"])

    objects = PersonQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = None

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=~Q(email=""),
                name="person_unique_email",
            ),
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(user__isnull=False),
                name="person_unique_user",
            ),
        ]
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def initials(self) -> str:
        return (self.first_name[:1] + self.last_name[:1]).upper()


class Availability(models.Model):
    """A person's place in a school for one school year, with the ICT hours they have there."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey("tenancy.School", on_delete=models.CASCADE, related_name="+")
    school_year = models.ForeignKey(
        "tenancy.SchoolYear", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="availabilities")
    hours_available = models.DecimalField(
        _("ICT-uren per jaar"),
        max_digits=7,
        decimal_places=HOURS_PER_YEAR.decimal_places,
        default=0,
        validators=HOURS_PER_YEAR.validators(),
    )
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = "school"

    class Meta:
        ordering = ["school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "school", "school_year"], name="availability_unique"
            ),
            HOURS_PER_YEAR.constraint("hours_available", name="availability_hours_in_range"),
        ]
        verbose_name = _("beschikbaarheid")
        verbose_name_plural = _("beschikbaarheden")

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.school_id} {self.school_year_id}: {self.hours_available}"


class CompetenceQuerySet(models.QuerySet):
    def for_user(self, user, action: str = Action.VIEW_SENSITIVE):
        """Self-assessments are sensitive: the person themself, and directie / ICT of a school
        the person works in. Every action on them follows this one rule."""
        sensitive = scope_for(user, Action.VIEW_SENSITIVE)
        member = scope_for(user, Action.VIEW)
        if member.empty:
            return self.none()
        in_school = Availability.objects.filter(
            person=OuterRef("person_id"), school_id__in=sensitive.schools
        )
        return self.filter(
            Q(organisation_id__in=sensitive.organisation_wide)
            | Exists(in_school)
            | Q(person__user=user, organisation_id__in=member.organisations)
        )


class Competence(models.Model):
    """What a person can (expertise) and wants (motivation) in a domain, or in one task."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="competences")
    domain = models.ForeignKey("catalogue.Domain", on_delete=models.CASCADE, related_name="+")
    task = models.ForeignKey(
        "catalogue.Task", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    expertise = models.PositiveSmallIntegerField(
        _("kennis en ervaring"), choices=Level.choices, validators=SCALE_0_3.validators()
    )
    motivation = models.PositiveSmallIntegerField(
        _("zin om het te doen"), choices=Motivation.choices, validators=SCALE_0_3.validators()
    )
    development_wish = models.TextField(_("wat wil je bijleren?"), blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_by_self = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = CompetenceQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = None

    class Meta:
        ordering = ["domain__order", "task__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "domain"],
                condition=Q(task__isnull=True),
                name="competence_unique_domain",
            ),
            models.UniqueConstraint(
                fields=["person", "task"],
                condition=Q(task__isnull=False),
                name="competence_unique_task",
            ),
            models.CheckConstraint(
                condition=SCALE_0_3.condition("expertise") & SCALE_0_3.condition("motivation"),
                name="competence_scale_0_3",
            ),
        ]
        verbose_name = _("kennis en motivatie")
        verbose_name_plural = _("kennis en motivatie")

    def __str__(self) -> str:
        return (
            f"{self.person_id} {self.domain_id}/{self.task_id}: {self.expertise}/{self.motivation}"
        )


class Assignment(models.Model):
    """One person's part in one planned task: trekker (owner) or back-up."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    # Empty only for tasks of the group's plan, which only organisation-wide roles change.
    school = models.ForeignKey(
        "tenancy.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    planned_task = models.ForeignKey(
        "planning.PlannedTask", on_delete=models.CASCADE, related_name="assignments"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("rol"), max_length=10, choices=AssignmentRole.choices)
    hours = models.DecimalField(
        _("uren per jaar"),
        max_digits=7,
        decimal_places=HOURS_PER_YEAR.decimal_places,
        default=0,
        validators=HOURS_PER_YEAR.validators(),
    )
    mandate = models.CharField(
        _("mandaat"), max_length=10, choices=Mandate.choices, default=Mandate.EXECUTES
    )
    mandate_budget = models.DecimalField(
        _("budget (€)"),
        max_digits=10,
        decimal_places=MANDATE_BUDGET.decimal_places,
        null=True,
        blank=True,
        validators=MANDATE_BUDGET.validators(),
    )
    mandate_note = models.CharField(_("toelichting bij het mandaat"), max_length=300, blank=True)
    starts_on = models.DateField(_("vanaf"))
    ends_on = models.DateField(_("tot en met"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = "school"

    class Meta:
        ordering = ["planned_task_id", "role", "person__last_name"]
        constraints = [
            # A planned task has at most one trekker.
            models.UniqueConstraint(
                fields=["planned_task"],
                condition=Q(role="owner"),
                name="assignment_one_owner",
            ),
            # One role per person per task: the trekker is never also a back-up.
            models.UniqueConstraint(
                fields=["planned_task", "person"], name="assignment_one_role_per_person"
            ),
            HOURS_PER_YEAR.constraint("hours", name="assignment_hours_in_range"),
            MANDATE_BUDGET.constraint(
                "mandate_budget", name="assignment_budget_in_range", nullable=True
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="assignment_period_in_order",
            ),
        ]
        verbose_name = _("toewijzing")
        verbose_name_plural = _("toewijzingen")

    def __str__(self) -> str:
        return f"{self.planned_task_id} {self.role} {self.person_id}"

    @property
    def is_owner(self) -> bool:
        return self.role == AssignmentRole.OWNER


class Agreement(models.Model):
    """An agreement of the ICT team (step 7): knowledge sharing, back-up, documentation,
    organisation, way of working."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "tenancy.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    school_year = models.ForeignKey(
        "tenancy.SchoolYear", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("soort afspraak"), max_length=20, choices=AgreementKind.choices)
    text = models.TextField(_("afspraak"))
    documentation_location = models.CharField(
        _("waar staat de documentatie?"), max_length=300, blank=True
    )
    meeting_rhythm = models.CharField(_("hoe vaak komen jullie samen?"), max_length=200, blank=True)
    channel = models.CharField(_("kanaal"), max_length=200, blank=True)
    agreed_on = models.DateField(_("afgesproken op"))
    review_on = models.DateField(_("opnieuw bekijken op"), null=True, blank=True)
    responsible = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
        verbose_name=_("verantwoordelijke"),
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()
    tenant_organisation_field = "organisation"
    tenant_school_field = "school"

    class Meta:
        ordering = ["kind", "agreed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_on__isnull=True) | Q(review_on__gte=models.F("agreed_on")),
                name="agreement_review_after_agreed",
            ),
        ]
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:40]}"
