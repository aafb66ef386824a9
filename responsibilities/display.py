"""How statuses and periods read on a page or in a mail (translated; rules.py stays pure)."""

from django.utils.translation import gettext as _

from . import rules
from .models import Status

STATUS_CSS = {
    rules.Status.MET: "text-bg-success",
    rules.Status.DUE: "text-bg-warning",
    rules.Status.OVERDUE: "text-bg-danger",
    rules.Status.EXEMPT: "text-bg-info",
    rules.Status.AS_NEEDED: "text-bg-light border",
    rules.Status.NOT_APPLICABLE: "text-bg-light border",
}
STATUS_ICON = {
    rules.Status.MET: "bi-check-circle",
    rules.Status.DUE: "bi-hourglass-split",
    rules.Status.OVERDUE: "bi-exclamation-triangle",
    rules.Status.EXEMPT: "bi-heart-pulse",
    rules.Status.AS_NEEDED: "bi-dash-circle",
    rules.Status.NOT_APPLICABLE: "bi-dash",
}


def status_label(status) -> str:
    return str(Status(status).label)


def period_label(period: rules.Period, cadence: str, mobility_kind: str = "outflow") -> str:
    if cadence in (rules.Cadence.ONCE, rules.Cadence.AS_NEEDED):
        return _("this outflow") if mobility_kind == "outflow" else _("this inflow")
    year = period.start.year
    if cadence == rules.Cadence.MONTH:
        return _("%(year)s-%(month)02d") % {"year": year, "month": period.start.month}
    if cadence == rules.Cadence.QUARTER:
        return _("%(year)s Q%(quarter)s") % {"year": year, "quarter": (period.start.month - 1) // 3 + 1}
    if cadence == rules.Cadence.HALF_YEAR:
        if period.start.month == 1:
            return _("first half of %(year)s") % {"year": year}
        return _("second half of %(year)s") % {"year": year}
    return _("%(year)s") % {"year": year}
