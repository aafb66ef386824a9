"""Reads that depend on who is asking; every one starts from permissions."""

from auditlog.models import LogEntry
from django.db.models import Count, Q, QuerySet

from . import permissions
from .filters import MemberFilter
from .models import Member, Notification, SecondaryOrganization


def member_list(*, user, params) -> MemberFilter:
    queryset = permissions.members_for(user).select_related("secondary", "branch")
    return MemberFilter(params, queryset=queryset, user=user)


def member_get(*, user, pk) -> Member:
    """A member the user may see, or 404."""
    return permissions.get_visible_or_404(
        permissions.members_for(user).select_related("secondary", "branch", "user"), pk=pk
    )


def member_history(*, member: Member) -> QuerySet[LogEntry]:
    return LogEntry.objects.get_for_object(member).select_related("actor").order_by("-timestamp")


def organization_overview(*, user) -> QuerySet[SecondaryOrganization]:
    """Each visible secondary organisation with its member counts (one query)."""
    return (
        permissions.organizations_for(user)
        .annotate(
            member_count=Count("members", distinct=True),
            mobile_count=Count("members", filter=~Q(members__mobility_reason=""), distinct=True),
            unknown_count=Count("members", filter=Q(members__whereabouts_unknown=True), distinct=True),
            branch_count=Count("branches", distinct=True),
        )
        .order_by("ordering", "code")
    )


def member_counts(*, user) -> dict:
    qs = permissions.members_for(user)
    return qs.aggregate(
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
