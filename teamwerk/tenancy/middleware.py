"""Puts the school the user works in on the request (chosen with the school switch)."""

from __future__ import annotations

from .selectors import schools_for_user
from .terms import activate_region, deactivate_region

SESSION_KEY = "current_school_id"


class CurrentSchoolMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.school = None
        request.organisation = None
        request.schools = []
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            schools = list(schools_for_user(user).active())
            request.schools = schools
            wanted = request.session.get(SESSION_KEY)
            chosen = next((s for s in schools if s.pk == wanted), None)
            request.school = chosen or (schools[0] if schools else None)
            if request.school is not None:
                request.organisation = request.school.organisation
            else:
                from .selectors import organisations_for_user

                request.organisation = organisations_for_user(user).first()
        # The content files' placeholders ({teachers}, {the_group}) take this region's words.
        region = request.organisation.region if request.organisation is not None else None
        token = activate_region(region)
        try:
            return self.get_response(request)
        finally:
            deactivate_region(token)
