"""Celery shells: each loads nothing and calls one service (the service is what the tests call)."""

from celery import shared_task


@shared_task(name="registrations.transfer_reminders")
def transfer_reminders() -> dict:
    # Scheduled daily (django-celery-beat); idempotent, so a rerun in the same period sends nothing.
    from .transfer_reminders import transfer_reminders_send

    result = transfer_reminders_send()
    return {"sent": result.sent, "addressed": result.addressed}
