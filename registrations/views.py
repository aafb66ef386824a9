"""Thin views: scope through selectors, rights through members.permissions, writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members import permissions
from members import selectors as member_selectors
from members.pagination import page_of

from . import jobs, rules, selectors, services
from .filters import ChangeReportFilter, InflowFilter, OutflowFilter
from .forms import (
    AcceptForm,
    CampaignReportForm,
    ChangeReportForm,
    ContactForm,
    DeclineForm,
    EndForm,
    InflowAcceptForm,
    InflowCreateForm,
    InflowForm,
    MemberDepartureForm,
    OriginManagementForm,
    OutflowCreateForm,
    OutflowForm,
    RefuseForm,
    RegisterForm,
    ReportInForm,
    ScreeningForm,
    UnknownWhereaboutsForm,
    children_of,
)
from .models import ChangeReportStatus, Division, OrgKind
from .services import RegistrationError

PAGE_SIZE = 25


def _errors(form) -> list[str]:
    """Every error of a failed action form, to show above the page (the form itself may be hidden once the
    state no longer allows the action)."""
    return [str(e) for errors in form.errors.values() for e in errors]


def _page(request, queryset):
    # Exact counts (a register holds a few hundred thousand rows at most, counted from an index), pages read
    # through their primary keys first (members.pagination).
    page = page_of(request, queryset, per_page=PAGE_SIZE, cap=None)
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


# --- Outflows -------------------------------------------------------------------------------------------


@login_required
def outflow_list(request):
    permissions.require(request.user, "list_registrations")
    queryset = selectors.outflows_for(request.user).select_related(
        "member", "secondary", "destination_county"
    )
    f = OutflowFilter(request.GET, queryset=queryset, user=request.user)
    page, query = _page(request, f.qs)
    return render(
        request,
        "registrations/outflow_list.html",
        {
            "filter": f,
            "page": page,
            "query": query,
            "can_add": permissions.can(request.user, "add_registration"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def outflow_create(request):
    permissions.require(request.user, "add_registration")
    initial = {}
    if member_pk := request.GET.get("member"):
        member = member_selectors.member_get(user=request.user, pk=member_pk)
        initial["member"] = member.number
        initial["reason"] = member.mobility_reason
        initial["contact_phone"] = member.phone
    form = OutflowCreateForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in OutflowForm.Meta.fields}
        register = "register" in request.POST
        try:
            outflow = services.outflow_create(
                actor=request.user,
                member=form.cleaned_data["member"],
                data=data,
                register=register,
                registered_on=form.cleaned_data["registered_on"],
            )
        except RegistrationError as exc:
            form.add_error(None, str(exc))
        else:
            if register:
                messages.success(
                    request,
                    _("Outflow registered. Intake is due by %(due)s.") % {"due": date_format(outflow.due_on)},
                )
            else:
                messages.success(request, _("Draft saved."))
            _warn_about_placement(request, outflow)
            return redirect(outflow)
    return render(request, "registrations/outflow_form.html", {"form": form})


def _warn_about_placement(request, outflow) -> None:
    """Art. 3: the form warns (without refusing: the destination decides) when the kind does not fit."""
    if not outflow.advice_fits:
        advice = "、".join(str(OrgKind(kind).label) for kind in outflow.advice)
        messages.warning(
            request,
            _(
                "Art. 3: for this member's situation the member should be taken in by: "
                "%(advice)s. Check the kind of destination organisation."
            )
            % {"advice": advice},
        )


def _outflow_context(request, outflow, **forms):
    scope_can_change = permissions.can(request.user, "change_registration", outflow)
    actions = rules.allowed_actions(rules.OUTFLOW_TRANSITIONS, outflow.state) if scope_can_change else []
    context = {
        "outflow": outflow,
        "clock": outflow.clock(),
        "events": selectors.timeline(outflow),
        "can_change": scope_can_change and outflow.state != "ended",
        "actions": actions,
        "register_form": RegisterForm(prefix="register"),
        "report_form": ReportInForm(
            prefix="report", initial={"destination_org_name": outflow.destination_org_name}
        ),
        "accept_form": AcceptForm(prefix="accept"),
        "refuse_form": RefuseForm(prefix="refuse"),
        "end_form": EndForm(prefix="end"),
        "change_reports": outflow.change_reports.all(),
    }
    context.update(forms)
    return context


@login_required
def outflow_detail(request, pk):
    outflow = selectors.outflow_get(user=request.user, pk=pk)
    permissions.require(request.user, "view_registration", outflow)
    return render(request, "registrations/outflow_detail.html", _outflow_context(request, outflow))


@login_required
@require_http_methods(["GET", "POST"])
def outflow_edit(request, pk):
    outflow = selectors.outflow_get(user=request.user, pk=pk)
    permissions.require(request.user, "change_registration", outflow)
    form = OutflowForm(request.POST or None, instance=outflow)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in OutflowForm.Meta.fields}
        try:
            services.outflow_update(outflow=outflow, actor=request.user, data=data)
        except RegistrationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Changes saved."))
            _warn_about_placement(request, outflow)
            return redirect(outflow)
    return render(request, "registrations/outflow_form.html", {"form": form, "outflow": outflow})


OUTFLOW_ACTIONS = {
    # action: (form class, prefix, service call, success message)
    "register": (
        RegisterForm,
        "register",
        lambda o, u, d: services.outflow_register(outflow=o, actor=u, registered_on=d["on"]),
        _("Outflow registered; the intake clock has started."),
    ),
    "report_in": (
        ReportInForm,
        "report",
        lambda o, u, d: services.outflow_report_in(
            outflow=o, actor=u, reported_on=d["reported_on"], destination_org_name=d["destination_org_name"]
        ),
        _("Reporting in recorded."),
    ),
    "accept": (
        AcceptForm,
        "accept",
        lambda o, u, d: services.outflow_accept(outflow=o, actor=u, accepted_on=d["on"]),
        _("Intake recorded."),
    ),
    "refuse": (
        RefuseForm,
        "refuse",
        lambda o, u, d: services.outflow_refuse(outflow=o, actor=u, refused_on=d["on"], reason=d["reason"]),
        _("Refusal recorded."),
    ),
    "end": (
        EndForm,
        "end",
        lambda o, u, d: services.outflow_end(
            outflow=o, actor=u, ended_on=d["on"], end_reason=d["end_reason"], note=d["note"]
        ),
        _("Outflow ended."),
    ),
}


@login_required
@require_POST
def outflow_action(request, pk, action):
    outflow = selectors.outflow_get(user=request.user, pk=pk)
    permissions.require(request.user, "change_registration", outflow)
    if action not in OUTFLOW_ACTIONS:
        raise Http404
    form_class, prefix, call, message = OUTFLOW_ACTIONS[action]
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            call(outflow, request.user, form.cleaned_data)
        except RegistrationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, message)
            return redirect(outflow)
    outflow.refresh_from_db()
    context = _outflow_context(
        request, outflow, **{f"{prefix}_form": form, "open_action": action, "action_errors": _errors(form)}
    )
    return render(request, "registrations/outflow_detail.html", context, status=400)


# --- Inflows --------------------------------------------------------------------------------------------


@login_required
def inflow_list(request):
    permissions.require(request.user, "list_registrations")
    queryset = selectors.inflows_for(request.user).select_related(
        "member", "secondary", "branch", "origin_county"
    )
    f = InflowFilter(request.GET, queryset=queryset, user=request.user)
    page, query = _page(request, f.qs)
    return render(
        request,
        "registrations/inflow_list.html",
        {
            "filter": f,
            "page": page,
            "query": query,
            "can_add": permissions.can(request.user, "add_registration"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def inflow_create(request):
    permissions.require(request.user, "add_registration")
    form = InflowCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            inflow = services.inflow_create(
                actor=request.user,
                secondary=form.cleaned_data["secondary"],
                data=form.registration_data(),
                member=form.cleaned_data.get("member"),
                new_person=form.new_person(),
            )
        except RegistrationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Inflow registered. Intake is due by %(due)s.") % {"due": date_format(inflow.due_on)},
            )
            return redirect(inflow)
    return render(request, "registrations/inflow_form.html", {"form": form})


def _inflow_context(request, inflow, **forms):
    can_change = permissions.can(request.user, "change_registration", inflow)
    context = {
        "inflow": inflow,
        "clock": inflow.clock(),
        "events": selectors.timeline(inflow),
        "can_change": can_change and inflow.state != "ended",
        "actions": rules.allowed_actions(rules.INFLOW_TRANSITIONS, inflow.state) if can_change else [],
        "contact_form": ContactForm(prefix="contact"),
        "register_form": RegisterForm(prefix="register"),
        "accept_form": InflowAcceptForm(prefix="accept", inflow=inflow),
        "origin_form": OriginManagementForm(
            prefix="origin", initial={"origin_mpo_name": inflow.origin_mpo_name}
        ),
        "end_form": EndForm(prefix="end"),
    }
    context.update(forms)
    return context


@login_required
def inflow_detail(request, pk):
    inflow = selectors.inflow_get(user=request.user, pk=pk)
    permissions.require(request.user, "view_registration", inflow)
    return render(request, "registrations/inflow_detail.html", _inflow_context(request, inflow))


@login_required
@require_http_methods(["GET", "POST"])
def inflow_edit(request, pk):
    inflow = selectors.inflow_get(user=request.user, pk=pk)
    permissions.require(request.user, "change_registration", inflow)
    form = InflowForm(request.POST or None, instance=inflow)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in InflowForm.Meta.fields}
        try:
            services.inflow_update(inflow=inflow, actor=request.user, data=data)
        except RegistrationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Changes saved."))
            return redirect(inflow)
    return render(request, "registrations/inflow_form.html", {"form": form, "inflow": inflow})


INFLOW_ACTIONS = {
    "contact": (
        ContactForm,
        "contact",
        lambda i, u, d, f: services.inflow_contact(inflow=i, actor=u, contacted_on=d["on"]),
        _("Contact recorded."),
    ),
    "register": (
        RegisterForm,
        "register",
        lambda i, u, d, f: services.inflow_register(inflow=i, actor=u, registered_on=d["on"]),
        _("Inflow registered."),
    ),
    "accept": (
        InflowAcceptForm,
        "accept",
        lambda i, u, d, f: services.inflow_accept(inflow=i, actor=u, branch=d["branch"], accepted_on=d["on"]),
        _("The member has been taken into the branch."),
    ),
    "record_origin_management": (
        OriginManagementForm,
        "origin",
        lambda i, u, d, f: services.inflow_record_origin_management(
            inflow=i,
            actor=u,
            origin_mpo_name=d["origin_mpo_name"],
            origin_confirmed_on=d["origin_confirmed_on"],
        ),
        _("Recorded as managed by the origin's mobile-member organisation."),
    ),
    "end": (
        EndForm,
        "end",
        lambda i, u, d, f: services.inflow_end(
            inflow=i, actor=u, ended_on=d["on"], end_reason=d["end_reason"], note=d["note"]
        ),
        _("Inflow ended."),
    ),
}


@login_required
@require_POST
def inflow_action(request, pk, action):
    inflow = selectors.inflow_get(user=request.user, pk=pk)
    permissions.require(request.user, "change_registration", inflow)
    if action not in INFLOW_ACTIONS:
        raise Http404
    form_class, prefix, call, message = INFLOW_ACTIONS[action]
    kwargs = {"inflow": inflow} if form_class is InflowAcceptForm else {}
    form = form_class(request.POST, prefix=prefix, **kwargs)
    if form.is_valid():
        try:
            call(inflow, request.user, form.cleaned_data, form)
        except RegistrationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, message)
            return redirect(inflow)
    inflow.refresh_from_db()
    form_key = {"origin": "origin_form"}.get(prefix, f"{prefix}_form")
    context = _inflow_context(
        request, inflow, **{form_key: form, "open_action": action, "action_errors": _errors(form)}
    )
    return render(request, "registrations/inflow_detail.html", context, status=400)


# --- Change reports (reviewed by secretaries) ------------------------------------------------------------


@login_required
def change_report_list(request):
    permissions.require(request.user, "list_registrations")
    queryset = selectors.change_reports_for(request.user).select_related("member", "new_county")
    f = ChangeReportFilter(request.GET or {"status": ChangeReportStatus.PENDING}, queryset=queryset)
    page, query = _page(request, f.qs)
    return render(
        request, "registrations/change_report_list.html", {"filter": f, "page": page, "query": query}
    )


@login_required
def change_report_detail(request, pk, decline_form=None, status=200):
    report = selectors.change_report_get(user=request.user, pk=pk)
    permissions.require(request.user, "view_registration", report)
    return render(
        request,
        "registrations/change_report_detail.html",
        {
            "report": report,
            "can_review": permissions.can(request.user, "review_change_report", report)
            and report.status == ChangeReportStatus.PENDING,
            "decline_form": decline_form or DeclineForm(),
        },
        status=status,
    )


@login_required
@require_POST
def change_report_apply(request, pk):
    report = selectors.change_report_get(user=request.user, pk=pk)
    permissions.require(request.user, "review_change_report", report)
    try:
        services.change_report_apply(report=report, actor=request.user)
    except RegistrationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The change has been applied."))
    return redirect(report)


@login_required
@require_POST
def change_report_decline(request, pk):
    report = selectors.change_report_get(user=request.user, pk=pk)
    permissions.require(request.user, "review_change_report", report)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.change_report_decline(
                report=report, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except RegistrationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The report has been declined."))
            return redirect(report)
    return change_report_detail(request, pk, decline_form=form, status=400)


# --- Screening and whereabouts (Art. 2) -------------------------------------------------------------------


@login_required
def screening_list(request):
    permissions.require(request.user, "list_registrations")
    queryset = selectors.screenings_for(request.user).select_related("secondary", "member", "screened_by")
    page, query = _page(request, queryset)
    return render(
        request,
        "registrations/screening_list.html",
        {
            "page": page,
            "query": query,
            "can_add": permissions.can(request.user, "record_screening"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def screening_create(request):
    permissions.require(request.user, "record_screening")
    secondaries = permissions.managed_organizations_for(request.user).filter(is_active=True)
    form = ScreeningForm(request.POST or None, user=request.user, secondary_queryset=secondaries)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("source", "method", "screened_on", "member", "findings")}
        try:
            services.screening_record(actor=request.user, secondary=form.cleaned_data["secondary"], data=data)
        except RegistrationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Screening recorded."))
            return redirect("registrations:screening_list")
    return render(request, "registrations/screening_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def whereabouts_flag(request, member_pk):
    member = member_selectors.member_get(user=request.user, pk=member_pk)
    permissions.require(request.user, "change_member", member)
    form = UnknownWhereaboutsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_flag_unknown(
                actor=request.user,
                member=member,
                since=form.cleaned_data["since"],
                cause=form.cleaned_data["cause"],
                note=form.cleaned_data["note"],
            )
        except RegistrationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Whereabouts marked unknown; the organisation department has been told.")
            )
            return redirect(member)
    return render(request, "registrations/whereabouts_form.html", {"form": form, "member": member})


@login_required
@require_POST
def whereabouts_clear(request, member_pk):
    member = member_selectors.member_get(user=request.user, pk=member_pk)
    permissions.require(request.user, "change_member", member)
    services.member_clear_unknown(actor=request.user, member=member, note=request.POST.get("note", "")[:300])
    messages.success(request, _("Whereabouts are known again."))
    return redirect(member)


@login_required
def unknown_queue(request):
    permissions.require(request.user, "view_unknown_queue")
    page, query = _page(request, selectors.unknown_whereabouts_queue(user=request.user))
    return render(request, "registrations/unknown_queue.html", {"page": page, "query": query})


# --- The member's own reports (Annex 3), phone-first ------------------------------------------------------


def _own_member(request):
    permissions.require(request.user, "report_as_member")
    return member_selectors.member_get(user=request.user, pk=permissions.scope_for(request.user).member_id)


@login_required
def me(request):
    member = _own_member(request)
    return render(
        request,
        "registrations/me.html",
        {
            "member": member,
            "open_outflow": selectors.open_outflow(member=member),
            "outflows": selectors.own_outflows(member=member),
            "reports": member.change_reports.select_related("new_county").order_by("-created_at")[:20],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def me_departure(request):
    member = _own_member(request)
    form = MemberDepartureForm(request.POST or None, initial={"contact_phone": member.phone})
    if request.method == "POST" and form.is_valid():
        try:
            services.member_report_departure(actor=request.user, data=form.cleaned_data)
        except RegistrationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Reported. Your organisation will complete the outflow registration.")
            )
            return redirect("registrations:me")
    return render(request, "registrations/me_form.html", {"form": form, "title": _("Report before leaving")})


@login_required
@require_http_methods(["GET", "POST"])
def me_arrival(request):
    _own_member(request)
    form = ReportInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_report_arrival(
                actor=request.user,
                reported_on=form.cleaned_data["reported_on"],
                destination_org_name=form.cleaned_data["destination_org_name"],
            )
        except RegistrationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your reporting in has been recorded."))
            return redirect("registrations:me")
    return render(request, "registrations/me_form.html", {"form": form, "title": _("Report on arrival")})


@login_required
@require_http_methods(["GET", "POST"])
def me_change(request):
    _own_member(request)
    form = ChangeReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_report_change(actor=request.user, data=form.cleaned_data)
        except RegistrationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Change reported; it is pending review by your organisation."))
            return redirect("registrations:me")
    return render(request, "registrations/me_form.html", {"form": form, "title": _("Report a change")})


# --- Places (the cascading selects) -----------------------------------------------------------------------


@login_required
@require_GET
def place_children(request):
    code = request.GET.get("parent", "")
    if not (len(code) == 6 and code.isdigit()) or not Division.objects.filter(pk=code).exists():
        return JsonResponse({"options": []})
    county = request.GET.get("level") == "county"
    return JsonResponse({"options": [{"value": c, "label": n} for c, n in children_of(code, county=county)]})


# --- Batch campaigns and the pending-work queue (Art. 2) -------------------------------------------------


@login_required
def campaign_list(request):
    permissions.require(request.user, "list_campaigns")
    campaigns = selectors.campaigns_for(request.user).annotate(
        task_count=Count("tasks"), submitted=Count("tasks", filter=Q(tasks__submitted_at__isnull=False))
    )
    own_tasks = selectors.campaign_tasks_for(request.user).select_related("campaign", "secondary")
    return render(
        request, "registrations/campaign_list.html", {"campaigns": campaigns, "own_tasks": own_tasks}
    )


@login_required
def campaign_detail(request, pk):
    permissions.require(request.user, "list_campaigns")
    campaign = permissions.get_visible_or_404(selectors.campaigns_for(request.user), pk=pk)
    tasks = (
        selectors.campaign_tasks_for(request.user)
        .filter(campaign=campaign)
        .select_related("secondary", "submitted_by")
    )
    live = jobs.campaign_figures_by_organisation(
        campaign=campaign, secondary_ids=[t.secondary_id for t in tasks]
    )
    rows = [(task, live.get(task.secondary_id, jobs.EMPTY_FIGURES)) for task in tasks]
    return render(
        request,
        "registrations/campaign_detail.html",
        {
            "campaign": campaign,
            "rows": rows,
            "unfinished": [task for task in tasks if not task.is_submitted],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_task(request, pk):
    task = permissions.get_visible_or_404(
        selectors.campaign_tasks_for(request.user).select_related("campaign", "secondary", "submitted_by"),
        pk=pk,
    )
    permissions.require(request.user, "view_campaign_task", task)
    figures = jobs.campaign_figures(task=task)
    can_submit = (
        permissions.can(request.user, "submit_campaign_report", task) and task.campaign.state == "open"
    )
    initial = figures if not task.is_submitted else None
    form = CampaignReportForm(request.POST or None, instance=task, initial=initial) if can_submit else None
    if request.method == "POST":
        if not can_submit:
            raise PermissionDenied
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in CampaignReportForm.Meta.fields}
            try:
                services.campaign_report_submit(task=task, actor=request.user, data=data, figures=figures)
            except RegistrationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Campaign report submitted."))
                return redirect(task)
    pending = (
        selectors.outflows_for(request.user)
        .filter(secondary=task.secondary)
        .intake_pending()
        .select_related("member")
    )
    pending_inflows = (
        selectors.inflows_for(request.user)
        .filter(secondary=task.secondary)
        .intake_pending()
        .select_related("member")
    )
    return render(
        request,
        "registrations/campaign_task.html",
        {
            "task": task,
            "figures": figures,
            "form": form,
            "pending": pending,
            "pending_inflows": pending_inflows,
        },
    )


@login_required
def pending_work(request):
    permissions.require(request.user, "view_pending_work")
    return render(request, "registrations/pending_work.html", selectors.pending_work(user=request.user))
