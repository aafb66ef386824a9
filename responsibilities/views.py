"""Thin views: scope through selectors, rights through members.permissions, writes through services."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from members import permissions
from members import selectors as member_selectors

from . import exports, selectors, services, tasks
from .forms import (
    AllocationForm,
    CareVisitForm,
    ConsultationForm,
    ContactForm,
    ConversionForm,
    DuesForm,
    EvaluationForm,
    ExpenseForm,
    FeedbackForm,
    InterDepartmentForm,
    ItemForm,
    ProbationForm,
    RoleActivityForm,
    SentForm,
    SessionForm,
    SupervisionForm,
    ThoughtReportForm,
)
from .models import Checklist, DemocraticEvaluation, ResponsibilityItem, Supervision
from .services import ChecklistError

PAGE_SIZE = 25
ANNEX_LABELS = [
    (Checklist.ORIGIN, gettext_lazy("Annex 1")),
    (Checklist.DESTINATION, gettext_lazy("Annex 2")),
    (Checklist.MEMBER, gettext_lazy("Annex 3")),
]


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- The checklists themselves ------------------------------------------------------------------------------


@login_required
def item_list(request):
    permissions.require(request.user, "view_checklist_items")
    grouped = selectors.items_by_checklist()
    return render(
        request,
        "responsibilities/item_list.html",
        {
            "checklists": [(label, grouped[value]) for value, label in Checklist.choices],
            "can_edit": permissions.can(request.user, "edit_checklist_items"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    permissions.require(request.user, "edit_checklist_items")
    item = permissions.get_visible_or_404(ResponsibilityItem.objects.all(), pk=pk)
    form = ItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(
                item=item, actor=request.user, data={k: form.cleaned_data[k] for k in ItemForm.Meta.fields}
            )
        except ChecklistError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(code)s saved.") % {"code": item.code})
            return redirect("responsibilities:item_list")
    return render(request, "responsibilities/item_form.html", {"form": form, "item": item})


# --- Compliance: the organisation department's overview and an organisation's matrix ------------------------


@login_required
def overview(request):
    permissions.require(request.user, "view_checklists")
    summaries = selectors.overview(user=request.user)
    return render(
        request,
        "responsibilities/overview.html",
        {"summaries": summaries, "checklists": ANNEX_LABELS, "today": timezone.localdate()},
    )


@login_required
def org_matrix(request, pk):
    organization = permissions.get_visible_or_404(permissions.organizations_for(request.user), pk=pk)
    permissions.require(request.user, "view_checklists")
    if request.GET.get("format") == "xlsx":
        if not selectors.live_compliance_allowed(user=request.user, secondary=organization):
            # Every row computed takes tens of seconds at this size: offered to Celery instead.
            count = selectors.open_registration_count(user=request.user, secondary=organization)
            return render(
                request,
                "reports/export_large.html",
                {
                    "kind": {"filename": exports.matrix_filename(organization)},
                    "count": count,
                    "action": reverse("responsibilities:matrix_export_prepare", args=[organization.pk]),
                },
            )
        matrix = selectors.organization_matrix(user=request.user, organization=organization, everything=True)
        return _matrix_xlsx(request, matrix, organization)
    matrix = selectors.organization_matrix(
        user=request.user,
        organization=organization,
        outflow_page=request.GET.get("op") or 1,
        inflow_page=request.GET.get("ip") or 1,
    )
    return render(
        request,
        "responsibilities/matrix.html",
        {"matrix": matrix, "organization": organization, "today": timezone.localdate()},
    )


def _matrix_xlsx(request, matrix, organization):
    """The compliance matrix as a spreadsheet, written while the request waits (organisations below the live
    limit); larger ones are prepared by Celery (matrix_export_prepare)."""
    from members import access
    from members.models import AccessAction
    from reports.xlsx import xlsx_response

    name = exports.matrix_filename(organization)
    access.log_access(request, action=AccessAction.EXPORT, what=name)
    return xlsx_response(f"{name}.xlsx", exports.matrix_sheets(matrix))


@login_required
@require_POST
def matrix_export_prepare(request, pk):
    """Prepare a large organisation's matrix in the background and wait for it on the download page."""
    from members import access
    from members.models import AccessAction
    from reports import exports as report_exports

    organization = permissions.get_visible_or_404(permissions.organizations_for(request.user), pk=pk)
    permissions.require(request.user, "view_checklists")
    permissions.require(request.user, "export")
    name = report_exports.new_file_name()
    filename = f"{exports.matrix_filename(organization)}.xlsx"
    tasks.prepare_matrix_export.delay(user_id=request.user.pk, organization_id=organization.pk, name=name)
    access.log_access(request, action=AccessAction.EXPORT, what=filename)
    token = report_exports.download_token(user=request.user, name=name, filename=filename)
    return redirect("exports:download", token=token)


# --- Records about a member -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordKind:
    form: type
    service: object
    title: str
    right: str = "record_about_member"
    message: str = gettext_lazy("Saved.")


MEMBER_RECORDS = {
    "contact": RecordKind(
        ContactForm,
        services.contact_record,
        gettext_lazy("Record contact with the member"),
        message=gettext_lazy("Contact recorded."),
    ),
    "probation": RecordKind(
        ProbationForm,
        services.probation_record,
        gettext_lazy("Record probationary conduct"),
        message=gettext_lazy("Conduct recorded."),
    ),
    "conversion": RecordKind(
        ConversionForm,
        services.probation_record,
        gettext_lazy("Record the conversion decision"),
        right="record_conversion",
        message=gettext_lazy("Conversion decision recorded."),
    ),
    "role_activity": RecordKind(
        RoleActivityForm,
        services.role_activity_record,
        gettext_lazy("Record a role activity"),
        message=gettext_lazy("Role activity recorded."),
    ),
    "care_visit": RecordKind(
        CareVisitForm,
        services.care_visit_record,
        gettext_lazy("Record a care visit"),
        message=gettext_lazy("Care visit recorded."),
    ),
    "evaluation": RecordKind(
        EvaluationForm,
        services.evaluation_record,
        gettext_lazy("Record a democratic evaluation"),
        message=gettext_lazy("Evaluation recorded."),
    ),
    "supervision": RecordKind(
        SupervisionForm,
        services.supervision_record,
        gettext_lazy("Record supervision"),
        message=gettext_lazy("Supervision recorded."),
    ),
    "dues": RecordKind(
        DuesForm,
        services.dues_record,
        gettext_lazy("Record a dues payment"),
        message=gettext_lazy("Payment recorded."),
    ),
    "thought_report": RecordKind(
        ThoughtReportForm,
        services.thought_report_record,
        gettext_lazy("Enter a thought report"),
        message=gettext_lazy("Thought report recorded."),
    ),
}


def _service_data(form) -> dict:
    if hasattr(form, "service_data"):
        return form.service_data()
    return {k: form.cleaned_data[k] for k in form.Meta.fields}


@login_required
@require_http_methods(["GET", "POST"])
def member_record_create(request, member_pk, kind):
    member = member_selectors.member_get(user=request.user, pk=member_pk)
    if kind not in MEMBER_RECORDS:
        raise Http404
    spec = MEMBER_RECORDS[kind]
    permissions.require(request.user, spec.right, member)
    form = spec.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            spec.service(actor=request.user, member=member, data=_service_data(form))
        except ChecklistError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, spec.message)
            return redirect(f"{member.get_absolute_url()}#checklist")
    return render(
        request,
        "responsibilities/record_form.html",
        {"form": form, "member": member, "title": spec.title, "cancel_url": member.get_absolute_url()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_edit(request, kind, pk):
    """Correct a record about a member (responsibilities.services.record_correct)."""
    if kind not in services.CORRECTABLE:
        raise Http404
    model = services.CORRECTABLE[kind][0]
    record = permissions.get_visible_or_404(
        selectors.member_records_for(request.user, model).select_related("member"), pk=pk
    )
    permissions.require(request.user, "record_about_member", record.member)
    if getattr(record, "by_member", False):
        raise PermissionDenied  # what the member reported is theirs
    spec = MEMBER_RECORDS[kind]
    form = spec.form(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_correct(actor=request.user, kind=kind, record=record, data=_service_data(form))
        except ChecklistError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Record corrected."))
            return redirect(f"{record.member.get_absolute_url()}#checklist")
    return render(
        request,
        "responsibilities/record_form.html",
        {
            "form": form,
            "member": record.member,
            "title": _("Correct: %(title)s") % {"title": spec.title},
            "cancel_url": f"{record.member.get_absolute_url()}#checklist",
        },
    )


@login_required
@require_POST
def record_follow_up(request, kind, pk):
    """The second step of a record: an evaluation's result fed back (A2.5), a disposal sent on (A1.7, A2.6)."""
    if kind == "evaluation":
        record = permissions.get_visible_or_404(
            selectors.member_records_for(request.user, DemocraticEvaluation).select_related("member"), pk=pk
        )
        form = FeedbackForm(request.POST)
    elif kind == "supervision":
        record = permissions.get_visible_or_404(
            selectors.member_records_for(request.user, Supervision).select_related("member"), pk=pk
        )
        form = SentForm(request.POST)
    else:
        raise Http404
    permissions.require(request.user, "record_about_member", record)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(f"{record.member.get_absolute_url()}#checklist")
    try:
        if kind == "evaluation":
            services.evaluation_feed_back(actor=request.user, evaluation=record, **form.cleaned_data)
            messages.success(request, _("The evaluation result has been fed back."))
        else:
            services.supervision_mark_sent(actor=request.user, supervision=record, **form.cleaned_data)
            messages.success(request, _("Recorded as sent."))
    except ChecklistError as exc:
        messages.error(request, str(exc))
    return redirect(f"{record.member.get_absolute_url()}#checklist")


# --- Org life and training (Art. 6) -------------------------------------------------------------------------


@login_required
def session_list(request):
    permissions.require(request.user, "view_checklists")
    sessions = selectors.sessions_for(request.user).select_related("secondary", "branch")
    return render(
        request,
        "responsibilities/session_list.html",
        {"page": _page(request, sessions), "can_add": permissions.can(request.user, "record_org_life")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request):
    permissions.require(request.user, "record_org_life")
    attendees = selectors.mobile_members_for_attendance(user=request.user)
    form = SessionForm(request.POST or None, user=request.user, attendees=attendees)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_record(
                actor=request.user,
                secondary=form.cleaned_data["secondary"],
                branch=form.cleaned_data.get("branch"),
                data=form.service_data(),
                attendees=list(form.cleaned_data["attendees"]),
            )
        except ChecklistError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Session recorded."))
            return redirect(session)
    return render(request, "responsibilities/session_form.html", {"form": form})


@login_required
def session_detail(request, pk):
    session = selectors.session_get(user=request.user, pk=pk)
    attendances = session.attendances.select_related("member", "member__secondary").order_by("member__number")
    return render(
        request, "responsibilities/session_detail.html", {"session": session, "attendances": attendances}
    )


# --- Consultations on major matters (Art. 7) -----------------------------------------------------------------


@login_required
def consultation_list(request):
    permissions.require(request.user, "view_checklists")
    consultations = (
        selectors.consultations_for(request.user).select_related("secondary").prefetch_related("members")
    )
    return render(
        request,
        "responsibilities/consultation_list.html",
        {
            "page": _page(request, consultations),
            "can_add": permissions.can(request.user, "record_consultation"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_create(request):
    permissions.require(request.user, "record_consultation")
    members = selectors.mobile_members_for_attendance(user=request.user).filter(
        secondary__in=permissions.managed_organizations_for(request.user)
    )
    form = ConsultationForm(request.POST or None, user=request.user, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_record(
                actor=request.user,
                secondary=form.cleaned_data["secondary"],
                data=form.service_data(),
                members=list(form.cleaned_data["members"]),
            )
        except ChecklistError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Consultation recorded."))
            return redirect("responsibilities:consultation_list")
    return render(
        request,
        "responsibilities/simple_form.html",
        {
            "form": form,
            "title": _("Record a consultation on a major matter"),
            "cancel_url": "responsibilities:consultation_list",
        },
    )


# --- Dues allotted to mobile-member work, and inter-department consultations (Art. 9) ---------------------


@login_required
def allocation_list(request):
    permissions.require(request.user, "view_dues_allocations")
    allocations = (
        selectors.allocations_for(request.user).select_related("secondary").prefetch_related("expenses")
    )
    return render(
        request,
        "responsibilities/allocation_list.html",
        {"allocations": allocations, "can_allot": permissions.can(request.user, "allot_dues")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def allocation_create(request):
    permissions.require(request.user, "allot_dues")
    form = AllocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.allocation_create(actor=request.user, data=form.cleaned_data)
        except ChecklistError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Allotment recorded."))
            return redirect("responsibilities:allocation_list")
    return render(
        request,
        "responsibilities/simple_form.html",
        {
            "form": form,
            "title": _("Allot dues to mobile-member work"),
            "cancel_url": "responsibilities:allocation_list",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def expense_create(request, pk):
    allocation = selectors.allocation_get(user=request.user, pk=pk)
    permissions.require(request.user, "spend_allotted_dues", allocation)
    form = ExpenseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.expense_record(actor=request.user, allocation=allocation, data=form.cleaned_data)
        except ChecklistError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Spending recorded."))
            return redirect("responsibilities:allocation_list")
    return render(
        request,
        "responsibilities/simple_form.html",
        {
            "form": form,
            "title": _("Record spending of %(allocation)s") % {"allocation": allocation},
            "cancel_url": "responsibilities:allocation_list",
        },
    )


@login_required
def interdept_list(request):
    permissions.require(request.user, "record_inter_department_consultation")
    page = _page(request, selectors.inter_department_consultations_for(request.user))
    return render(request, "responsibilities/interdept_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def interdept_create(request):
    permissions.require(request.user, "record_inter_department_consultation")
    form = InterDepartmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.inter_department_consultation_record(actor=request.user, data=form.cleaned_data)
        except ChecklistError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Consultation recorded."))
            return redirect("responsibilities:interdept_list")
    return render(
        request,
        "responsibilities/simple_form.html",
        {
            "form": form,
            "title": _("Record an inter-department consultation"),
            "cancel_url": "responsibilities:interdept_list",
        },
    )


# --- The member's own duties (Annex 3), phone-first -----------------------------------------------------------


def _own_member(request):
    permissions.require(request.user, "report_as_member")
    return member_selectors.member_get(user=request.user, pk=permissions.scope_for(request.user).member_id)


@login_required
def me(request):
    member = _own_member(request)
    rows = selectors.member_rows(user=request.user, member=member)
    outflow_row = next((r for r in rows if r.kind == "outflow"), None)
    duties = selectors.items_by_checklist()[Checklist.MEMBER]
    history = selectors.member_history(user=request.user, member=member, limit=5)
    return render(
        request,
        "responsibilities/me.html",
        {
            "member": member,
            "duties": [
                (item, outflow_row.results.get(item.code) if outflow_row else None) for item in duties
            ],
            "outflow_row": outflow_row,
            "history": history,
        },
    )


MEMBER_DUTIES = {
    "thought_report": (
        ThoughtReportForm,
        services.member_thought_report,
        gettext_lazy("Report my thoughts and work"),
    ),
    "dues": (DuesForm, services.member_dues_report, gettext_lazy("Report a dues payment")),
    "role_activity": (
        RoleActivityForm,
        services.member_role_activity,
        gettext_lazy("Report a role activity"),
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def me_record(request, kind):
    _own_member(request)
    if kind not in MEMBER_DUTIES:
        raise Http404
    form_class, service, title = MEMBER_DUTIES[kind]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, data=_service_data(form))
        except ChecklistError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Thank you; your organisation can see it now."))
            return redirect("responsibilities:me")
    return render(request, "responsibilities/me_form.html", {"form": form, "title": title})
