from django import template

from teamwerk.privacy import selectors

register = template.Library()


@register.inclusion_tag("privacy/_person_links.html", takes_context=True)
def privacy_person_links(context, person):
    """The AVG buttons of a person page, for who may use them."""
    user = context["request"].user
    return {
        "person": person,
        "may_export": selectors.may_export(user, person),
        "may_erase": selectors.may_erase(user, person),
    }
