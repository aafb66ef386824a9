"""Reads scoped to the viewer. Every queryset starts from members.permissions."""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from members import permissions
from members.models import Member

from .models import (
    PENDING_CLOCK,
    ChangeReport,
    InflowRegistration,
    OutflowRegistration,
    RegistrationEvent,
    Screening,
)


def _scoped(user, queryset: QuerySet) -> QuerySet:
    return permissions.filter_for(user, queryset, member="member_id")


def outflows_for(user) -> QuerySet[OutflowRegistration]:
    return _scoped(user, OutflowRegistration.objects.all())


def inflows_for(user) -> QuerySet[InflowRegistration]:
    return _scoped(user, InflowRegistration.objects.all())


def change_reports_for(user) -> QuerySet[ChangeReport]:
    return _scoped(user, ChangeReport.objects.all())


def screenings_for(user) -> QuerySet[Screening]:
    return permissions.filter_for(user, Screening.objects.all(), branch=None)


def outflow_get(*, user, pk) -> OutflowRegistration:
    qs = outflows_for(user).select_related("member", "secondary", "branch", "destination_county")
    return permissions.get_visible_or_404(qs, pk=pk)


def inflow_get(*, user, pk) -> InflowRegistration:
    qs = inflows_for(user).select_related("member", "secondary", "branch", "origin_county")
    return permissions.get_visible_or_404(qs, pk=pk)


def change_report_get(*, user, pk) -> ChangeReport:
    qs = change_reports_for(user).select_related("member", "outflow", "new_county", "reviewed_by")
    return permissions.get_visible_or_404(qs, pk=pk)


def timeline(registration) -> QuerySet[RegistrationEvent]:
    return registration.events.select_related("actor").order_by("at", "pk")


def intake_counters(*, user, today=None) -> dict:
    """Home-page counters: open work, due within 7 days, overdue; two aggregate queries per register.

    "To do" is every running clock plus the registrations whose clock has not started (drafts, inflows not yet
    contacted): counted apart, the running clocks are read from the small partial index of pending intakes
    instead of every open registration."""
    today = today or timezone.localdate()
    soon = today + timezone.timedelta(days=7)
    result = {}
    for name, qs in (("outflow", outflows_for(user)), ("inflow", inflows_for(user))):
        counts = qs.filter(PENDING_CLOCK).aggregate(
            pending=Count("pk"),
            due_soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=soon)),
            overdue=Count("pk", filter=Q(due_on__lt=today)),
        )
        not_started = qs.filter(state__in=["draft", "notified", "contacted"]).exclude(PENDING_CLOCK).count()
        result[name] = {
            "todo": counts["pending"] + not_started,
            "due_soon": counts["due_soon"],
            "overdue": counts["overdue"],
        }
    result["change_reports"] = change_reports_for(user).filter(status="pending").count()
    return result


def unknown_whereabouts_queue(*, user) -> QuerySet[Member]:
    """Art. 2: members whose whereabouts are unknown, for the organisation department's cross-platform lookup."""
    return (
        permissions.members_for(user)
        .filter(whereabouts_unknown=True)
        .select_related("secondary", "branch")
        .order_by("whereabouts_unknown_since", "pk")
    )


def own_outflows(*, member: Member) -> QuerySet[OutflowRegistration]:
    return member.outflows.select_related("destination_county").order_by("-created_at")


def open_outflow(*, member: Member) -> OutflowRegistration | None:
    return member.outflows.exclude(state="ended").select_related("destination_county").first()


def campaigns_for(user):
    from .models import BatchCampaign

    return BatchCampaign.objects.all()


def campaign_tasks_for(user):
    from .models import CampaignTask

    return permissions.filter_for(user, CampaignTask.objects.all(), branch=None)


PENDING_WORK_SHOWN = 100


def overdue_registrations(*, user, today=None) -> dict[str, QuerySet]:
    """Every overdue outflow and inflow the user may see, longest-waiting first, with when each was escalated to
    the organisation department (the pending-work page shows the first ones, the export all of them)."""
    from .models import IntakeReminder

    today = today or timezone.localdate()

    def escalated(field):
        return Subquery(
            IntakeReminder.objects.filter(**{field: OuterRef("pk")}, stage="overdue").values("sent_on")[:1]
        )

    return {
        "outflows": outflows_for(user)
        .overdue(today)
        .select_related("member", "secondary", "branch")
        .annotate(escalated_on=escalated("outflow"))
        .order_by("due_on", "pk"),
        "inflows": inflows_for(user)
        .overdue(today)
        .select_related("member", "secondary", "branch")
        .annotate(escalated_on=escalated("inflow"))
        .order_by("due_on", "pk"),
    }


def pending_work(*, user, today=None) -> dict:
    """Art. 2: the organisation department's queue: overdue intakes (with when they were escalated), and members
    whose whereabouts are unknown, each with the organisation responsible and since when."""
    today = today or timezone.localdate()
    overdue = overdue_registrations(user=user, today=today)
    overdue_outflows = outflows_for(user).overdue(today)
    overdue_inflows = inflows_for(user).overdue(today)
    unknown = unknown_whereabouts_queue(user=user)
    # At province scale these run to tens of thousands: the page shows the longest-waiting ones and the totals,
    # and links to the paginated lists for the rest.
    shown = PENDING_WORK_SHOWN
    return {
        "overdue_outflows": list(overdue["outflows"][:shown]),
        "overdue_inflows": list(overdue["inflows"][:shown]),
        "unknown": list(unknown[:shown]),
        "overdue_outflow_count": overdue_outflows.count(),
        "overdue_inflow_count": overdue_inflows.count(),
        "unknown_count": unknown.count(),
        "shown": shown,
    }
