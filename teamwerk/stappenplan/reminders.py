"""The step-8 review date as a reminder: a school that evaluated its ICT team (step 8, "the
team was evaluated") is asked to evaluate again after the route's review interval. The date
goes into the actions' reminder registry, so the daily job mails the school's directie and
ICT coordinators once, a few days before, and their calendar feed shows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

# The reminder registry's kind (not an audit kind).
REVIEW_KIND = "route.review"
EVALUATED_CHECK = "S8.evaluated"


def route_reviews(*, start: dt.date, end: dt.date, user=None) -> Iterable:
    from teamwerk.actions.reminders import Due, school_leaders, schools_led_by

    from .route import default_route, next_review
    from .selectors import current_answers_to

    route = default_route()
    answers = (
        current_answers_to(EVALUATED_CHECK)
        .filter(journey__school__isnull=False)
        .select_related("journey__school")
    )
    if user is not None:
        answers = answers.filter(journey__school_id__in=schools_led_by(user))
    due = []
    for answer in answers:
        if not answer.value:
            continue
        review_on = next_review(route, timezone.localdate(answer.answered_at))
        if start <= review_on <= end:
            due.append((answer.journey.school, review_on))
    if not due:
        return
    leaders = school_leaders({school.pk for school, _day in due})
    for school, review_on in due:
        recipients = leaders[school.pk]
        if user is not None:
            recipients = [user] if user in recipients else []
        if not recipients:
            continue
        yield Due(
            kind=REVIEW_KIND,
            ref=str(school.pk),
            date=review_on,
            recipients=tuple(recipients),
            subject=_("Stappenplan stap 8: evalueer de samenwerking opnieuw (%(school)s)")
            % {"school": school.name},
            url=reverse("stappenplan_step", kwargs={"school_id": school.pk, "number": 8}),
            detail=school.name,
        )
