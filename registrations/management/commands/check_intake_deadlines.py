from django.core.management.base import BaseCommand

from registrations import jobs


class Command(BaseCommand):
    help = "Send the intake-deadline reminders and escalations that are due today (Art. 2). Idempotent."

    def handle(self, *args, **options):
        result = jobs.intake_deadlines_check()
        self.stdout.write(self.style.SUCCESS("reminders: {sent}, escalations: {escalated}".format(**result)))
