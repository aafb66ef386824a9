"""Celery tasks of the members app: thin shells around members.notifications (tests call the services)."""

from celery import shared_task

from . import notifications


@shared_task
def send_notification_emails(ids: list[int]) -> int:
    """Queued after a commit by notify()/notify_many(); safe to run twice."""
    return notifications.send_notification_emails(ids=ids)


@shared_task
def send_pending_notification_emails() -> int:
    """Every 5 minutes (flowparty/schedules.py): what a lost task did not send."""
    return notifications.send_pending_notification_emails()
