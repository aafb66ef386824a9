from django.core.management.base import BaseCommand
from django_celery_beat.models import PeriodicTask

from flowparty.schedules import BEAT_SCHEDULE, sync_beat_schedule

OUR_TASK_PREFIXES = ("members.", "registrations.", "responsibilities.", "reports.")


class Command(BaseCommand):
    help = (
        "Write flowparty/schedules.py into django-celery-beat's tables (what a starting beat does), so the "
        "admin shows the schedule right after migrate. Idempotent."
    )

    def handle(self, *args, **options):
        rows = sync_beat_schedule()
        for row in rows:
            self.stdout.write(f"  {row.name}: {row.task} · {row.crontab}")
        self.stdout.write(self.style.SUCCESS(f"periodic tasks in the schedule: {len(rows)}"))
        # Renamed or removed entries are left alone (someone may have added them in the admin on purpose),
        # but an enabled one of ours that the code no longer knows deserves a look.
        stale = (
            PeriodicTask.objects.filter(enabled=True)
            .exclude(name__in=BEAT_SCHEDULE)
            .filter(task__regex=r"^(" + "|".join(p.replace(".", r"\.") for p in OUR_TASK_PREFIXES) + ")")
        )
        for row in stale:
            self.stdout.write(
                self.style.WARNING(
                    f"  {row.name} ({row.task}) is enabled but not in flowparty/schedules.py: "
                    "disable it in the admin if it is obsolete."
                )
            )
