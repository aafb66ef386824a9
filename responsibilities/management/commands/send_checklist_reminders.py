from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from responsibilities import services


class Command(BaseCommand):
    help = (
        "Tell secretaries which checklist items fall due within two weeks and which are overdue, once per "
        "item and period (safe to run repeatedly)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", dest="on", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, on=None, **options):
        try:
            today = date.fromisoformat(on) if on else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date: {exc}") from exc
        sent = services.checklist_reminders_send(today=today)
        self.stdout.write(self.style.SUCCESS(f"checklist reminders sent: {sent}"))
