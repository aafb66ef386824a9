from django import template

from .. import identity

register = template.Library()


@register.filter
def mask_phone(value):
    return identity.mask_phone(value)


@register.simple_tag(takes_context=True)
def page_url(context, page_number):
    """The current list's query string with another page number."""
    query = context.get("query", "")
    return f"?{query}&page={page_number}" if query else f"?page={page_number}"
