from django import template

from teamwerk.actions.selectors import may_read_wishes

register = template.Library()


@register.simple_tag(takes_context=True)
def can_read_wishes(context) -> bool:
    """Whether the menu offers the professionalisation overview of the current school."""
    request = context.get("request")
    school = context.get("current_school")
    if request is None or school is None:
        return False
    return may_read_wishes(request.user, school)


@register.inclusion_tag("actions/_home_card.html", takes_context=True)
def actions_home_card(context) -> dict:
    """The home page's card of the user's own open actions: ``{% actions_home_card %}``."""
    from teamwerk.actions.selectors import home_actions

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"actions": None}
    return {"actions": home_actions(user, context.get("current_school"))}
