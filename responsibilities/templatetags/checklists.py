from django import template
from django.utils.translation import gettext as _

from .. import display, rules

register = template.Library()


@register.inclusion_tag("responsibilities/_status.html")
def status_badge(result, item=None, kind="outflow"):
    """A result's badge, with the period, deadline and last record in its tooltip."""
    if result is None:
        return {"status": rules.Status.NOT_APPLICABLE, "label": "—", "css": "text-body-secondary", "tip": ""}
    status = result.status
    tip = []
    if result.current and item is not None:
        tip.append(display.period_label(result.current.period, item.cadence, kind))
        if result.deadline and status in (rules.Status.DUE, rules.Status.OVERDUE):
            tip.append(_("due %(date)s") % {"date": result.deadline.isoformat()})
        if result.current.done_on:
            tip.append(_("done %(date)s") % {"date": result.current.done_on.isoformat()})
    if result.missed_earlier:
        tip.append(_("%(n)s earlier period(s) missed") % {"n": result.missed_earlier})
    return {
        "status": status,
        "label": display.status_label(status),
        "css": display.STATUS_CSS[status],
        "icon": display.STATUS_ICON[status],
        "tip": "；".join(tip),
        "missed": result.missed_earlier,
    }


@register.simple_tag
def status_label(status):
    return display.status_label(status)


@register.filter
def status_css(status):
    return display.STATUS_CSS.get(status, "")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def period_text(result, args):
    """{{ result|period_text:item.cadence }}"""
    if result is None or result.current is None:
        return ""
    return display.period_label(result.current.period, args)
