import itertools
import shutil
from dataclasses import replace

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from django.utils import translation

from members import permissions
from members.models import User
from reports import exports
from reports.xlsx import xlsx_file


class Command(BaseCommand):
    help = (
        "Export members (or a register) to .xlsx as USERNAME sees them: the same rows, masking and scope as the "
        "export buttons. Used by backups of a list and by `make bench`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="username", required=True, help="Export with this account's rights.")
        parser.add_argument("--output", required=True, help="Where to write the .xlsx file.")
        parser.add_argument("--kind", default="members", choices=sorted(exports.KINDS))
        parser.add_argument(
            "--query", default="", help="The list's filters, as in its address (e.g. mobile=true)."
        )
        parser.add_argument("--limit", type=int, default=None, help="At most this many rows.")

    def handle(self, *args, username, output, kind, query, limit, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active account {username!r}")
        if not permissions.can(user, "export"):
            raise CommandError(f"{username} may not export")
        spec = exports.get_kind(kind)
        with translation.override("zh-hans"):
            sheet = spec.sheet(user, QueryDict(query))
            if limit is not None:
                sheet = replace(sheet, rows=itertools.islice(sheet.rows, limit))
            handle = xlsx_file([sheet])
        with handle, open(output, "wb") as target:
            shutil.copyfileobj(handle, target)
        self.stdout.write(self.style.SUCCESS(f"{output}"))
