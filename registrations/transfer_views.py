"""Thin views of formal transfers and membership retention (Art. 5): scope through transfer_selectors,
rights through members.permissions, writes through transfer_services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from members import permissions
from members import selectors as member_selectors

from . import transfer_rules, transfer_selectors, transfer_services
from .letters import letter_fields
from .models import RetentionState, TransferDirection, TransferStage, TransferState
from .services import RegistrationError
from .transfer_filters import TransferFilter
from .transfer_forms import (
    ApproveForm,
    BatchApproveForm,
    CheckForm,
    CompleteForm,
    DueFilterForm,
    EmptyForm,
    LetterForm,
    ReasonForm,
    ReceiptForm,
    RetentionContactForm,
    RetentionEndForm,
    RetentionForm,
    TransferCreateForm,
    TransferForm,
)
from .views import _errors, _page

# --- Transfers --------------------------------------------------------------------------------------------


@login_required
def transfer_list(request):
    permissions.require(request.user, "list_transfers")
    queryset = transfer_selectors.transfers_for(request.user).select_related(
        "member", "secondary", "from_branch", "to_branch"
    )
    f = TransferFilter(request.GET, queryset=queryset, user=request.user)
    page, query = _page(request, f.qs)
    return render(
        request,
        "registrations/transfer_list.html",
        {
            "filter": f,
            "page": page,
            "query": query,
            "can_add": permissions.can(request.user, "add_transfer"),
            "can_batch": permissions.can(request.user, "batch_approve_transfers"),
        },
    )


def _initial_for(request) -> dict:
    """Prefill from a due suggestion (?member=..&direction=..&basis=..) with what the registrations know."""
    initial = {}
    member_pk = request.GET.get("member")
    if not member_pk:
        return initial
    member = member_selectors.member_get(user=request.user, pk=member_pk)
    initial["member"] = member.number
    direction = request.GET.get("direction", "")
    if direction in TransferDirection.values:
        initial["direction"] = direction
    if request.GET.get("basis"):
        initial["basis"] = request.GET["basis"]
    outflow = member.outflows.exclude(state="ended").first()
    inflow = member.inflows.exclude(state="ended").first()
    if direction == TransferDirection.OUT and outflow:
        initial["to_org_name"] = outflow.destination_org_name
        initial["other_county"] = outflow.destination_county_id
    if direction == TransferDirection.IN:
        initial["from_org_name"] = inflow.origin_org_name if inflow else member.origin_organization
        if inflow:
            initial["other_county"] = inflow.origin_county_id
            initial["to_branch"] = inflow.branch_id
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def transfer_create(request):
    permissions.require(request.user, "add_transfer")
    form = TransferCreateForm(request.POST or None, initial=_initial_for(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = transfer_services.transfer_create(
                actor=request.user,
                member=form.cleaned_data["member"],
                direction=form.cleaned_data["direction"],
                basis=form.cleaned_data["basis"],
                data=form.transfer_data(),
            )
        except RegistrationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Transfer saved as a draft; complete the details and submit it."))
            return redirect(transfer)
    return render(request, "registrations/transfer_form.html", {"form": form})


def _chain_status(transfer) -> list[tuple[str, str]]:
    """Each step of the chain with "done", "current" or "todo"."""
    if transfer.state in (TransferState.APPROVED, TransferState.COMPLETED):
        current = len(transfer_rules.CHAIN)
    elif transfer.state == TransferState.PENDING:
        current = transfer_rules.CHAIN.index(transfer.stage)
    else:
        current = -1
    result = []
    for index, stage in enumerate(transfer_rules.CHAIN):
        status = "done" if index < current else "current" if index == current else "todo"
        result.append((TransferStage(stage).label, status))
    return result


def _transfer_context(request, transfer, **extra):
    user = request.user
    can_change = permissions.can(user, "change_transfer", transfer)
    can_decide = transfer.state == TransferState.PENDING and permissions.can(
        user, f"approve_transfer_{transfer.stage}", transfer
    )
    checks = list(transfer_selectors.transfer_checks(transfer))
    context = {
        "transfer": transfer,
        "steps": transfer_selectors.transfer_steps(transfer),
        "checks": checks,
        "checks_done": all(c.is_done for c in checks),
        "can_change": can_change,
        "can_edit": can_change and transfer.state in (TransferState.DRAFT, TransferState.RETURNED),
        "can_submit": can_change and transfer_rules.can_transfer_transition(transfer.state, "submit"),
        "can_decide": can_decide,
        "can_check": transfer.is_open and permissions.can(user, "check_dossier", transfer),
        "can_complete": can_change and transfer.state == TransferState.APPROVED,
        "can_cancel": can_change and transfer_rules.can_transfer_transition(transfer.state, "cancel"),
        "can_print": can_change
        and transfer.has_letter
        and transfer.state in (TransferState.APPROVED, TransferState.COMPLETED),
        "can_record_receipt": can_change and transfer.letter_issued_on and not transfer.receipt_returned_on,
        "receipt_overdue": transfer.receipt_is_overdue(),
        "letter": letter_fields(transfer),
        "chain_status": _chain_status(transfer),
        "approve_form": ApproveForm(prefix="approve"),
        "return_form": ReasonForm(prefix="return"),
        "refuse_form": ReasonForm(prefix="refuse"),
        "cancel_form": ReasonForm(prefix="cancel"),
        "complete_form": CompleteForm(prefix="complete"),
        "receipt_form": ReceiptForm(prefix="receipt"),
        "letter_form": LetterForm(),
    }
    context.update(extra)
    return context


@login_required
def transfer_detail(request, pk):
    transfer = transfer_selectors.transfer_get(user=request.user, pk=pk)
    permissions.require(request.user, "view_transfer", transfer)
    return render(request, "registrations/transfer_detail.html", _transfer_context(request, transfer))


@login_required
@require_http_methods(["GET", "POST"])
def transfer_edit(request, pk):
    transfer = transfer_selectors.transfer_get(user=request.user, pk=pk)
    permissions.require(request.user, "change_transfer", transfer)
    form = TransferForm(request.POST or None, instance=transfer, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            transfer_services.transfer_update(
                transfer=transfer, actor=request.user, data=form.transfer_data()
            )
        except RegistrationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Changes saved."))
            return redirect(transfer)
    return render(request, "registrations/transfer_form.html", {"form": form, "transfer": transfer})


TRANSFER_ACTIONS = {
    # action: (form class, prefix, service call, success message)
    "submit": (
        EmptyForm,
        "submit",
        lambda t, u, d: transfer_services.transfer_submit(transfer=t, actor=u),
        gettext_lazy("Submitted to the branch for approval."),
    ),
    "approve": (
        ApproveForm,
        "approve",
        lambda t, u, d: transfer_services.transfer_approve(transfer=t, actor=u, note=d["reason"]),
        gettext_lazy("Approved."),
    ),
    "return": (
        ReasonForm,
        "return",
        lambda t, u, d: transfer_services.transfer_return(transfer=t, actor=u, reason=d["reason"]),
        gettext_lazy("Returned for revision."),
    ),
    "refuse": (
        ReasonForm,
        "refuse",
        lambda t, u, d: transfer_services.transfer_refuse(transfer=t, actor=u, reason=d["reason"]),
        gettext_lazy("Refused; the reason has been recorded."),
    ),
    "complete": (
        CompleteForm,
        "complete",
        lambda t, u, d: transfer_services.transfer_complete(transfer=t, actor=u, completed_on=d["on"]),
        gettext_lazy("Transfer completed: the formal relation has moved."),
    ),
    "receipt": (
        ReceiptForm,
        "receipt",
        lambda t, u, d: transfer_services.transfer_receipt_record(
            transfer=t, actor=u, returned_on=d["on"], note=d["note"]
        ),
        gettext_lazy("Receipt recorded."),
    ),
    "cancel": (
        ReasonForm,
        "cancel",
        lambda t, u, d: transfer_services.transfer_cancel(transfer=t, actor=u, reason=d["reason"]),
        gettext_lazy("Transfer cancelled."),
    ),
}
DECISIONS = {"approve", "return", "refuse"}


@login_required
@require_POST
def transfer_action(request, pk, action):
    transfer = transfer_selectors.transfer_get(user=request.user, pk=pk)
    if action not in TRANSFER_ACTIONS:
        raise Http404
    if action in DECISIONS and transfer.state == TransferState.PENDING:
        permissions.require(request.user, f"approve_transfer_{transfer.stage}", transfer)
    elif action in DECISIONS:
        permissions.require(request.user, "view_transfer", transfer)  # the service says why not now
    else:
        permissions.require(request.user, "change_transfer", transfer)
    form_class, prefix, call, message = TRANSFER_ACTIONS[action]
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            call(transfer, request.user, form.cleaned_data)
        except RegistrationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, message)
            return redirect(transfer)
    transfer.refresh_from_db()
    context = _transfer_context(
        request, transfer, **{f"{prefix}_form": form, "open_action": action, "action_errors": _errors(form)}
    )
    return render(request, "registrations/transfer_detail.html", context, status=400)


@login_required
@require_POST
def transfer_check(request, pk):
    transfer = transfer_selectors.transfer_get(user=request.user, pk=pk)
    permissions.require(request.user, "check_dossier", transfer)
    form = CheckForm(request.POST)
    if form.is_valid():
        try:
            transfer_services.transfer_check(
                transfer=transfer,
                actor=request.user,
                item=form.cleaned_data["item"],
                note=form.cleaned_data["note"],
                dues_paid_until=form.cleaned_data["dues_paid_until"],
            )
        except RegistrationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Dossier item checked."))
            return redirect(transfer)
    context = _transfer_context(request, transfer, action_errors=_errors(form))
    return render(request, "registrations/transfer_detail.html", context, status=400)


@login_required
@require_POST
def transfer_letter(request, pk):
    """The introduction letter as a PDF. POST: every print is counted and its printer kept."""
    transfer = transfer_selectors.transfer_get(user=request.user, pk=pk)
    permissions.require(request.user, "change_transfer", transfer)
    form = LetterForm(request.POST)
    if form.is_valid():
        try:
            pdf = transfer_services.transfer_letter_print(
                transfer=transfer, actor=request.user, valid_days=form.cleaned_data["valid_days"]
            )
        except RegistrationError as exc:
            form.add_error(None, str(exc))
        else:
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = (
                f'inline; filename="introduction-letter-{transfer.letter_number}.pdf"'
            )
            return response
    transfer.refresh_from_db()
    context = _transfer_context(request, transfer, letter_form=form, action_errors=_errors(form))
    return render(request, "registrations/transfer_detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def transfer_batch(request):
    """The organisation department's batch approval of transfers awaiting its step."""
    permissions.require(request.user, "batch_approve_transfers")
    queryset = transfer_selectors.awaiting_department(user=request.user)
    form = BatchApproveForm(request.POST or None, queryset=queryset)
    if request.method == "POST" and form.is_valid():
        try:
            result = transfer_services.transfer_batch_approve(
                transfers=form.cleaned_data["transfers"], actor=request.user
            )
        except RegistrationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(count)d transfer(s) approved.") % {"count": len(result.approved)})
            if result.skipped:
                messages.warning(
                    request,
                    _("Skipped, no longer awaiting the department: %(names)s")
                    % {"names": "、".join(t.member.name for t in result.skipped)},
                )
            return redirect("registrations:transfer_batch")
    return render(request, "registrations/transfer_batch.html", {"form": form, "transfers": queryset})


@login_required
def transfer_due(request):
    """Art. 5: who is due to transfer, or to apply for retention, in the viewer's organisations."""
    permissions.require(request.user, "list_transfers")
    form = DueFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    rows = transfer_selectors.due_list(user=request.user, kind=kind)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registrations/transfer_due.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "graduates": transfer_selectors.kept_graduates(user=request.user),
            "can_add": permissions.can(request.user, "add_transfer"),
        },
    )


# --- Membership retention (保留党籍) ------------------------------------------------------------------------


@login_required
def retention_list(request):
    permissions.require(request.user, "list_retentions")
    queryset = transfer_selectors.retentions_for(request.user).select_related("member", "secondary")
    state = request.GET.get("state", RetentionState.ACTIVE)
    if state in RetentionState.values:
        queryset = queryset.filter(state=state)
    page, query = _page(request, queryset)
    return render(
        request,
        "registrations/retention_list.html",
        {
            "page": page,
            "query": query,
            "state": state,
            "states": RetentionState.choices,
            "can_add": permissions.can(request.user, "add_retention"),
            "graduates": transfer_selectors.kept_graduates(user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def retention_create(request):
    permissions.require(request.user, "add_retention")
    initial = {}
    if member_pk := request.GET.get("member"):
        initial["member"] = member_selectors.member_get(user=request.user, pk=member_pk).number
    form = RetentionForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            retention = transfer_services.retention_create(
                actor=request.user, member=form.cleaned_data["member"], data=form.retention_data()
            )
        except RegistrationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Membership retention recorded."))
            return redirect(retention)
    return render(request, "registrations/retention_form.html", {"form": form})


def _retention_context(request, retention, **extra):
    can_change = permissions.can(request.user, "change_retention", retention)
    context = {
        "retention": retention,
        "contacts": retention.contacts.select_related("recorded_by"),
        "can_change": can_change and retention.state == RetentionState.ACTIVE,
        "contact_form": RetentionContactForm(prefix="contact"),
        "end_form": RetentionEndForm(prefix="end"),
    }
    context.update(extra)
    return context


@login_required
def retention_detail(request, pk):
    retention = transfer_selectors.retention_get(user=request.user, pk=pk)
    permissions.require(request.user, "view_retention", retention)
    return render(request, "registrations/retention_detail.html", _retention_context(request, retention))


@login_required
@require_POST
def retention_contact(request, pk):
    retention = transfer_selectors.retention_get(user=request.user, pk=pk)
    permissions.require(request.user, "change_retention", retention)
    form = RetentionContactForm(request.POST, prefix="contact")
    if form.is_valid():
        try:
            transfer_services.retention_record_contact(
                retention=retention,
                actor=request.user,
                contacted_on=form.cleaned_data["contacted_on"],
                method=form.cleaned_data["method"],
                note=form.cleaned_data["note"],
            )
        except RegistrationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Contact recorded."))
            return redirect(retention)
    retention.refresh_from_db()
    context = _retention_context(
        request, retention, contact_form=form, open_action="contact", action_errors=_errors(form)
    )
    return render(request, "registrations/retention_detail.html", context, status=400)


@login_required
@require_POST
def retention_end(request, pk):
    retention = transfer_selectors.retention_get(user=request.user, pk=pk)
    permissions.require(request.user, "change_retention", retention)
    form = RetentionEndForm(request.POST, prefix="end")
    if form.is_valid():
        try:
            transfer_services.retention_end(
                retention=retention,
                actor=request.user,
                ended_on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
            )
        except RegistrationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Membership retention ended."))
            return redirect(retention)
    retention.refresh_from_db()
    context = _retention_context(
        request, retention, end_form=form, open_action="end", action_errors=_errors(form)
    )
    return render(request, "registrations/retention_detail.html", context, status=400)
