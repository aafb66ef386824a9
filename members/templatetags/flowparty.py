from urllib.parse import urlencode

from django import template

from .. import identity, selectors

register = template.Library()


@register.filter
def mask_phone(value):
    return identity.mask_phone(value)


@register.simple_tag(takes_context=True)
def page_url(context, page_number):
    """The current list's query string with another page number."""
    query = context.get("query", "")
    return f"?{query}&page={page_number}" if query else f"?page={page_number}"


@register.simple_tag(takes_context=True)
def after_url(context, key):
    """The current list's query string, continuing after the row whose key is `key` (keyset pages)."""
    query = context.get("query", "")
    after = urlencode({"after": key})
    return f"?{query}&{after}" if query else f"?{after}"


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    """The bell's number: one COUNT per request, however many templates ask for it."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    cached = getattr(request, "_flowparty_unread_notifications", None)
    if cached is not None:
        return cached
    count = selectors.unread_notification_count(user=user)
    if request is not None:
        request._flowparty_unread_notifications = count
    return count


@register.filter
def bootstrap(form):
    """Give a form from elsewhere (allauth's) the Bootstrap widget classes our own forms have."""
    from ..forms import bootstrapify

    return bootstrapify(form)
