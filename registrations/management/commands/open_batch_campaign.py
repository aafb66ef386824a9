from django.core.management.base import BaseCommand

from registrations import jobs


class Command(BaseCommand):
    help = "Open the March/October batch registration campaign if today is in its month (Art. 2). Idempotent."

    def handle(self, *args, **options):
        campaign = jobs.campaign_open()
        if campaign is None:
            self.stdout.write("No campaign window today (March and October only).")
        else:
            self.stdout.write(self.style.SUCCESS(f"{campaign}: {campaign.tasks.count()} organisations"))
