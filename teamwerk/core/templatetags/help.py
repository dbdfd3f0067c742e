"""``{% module_intro "planning" %}``: the first-visit explanation of a module, closable and
remembered per user; once closed, a small link to the module's help page stays."""

from __future__ import annotations

from django import template

from teamwerk.core.help import first_visit_intro

register = template.Library()


@register.inclusion_tag("core/_intro.html", takes_context=True)
def module_intro(context, key: str):
    request = context.get("request")
    user = getattr(request, "user", None)
    intro = first_visit_intro(user, key) if user is not None else None
    return {"intro": intro, "request": request, "csrf_token": context.get("csrf_token")}
