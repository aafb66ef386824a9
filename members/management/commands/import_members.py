"""python manage.py import_members FILE [--dry-run] --as USERNAME"""

from django.core.management.base import BaseCommand

from members.resources import MemberResource, run_import_command


class Command(BaseCommand):
    help = (
        "Import party members from an .xlsx workbook (the import template's or the provincial platform's "
        "columns), with the checks and rights of the web import, acting as --as USERNAME. All rows or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument("--as", dest="username", required=True, help="the account whose rights apply")
        parser.add_argument("--dry-run", action="store_true", help="check every row and write nothing")
        parser.add_argument(
            "--accounts",
            action="store_true",
            help="also open a login account for each imported member without one (organisation department)",
        )

    def handle(self, *args, **options):
        run_import_command(self, MemberResource, action="import_members", options=options)
