"""Reads that depend on who is asking; every one starts from permissions."""

from auditlog.models import LogEntry
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from . import permissions
from .filters import MemberFilter
from .models import Branch, Member, Notification, SecondaryOrganization


def member_list(*, user, params) -> MemberFilter:
    """The member list, in staff/student number order: unique and indexed, so a page is read from the index in
    order (and keyset pages can follow it) however many members there are."""
    queryset = (
        permissions.members_for(user)
        .select_related("secondary", "branch")
        .defer("id_number")  # encrypted, never shown in a list: not decrypted 25 times a page
        .order_by("number")
    )
    return MemberFilter(params, queryset=queryset, user=user)


def member_get(*, user, pk) -> Member:
    """A member the user may see, or 404."""
    return permissions.get_visible_or_404(
        permissions.members_for(user).select_related("secondary", "branch", "user"), pk=pk
    )


def member_history(*, member: Member) -> QuerySet[LogEntry]:
    return LogEntry.objects.get_for_object(member).select_related("actor").order_by("-timestamp")


def _per_organization(queryset) -> Coalesce:
    """A correlated count per organisation: one index range per organisation, instead of a join of every member
    with every branch that COUNT(DISTINCT) would have to sort."""
    counted = (
        queryset.filter(secondary=OuterRef("pk"))
        .order_by()
        .values("secondary")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def organization_overview(*, user) -> QuerySet[SecondaryOrganization]:
    """Each visible secondary organisation with its member counts (one query)."""
    return (
        permissions.organizations_for(user)
        .annotate(
            member_count=_per_organization(Member.objects.all()),
            mobile_count=_per_organization(Member.objects.exclude(mobility_reason="")),
            unknown_count=_per_organization(Member.objects.filter(whereabouts_unknown=True)),
            probationary_count=_per_organization(Member.objects.filter(standing="probationary")),
            branch_count=_per_organization(Branch.objects.all()),
        )
        .order_by("ordering", "code")
    )


def member_counts(*, user, overview=None) -> dict:
    """The home page's counters over the members the user may see.

    When the user's scope is whole organisations (the department, or a secretary with no branch role), those
    members are the overview's rows, plus the user's own record if it lies outside them: adding the rows up
    gives the same figures without another pass over a million members."""
    scope = permissions.scope_for(user)
    if overview is not None and not scope.branch_ids and (scope.all or scope.secondary_ids):
        rows = [o for o in overview if scope.all or o.pk in scope.secondary_ids]
        counts = {
            "total": sum(o.member_count for o in rows),
            "mobile": sum(o.mobile_count for o in rows),
            "unknown": sum(o.unknown_count for o in rows),
            "probationary": sum(o.probationary_count for o in rows),
        }
        if scope.member_id is not None and not scope.all:
            own = (
                Member.objects.filter(pk=scope.member_id)
                .exclude(secondary_id__in=scope.secondary_ids)
                .values("mobility_reason", "whereabouts_unknown", "standing")
                .first()
            )
            if own:
                counts["total"] += 1
                counts["mobile"] += bool(own["mobility_reason"])
                counts["unknown"] += own["whereabouts_unknown"]
                counts["probationary"] += own["standing"] == "probationary"
        return counts
    return permissions.members_for(user).aggregate(
        total=Count("pk"),
        mobile=Count("pk", filter=~Q(mobility_reason="")),
        unknown=Count("pk", filter=Q(whereabouts_unknown=True)),
        probationary=Count("pk", filter=Q(standing="probationary")),
    )


def notification_list(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    queryset = permissions.notifications_for(user)
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset.order_by("-created_at", "-pk")


def notification_get(*, user, pk) -> Notification:
    """One of the user's own notifications, or 404 (someone else's is as absent as a missing one)."""
    return permissions.get_visible_or_404(permissions.notifications_for(user), pk=pk)


def unread_notification_count(*, user) -> int:
    return permissions.notifications_for(user).filter(read_at__isnull=True).count()


def access_log():
    """The organisation department reviews every read of personal data (only it may: see permissions)."""
    from .models import AccessLog

    return AccessLog.objects.select_related("user", "member").order_by("-at", "-pk")
