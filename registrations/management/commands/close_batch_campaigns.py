from django.core.management.base import BaseCommand

from registrations import jobs


class Command(BaseCommand):
    help = "Close the batch registration campaigns whose month has ended (Art. 2)."

    def handle(self, *args, **options):
        closed = jobs.campaign_close()
        self.stdout.write(self.style.SUCCESS(f"closed: {len(closed)}"))
