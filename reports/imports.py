"""The imports offered on the web and by the management commands, and the upload kept between preview and
confirmation.

An uploaded file is checked (members.spreadsheets.check_upload) and previewed at once; a file without errors is
kept in private storage under a random name with its rows as read, and the confirmation form carries a signed
token naming them, their owner, the kind of import and the file's SHA-256, so only the person who previewed it
can confirm exactly that file. Confirming checks every row again (the data may have changed since) and writes all
rows or none.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import tablib
from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from members import permissions
from members.resources import ImportResult, MemberResource, PipelineResource
from members.spreadsheets import read_sheet
from registrations.resources import InflowResource, OutflowResource

from .exports import private_storage

TOKEN_SALT = "reports.imports.upload"


@dataclass(frozen=True)
class ImportKind:
    key: str
    resource: type[PipelineResource]
    action: str  # members.permissions action
    title: str | Promise
    description: str | Promise
    opens_accounts: bool = False  # may open members' login accounts with the import (members.accounts)

    def options(self, *, user, open_accounts: bool) -> dict:
        """The resource's options as this user may use them."""
        if self.opens_accounts and open_accounts and permissions.can(user, "open_accounts"):
            return {"open_accounts": True}
        return {}


KINDS = {
    "members": ImportKind(
        "members",
        MemberResource,
        "import_members",
        _("Party members"),
        _("New members are added; members already on file (by staff or student number) are updated."),
        opens_accounts=True,
    ),
    "outflows": ImportKind(
        "outflows",
        OutflowResource,
        "import_registrations",
        _("Outflow registrations"),
        _(
            "One row per outflow member already on file. With a registration date the outflow is registered and "
            "the intake clock starts; an open registration is updated."
        ),
    ),
    "inflows": ImportKind(
        "inflows",
        InflowResource,
        "import_registrations",
        _("Inflow registrations"),
        _(
            "One row per inflow member. A member not yet on file is added; the intake clock counts from the "
            "origin's registration date. An open registration is updated."
        ),
    ),
}


def get_kind(key: str) -> ImportKind:
    try:
        return KINDS[key]
    except KeyError:
        raise Http404 from None


def _encode(value):
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, time):
        return {"tm": value.isoformat()}
    if isinstance(value, timedelta):
        return {"td": value.total_seconds()}
    return value


def _decode(value):
    if isinstance(value, dict):
        if "dt" in value:
            return datetime.fromisoformat(value["dt"])
        if "d" in value:
            return date.fromisoformat(value["d"])
        if "tm" in value:
            return time.fromisoformat(value["tm"])
        if "td" in value:
            return timedelta(seconds=value["td"])
    return value


def preview(
    kind: ImportKind, *, user, name: str, data: bytes, open_accounts: bool = False
) -> tuple[ImportResult, str]:
    """Check a file and write nothing. A file without errors is kept, with its rows as read (so that the
    confirmation need not parse the workbook again), and the returned token names it, with the options chosen,
    for `confirm`."""
    options = kind.options(user=user, open_accounts=open_accounts)
    resource = kind.resource(user=user, **options)
    sheet = read_sheet(name=name, data=data, known_headers=resource.known_headers())
    result = resource.import_data(sheet.dataset, dry_run=True, first_row=sheet.first_row)
    if not result.ok:
        return result, ""
    storage = private_storage()
    key = uuid.uuid4().hex
    path = storage.save(f"imports/{key}.xlsx", ContentFile(data))
    rows = {
        "headers": list(sheet.dataset.headers),
        "first_row": sheet.first_row,
        "rows": [[_encode(v) for v in row] for row in sheet.dataset],
    }
    rows_path = storage.save(
        f"imports/{key}.json", ContentFile(json.dumps(rows, ensure_ascii=False).encode())
    )
    payload = {
        "u": user.pk,
        "k": kind.key,
        "p": path,
        "r": rows_path,
        "f": name[:200],
        "h": hashlib.sha256(data).hexdigest(),
        "a": bool(options.get("open_accounts")),
    }
    return result, signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def _kept(kind: ImportKind, *, user, token: str) -> dict:
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=settings.FLOWPARTY_EXCHANGE_FILE_HOURS * 3600)
    except signing.BadSignature:
        raise Http404 from None
    paths = (str(payload.get("p", "")), str(payload.get("r", "")))
    if (
        payload.get("u") != user.pk
        or payload.get("k") != kind.key
        or not all(p.startswith("imports/") for p in paths)
    ):
        raise Http404
    if not private_storage().exists(paths[0]):
        raise Http404  # confirmed already, or purged
    return payload


def confirm(kind: ImportKind, *, user, token: str) -> ImportResult:
    """Check the kept file's rows again (the data may have changed since the preview) and write all of them in
    one transaction, or none. Written files are deleted; a file with errors now is kept for another try."""
    payload = _kept(kind, user=user, token=token)
    storage = private_storage()
    resource = kind.resource(user=user, **kind.options(user=user, open_accounts=bool(payload.get("a"))))
    try:
        with storage.open(payload["r"], "rb") as handle:
            rows = json.loads(handle.read())
        dataset = tablib.Dataset(headers=rows["headers"])
        for row in rows["rows"]:
            dataset.append([_decode(v) for v in row])
        first_row = rows["first_row"]
    except (OSError, ValueError, KeyError):
        # The rows as read are gone: read the kept workbook again, if it is still the one previewed.
        with storage.open(payload["p"], "rb") as handle:
            data = handle.read()
        if hashlib.sha256(data).hexdigest() != payload["h"]:
            raise Http404 from None
        sheet = read_sheet(name=payload["f"], data=data, known_headers=resource.known_headers())
        dataset, first_row = sheet.dataset, sheet.first_row
    result = resource.import_data(dataset, dry_run=False, first_row=first_row)
    if result.written:
        for path in (payload["p"], payload["r"]):
            storage.delete(path)
    return result
