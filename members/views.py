from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from . import access, accounts, notifications, permissions, sections, selectors, services
from .filters import AccessLogFilter
from .forms import MemberForm
from .models import AccessAction
from .pagination import COUNT_CAP, page_of
from .services import MemberError

PAGE_SIZE = 25
# The member list counts this many members at most, then says "more than" (members.pagination).
MEMBER_COUNT_CAP = COUNT_CAP
NOTIFICATION_PAGE_SIZE = 20


@login_required
def home(request):
    scope = permissions.scope_for(request.user)
    context = {"scope": scope}
    if scope.is_staff_role:
        organizations = list(selectors.organization_overview(user=request.user))
        context["organizations"] = organizations
        context["counts"] = selectors.member_counts(user=request.user, overview=organizations)
    if scope.is_member:
        context["own_member"] = selectors.member_get(user=request.user, pk=scope.member_id)
    context["sections"] = sections.render_home_sections(request)
    return render(request, "members/home.html", context)


@login_required
def member_list(request):
    permissions.require(request.user, "list_members")
    member_filter = selectors.member_list(user=request.user, params=request.GET)
    # Ordered by number (a unique index): numbered pages up to the count cap, keyset pages after it. Mobile members
    # are counted exactly: they are what the dashboard counts (its figures link here and must equal the list), and
    # the member_mobile index counts them without reading the rows (300,000 in about 65 ms at 1,000,000 members).
    queryset = member_filter.qs
    mobile_only = member_filter.form.cleaned_data.get("mobile") is True
    cap = None if mobile_only else MEMBER_COUNT_CAP
    page = page_of(request, queryset, per_page=PAGE_SIZE, key="number", cap=cap)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("after", None)
    return render(
        request,
        "members/member_list.html",
        {
            "filter": member_filter,
            "page": page,
            "query": query.urlencode(),
            "count_cap": MEMBER_COUNT_CAP,
            "can_add": permissions.can(request.user, "add_member"),
        },
    )


def _member_page(request, member, *, revealed: bool = False):
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "history": selectors.member_history(member=member)[:50],
            "can_change": permissions.can(request.user, "change_member", member),
            "can_reveal": permissions.can(request.user, "view_full_identifiers"),
            "can_open_account": not member.user_id and permissions.can(request.user, "open_accounts"),
            "revealed": revealed,
            "sections": sections.render_member_sections(request, member),
        },
    )


@login_required
def member_detail(request, pk):
    member = selectors.member_get(user=request.user, pk=pk)
    permissions.require(request.user, "view_member", member)
    access.log_member_view(request, member)
    return _member_page(request, member)


@login_required
@require_POST
def member_reveal(request, pk):
    """Showing a phone or ID number in full is an explicit, logged act of the organisation department."""
    member = selectors.member_get(user=request.user, pk=pk)
    permissions.require(request.user, "view_full_identifiers", member)
    access.log_access(request, action=AccessAction.REVEAL, member=member, what=_("phone and ID-card number"))
    return _member_page(request, member, revealed=True)


@login_required
@require_POST
def member_open_account(request, pk):
    """The organisation department opens a member's login account (members.accounts)."""
    member = selectors.member_get(user=request.user, pk=pk)
    permissions.require(request.user, "open_accounts", member)
    result = accounts.accounts_open(actor=request.user, members=[member])
    if result.taken:
        messages.error(
            request,
            _("The account name %(username)s belongs to another member's account: nothing was changed.")
            % {"username": accounts.username_for(member)},
        )
    elif not result.opened:
        messages.info(request, _("This member already has an account."))
    elif result.without_email:
        messages.warning(
            request,
            _(
                "Account %(username)s opened. It has no e-mail address, so the member cannot reset a password: "
                "set a first password for it in the administration."
            )
            % {"username": accounts.username_for(member)},
        )
    else:
        messages.success(
            request,
            _(
                "Account %(username)s opened. The member sets a password with “Forgot password?” on the login "
                "page, through a link sent to %(email)s."
            )
            % {"username": accounts.username_for(member), "email": member.user.email},
        )
    return redirect("members:detail", pk=member.pk)


@login_required
def access_log(request):
    permissions.require(request.user, "view_access_log")
    log_filter = AccessLogFilter(request.GET, queryset=selectors.access_log())
    page = Paginator(log_filter.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "members/access_log.html", {"filter": log_filter, "page": page, "query": query.urlencode()}
    )


def privacy(request):
    """What is collected and why: readable without logging in."""
    from django.conf import settings

    return render(request, "members/privacy.html", {"retention_years": settings.FLOWPARTY_RETENTION_YEARS})


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request):
    permissions.require(request.user, "add_member")
    form = MemberForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_create(actor=request.user, data=form.cleaned_data)
        except MemberError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Member %(name)s added.") % {"name": member.name})
            return redirect(member)
    return render(request, "members/member_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    member = selectors.member_get(user=request.user, pk=pk)
    permissions.require(request.user, "change_member", member)
    form = MemberForm(request.POST or None, instance=member, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(member=member, actor=request.user, data=form.cleaned_data)
        except MemberError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Changes saved."))
            return redirect(member)
    return render(request, "members/member_form.html", {"form": form, "member": member})


@login_required
def organization_list(request):
    permissions.require(request.user, "list_members")
    organizations = selectors.organization_overview(user=request.user).prefetch_related("branches")
    return render(request, "members/organization_list.html", {"organizations": organizations})


# --- Notifications: everyone's own, whatever their roles. Mutations are POST only (a GET answers 405).


def _safe_url(request, url: str | None) -> str | None:
    """The URL if it stays on this site; links and `next` are ours, but a redirect is never open."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


@login_required
def notification_list(request):
    unread_only = request.GET.get("show") == "unread"
    queryset = selectors.notification_list(user=request.user, unread_only=unread_only)
    page = Paginator(queryset, NOTIFICATION_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "members/notification_list.html",
        {"page": page, "query": query.urlencode(), "unread_only": unread_only},
    )


@login_required
@require_POST
def notification_open(request, pk):
    """Clicking a notice: it is read now, and the reader goes to its subject."""
    notification = selectors.notification_get(user=request.user, pk=pk)
    notifications.notification_mark_read(notification=notification, actor=request.user)
    return redirect(_safe_url(request, notification.link) or "notifications:list")


@login_required
@require_POST
def notification_read(request, pk):
    notification = selectors.notification_get(user=request.user, pk=pk)
    notifications.notification_mark_read(notification=notification, actor=request.user)
    return redirect(_safe_url(request, request.POST.get("next")) or "notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    count = notifications.notification_mark_all_read(actor=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked as read.", "%(count)d notifications marked as read.", count
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("There were no unread notifications."))
    return redirect(_safe_url(request, request.POST.get("next")) or "notifications:list")
