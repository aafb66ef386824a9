"""Excel imports: upload, preview (a dry run showing every row and every error), confirm (all rows or none)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members import access, permissions
from members.forms import BootstrapFormMixin
from members.models import AccessAction
from members.spreadsheets import SpreadsheetError

from . import imports
from .xlsx import XLSX_CONTENT_TYPE

# Rows listed in the preview besides every row in error (the counts above it cover them all).
PREVIEW_ROWS = 1000


class UploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    open_accounts = forms.BooleanField(
        label=gettext_lazy("Open a login account for each member without one"),
        help_text=gettext_lazy(
            "The account name is the staff or student number; members set their password with “Forgot "
            "password?” through their e-mail."
        ),
        required=False,
        initial=True,
    )

    def __init__(self, *args, accounts: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not accounts:
            del self.fields["open_accounts"]


def _upload_form(request, kind, *args) -> UploadForm:
    accounts = kind.opens_accounts and permissions.can(request.user, "open_accounts")
    return UploadForm(*args, accounts=accounts)


def _kind(request, key) -> imports.ImportKind:
    kind = imports.get_kind(key)
    permissions.require(request.user, kind.action)
    return kind


def _too_large(request) -> bool:
    """Refuse an oversized upload from its declared length, before Django spools it to disk."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > settings.FLOWPARTY_IMPORT_MAX_BYTES + 64 * 1024


@login_required
@require_GET
def index(request):
    kinds = [kind for kind in imports.KINDS.values() if permissions.can(request.user, kind.action)]
    if not kinds:
        permissions.require(request.user, "import_members")
    return render(request, "reports/import_index.html", {"kinds": kinds, "form": UploadForm()})


@login_required
@require_GET
def template(request, kind):
    kind = _kind(request, kind)
    resource = kind.resource(user=request.user)
    response = HttpResponse(resource.template(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{resource.title}导入模板.xlsx")
    return response


def _preview(request, kind, result, *, token="", status=200):
    rows = [row for row in result.planned if row.errors] + [row for row in result.planned if not row.errors]
    return render(
        request,
        "reports/import_preview.html",
        {
            "kind": kind,
            "result": result,
            "errors": result.all_errors(),
            "rows": rows[: max(PREVIEW_ROWS, result.counts["invalid"])],
            "hidden_rows": max(0, len(rows) - max(PREVIEW_ROWS, result.counts["invalid"])),
            "token": token,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, kind):
    """GET: the upload form. POST: check the file and show the preview; nothing is written."""
    kind = _kind(request, kind)
    form = _upload_form(request, kind)
    if request.method == "POST":
        if _too_large(request):
            form.add_error(None, _("The file is too large."))
        else:
            form = _upload_form(request, kind, request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read(settings.FLOWPARTY_IMPORT_MAX_BYTES + 1)
            try:
                result, token = imports.preview(
                    kind,
                    user=request.user,
                    name=upload.name,
                    data=data,
                    open_accounts=form.cleaned_data.get("open_accounts", False),
                )
            except SpreadsheetError as exc:
                form.add_error("file", str(exc))
            else:
                return _preview(request, kind, result, token=token)
    status = 400 if form.errors else 200
    return render(request, "reports/import_upload.html", {"kind": kind, "form": form}, status=status)


@login_required
@require_POST
def confirm(request, kind):
    """Check the previewed file again and write all its rows in one transaction, or none."""
    kind = _kind(request, kind)
    token = request.POST.get("token", "")
    try:
        result = imports.confirm(kind, user=request.user, token=token)
    except SpreadsheetError as exc:
        messages.error(request, str(exc))
        return redirect("imports:upload", kind=kind.key)
    if not result.written:
        # The data changed since the preview: show what is wrong now; the kept file can be confirmed again.
        return _preview(request, kind, result, token=token if result.ok else "", status=409)
    counts = result.counts
    access.log_access(
        request,
        action=AccessAction.IMPORT,
        what=f"{kind.key}: {counts['new']} new, {counts['update']} updated, {counts['skip']} unchanged",
    )
    messages.success(
        request,
        " ".join(
            [
                _("Imported: %(new)s new, %(update)s updated, %(skip)s unchanged.")
                % {"new": counts["new"], "update": counts["update"], "skip": counts["skip"]},
                *result.summary,
            ]
        ),
    )
    return redirect("imports:index")
