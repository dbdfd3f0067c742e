"""Writes of the step plan: journeys and answers. Every answer is a new row (a timeline)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teamwerk.core.versions import check_version
from teamwerk.tenancy.models import Organisation, School
from teamwerk.tenancy.roles import Action
from teamwerk.tenancy.selectors import user_can

from .models import NOTE_MAX_LENGTH, Answer, Journey
from .route import default_route

# The group journey holds the group's own decision: whether to pool means (step 4).
GROUP_STEPS = frozenset({4})


def journey_ensure(*, school: School | None = None, organisation: Organisation | None = None):
    """The journey of a school, or of the group when only ``organisation`` is given.

    Creating an empty journey changes nothing a user can see, so it needs no actor; reading
    the route page of a school for the first time creates it.
    """
    if (school is None) == (organisation is None):
        raise ValueError("give either a school or an organisation")
    if school is not None:
        lookup = {"organisation_id": school.organisation_id, "school": school}
    else:
        lookup = {"organisation": organisation, "school": None}
    journey = Journey.objects.filter(**lookup).first()
    if journey is not None:
        return journey
    try:
        with transaction.atomic():
            return Journey.objects.create(**lookup, route_version=default_route().version)
    except IntegrityError:  # created by a parallel request in the meantime
        return Journey.objects.get(**lookup)


def answer_record(
    *,
    actor,
    journey: Journey,
    check_code: str,
    value: bool,
    note: str = "",
    answered_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Answer:
    """Record an answer to one check. Earlier answers stay; the newest one counts.

    ``expected_version`` is the id of the answer to this check the user saw (0 = none yet;
    None = no check, for the seeder): if someone answered meanwhile, ``ConcurrentChange``
    with their answer, and nothing is recorded.

    ``answered_at`` is for the demo seeder and imports (an answer given on paper earlier);
    it may not lie in the future.
    """
    route = default_route()
    if check_code not in route.codes:
        raise ValidationError(_("Deze vraag bestaat niet in het stappenplan."))
    if not isinstance(value, bool):
        raise ValidationError(_("Antwoord met ja of nee."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            _("De toelichting is te lang (hoogstens %(max)d tekens).") % {"max": NOTE_MAX_LENGTH}
        )
    now = timezone.now()
    if answered_at is not None and answered_at > now:
        raise ValidationError(_("Een antwoord kan niet in de toekomst gegeven zijn."))
    if journey.is_group_journey:
        if route.check(check_code).step not in GROUP_STEPS:
            raise ValidationError(_("De groep beantwoordt in het stappenplan alleen stap 4."))
        allowed = user_can(actor, Action.EDIT, organisation=journey.organisation)
    else:
        allowed = user_can(actor, Action.EDIT, school=journey.school)
    if not allowed:
        raise PermissionDenied
    with transaction.atomic():
        # One writer per journey at a time, so "the answer I saw" is still the latest one.
        list(Journey.objects.select_for_update().filter(pk=journey.pk).order_by().values("pk"))
        if expected_version is not None:
            latest = current_answer(journey, check_code)
            check_version(latest.pk if latest else 0, expected_version, current=latest)
        answer = Answer(
            organisation_id=journey.organisation_id,
            school_id=journey.school_id,
            journey=journey,
            check_code=check_code,
            value=value,
            note=note,
            answered_by=actor,
            answered_at=answered_at or now,
        )
        answer.full_clean()
        answer._history_user = actor
        answer.save()
        # The journey may not have moved to another tenant in the meantime (scope re-check).
        if not Journey.objects.for_user(actor, Action.EDIT).filter(pk=journey.pk).exists():
            raise PermissionDenied
        return answer


def current_answer(journey: Journey, check_code: str) -> Answer | None:
    """The answer that counts now for one check of a journey (the newest)."""
    return (
        Answer.objects.filter(journey=journey, check_code=check_code)
        .order_by("-answered_at", "-pk")
        .first()
    )
