from django.core.management.base import BaseCommand

from members import notifications


class Command(BaseCommand):
    help = "E-mail recent notifications that were not e-mailed yet (what the 5-minute job does). Idempotent."

    def handle(self, *args, **options):
        sent = notifications.send_pending_notification_emails()
        self.stdout.write(self.style.SUCCESS(f"e-mails sent: {sent}"))
