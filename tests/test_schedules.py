"""The periodic schedule: one place, Beijing time, only tasks that exist, and the same rows however it is synced."""

import importlib
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from flowparty import schedules
from flowparty.celery import app as celery_app
from flowparty.schedules import BEAT_SCHEDULE, ENTRIES, NOT_YET_WRITTEN

SHANGHAI = ZoneInfo("Asia/Shanghai")

# entry name -> (task, minute, hour, day_of_month, month_of_year, day_of_week) as issue 4 documents them
DOCUMENTED = {
    "check-intake-deadlines": ("registrations.tasks.check_intake_deadlines", "0", "7", "*", "*", "*"),
    "open-batch-campaigns": ("registrations.tasks.open_batch_campaigns", "5", "0", "1", "3,10", "*"),
    "remind-batch-campaigns": ("registrations.tasks.remind_batch_campaigns", "0", "8", "*", "*", "1"),
    "close-batch-campaigns": ("registrations.tasks.close_batch_campaigns", "55", "23", "31", "3,10", "*"),
    "send-transfer-reminders": ("registrations.tasks.send_transfer_reminders", "15", "7", "*", "*", "*"),
    "send-checklist-reminders": ("responsibilities.tasks.send_checklist_reminders", "30", "7", "*", "*", "*"),
    "send-pending-notification-emails": (
        "members.tasks.send_pending_notification_emails",
        "*/5",
        "*",
        "*",
        "*",
        "*",
    ),
    "purge-exchange-files": ("reports.tasks.purge_exchange_files", "40", "*", "*", "*", "*"),
}


def _fields(schedule):
    return (
        str(schedule._orig_minute),
        str(schedule._orig_hour),
        str(schedule._orig_day_of_month),
        str(schedule._orig_month_of_year),
        str(schedule._orig_day_of_week),
    )


def _task_exists(name: str) -> bool:
    module_name, _, function = name.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError:
        return False
    return hasattr(getattr(module, function, None), "delay")


def _next_run(schedule, after: datetime) -> datetime:
    """When beat would next send the task, had it last run at `after`."""
    with time_machine.travel(after, tick=False):
        return after + schedule.remaining_estimate(after)


def test_the_schedule_has_every_documented_entry():
    assert {
        name: (entry["task"], *_fields(entry["schedule"])) for name, entry in ENTRIES.items()
    } == DOCUMENTED


def test_every_crontab_is_read_in_beijing_time():
    for entry in ENTRIES.values():
        assert entry["schedule"].tz == SHANGHAI


def bj(*fields) -> datetime:
    """A moment in Beijing time."""
    return datetime(*fields, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("name", "after", "expected"),
    [
        ("check-intake-deadlines", bj(2025, 6, 10, 7, 0, 1), bj(2025, 6, 11, 7, 0)),
        ("open-batch-campaigns", bj(2025, 2, 28, 12, 0), bj(2025, 3, 1, 0, 5)),
        ("open-batch-campaigns", bj(2025, 3, 1, 0, 6), bj(2025, 10, 1, 0, 5)),
        ("remind-batch-campaigns", bj(2025, 6, 10, 9, 0), bj(2025, 6, 16, 8, 0)),  # a Tuesday -> Monday
        ("close-batch-campaigns", bj(2025, 3, 15, 9, 0), bj(2025, 3, 31, 23, 55)),
        ("close-batch-campaigns", bj(2025, 4, 1, 9, 0), bj(2025, 10, 31, 23, 55)),
        ("send-pending-notification-emails", bj(2025, 6, 10, 12, 1, 30), bj(2025, 6, 10, 12, 5)),
        ("purge-exchange-files", bj(2025, 6, 10, 12, 41), bj(2025, 6, 10, 13, 40)),
    ],
)
def test_each_job_fires_at_its_beijing_time(name, after, expected):
    # 1 March 00:05 in Beijing is still 28 February in UTC: the zone is what makes the date right.
    assert _next_run(ENTRIES[name]["schedule"], after) == expected


def test_beat_only_sends_tasks_that_exist():
    for entry in BEAT_SCHEDULE.values():
        assert _task_exists(entry["task"]), f"{entry['task']} is scheduled but does not exist"
        assert entry["task"] in celery_app.tasks
    for name in NOT_YET_WRITTEN:
        assert not _task_exists(name), (
            f"{name} exists now: remove it from NOT_YET_WRITTEN in flowparty/schedules.py so that beat runs it"
        )
    assert set(BEAT_SCHEDULE) == {
        name for name, entry in ENTRIES.items() if entry["task"] not in NOT_YET_WRITTEN
    }


def test_the_settings_hand_the_schedule_to_celery():
    assert celery_app.conf.beat_schedule is BEAT_SCHEDULE
    assert celery_app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"


def _stored():
    return sorted(
        PeriodicTask.objects.values_list(
            "name",
            "task",
            "enabled",
            "crontab_id",
            "crontab__minute",
            "crontab__hour",
            "crontab__day_of_month",
            "crontab__month_of_year",
            "crontab__day_of_week",
            "expire_seconds",
        )
    )


@pytest.mark.django_db
def test_syncing_twice_stores_each_entry_once_in_beijing_time():
    call_command("sync_beat_schedule", stdout=io.StringIO())
    first, crontabs = _stored(), CrontabSchedule.objects.count()
    call_command("sync_beat_schedule", stdout=io.StringIO())

    assert _stored() == first
    assert CrontabSchedule.objects.count() == crontabs
    assert [row[0] for row in first] == sorted(BEAT_SCHEDULE)
    for task in PeriodicTask.objects.select_related("crontab"):
        assert str(task.crontab.timezone) == "Asia/Shanghai"
        expected = DOCUMENTED[task.name]
        assert (task.task, task.crontab.minute, task.crontab.hour) == expected[:3]


@pytest.mark.django_db
def test_an_entry_disabled_in_the_admin_stays_disabled_after_a_sync():
    schedules.sync_beat_schedule()
    PeriodicTask.objects.filter(name="send-pending-notification-emails").update(enabled=False)
    schedules.sync_beat_schedule()
    assert not PeriodicTask.objects.get(name="send-pending-notification-emails").enabled


# Outside a test transaction, as a real beat runs: its scheduler closes "old" connections, which on PostgreSQL
# includes one inside a transaction.
@pytest.mark.django_db(transaction=True)
def test_a_starting_beat_finds_the_rows_the_command_wrote():
    from django_celery_beat.schedulers import DatabaseScheduler

    schedules.sync_beat_schedule()
    before = _stored()
    crontabs = set(CrontabSchedule.objects.values_list("pk", flat=True))

    scheduler = DatabaseScheduler(app=celery_app)  # what `celery beat` does at start: setup_schedule()
    scheduler._finalize.cancel()  # no sync at garbage collection, after the test database is gone

    ours = [row for row in _stored() if row[0] in BEAT_SCHEDULE]
    assert ours == before
    assert set(scheduler.schedule) >= set(BEAT_SCHEDULE)
    # Beat may add Celery's own result clean-up; it adds nothing of ours twice.
    assert crontabs <= set(CrontabSchedule.objects.values_list("pk", flat=True))
    assert PeriodicTask.objects.filter(name__in=BEAT_SCHEDULE).count() == len(BEAT_SCHEDULE)
