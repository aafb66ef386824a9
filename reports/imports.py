"""The imports offered on the web and by the management commands, and the upload kept between preview and
confirmation.

An uploaded file is checked (members.spreadsheets.check_upload) and previewed at once; a file without errors is
kept in private storage under a random name, and the confirmation form carries a signed token naming it, its
owner, its kind and its SHA-256, so only the person who previewed it can confirm exactly that file. Confirming
checks every row again (the data may have changed since) and writes all rows or none.
"""

import hashlib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from members.resources import ImportResult, MemberResource, PipelineResource, run_import
from registrations.resources import OutflowResource

from .exports import private_storage

TOKEN_SALT = "reports.imports.upload"


@dataclass(frozen=True)
class ImportKind:
    key: str
    resource: type[PipelineResource]
    action: str  # members.permissions action
    title: str | Promise
    description: str | Promise


KINDS = {
    "members": ImportKind(
        "members",
        MemberResource,
        "import_members",
        _("Party members"),
        _("New members are added; members already on file (by staff or student number) are updated."),
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
}


def get_kind(key: str) -> ImportKind:
    try:
        return KINDS[key]
    except KeyError:
        raise Http404 from None


def check(kind: ImportKind, *, user, name: str, data: bytes, dry_run: bool) -> ImportResult:
    return run_import(kind.resource, user=user, name=name, data=data, dry_run=dry_run)


def upload_keep(kind: ImportKind, *, user, name: str, data: bytes) -> str:
    """Keep a previewed file until it is confirmed; returns the token for the confirmation form."""
    path = private_storage().save(f"imports/{uuid.uuid4().hex}.xlsx", ContentFile(data))
    payload = {"u": user.pk, "k": kind.key, "p": path, "f": name[:200], "h": hashlib.sha256(data).hexdigest()}
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def upload_open(kind: ImportKind, *, user, token: str) -> tuple[str, bytes, str]:
    """(original name, content, storage path) of a kept file, for the user and kind it was kept for; else 404."""
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=settings.FLOWPARTY_EXCHANGE_FILE_HOURS * 3600)
    except signing.BadSignature:
        raise Http404 from None
    path = str(payload.get("p", ""))
    if payload.get("u") != user.pk or payload.get("k") != kind.key or not path.startswith("imports/"):
        raise Http404
    storage = private_storage()
    if not storage.exists(path):
        raise Http404
    with storage.open(path, "rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != payload.get("h"):
        raise Http404
    return payload.get("f", "import.xlsx"), data, path


def upload_discard(path: str) -> None:
    private_storage().delete(path)
