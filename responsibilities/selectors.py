"""Reads scoped to the viewer, and the compliance computation's database side.

`compliance_rows` turns open registrations into rules.MemberFacts with a fixed number of queries (one per
kind of record, whatever the number of members) and evaluates every applicable item; the matrix, the
organisation department's overview, the member's card and the reminder job all use it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from members import permissions
from members.models import Member, SecondaryOrganization, Standing
from registrations import selectors as registration_selectors
from registrations.models import ChangeReport, InflowRegistration, OutflowRegistration, RegistrationEvent

from . import rules
from .models import (
    Attendance,
    CareVisit,
    Checklist,
    Consultation,
    ContactLog,
    DemocraticEvaluation,
    DuesAllocation,
    DuesPayment,
    InterDepartmentConsultation,
    OrgLifeSession,
    ProbationRecord,
    ResponsibilityItem,
    RoleActivity,
    Supervision,
    SupervisionKind,
    ThoughtReport,
)

# --- Scoped querysets ------------------------------------------------------------------------------------


def member_records_for(user, model) -> QuerySet:
    """Records about members: their organisation, their branch, or the member themself."""
    return permissions.filter_for(user, model.objects.all(), member="member_id")


def sessions_for(user) -> QuerySet[OrgLifeSession]:
    return permissions.filter_for(user, OrgLifeSession.objects.all())


def session_get(*, user, pk) -> OrgLifeSession:
    return permissions.get_visible_or_404(sessions_for(user).select_related("secondary", "branch"), pk=pk)


def consultations_for(user) -> QuerySet[Consultation]:
    return permissions.filter_for(user, Consultation.objects.all(), branch=None)


def allocations_for(user) -> QuerySet[DuesAllocation]:
    return permissions.filter_for(user, DuesAllocation.objects.all(), branch=None)


def allocation_get(*, user, pk) -> DuesAllocation:
    return permissions.get_visible_or_404(allocations_for(user).select_related("secondary"), pk=pk)


def inter_department_consultations_for(user) -> QuerySet[InterDepartmentConsultation]:
    if not permissions.is_org_department(user):
        return InterDepartmentConsultation.objects.none()
    return InterDepartmentConsultation.objects.all()


def items() -> list[ResponsibilityItem]:
    return list(ResponsibilityItem.objects.order_by("code"))


def items_by_checklist(item_list=None) -> dict[str, list[ResponsibilityItem]]:
    grouped = {c: [] for c in Checklist.values}
    for item in item_list if item_list is not None else items():
        grouped[item.checklist].append(item)
    return grouped


def open_outflows(user) -> QuerySet[OutflowRegistration]:
    return registration_selectors.outflows_for(user).exclude(state="ended")


def open_inflows(user) -> QuerySet[InflowRegistration]:
    return registration_selectors.inflows_for(user).exclude(state="ended")


# --- Compliance ---------------------------------------------------------------------------------------------


@dataclass
class Row:
    """One mobile member (one open outflow or inflow) and the status of each applicable item."""

    member: Member
    registration: OutflowRegistration | InflowRegistration
    facts: rules.MemberFacts
    results: dict[str, rules.ItemResult] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.facts.mobility.kind

    def cells(self, item_list) -> list[rules.ItemResult]:
        return [self.results[i.code] for i in item_list]


def _local(value) -> date:
    return timezone.localdate(value)


def _outflow_mobility(o: OutflowRegistration) -> rules.Mobility:
    created_on = _local(o.created_at)
    # A3.1: the member reported, or the organisation knew before the departure (it registered the outflow or
    # gave the pre-departure education before the member left).
    known = (
        bool(getattr(o, "reported_departure", False))
        or o.departure_on is None
        or created_on <= o.departure_on
        or (o.pre_departure_education_on is not None and o.pre_departure_education_on <= o.departure_on)
    )
    return rules.Mobility(
        kind="outflow",
        ref=f"outflow-{o.pk}",
        start=o.departure_on or o.registered_on or created_on,
        registered_on=o.registered_on,
        due_on=o.due_on,
        departure_on=o.departure_on,
        reported_on=o.reported_on,
        pre_departure_education_on=o.pre_departure_education_on,
        intake_completed_on=o.intake_completed_on,
        known_before_leaving=known,
        created_on=created_on,
    )


def _inflow_mobility(i: InflowRegistration) -> rules.Mobility:
    return rules.Mobility(
        kind="inflow",
        ref=f"inflow-{i.pk}",
        start=i.origin_registered_on,
        registered_on=i.registered_on,
        due_on=i.due_on,
        intake_completed_on=i.intake_completed_on,
        created_on=_local(i.created_at),
    )


def _collect(member_filter: Q, since: date) -> tuple[dict[int, list], dict[int, list]]:
    """Every record that can meet an item, for the members matched, as rules.Record / rules.Dues.

    One query per kind of record; the number of members does not change the number of queries.
    """
    T = rules.RecordType
    records: dict[int, list[rules.Record]] = defaultdict(list)
    dues: dict[int, list[rules.Dues]] = defaultdict(list)

    def add(member_id, kind, on, pending=False):
        records[member_id].append(rules.Record(kind, on, pending))

    for m, on in ContactLog.objects.filter(member_filter, contacted_on__gte=since).values_list(
        "member_id", "contacted_on"
    ):
        add(m, T.CONTACT, on)
    for m, kind, on in Attendance.objects.filter(member_filter, session__held_on__gte=since).values_list(
        "member_id", "session__kind", "session__held_on"
    ):
        add(m, T.TRAINING if kind == "training" else T.ORG_LIFE, on)
    for m, kind, on in ProbationRecord.objects.filter(member_filter, recorded_on__gte=since).values_list(
        "member_id", "kind", "recorded_on"
    ):
        add(m, T.PROBATION_CONVERSION if kind == "conversion" else T.PROBATION_CONDUCT, on)
    for m, on in RoleActivity.objects.filter(member_filter, held_on__gte=since).values_list(
        "member_id", "held_on"
    ):
        add(m, T.ROLE_ACTIVITY, on)
    for m, on in CareVisit.objects.filter(member_filter, visited_on__gte=since).values_list(
        "member_id", "visited_on"
    ):
        add(m, T.CARE_VISIT, on)
    # An evaluation counts once its result is fed back to the origin, for the year it evaluates.
    for m, year, fed_back_on in DemocraticEvaluation.objects.filter(
        member_filter, year__gte=since.year, fed_back_on__isnull=False
    ).values_list("member_id", "year", "fed_back_on"):
        add(m, T.EVALUATION, min(fed_back_on, date(year, 12, 31)))
    # Supervision has no window: a disposal left unsent stays outstanding however old it is.
    for m, kind, on, sent_on in Supervision.objects.filter(member_filter).values_list(
        "member_id", "kind", "occurred_on", "sent_on"
    ):
        needs_sending = kind in (SupervisionKind.DISPOSAL, SupervisionKind.DISPOSAL_PROPOSAL)
        add(m, T.SUPERVISION, on, needs_sending and sent_on is None)
    for m, on in ThoughtReport.objects.filter(member_filter, submitted_on__gte=since).values_list(
        "member_id", "submitted_on"
    ):
        add(m, T.THOUGHT_REPORT, on)
    for m, created_at in ChangeReport.objects.filter(member_filter, created_at__date__gte=since).values_list(
        "member_id", "created_at"
    ):
        add(m, T.CHANGE_REPORT, _local(created_at))
    for m, paid_on, paid_through in DuesPayment.objects.filter(member_filter, paid_on__gte=since).values_list(
        "member_id", "paid_on", "paid_through"
    ):
        dues[m].append(rules.Dues(paid_on, paid_through))
    return records, dues


def compliance_rows(
    *, outflows: QuerySet, inflows: QuerySet, today: date | None = None, item_list=None
) -> list[Row]:
    """Rows for every open outflow and inflow in the two (already scoped) querysets."""
    today = today or timezone.localdate()
    item_list = item_list if item_list is not None else items()
    departure_reports = RegistrationEvent.objects.filter(
        outflow=OuterRef("pk"), action="member_report_departure"
    )
    outflow_list = list(
        outflows.exclude(state="ended")
        .annotate(reported_departure=Exists(departure_reports))
        .select_related("member", "secondary", "branch")
        .order_by("secondary__ordering", "member__number")
    )
    inflow_list = list(
        inflows.exclude(state="ended")
        .select_related("member", "secondary", "branch")
        .order_by("secondary__ordering", "member__number")
    )
    member_ids = {o.member_id for o in outflow_list} | {i.member_id for i in inflow_list}
    since = today - timedelta(days=rules.HISTORY_DAYS + 370)
    records, dues = _collect(Q(member_id__in=member_ids), since) if member_ids else ({}, {})
    rows = []
    for registration, mobility in [(o, _outflow_mobility(o)) for o in outflow_list] + [
        (i, _inflow_mobility(i)) for i in inflow_list
    ]:
        member = registration.member
        facts = rules.MemberFacts(
            member_id=member.pk,
            mobility=mobility,
            is_exempt=member.is_exempt,
            is_probationary=member.standing == Standing.PROBATIONARY,
            conversion_due_on=member.conversion_due_on,
            converted_on=member.converted_on,
            records=tuple(records.get(member.pk, ())),
            dues=tuple(dues.get(member.pk, ())),
        )
        row = Row(member=member, registration=registration, facts=facts)
        for item in item_list:
            spec = item.spec
            if rules.applies_to(spec, mobility):
                row.results[item.code] = rules.evaluate(spec, facts, today)
        rows.append(row)
    return rows


@dataclass
class Matrix:
    """An organisation's members x items, with a totals row per column.

    The rows are paged (`outflow_page`, `inflow_page`: their object_list are the rows to show). With no more
    open registrations than FLOWPARTY_LIVE_COMPLIANCE_LIMIT every row is computed (`live`), so the totals and
    the `*_rows` lists cover all of them; above it only the shown pages' rows are computed and there are no
    totals (computing 28,000 registrations' compliance took 18 s and rendering them 28 s at 1,000,000 members).
    """

    organization: SecondaryOrganization | None
    outflow_items: list[ResponsibilityItem]
    inflow_items: list[ResponsibilityItem]
    outflow_rows: list[Row]
    inflow_rows: list[Row]
    outflow_totals: list[dict] | None
    inflow_totals: list[dict] | None
    totals: dict | None
    live: bool = True
    outflow_page: Page | None = None
    inflow_page: Page | None = None


MATRIX_PAGE_SIZE = 100


def _column_totals(rows: list[Row], item_list) -> list[dict]:
    return [rules.tally(row.results[item.code].status for row in rows) for item in item_list]


def _grand_total(rows: list[Row]) -> dict:
    return rules.tally(result.status for row in rows for result in row.results.values())


def organization_matrix(
    *,
    user,
    organization: SecondaryOrganization,
    today: date | None = None,
    outflow_page=1,
    inflow_page=1,
    per_page: int | None = None,
    everything: bool = False,
) -> Matrix:
    """The organisation's matrix, paged; `everything` computes every row whatever the size (the Excel export)."""
    per_page = per_page or MATRIX_PAGE_SIZE
    item_list = items()
    outflows = open_outflows(user).filter(secondary=organization)
    inflows = open_inflows(user).filter(secondary=organization)
    grouped = items_by_checklist(item_list)
    outflow_items = grouped[Checklist.ORIGIN] + grouped[Checklist.MEMBER]
    inflow_items = grouped[Checklist.DESTINATION]
    live = everything or live_compliance_allowed(user=user, secondary=organization)
    if live:
        rows = compliance_rows(outflows=outflows, inflows=inflows, today=today, item_list=item_list)
        outflow_rows = [r for r in rows if r.kind == "outflow"]
        inflow_rows = [r for r in rows if r.kind == "inflow"]
        return Matrix(
            organization=organization,
            outflow_items=outflow_items,
            inflow_items=inflow_items,
            outflow_rows=outflow_rows,
            inflow_rows=inflow_rows,
            outflow_totals=_column_totals(outflow_rows, outflow_items),
            inflow_totals=_column_totals(inflow_rows, inflow_items),
            totals=_grand_total(rows),
            outflow_page=Paginator(outflow_rows, per_page).get_page(outflow_page),
            inflow_page=Paginator(inflow_rows, per_page).get_page(inflow_page),
        )
    # Too many to compute on every view: page the registrations in the matrix's order, compute those rows.
    order = ("member__number",)  # compliance_rows' order within one organisation
    pages = [
        Paginator(qs.exclude(state="ended").order_by(*order).values_list("pk", flat=True), per_page).get_page(
            n
        )
        for qs, n in ((outflows, outflow_page), (inflows, inflow_page))
    ]
    rows = compliance_rows(
        outflows=outflows.filter(pk__in=list(pages[0].object_list)),
        inflows=inflows.filter(pk__in=list(pages[1].object_list)),
        today=today,
        item_list=item_list,
    )
    pages[0].object_list = [r for r in rows if r.kind == "outflow"]
    pages[1].object_list = [r for r in rows if r.kind == "inflow"]
    return Matrix(
        organization=organization,
        outflow_items=outflow_items,
        inflow_items=inflow_items,
        outflow_rows=pages[0].object_list,
        inflow_rows=pages[1].object_list,
        outflow_totals=None,
        inflow_totals=None,
        totals=None,
        live=False,
        outflow_page=pages[0],
        inflow_page=pages[1],
    )


@dataclass
class OrganizationSummary:
    organization: SecondaryOrganization
    outflow_members: int = 0
    inflow_members: int = 0
    by_checklist: dict = field(default_factory=dict)  # checklist -> tally
    totals: dict = field(default_factory=lambda: rules.tally([]))


def overview(*, user, today: date | None = None) -> list[OrganizationSummary]:
    """Every visible organisation with the totals of its matrix (the organisation department's view)."""
    item_list = items()
    checklist_of = {i.code: i.checklist for i in item_list}
    rows = compliance_rows(
        outflows=open_outflows(user), inflows=open_inflows(user), today=today, item_list=item_list
    )
    summaries = {
        org.pk: OrganizationSummary(org, by_checklist={c: rules.tally([]) for c in Checklist.values})
        for org in permissions.organizations_for(user).filter(is_active=True).order_by("ordering", "code")
    }
    for row in rows:
        summary = summaries.get(row.registration.secondary_id)
        if summary is None:
            summary = summaries[row.registration.secondary_id] = OrganizationSummary(
                row.registration.secondary, by_checklist={c: rules.tally([]) for c in Checklist.values}
            )
        if row.kind == "outflow":
            summary.outflow_members += 1
        else:
            summary.inflow_members += 1
        for code, result in row.results.items():
            summary.by_checklist[checklist_of[code]][result.status] += 1
            summary.totals[result.status] += 1
    return list(summaries.values())


def member_rows(*, user, member: Member, today: date | None = None) -> list[Row]:
    """The member's open outflow and inflow, as the viewer may see them."""
    return compliance_rows(
        outflows=open_outflows(user).filter(member=member),
        inflows=open_inflows(user).filter(member=member),
        today=today,
    )


def member_history(*, user, member: Member, limit: int = 10) -> dict[str, list]:
    """The records about a member that the viewer may see, newest first, by kind (the member page lists)."""

    def mine(model):
        return member_records_for(user, model).filter(member=member)

    history = {
        "contact": list(mine(ContactLog).select_related("recorded_by")[:limit]),
        "session": list(sessions_for_member(user=user, member=member).select_related("secondary")[:limit]),
        "role_activity": list(mine(RoleActivity)[:limit]),
        "care_visit": list(mine(CareVisit)[:limit]),
        "evaluation": list(mine(DemocraticEvaluation)[:limit]),
        "dues": list(mine(DuesPayment)[:limit]),
        "thought_report": list(mine(ThoughtReport)[:limit]),
        "consultation": list(
            consultations_with_member(user=user, member=member).select_related("secondary")[:limit]
        ),
    }
    if permissions.scope_for(user).is_staff_role:
        # Conduct reports and supervision are the organisation's working records, not shown to members.
        history["probation"] = list(mine(ProbationRecord)[:limit])
        history["supervision"] = list(mine(Supervision)[:limit])
    return history


def sessions_for_member(*, user, member: Member) -> QuerySet[OrgLifeSession]:
    """Sessions the member attended. The member's own page shows them all; others see the member's
    attendance because they may see the member."""
    return OrgLifeSession.objects.filter(attendances__member=member).order_by("-held_on", "-pk")


def consultations_with_member(*, user, member: Member) -> QuerySet[Consultation]:
    return Consultation.objects.filter(members=member).order_by("-consulted_on", "-pk")


def mobile_members_for_attendance(*, user) -> QuerySet[Member]:
    """Mobile members a session's attendance may list: those in the user's scope with an open registration."""
    return (
        permissions.members_for(user)
        .filter(
            Q(pk__in=open_outflows(user).values("member_id"))
            | Q(pk__in=open_inflows(user).values("member_id"))
        )
        .select_related("secondary")
        .order_by("secondary__ordering", "number")
    )


def open_registration_count(*, user, secondary=None) -> int:
    outflows, inflows = open_outflows(user), open_inflows(user)
    if secondary is not None:
        outflows, inflows = outflows.filter(secondary=secondary), inflows.filter(secondary=secondary)
    return outflows.exclude(state="ended").count() + inflows.exclude(state="ended").count()


def live_compliance_allowed(*, user, secondary=None) -> bool:
    """Compliance is computed from the records on every view (never stored); over more open registrations than
    FLOWPARTY_LIVE_COMPLIANCE_LIMIT that takes seconds, so summary pages (home, dashboard) show it only below the
    limit and link to the per-organisation matrices otherwise."""
    from django.conf import settings

    outflows, inflows = open_outflows(user), open_inflows(user)
    if secondary is not None:
        outflows, inflows = outflows.filter(secondary=secondary), inflows.filter(secondary=secondary)
    limit = settings.FLOWPARTY_LIVE_COMPLIANCE_LIMIT
    return (
        outflows.exclude(state="ended")[: limit + 1].count()
        + inflows.exclude(state="ended")[: limit + 1].count()
        <= limit
    )
