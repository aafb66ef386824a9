from django.core.management.base import BaseCommand

from registrations.transfer_reminders import transfer_reminders_send


class Command(BaseCommand):
    help = "Send the Art. 5 reminders (due transfers, contacts abroad, receipts, graduates). Idempotent."

    def handle(self, *args, **options):
        result = transfer_reminders_send()
        self.stdout.write(
            self.style.SUCCESS(f"reminders sent: {result.sent} (addressed: {result.addressed})")
        )
