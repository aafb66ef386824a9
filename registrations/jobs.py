"""The scheduled jobs of Art. 2: intake-deadline reminders and the March/October batch registration.

Each job is a service first (tests call these), idempotent by construction, and runs in a bounded number of
queries however many registrations there are. Celery tasks (tasks.py) and management commands are thin shells.
"""

import uuid
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from members.models import Role, SecondaryOrganization
from members.notifications import NotificationItem, notify_many, role_directory

from . import rules
from .models import (
    BatchCampaign,
    CampaignReminder,
    CampaignState,
    CampaignTask,
    InflowRegistration,
    IntakeReminder,
    OutflowRegistration,
)

SECRETARIES = (Role.SECONDARY_SECRETARY, Role.BRANCH_SECRETARY)
ESCALATION = (Role.SECONDARY_SECRETARY, Role.BRANCH_SECRETARY, Role.ORG_DEPARTMENT)


def _stage_text(stage: rules.ReminderStage, registration, kind_label: str) -> tuple[str, str]:
    due = date_format(registration.due_on)
    name = registration.member.name
    if stage == rules.ReminderStage.OVERDUE:
        title = _("Overdue intake: %(name)s (%(kind)s)") % {"name": name, "kind": kind_label}
        body = _(
            "Intake of %(name)s was due on %(due)s and is not complete. The organisation department has been "
            "told (Art. 2)."
        ) % {"name": name, "due": due}
    elif stage == rules.ReminderStage.DUE_DAY:
        title = _("Intake due today: %(name)s (%(kind)s)") % {"name": name, "kind": kind_label}
        body = _("Complete the intake of %(name)s today (%(due)s), as Art. 2 requires.") % {
            "name": name,
            "due": due,
        }
    else:
        days = 7 if stage == rules.ReminderStage.WEEK_BEFORE else 3
        title = _("Intake due in %(days)s days: %(name)s (%(kind)s)") % {
            "days": days,
            "name": name,
            "kind": kind_label,
        }
        body = _("Intake of %(name)s must be complete by %(due)s (Art. 2).") % {"name": name, "due": due}
    return title, body


@transaction.atomic
def intake_deadlines_check(*, today: date | None = None) -> dict[str, int]:
    """Daily: remind 7 and 3 days before the due date and on it; escalate the day after (Art. 2).

    A stage is claimed by inserting its IntakeReminder row (unique per registration and stage) tagged with this
    run's id; only rows this run inserted are notified, so a second run, a concurrent run or a rerun after a
    crash sends nothing twice. Queries: three selects per register (running clocks, their sent stages, the
    registrations due a reminder), one insert and read-back, two for the role directory and a constant number
    for the notifications, whatever the number of registrations.
    """
    today = today or timezone.localdate()
    run = uuid.uuid4()
    horizon = today + timedelta(days=7)
    candidates = []
    for model, field in ((OutflowRegistration, "outflow_id"), (InflowRegistration, "inflow_id")):
        # Read as plain tuples from the partial index of running clocks; a registration already escalated has had
        # its last stage and is left out in SQL (at province scale, most overdue intakes are old news).
        escalated = IntakeReminder.objects.filter(
            stage=rules.ReminderStage.OVERDUE, **{f"{field}__isnull": False}
        ).values(field)
        pending = model.objects.intake_pending().filter(due_on__lte=horizon).exclude(pk__in=escalated)
        sent: dict[int, set[str]] = {}
        for subject_id, stage in IntakeReminder.objects.filter(
            **{f"{field}__in": pending.values("pk")}
        ).values_list(field, "stage"):
            sent.setdefault(subject_id, set()).add(stage)
        stages = {}
        for pk, due_on in pending.values_list("pk", "due_on"):
            stage = rules.reminder_to_send(due_on=due_on, today=today, sent=sent.get(pk, set()))
            if stage is not None:
                stages[pk] = stage
        # Only the registrations that get a reminder today are loaded as objects, with the member's name.
        for registration in (
            model.objects.filter(pk__in=list(stages))
            .select_related("member")
            .only("pk", "due_on", "secondary_id", "branch_id", "member__name", "state", "intake_completed_on")
            .order_by("pk")
        ):
            candidates.append((registration, field, stages[registration.pk]))
    IntakeReminder.objects.bulk_create(
        [
            IntakeReminder(**{field: r.pk}, stage=stage, due_on=r.due_on, sent_on=today, run=run)
            for r, field, stage in candidates
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    claimed = {
        (row.outflow_id or row.inflow_id, "outflow_id" if row.outflow_id else "inflow_id", row.stage)
        for row in IntakeReminder.objects.filter(run=run)
    }
    to_send = [(r, field, stage) for r, field, stage in candidates if (r.pk, field, stage) in claimed]
    if not to_send:
        return {"sent": 0, "escalated": 0}
    directory = role_directory(
        secondary_ids={r.secondary_id for r, _f, _s in to_send},
        branch_ids={r.branch_id for r, _f, _s in to_send if r.branch_id},
    )
    items = []
    # One reverse() per register, not per reminder (the same URLs as get_absolute_url()).
    links = {
        "outflow": reverse("registrations:outflow_detail", args=[0]).replace("/0/", "/{}/"),
        "inflow": reverse("registrations:inflow_detail", args=[0]).replace("/0/", "/{}/"),
    }
    with override("zh-hans"):
        for registration, field, stage in to_send:
            kind = "outflow" if field == "outflow_id" else "inflow"
            kind_label = _("outflow") if kind == "outflow" else _("inflow")
            title, body = _stage_text(stage, registration, kind_label)
            roles = ESCALATION if stage == rules.ReminderStage.OVERDUE else SECRETARIES
            items.append(
                NotificationItem(
                    recipients=directory.recipients(
                        secondary=registration.secondary_id, branch=registration.branch_id, roles=roles
                    ),
                    kind=f"intake_{stage}",
                    title=title,
                    body=body,
                    link=links[kind].format(registration.pk),
                    subject=registration,
                    dedupe_key=f"intake:{kind}:{registration.pk}:{stage}",
                )
            )
    notify_many(items)
    escalated = sum(1 for _r, _f, stage in to_send if stage == rules.ReminderStage.OVERDUE)
    return {"sent": len(to_send) - escalated, "escalated": escalated}


# --- Batch campaigns ---------------------------------------------------------------------------------------


@transaction.atomic
def campaign_open(*, today: date | None = None) -> BatchCampaign | None:
    """On 1 March and 1 October (or the first run inside the month, if the 1st was missed): open the campaign and
    give every active secondary organisation its task. Idempotent: one campaign per window, one task per
    organisation."""
    today = today or timezone.localdate()
    window = rules.campaign_window(today)
    if window is None:
        return None
    campaign, created = BatchCampaign.objects.get_or_create(
        year=window.year,
        month=window.month,
        defaults={"opens_on": window.opens_on, "closes_on": window.closes_on},
    )
    if campaign.state != CampaignState.OPEN:
        return campaign
    organisations = list(SecondaryOrganization.objects.active().only("pk"))
    CampaignTask.objects.bulk_create(
        [CampaignTask(campaign=campaign, secondary=org) for org in organisations], ignore_conflicts=True
    )
    if created:
        directory = role_directory(
            secondary_ids=[o.pk for o in organisations], branch_ids=[], roles=(Role.SECONDARY_SECRETARY,)
        )
        with override("zh-hans"):
            title = _("Batch registration is open: %(campaign)s") % {"campaign": campaign}
            body = _(
                "By %(close)s: review every mobile member, register new outflows and inflows, complete every "
                "pending intake, and submit the campaign report (Art. 2)."
            ) % {"close": date_format(campaign.closes_on)}
        tasks = campaign.tasks.all()
        notify_many(
            [
                NotificationItem(
                    recipients=directory.recipients(
                        secondary=task.secondary_id, roles=(Role.SECONDARY_SECRETARY,)
                    ),
                    kind="campaign_open",
                    title=title,
                    body=body,
                    link=task.get_absolute_url(),
                    subject=task,
                    dedupe_key=f"campaign:{campaign.pk}:open:{task.secondary_id}",
                )
                for task in tasks
            ]
        )
    return campaign


@transaction.atomic
def campaign_remind(*, today: date | None = None) -> int:
    """Weekly: remind the organisations that have not submitted their report, once per task and ISO week."""
    today = today or timezone.localdate()
    iso = today.isocalendar()
    week = f"{iso.year}-W{iso.week:02d}"
    run = uuid.uuid4()
    tasks = list(
        CampaignTask.objects.filter(
            campaign__state=CampaignState.OPEN, submitted_at__isnull=True, campaign__opens_on__lte=today
        ).select_related("campaign")
    )
    CampaignReminder.objects.bulk_create(
        [CampaignReminder(task=t, week=week, run=run) for t in tasks], ignore_conflicts=True
    )
    claimed = set(CampaignReminder.objects.filter(run=run).values_list("task_id", flat=True))
    tasks = [t for t in tasks if t.pk in claimed]
    if not tasks:
        return 0
    directory = role_directory(
        secondary_ids={t.secondary_id for t in tasks}, branch_ids=[], roles=(Role.SECONDARY_SECRETARY,)
    )
    with override("zh-hans"):
        notify_many(
            [
                NotificationItem(
                    recipients=directory.recipients(
                        secondary=t.secondary_id, roles=(Role.SECONDARY_SECRETARY,)
                    ),
                    kind="campaign_reminder",
                    title=_("Batch registration report not yet submitted: %(campaign)s")
                    % {"campaign": t.campaign},
                    body=_(
                        "The campaign closes on %(close)s. Complete the pending intakes and submit the report."
                    )
                    % {"close": date_format(t.campaign.closes_on)},
                    link=t.get_absolute_url(),
                    subject=t,
                    dedupe_key=f"campaign_task:{t.pk}:remind:{week}",
                )
                for t in tasks
            ]
        )
    return len(tasks)


def campaign_figures_by_organisation(
    *, campaign: BatchCampaign, secondary_ids=None
) -> dict[int, dict[str, int]]:
    """The report's figures as the data has them, per secondary organisation, in two grouped queries: the form
    is prefilled with them and the secretary confirms or corrects."""
    in_window = {"gte": campaign.opens_on, "lte": campaign.closes_on}
    completed = Q(intake_completed_on__gte=in_window["gte"], intake_completed_on__lte=in_window["lte"])
    pending = Q(due_on__isnull=False, intake_completed_on__isnull=True) & ~Q(state="ended")
    figures: dict[int, dict[str, int]] = {}
    registers = (
        (
            OutflowRegistration,
            "outflow_members",
            Q(registered_on__gte=in_window["gte"], registered_on__lte=in_window["lte"]),
        ),
        (
            InflowRegistration,
            "inflow_members",
            Q(created_at__date__gte=in_window["gte"], created_at__date__lte=in_window["lte"]),
        ),
    )
    for model, members_key, new in registers:
        qs = model.objects.all()
        if secondary_ids is not None:
            qs = qs.filter(secondary_id__in=secondary_ids)
        rows = qs.values("secondary_id").annotate(
            members=Count("member", filter=~Q(state="ended"), distinct=True),
            new=Count("pk", filter=new),
            completed=Count("pk", filter=completed),
            pending=Count("pk", filter=pending),
        )
        for row in rows:
            f = figures.setdefault(
                row["secondary_id"],
                {
                    "outflow_members": 0,
                    "inflow_members": 0,
                    "new_registrations": 0,
                    "intakes_completed": 0,
                    "intakes_pending": 0,
                },
            )
            f[members_key] += row["members"]
            f["new_registrations"] += row["new"]
            f["intakes_completed"] += row["completed"]
            f["intakes_pending"] += row["pending"]
    return figures


EMPTY_FIGURES = {
    "outflow_members": 0,
    "inflow_members": 0,
    "new_registrations": 0,
    "intakes_completed": 0,
    "intakes_pending": 0,
}


def campaign_figures(*, task: CampaignTask) -> dict[str, int]:
    figures = campaign_figures_by_organisation(campaign=task.campaign, secondary_ids=[task.secondary_id])
    return figures.get(task.secondary_id, dict(EMPTY_FIGURES))


@transaction.atomic
def campaign_close(*, today: date | None = None) -> list[BatchCampaign]:
    """At the month's end: close every open campaign whose window has passed (or ends today) and keep, for each
    organisation, how many intakes were still open."""
    today = today or timezone.localdate()
    closing = list(
        BatchCampaign.objects.select_for_update().filter(state=CampaignState.OPEN, closes_on__lte=today)
    )
    for campaign in closing:
        figures = campaign_figures_by_organisation(campaign=campaign)
        tasks = list(campaign.tasks.all())
        for task in tasks:
            task.pending_at_close = figures.get(task.secondary_id, EMPTY_FIGURES)["intakes_pending"]
        CampaignTask.objects.bulk_update(tasks, ["pending_at_close"])
        campaign.state = CampaignState.CLOSED
        campaign.closed_at = timezone.now()
        campaign.save(update_fields=["state", "closed_at"])
        unfinished = campaign.tasks.filter(submitted_at__isnull=True).count()
        if unfinished:
            directory = role_directory(secondary_ids=[], branch_ids=[], roles=(Role.ORG_DEPARTMENT,))
            with override("zh-hans"):
                notify_many(
                    [
                        NotificationItem(
                            recipients=directory.recipients(roles=(Role.ORG_DEPARTMENT,)),
                            kind="campaign_closed",
                            title=_("%(campaign)s closed: %(n)s organisations did not finish")
                            % {"campaign": campaign, "n": unfinished},
                            body=_("See which organisations did not submit and which intakes remain open."),
                            link=campaign.get_absolute_url(),
                            subject=campaign,
                            dedupe_key=f"campaign:{campaign.pk}:closed",
                        )
                    ]
                )
    return closing
