"""``{% setup_checklist as checklist %}``: the new organisation's first steps for the home page
(computed only where the partial is included)."""

from django import template

from teamwerk.tenancy.selectors import setup_checklist as checklist_for

register = template.Library()


@register.simple_tag(takes_context=True)
def setup_checklist(context):
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    return checklist_for(request.user, getattr(request, "organisation", None))
