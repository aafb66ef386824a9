from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="responsibilities.tasks.send_checklist_reminders")
def send_checklist_reminders() -> int:
    """Daily: tell secretaries what falls due within two weeks and what is overdue (idempotent)."""
    return services.checklist_reminders_send(today=timezone.localdate())
