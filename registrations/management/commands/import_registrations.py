"""python manage.py import_registrations FILE [--dry-run] --as USERNAME"""

from django.core.management.base import BaseCommand

from members.resources import run_import_command
from registrations.resources import OutflowResource

RESOURCES = {"outflows": OutflowResource}


class Command(BaseCommand):
    help = (
        "Import outflow registrations from an .xlsx workbook (the import template's or the provincial "
        "platform's columns), with the checks and rights of the web import, acting as --as USERNAME. "
        "All rows or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument("--as", dest="username", required=True, help="the account whose rights apply")
        parser.add_argument("--dry-run", action="store_true", help="check every row and write nothing")
        parser.add_argument(
            "--kind", choices=sorted(RESOURCES), default="outflows", help="what the file holds"
        )

    def handle(self, *args, **options):
        run_import_command(self, RESOURCES[options["kind"]], action="import_registrations", options=options)
