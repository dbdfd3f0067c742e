from django import template

from teamwerk.evaluation.selectors import home_rounds

register = template.Library()


@register.inclusion_tag("evaluation/_home_card.html", takes_context=True)
def evaluation_home_card(context) -> dict:
    """The home page's card of open rounds the user is asked in:
    ``{% load evaluation_tags %}{% evaluation_home_card %}`` (renders nothing without one)."""
    request = context.get("request")
    school = context.get("current_school")
    user = getattr(request, "user", None)
    if user is None or school is None:
        return {"home_rounds": []}
    return {"home_rounds": home_rounds(user, school), "csrf_token": context.get("csrf_token")}
