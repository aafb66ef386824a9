from datetime import date

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from members import access, permissions
from members.models import AccessAction
from registrations.models import BatchCampaign

from . import selectors
from .xlsx import simple_sheet, xlsx_response


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


def _statistics_xlsx(request, table, title: str):
    """The statistical table as the page shows it, with its totals row (Chinese headers, numbers as numbers)."""
    headers = [
        "二级党组织",
        "党员",
        "流动党员",
        "流出",
        "流入",
        *[str(r) for r in table["reasons"]],
        "按时纳管",
        "超期纳管",
        "未完成纳管",
        "转入",
        "转出",
    ]

    def line(name, r):
        return [
            name,
            r["members"],
            r["mobile"],
            r["outflow"],
            r["inflow"],
            *r["reason_list"],
            r["on_time"],
            r["late"],
            r["open"],
            r["transfers_in"],
            r["transfers_out"],
        ]

    rows = [line(str(r["organization"]), r) for r in table["rows"]] + [line("合计", table["totals"])]
    access.log_access(request, action=AccessAction.EXPORT, what=title)
    return xlsx_response(f"{title}.xlsx", [simple_sheet(title[:31], headers, rows)])


@login_required
def statistics(request):
    permissions.require(request.user, "view_dashboard")
    flt = _filter(request)
    table = selectors.statistics_table(
        user=request.user, start=date(flt.year, 1, 1), end=date(flt.year, 12, 31), secondary=flt.secondary
    )
    if request.GET.get("format") == "xlsx":
        return _statistics_xlsx(request, table, f"{flt.year}年流动党员统计表")
    query = request.GET.copy()
    query["format"] = "xlsx"
    return render(
        request,
        "reports/statistics.html",
        {
            "export_url": f"?{query.urlencode()}",
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
    if request.GET.get("format") == "xlsx":
        return _statistics_xlsx(request, table, f"{campaign.year}年{campaign.month}月集中登记统计表")
    return render(
        request,
        "reports/statistics.html",
        {
            "export_url": "?format=xlsx",
            "table": table,
            "campaign": campaign,
            "campaigns": BatchCampaign.objects.all(),
            "years": _years(),
        },
    )
