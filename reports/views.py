from datetime import date

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from members import permissions
from registrations.models import BatchCampaign

from . import selectors


def _filter(request) -> selectors.DashboardFilter:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 2000), today.year + 1)
    secondary = None
    if org := request.GET.get("secondary"):
        secondary = (
            permissions.organizations_for(request.user).filter(pk=org).first() if org.isdigit() else None
        )
    return selectors.DashboardFilter(year=year, secondary=secondary)


def _years():
    this_year = timezone.localdate().year
    return list(range(this_year, this_year - 6, -1))


@login_required
def dashboard(request):
    permissions.require(request.user, "view_dashboard")
    flt = _filter(request)
    data = selectors.dashboard(user=request.user, flt=flt)
    data["transfers"] = selectors.transfers_pending_by_step(user=request.user, flt=flt)
    data["heatmap"] = selectors.compliance_heatmap(user=request.user, flt=flt)
    charts = {
        key: data[key]
        for key in ("by_org", "by_category", "by_reason", "by_province", "transfers", "heatmap")
    }
    charts["intake"] = {
        k: {f: v[f] for f in ("on_time", "late", "pending", "overdue")} | {"urls": v["urls"]}
        for k, v in data["intake"].items()
    }
    return render(
        request,
        "reports/dashboard.html",
        {
            **data,
            "flt": flt,
            "charts": charts,
            "years": _years(),
            "organizations": permissions.organizations_for(request.user).filter(is_active=True),
        },
    )


@login_required
def statistics(request):
    permissions.require(request.user, "view_dashboard")
    flt = _filter(request)
    table = selectors.statistics_table(
        user=request.user, start=date(flt.year, 1, 1), end=date(flt.year, 12, 31), secondary=flt.secondary
    )
    return render(
        request,
        "reports/statistics.html",
        {
            "table": table,
            "flt": flt,
            "years": _years(),
            "campaigns": BatchCampaign.objects.all(),
            "organizations": permissions.organizations_for(request.user).filter(is_active=True),
        },
    )


@login_required
def campaign_statistics(request, pk):
    permissions.require(request.user, "view_dashboard")
    campaign = get_object_or_404(BatchCampaign, pk=pk)
    table = selectors.statistics_table(user=request.user, start=campaign.opens_on, end=campaign.closes_on)
    return render(
        request,
        "reports/statistics.html",
        {
            "table": table,
            "campaign": campaign,
            "campaigns": BatchCampaign.objects.all(),
            "years": _years(),
        },
    )
