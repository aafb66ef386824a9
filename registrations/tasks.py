"""Celery tasks: thin shells over the job services. Schedules: flowparty/schedules.py (on main)."""

from celery import shared_task


@shared_task(name="registrations.tasks.send_transfer_reminders")
def send_transfer_reminders():
    # Idempotent (TransferReminder claims each kind/subject/period), so a rerun in the same period sends nothing.
    from .transfer_reminders import transfer_reminders_send

    result = transfer_reminders_send()
    return {"sent": result.sent, "addressed": result.addressed}
