from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from members.demo import loader


class Command(BaseCommand):
    help = "Load the demo university (organisations, a few hundred members, the demo accounts). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")
        parser.add_argument(
            "--members",
            type=int,
            default=0,
            help=(
                "Top the synthetic members up to this many, with registrations and their records in proportion, "
                "by bulk inserts (COPY on PostgreSQL). Benchmarks: see bench/README.md."
            ),
        )

    def handle(self, *args, force=False, members=0, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                _("seed_demo creates accounts with a known password; with DEBUG off it needs --force.")
            )
        result = loader.load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"organisations: {result['organizations']}, members: {result['members']} "
                f"(+{result['members_created']} new)"
            )
        )
        for hook in loader_hooks():
            hook(stdout=self.stdout)
        if members:
            from members.demo import bulk

            bulk.generate(members, log=self.stdout.write)
            self.stdout.write(self.style.SUCCESS(f"bulk members: {bulk.bulk_member_count()}"))


def loader_hooks():
    """Later apps add their demo records here (registrations, checklists...), in dependency order."""
    hooks = []
    for path in getattr(settings, "FLOWPARTY_DEMO_LOADERS", []):
        module_path, _, name = path.rpartition(".")
        module = __import__(module_path, fromlist=[name])
        hooks.append(getattr(module, name))
    return hooks
