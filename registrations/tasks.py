"""Celery tasks: thin shells over the job services (registrations/jobs.py). Schedules: flowparty/schedules.py."""

from celery import shared_task

from . import jobs


@shared_task(name="registrations.tasks.check_intake_deadlines")
def check_intake_deadlines():
    return jobs.intake_deadlines_check()


@shared_task(name="registrations.tasks.open_batch_campaigns")
def open_batch_campaigns():
    campaign = jobs.campaign_open()
    return campaign.pk if campaign else None


@shared_task(name="registrations.tasks.remind_batch_campaigns")
def remind_batch_campaigns():
    return jobs.campaign_remind()


@shared_task(name="registrations.tasks.close_batch_campaigns")
def close_batch_campaigns():
    return [c.pk for c in jobs.campaign_close()]


@shared_task(name="registrations.tasks.send_transfer_reminders")
def send_transfer_reminders():
    # Idempotent (TransferReminder claims each kind/subject/period), so a rerun in the same period sends nothing.
    from .transfer_reminders import transfer_reminders_send

    result = transfer_reminders_send()
    return {"sent": result.sent, "addressed": result.addressed}
