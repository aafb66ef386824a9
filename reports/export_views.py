"""Excel exports: thin views over reports.exports. Every export is scoped to the viewer by its selector."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from members import access, permissions
from members.models import AccessAction
from registrations import selectors as registration_selectors

from . import exports, tasks
from .xlsx import XLSX_CONTENT_TYPE


def _download(handle, filename: str) -> FileResponse:
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def export(request, kind):
    """The list's rows under the list's filters (the query string is the list's). Small exports are written
    while the request waits; large ones are offered to be prepared in the background."""
    permissions.require(request.user, "export")
    spec = exports.get_kind(kind)
    count = exports.count_rows(spec, user=request.user, params=request.GET)
    if count is not None and count > settings.FLOWPARTY_EXPORT_ASYNC_ROWS:
        return render(
            request,
            "reports/export_large.html",
            {"kind": spec, "count": count, "query": request.GET.urlencode()},
        )
    handle = exports.export_file(spec, user=request.user, params=request.GET)
    access.log_access(request, action=AccessAction.EXPORT, what=f"{spec.filename} {request.GET.urlencode()}")
    return _download(handle, exports.filename(spec.filename))


@login_required
@require_GET
def export_campaign(request, pk):
    """A batch campaign's report: every organisation's task, submitted figures and the data's figures."""
    permissions.require(request.user, "export")
    permissions.require(request.user, "list_campaigns")
    campaign = permissions.get_visible_or_404(registration_selectors.campaigns_for(request.user), pk=pk)
    handle = exports.campaign_file(campaign, user=request.user)
    access.log_access(request, action=AccessAction.EXPORT, what=str(campaign))
    return _download(handle, exports.filename(f"{campaign.year}年{campaign.month}月集中登记报告"))


@login_required
@require_POST
def export_prepare(request, kind):
    permissions.require(request.user, "export")
    spec = exports.get_kind(kind)
    name = exports.new_file_name()
    tasks.prepare_export.delay(
        user_id=request.user.pk, kind=spec.key, query=request.POST.get("query", "")[:2000], name=name
    )
    token = exports.download_token(user=request.user, name=name, filename=exports.filename(spec.filename))
    access.log_access(
        request, action=AccessAction.EXPORT, what=f"{spec.filename} {request.POST.get('query', '')[:200]}"
    )
    return redirect("exports:download", token=token)


@login_required
@require_GET
def export_download(request, token):
    """A prepared export, for the person who asked for it; until it is ready, a page that reloads itself."""
    data = exports.read_download_token(token, user=request.user)
    storage = exports.private_storage()
    if storage.exists(data["n"]):
        return _download(storage.open(data["n"], "rb"), data["f"])
    failed = storage.exists(data["n"] + ".failed")
    return render(request, "reports/export_pending.html", {"filename": data["f"], "failed": failed})
