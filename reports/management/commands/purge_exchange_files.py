"""python manage.py purge_exchange_files: what the hourly job does (reports.tasks.purge_exchange_files)."""

from django.core.management.base import BaseCommand

from reports.exports import exchange_files_purge


class Command(BaseCommand):
    help = "Delete prepared exports and unconfirmed import uploads older than FLOWPARTY_EXCHANGE_FILE_HOURS."

    def handle(self, *args, **options):
        self.stdout.write(f"{exchange_files_purge()}")
