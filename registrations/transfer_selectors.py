"""Reads of transfers, retention and who is due to transfer (Art. 5), scoped to the viewer through
members.permissions. The `*_all` variants are for the scheduled jobs, which act for nobody in particular."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from members import permissions
from members.models import Category, Member, MobilityReason

from . import transfer_rules
from .models import (
    DueKind,
    InflowRegistration,
    InflowState,
    MembershipRetention,
    OutflowRegistration,
    OutflowState,
    RelationTransfer,
    RetentionState,
)


def transfers_for(user) -> QuerySet[RelationTransfer]:
    """The handling side sees a transfer; so does the receiving side of a move between our branches."""
    qs = RelationTransfer.objects.all()
    handling = permissions.scope_q(user, member="member_id")
    if handling is None:
        return qs
    receiving = permissions.scope_q(user, secondary="to_secondary_id", branch="to_branch_id")
    return qs.filter(handling | receiving)


def transfer_get(*, user, pk) -> RelationTransfer:
    qs = transfers_for(user).select_related(
        "member",
        "member__branch",
        "secondary",
        "branch",
        "from_branch",
        "to_branch",
        "to_secondary",
        "other_county",
        "letter_last_printed_by",
    )
    return permissions.get_visible_or_404(qs, pk=pk)


def transfer_steps(transfer: RelationTransfer):
    return transfer.steps.select_related("actor").order_by("at", "pk")


def transfer_checks(transfer: RelationTransfer):
    return transfer.checks.select_related("done_by").order_by("pk")


def awaiting_department(*, user) -> QuerySet[RelationTransfer]:
    """What the organisation department can approve in a batch: pending at its step."""
    return (
        transfers_for(user)
        .filter(state="pending", stage="department")
        .select_related("member", "secondary", "from_branch", "to_branch")
        .prefetch_related("checks")
        .order_by("submitted_on", "pk")
    )


def retentions_for(user) -> QuerySet[MembershipRetention]:
    return permissions.filter_for(user, MembershipRetention.objects.all(), member="member_id")


def retention_get(*, user, pk) -> MembershipRetention:
    qs = retentions_for(user).select_related("member", "secondary", "branch")
    return permissions.get_visible_or_404(qs, pk=pk)


# --- Who is due to transfer (Art. 5) --------------------------------------------------------------------


@dataclass(frozen=True)
class DueRow:
    member: Member
    suggestion: transfer_rules.Suggestion
    outflow: OutflowRegistration | None = None
    inflow: InflowRegistration | None = None

    @property
    def kind_label(self) -> str:
        return DueKind(self.suggestion.kind).label

    @property
    def registration(self):
        return self.outflow or self.inflow


UNTRANSFERRED = Q(category__in=[Category.NEW_TEACHER, Category.UPGRADE_STUDENT]) | Q(
    mobility_reason__in=[
        MobilityReason.NEW_TEACHER_UNTRANSFERRED,
        MobilityReason.UPGRADE_STUDENT_UNTRANSFERRED,
    ]
)


def _due(members: QuerySet[Member], *, today: date) -> list[DueRow]:
    """Everyone in `members` with an Art. 5 suggestion, except those whose transfer is already open (or,
    for members going abroad, whose membership is already retained)."""
    busy = set(RelationTransfer.objects.open().filter(member__in=members).values_list("member_id", flat=True))
    retained = set(
        MembershipRetention.objects.filter(state=RetentionState.ACTIVE, member__in=members).values_list(
            "member_id", flat=True
        )
    )
    rows: list[DueRow] = []
    seen: set[int] = set()

    def add(member, suggestions, **registration):
        for suggestion in suggestions:
            if suggestion.action == transfer_rules.Action.RETENTION:
                if member.pk in retained:
                    continue
            elif member.pk in busy:
                continue
            rows.append(DueRow(member=member, suggestion=suggestion, **registration))
        seen.add(member.pk)

    outflows = (
        OutflowRegistration.objects.exclude(state=OutflowState.ENDED)
        .filter(member__in=members)
        .select_related("member", "member__secondary", "member__branch", "destination_county")
    )
    for outflow in outflows:
        add(outflow.member, outflow.transfer_suggestions(today), outflow=outflow)
    inflows = (
        InflowRegistration.objects.exclude(state=InflowState.ENDED)
        .filter(member__in=members)
        .select_related("member", "member__secondary", "member__branch")
    )
    for inflow in inflows:
        if inflow.member_id not in seen:
            add(inflow.member, inflow.transfer_suggestions(today), inflow=inflow)
    # New teachers and upgrade students whose relation is still elsewhere, with no registration at all.
    for member in members.filter(UNTRANSFERRED, branch__isnull=True).select_related("secondary"):
        if member.pk not in seen:
            facts = transfer_rules.TransferFacts(
                relation_here=False, category=member.category, mobility_reason=member.mobility_reason
            )
            add(member, transfer_rules.transfer_suggestions(facts, today=today))
    # Teachers on secondment (挂职) whose outflow has not been registered yet: remind them too.
    for member in members.filter(
        branch__isnull=False, mobility_reason=MobilityReason.SECONDMENT
    ).select_related("secondary"):
        if member.pk not in seen:
            facts = transfer_rules.TransferFacts(
                relation_here=True, category=member.category, mobility_reason=member.mobility_reason
            )
            add(member, transfer_rules.transfer_suggestions(facts, today=today))
    rows.sort(key=lambda r: (r.member.secondary_id, r.suggestion.kind, r.member.number))
    return rows


def due_list(*, user, today: date | None = None, kind: str = "") -> list[DueRow]:
    rows = _due(permissions.members_for(user), today=today or timezone.localdate())
    return [r for r in rows if r.suggestion.kind == kind] if kind else rows


def due_list_all(*, today: date) -> list[DueRow]:
    return _due(Member.objects.all(), today=today)


@dataclass(frozen=True)
class KeptGraduate:
    member: Member
    outflow: OutflowRegistration
    kept_since: date

    @property
    def flagged_on(self) -> date:
        from dateutil.relativedelta import relativedelta

        return self.kept_since + relativedelta(years=transfer_rules.GRADUATE_KEPT_YEARS)


def _kept_graduates(outflows: QuerySet[OutflowRegistration], *, today: date) -> list[KeptGraduate]:
    """Graduates whose relation is kept at the school (public or postgraduate exams) for two years or more,
    counted from their departure (or, without one, the outflow registration)."""
    result = []
    qs = (
        outflows.exclude(state=OutflowState.ENDED)
        .filter(
            Q(reason=MobilityReason.GRADUATE_EXAMS) | Q(member__mobility_reason=MobilityReason.GRADUATE_EXAMS)
        )
        .filter(member__branch__isnull=False)
        .select_related("member", "member__secondary", "member__branch")
    )
    for outflow in qs:
        since = outflow.departure_on or outflow.registered_on
        if transfer_rules.graduate_kept_too_long(kept_since=since, today=today):
            result.append(KeptGraduate(member=outflow.member, outflow=outflow, kept_since=since))
    result.sort(key=lambda g: g.kept_since)
    return result


def kept_graduates(*, user, today: date | None = None) -> list[KeptGraduate]:
    outflows = permissions.filter_for(user, OutflowRegistration.objects.all(), member="member_id")
    return _kept_graduates(outflows, today=today or timezone.localdate())


def kept_graduates_all(*, today: date) -> list[KeptGraduate]:
    return _kept_graduates(OutflowRegistration.objects.all(), today=today)


def member_transfers(*, user, member: Member) -> QuerySet[RelationTransfer]:
    return (
        transfers_for(user)
        .filter(member=member)
        .select_related("from_branch", "to_branch")
        .prefetch_related(Prefetch("checks"))
        .order_by("-created_at")
    )


def member_retentions(*, user, member: Member) -> QuerySet[MembershipRetention]:
    return retentions_for(user).filter(member=member).order_by("-started_on")


def transfer_counters(*, user, today: date | None = None) -> dict:
    """Home-page counters: awaiting my decision, receipts overdue, retention contacts overdue."""
    today = today or timezone.localdate()
    scope = permissions.scope_for(user)
    transfers = transfers_for(user)
    pending = transfers.filter(state="pending")
    mine = Q(pk__in=[])
    if scope.all:
        mine |= Q(stage="department")
    if scope.secondary_ids:
        mine |= Q(stage__in=["secondary", "branch"], secondary_id__in=scope.secondary_ids)
    if scope.branch_ids:
        mine |= Q(stage="branch", branch_id__in=scope.branch_ids)
    return {
        "awaiting_me": pending.filter(mine).count(),
        "open": transfers.open().count(),
        "receipts_overdue": transfers.receipt_overdue(today).count(),
        "contacts_overdue": retentions_for(user).contact_overdue(today).count(),
    }
