from django import template

from registrations.models import OrgKind

register = template.Library()


@register.filter
def org_kind_label(value):
    """The Chinese label of an Art. 3 organisation kind (a rules.OrgKind value)."""
    return OrgKind(value).label if value in OrgKind.values else value
