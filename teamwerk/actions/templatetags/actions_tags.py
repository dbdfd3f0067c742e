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
