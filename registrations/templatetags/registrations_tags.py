from django import template

from registrations.models import DueKind, OrgKind

register = template.Library()


@register.filter
def org_kind_label(value):
    """The Chinese label of an Art. 3 organisation kind (a rules.OrgKind value)."""
    return OrgKind(value).label if value in OrgKind.values else value


@register.filter
def due_kind_label(value):
    """The label of an Art. 5 due kind (a transfer_rules.DueKind value)."""
    return DueKind(value).label if value in DueKind.values else value
