from celery import shared_task
from django.utils import timezone

from . import exports, services


@shared_task(name="responsibilities.tasks.send_checklist_reminders")
def send_checklist_reminders() -> int:
    """Daily: tell secretaries what falls due within two weeks and what is overdue (idempotent)."""
    return services.checklist_reminders_send(today=timezone.localdate())


@shared_task(name="responsibilities.tasks.prepare_matrix_export")
def prepare_matrix_export(*, user_id: int, organization_id: int, name: str) -> bool:
    """A large organisation's checklist matrix as a spreadsheet, for the user who asked."""
    return exports.matrix_export_prepare(user_id=user_id, organization_id=organization_id, name=name)
