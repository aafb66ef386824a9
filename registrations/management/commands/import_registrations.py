"""python manage.py import_registrations FILE [--dry-run] --as USERNAME [--kind outflows|inflows]"""

from django.core.management.base import BaseCommand

from members.resources import header_key, run_import_command
from members.spreadsheets import SpreadsheetError, read_sheet
from registrations.resources import InflowResource, OutflowResource

RESOURCES = {"outflows": OutflowResource, "inflows": InflowResource}


def detect(path: str) -> str:
    """outflows or inflows, by which of the two sets of required columns the file has."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        for kind in ("inflows", "outflows"):
            resource = RESOURCES[kind]
            sheet = read_sheet(name=path, data=data, known_headers=resource.known_headers())
            headers = {header_key(h) for h in sheet.dataset.headers}
            required = [c for c in resource.columns if c.required]
            if all({header_key(n) for n in (c.header, *c.aliases)} & headers for c in required):
                return kind
    except (OSError, SpreadsheetError):
        pass  # the import itself reports what is wrong with the file
    return "outflows"


class Command(BaseCommand):
    help = (
        "Import outflow or inflow registrations from an .xlsx workbook (the import template's or the provincial "
        "platform's columns), with the checks and rights of the web import, acting as --as USERNAME. "
        "All rows or none. Without --kind, the columns tell which."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument("--as", dest="username", required=True, help="the account whose rights apply")
        parser.add_argument("--dry-run", action="store_true", help="check every row and write nothing")
        parser.add_argument(
            "--kind", choices=sorted(RESOURCES), help="what the file holds (default: detected)"
        )

    def handle(self, *args, **options):
        kind = options["kind"] or detect(options["file"])
        self.stdout.write(f"{kind}: {options['file']}")
        run_import_command(self, RESOURCES[kind], action="import_registrations", options=options)
