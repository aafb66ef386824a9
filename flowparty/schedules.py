"""Every periodic job of flowparty, in one place.

`BEAT_SCHEDULE` becomes `CELERY_BEAT_SCHEDULE` in the settings. The beat runs django-celery-beat's
DatabaseScheduler, which copies these entries into its tables each time it starts
(`DatabaseScheduler.setup_schedule` -> `update_from_dict(app.conf.beat_schedule)`, django-celery-beat 2.9), so
the organisation department sees them in the admin (周期任务). `python manage.py sync_beat_schedule`, run by
`make migrate` and the compose `migrate` service, does the same copy without starting a beat, so the schedule
is visible right after a deployment. The code stays the source of truth for *when* a job runs: a crontab
changed in the admin is put back at the next beat start; disabling an entry in the admin sticks.

Every crontab is in Asia/Shanghai, explicitly: the measures' dates (1 March, 1 October, month end) are
Beijing dates whatever the server's clock says.

This module is imported by the settings, so it must not import Django models at module level.
"""

from zoneinfo import ZoneInfo

from django_celery_beat.tzcrontab import TzAwareCrontab

SHANGHAI = ZoneInfo("Asia/Shanghai")


def shanghai_crontab(**fields) -> TzAwareCrontab:
    """A crontab read in Beijing time (TzAwareCrontab keeps its own zone into the database row)."""
    return TzAwareCrontab(tz=SHANGHAI, **fields)


# Entry name (shown in the admin) -> Celery beat entry. One comment per crontab says why it runs then.
ENTRIES: dict[str, dict] = {
    "check-intake-deadlines": {
        "task": "registrations.tasks.check_intake_deadlines",
        # Daily 07:00, before office hours, so that the day's reminders (7 and 3 days before the due date, on
        # the due date) and the next-day escalation to the organisation department are waiting at 08:00 (Art. 2).
        "schedule": shanghai_crontab(minute=0, hour=7),
    },
    "open-batch-campaigns": {
        "task": "registrations.tasks.open_batch_campaigns",
        # 00:05 on 1 March and 1 October: the batch registration window opens on the first day of those
        # months (Art. 2); five minutes past midnight keeps clear of midnight maintenance jobs.
        "schedule": shanghai_crontab(minute=5, hour=0, day_of_month=1, month_of_year="3,10"),
    },
    "remind-batch-campaigns": {
        "task": "registrations.tasks.remind_batch_campaigns",
        # Mondays 08:00: the weekly reminder to organisations that have not submitted their campaign report
        # lands at the start of the working week; the task does nothing when no campaign is open.
        "schedule": shanghai_crontab(minute=0, hour=8, day_of_week=1),
    },
    "close-batch-campaigns": {
        "task": "registrations.tasks.close_batch_campaigns",
        # 23:55 on the last day of March and October: day 31 exists in both months, so one crontab closes
        # both windows at the month's end, after the day's last submissions.
        "schedule": shanghai_crontab(minute=55, hour=23, day_of_month=31, month_of_year="3,10"),
    },
    "send-transfer-reminders": {
        "task": "registrations.tasks.send_transfer_reminders",
        # Daily 07:15, after the deadline job: Art. 5 reminders (due to transfer, contact abroad every 6 months,
        # receipts not returned, graduates kept two years); each is claimed once per period, so daily is safe.
        "schedule": shanghai_crontab(minute=15, hour=7),
    },
    "send-checklist-reminders": {
        "task": "responsibilities.tasks.send_checklist_reminders",
        # Daily 07:30, after the registration jobs: checklist items due within two weeks, and overdue ones
        # (Annexes 1-3); each (organisation, item, period, stage) is claimed once, so daily is safe.
        "schedule": shanghai_crontab(minute=30, hour=7),
    },
    "send-pending-notification-emails": {
        "task": "members.tasks.send_pending_notification_emails",
        # Every 5 minutes: e-mails are sent right after a notification is committed; this sweep sends the
        # ones whose task never ran (broker down, worker lost). Expiring after 4 minutes keeps a stopped
        # worker from finding a pile of identical sweeps when it comes back.
        "schedule": shanghai_crontab(minute="*/5"),
        "options": {"expire_seconds": 4 * 60},
    },
    "purge-exchange-files": {
        "task": "reports.tasks.purge_exchange_files",
        # Hourly at :40: prepared exports and unconfirmed import uploads hold personal data, so each is deleted
        # within an hour of its FLOWPARTY_EXCHANGE_FILE_HOURS (24 h) running out; :40 keeps clear of the other jobs.
        "schedule": shanghai_crontab(minute=40),
    },
}

# Reserved names whose task is not written yet (the registrations work of issue 4). Beat must never send a
# task that no worker knows, so these stay out of BEAT_SCHEDULE: remove a name from this set in the commit
# that adds its task (tests/test_schedules.py fails in both directions to make sure of it).
NOT_YET_WRITTEN: frozenset[str] = frozenset()

BEAT_SCHEDULE: dict[str, dict] = {
    name: entry for name, entry in ENTRIES.items() if entry["task"] not in NOT_YET_WRITTEN
}


def sync_beat_schedule(schedule: dict[str, dict] | None = None, *, app=None) -> list:
    """Write the schedule into django-celery-beat's tables, exactly as a starting beat does. Idempotent.

    Uses django-celery-beat's own `ModelEntry.from_entry` (update_or_create by name; crontab rows are looked
    up by all their fields and the time zone before one is created), so this and the beat can never disagree
    about how an entry is stored. Returns the PeriodicTask rows.
    """
    from django.db import transaction
    from django_celery_beat.schedulers import ModelEntry

    from flowparty.celery import app as flowparty_app

    app = app or flowparty_app
    schedule = BEAT_SCHEDULE if schedule is None else schedule
    with transaction.atomic():
        return [ModelEntry.from_entry(name, app=app, **entry).model for name, entry in schedule.items()]
