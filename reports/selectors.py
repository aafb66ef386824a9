"""The dashboard's and the statistical tables' figures, scoped to the viewer, aggregated in the database.

Every figure is computed from the same querysets (and filters) as the list it links to, so the dashboard
and the lists always agree; the number of queries does not depend on the data size.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from members import permissions
from members.models import Category, MobilityReason, SecondaryOrganization
from registrations import selectors as registration_selectors
from registrations.models import BatchCampaign, Division


def _url(name: str, **params) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse(name) + ("?" + urlencode(params) if params else "")


def province_short_name(name: str) -> str:
    """四川省 -> 四川, 广西壮族自治区 -> 广西: the names the vendored China map uses."""
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


F_DUE = F("due_on")
PENDING = Q(due_on__isnull=False, intake_completed_on__isnull=True) & ~Q(state="ended")


@dataclass(frozen=True)
class DashboardFilter:
    year: int
    secondary: SecondaryOrganization | None = None

    @property
    def org_param(self):
        return self.secondary.pk if self.secondary else None


def organizations_in_view(*, user, flt: DashboardFilter):
    orgs = permissions.organizations_for(user).filter(is_active=True).order_by("ordering", "code")
    return orgs.filter(pk=flt.secondary.pk) if flt.secondary else orgs


def dashboard(*, user, flt: DashboardFilter, today=None) -> dict:
    today = today or timezone.localdate()
    org = flt.org_param
    # The same filter as the member list's `mobile=true`, and the member_mobile index's condition.
    members = permissions.members_for(user).exclude(mobility_reason="")
    outflows = registration_selectors.outflows_for(user)
    inflows = registration_selectors.inflows_for(user)
    if flt.secondary:
        members = members.filter(secondary=flt.secondary)
        outflows = outflows.filter(secondary=flt.secondary)
        inflows = inflows.filter(secondary=flt.secondary)

    names = dict(organizations_in_view(user=user, flt=flt).values_list("pk", "name"))
    # One pass over the mobile members (an index-only scan of member_mobile) gives the three breakdowns and the
    # total; four GROUP BYs would read the same rows four times.
    per_org: dict[int, int] = {}
    per_category: dict[str, int] = {}
    per_reason: dict[str, int] = {}
    mobile_total = 0
    for row in (
        members.order_by().values("secondary_id", "category", "mobility_reason").annotate(n=Count("*"))
    ):
        n = row["n"]
        mobile_total += n
        per_org[row["secondary_id"]] = per_org.get(row["secondary_id"], 0) + n
        per_category[row["category"]] = per_category.get(row["category"], 0) + n
        per_reason[row["mobility_reason"]] = per_reason.get(row["mobility_reason"], 0) + n

    def ranked(counts: dict) -> list:
        return sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))

    by_org = [
        {
            "name": names[secondary_id],
            "value": n,
            "url": _url("members:list", mobile="true", secondary=secondary_id),
        }
        for secondary_id, n in ranked(per_org)
        if secondary_id in names
    ]
    category_labels = dict(Category.choices)
    by_category = [
        {
            "name": str(category_labels.get(category, category)),
            "value": n,
            "url": _url("members:list", mobile="true", category=category, secondary=org),
        }
        for category, n in ranked(per_category)
    ]
    reason_labels = dict(MobilityReason.choices)
    by_reason = [
        {
            "name": str(reason_labels.get(reason, reason)),
            "value": n,
            "url": _url("members:list", mobile="true", mobility_reason=reason, secondary=org),
        }
        for reason, n in ranked(per_reason)
    ]
    province_names = dict(Division.objects.filter(level=1).values_list("code", "name"))
    # Grouped by county (an index-only scan of outflow_open_destination), added up by province here: grouping by
    # a substring of the code would read the whole table.
    per_province: dict[str, int] = {}
    for county, n in (
        outflows.open()
        .filter(destination_county__isnull=False)
        .order_by()
        .values_list("destination_county_id")
        .annotate(n=Count("*"))
    ):
        per_province[county[:2]] = per_province.get(county[:2], 0) + n
    by_province = []
    for prov, n in ranked(per_province):
        full = province_names.get(prov + "0000", prov)
        by_province.append(
            {
                "name": province_short_name(full),
                "full_name": full,
                "value": n,
                "url": _url("registrations:outflow_list", open="true", province=prov + "0000", secondary=org),
            }
        )

    open_counts = {
        "outflow": outflows.open().count(),
        "inflow": inflows.open().count(),
        "members": mobile_total,
    }

    def timeliness(qs, list_name):
        year_qs = qs.clock_started_in(flt.year)
        agg = year_qs.aggregate(
            total=Count("pk"),
            on_time=Count("pk", filter=Q(intake_completed_on__isnull=False, intake_completed_on__lte=F_DUE)),
            late=Count("pk", filter=Q(intake_completed_on__isnull=False, intake_completed_on__gt=F_DUE)),
            pending=Count("pk", filter=PENDING),
            overdue=Count("pk", filter=PENDING & Q(due_on__lt=today)),
        )
        base = {"year": flt.year, "secondary": org}
        agg["urls"] = {
            "total": _url(list_name, **base),
            "on_time": _url(list_name, timeliness="on_time", **base),
            "late": _url(list_name, timeliness="late", **base),
            "pending": _url(list_name, timeliness="pending", **base),
            "overdue": _url(list_name, overdue="true", **base),
        }
        return agg

    intake = {
        "outflow": timeliness(outflows, "registrations:outflow_list"),
        "inflow": timeliness(inflows, "registrations:inflow_list"),
    }
    overdue_now = {
        "outflow": outflows.overdue(today).count(),
        "inflow": inflows.overdue(today).count(),
        "outflow_url": _url("registrations:outflow_list", overdue="true", secondary=org),
        "inflow_url": _url("registrations:inflow_list", overdue="true", secondary=org),
    }
    overdue_list = list(outflows.overdue(today).select_related("member", "secondary").order_by("due_on")[:10])
    return {
        "by_org": by_org,
        "by_category": by_category,
        "by_reason": by_reason,
        "by_province": by_province,
        "open_counts": open_counts,
        "intake": intake,
        "overdue_now": overdue_now,
        "overdue_list": overdue_list,
        "campaign": campaign_completion(user=user, flt=flt),
        "urls": {
            "members": _url("members:list", mobile="true", secondary=org),
            "outflows": _url("registrations:outflow_list", open="true", secondary=org),
            "inflows": _url("registrations:inflow_list", open="true", secondary=org),
        },
    }


def campaign_completion(*, user, flt: DashboardFilter) -> dict | None:
    """The current (or latest) batch campaign: which organisations have submitted."""
    campaign = BatchCampaign.objects.order_by("-year", "-month").first()
    if campaign is None:
        return None
    tasks = campaign.tasks.filter(secondary__in=permissions.organizations_for(user))
    if flt.secondary:
        tasks = tasks.filter(secondary=flt.secondary)
    rows = list(tasks.select_related("secondary").order_by("secondary__ordering"))
    return {
        "campaign": campaign,
        "submitted": sum(1 for t in rows if t.is_submitted),
        "total": len(rows),
        "rows": [
            {
                "name": t.secondary.short_name or t.secondary.name,
                "submitted": t.is_submitted,
                "url": t.get_absolute_url() if permissions.can(user, "view_campaign_task", t) else "",
            }
            for t in rows
        ],
        "url": campaign.get_absolute_url(),
    }


def statistics_table(*, user, start, end, secondary=None) -> dict:
    """By secondary organisation, for registrations whose intake clock started between `start` and `end`:
    members, outflows, inflows, by mobility reason, intakes on time / late / open; with a totals row."""
    from registrations.models import InflowRegistration, OutflowRegistration

    orgs = list(permissions.organizations_for(user).order_by("ordering", "code"))
    if secondary:
        orgs = [o for o in orgs if o.pk == secondary.pk]
    ids = [o.pk for o in orgs]
    member_counts = dict(
        permissions.members_for(user)
        .filter(secondary_id__in=ids)
        .order_by()  # Meta.ordering would join the organisations into a million-row GROUP BY
        .values("secondary_id")
        .annotate(n=Count("*"))  # COUNT(*): an index-only scan; COUNT(id) reads the rows
        .values_list("secondary_id", "n")
    )
    mobile_counts = dict(
        permissions.members_for(user)
        .filter(secondary_id__in=ids)
        .exclude(mobility_reason="")  # member_mobile's condition, as the dashboard and the member list
        .order_by()
        .values("secondary_id")
        .annotate(n=Count("*"))  # COUNT(*): an index-only scan; COUNT(id) reads the rows
        .values_list("secondary_id", "n")
    )
    reasons = [value for value, _label in MobilityReason.choices]
    figures = {
        pk: {
            "outflow": 0,
            "inflow": 0,
            "on_time": 0,
            "late": 0,
            "open": 0,
            "reasons": dict.fromkeys(reasons, 0),
        }
        for pk in ids
    }
    for model, key in ((OutflowRegistration, "outflow"), (InflowRegistration, "inflow")):
        field = model.CLOCK_START_FIELD
        qs = permissions.filter_for(user, model.objects.all(), member="member_id").filter(
            secondary_id__in=ids, **{f"{field}__gte": start, f"{field}__lte": end}
        )
        # One pass, by organisation and reason, folded here; read from the register's list index alone (it
        # includes every column used: registrations.models, outflow_list_order / inflow_list_order).
        for row in (
            qs.order_by()
            .values("secondary_id", "reason")
            .annotate(
                n=Count("pk"),
                on_time=Count(
                    "pk", filter=Q(intake_completed_on__isnull=False, intake_completed_on__lte=F_DUE)
                ),
                late=Count("pk", filter=Q(intake_completed_on__isnull=False, intake_completed_on__gt=F_DUE)),
                open=Count("pk", filter=PENDING),
            )
        ):
            f = figures[row["secondary_id"]]
            f[key] += row["n"]
            f["on_time"] += row["on_time"]
            f["late"] += row["late"]
            f["open"] += row["open"]
            if row["reason"]:
                f["reasons"][row["reason"]] += row["n"]
    # Transfers completed in the window (Art. 5): in = into one of our organisations (from elsewhere, or a move
    # between our organisations, counted for the receiving one); out = out of the university, or the move's origin.
    from registrations.transfer_selectors import transfers_for

    done = transfers_for(user).filter(state="completed", completed_on__gte=start, completed_on__lte=end)
    transfers_in: dict[int, int] = {}
    transfers_out: dict[int, int] = {}
    for direction, secondary_id, to_secondary_id in done.values_list(
        "direction", "secondary_id", "to_secondary_id"
    ):
        if direction == "in":
            transfers_in[secondary_id] = transfers_in.get(secondary_id, 0) + 1
        elif direction == "out":
            transfers_out[secondary_id] = transfers_out.get(secondary_id, 0) + 1
        elif to_secondary_id and to_secondary_id != secondary_id:
            transfers_out[secondary_id] = transfers_out.get(secondary_id, 0) + 1
            transfers_in[to_secondary_id] = transfers_in.get(to_secondary_id, 0) + 1
    rows = []
    for org in orgs:
        f = figures[org.pk]
        f["transfers_in"] = transfers_in.get(org.pk, 0)
        f["transfers_out"] = transfers_out.get(org.pk, 0)
        rows.append(
            {
                "organization": org,
                "members": member_counts.get(org.pk, 0),
                "mobile": mobile_counts.get(org.pk, 0),
                **f,
                "reason_list": [f["reasons"][r] for r in reasons],
            }
        )
    totals = {
        key: sum(r[key] for r in rows)
        for key in (
            "members",
            "mobile",
            "outflow",
            "inflow",
            "on_time",
            "late",
            "open",
            "transfers_in",
            "transfers_out",
        )
    }
    totals["reason_list"] = [sum(r["reason_list"][i] for r in rows) for i in range(len(reasons))]
    return {
        "rows": rows,
        "totals": totals,
        "reasons": [label for _value, label in MobilityReason.choices],
        "start": start,
        "end": end,
        "transfers": True,
    }


def transfers_pending_by_step(*, user, flt: DashboardFilter) -> list[dict]:
    """Transfers awaiting approval, by the step they wait at (Art. 5), each linked to its filtered list."""
    from registrations.models import TransferStage
    from registrations.transfer_selectors import transfers_for

    qs = transfers_for(user).filter(state="pending")
    if flt.secondary:
        qs = qs.filter(secondary=flt.secondary)
    counts = dict(qs.values("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    return [
        {
            "name": str(label),
            "value": counts.get(stage, 0),
            "url": _url("registrations:transfer_list", state="pending", stage=stage, secondary=flt.org_param),
        }
        for stage, label in TransferStage.choices
        if stage
    ]


def compliance_heatmap(*, user, flt: DashboardFilter, today=None) -> dict:
    """Checklist compliance by organisation and item: the share met of what was required (met, due or overdue;
    exempt and as-needed items are left out, Art. 6), computed by the same function as each organisation's
    matrix, which every cell links to."""
    from responsibilities import selectors as checklist_selectors

    if not checklist_selectors.live_compliance_allowed(user=user, secondary=flt.secondary):
        return {"too_many": True, "columns": [], "codes": [], "rows": [], "cells": []}
    item_list = checklist_selectors.items()
    outflows = checklist_selectors.open_outflows(user)
    inflows = checklist_selectors.open_inflows(user)
    if flt.secondary:
        outflows, inflows = outflows.filter(secondary=flt.secondary), inflows.filter(secondary=flt.secondary)
    rows = checklist_selectors.compliance_rows(
        outflows=outflows, inflows=inflows, today=today, item_list=item_list
    )
    orgs = list(organizations_in_view(user=user, flt=flt))
    tallies: dict[tuple[int, str], dict[str, int]] = {}
    for row in rows:
        for code, result in row.results.items():
            t = tallies.setdefault((row.registration.secondary_id, code), {"met": 0, "required": 0})
            if result.status in ("met", "due", "overdue"):
                t["required"] += 1
                t["met"] += result.status == "met"
    cells, links = [], {}
    for y, org in enumerate(orgs):
        links[y] = reverse("responsibilities:org_matrix", args=[org.pk])
        for x, item in enumerate(item_list):
            t = tallies.get((org.pk, item.code))
            if t and t["required"]:
                cells.append(
                    {
                        "value": [x, y, round(100 * t["met"] / t["required"])],
                        "url": links[y],
                        "met": t["met"],
                        "required": t["required"],
                    }
                )
    return {
        "columns": [f"{i.code} {i.title}" for i in item_list],
        "codes": [i.code for i in item_list],
        "rows": [o.short_name or o.name for o in orgs],
        "cells": cells,
    }
