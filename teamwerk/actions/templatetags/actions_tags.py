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


@register.inclusion_tag("actions/_make_action.html", takes_context=True)
def make_action_link(context, source: str, label: str, ref, school, owner=None) -> dict:
    """ "Maak een actie" from a route step, an agreement or a task: the new-action form with
    the source filled in. Shown only to who may add actions for that school, and only for the
    current school (a new action belongs to the school chosen in the menu)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from teamwerk.actions.services import may_edit_actions

    request = context.get("request")
    current = context.get("current_school")
    user = getattr(request, "user", None)
    if (
        user is None
        or school is None
        or current is None
        or current.pk != school.pk
        or not may_edit_actions(user, organisation=school.organisation, school=school)
    ):
        return {"url": None}
    if source == "route_step":  # a step is known by its school and number
        ref = f"{school.pk}:{ref}"
    query = {"bron": source, "label": str(label)[:200], "ref": str(ref)}
    if owner is not None:
        query["trekker"] = str(owner)
    return {"url": f"{reverse('actions_create')}?{urlencode(query)}"}
