from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from registrations.retention import anonymise_ended_records


class Command(BaseCommand):
    help = "Anonymise personal details in records that ended more than FLOWPARTY_RETENTION_YEARS years ago."

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=None, help="Override FLOWPARTY_RETENTION_YEARS.")

    def handle(self, *args, years=None, **options):
        years = years if years is not None else settings.FLOWPARTY_RETENTION_YEARS
        result = anonymise_ended_records(today=timezone.localdate(), years=years)
        self.stdout.write(
            self.style.SUCCESS(
                "anonymised: {outflows} outflows, {inflows} inflows, {change_reports} change reports, "
                "{members} members".format(**result)
            )
        )
