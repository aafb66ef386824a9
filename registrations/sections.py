"""This app's parts of the member page and the home page (registered in apps.py)."""

from django.template.loader import render_to_string

from members import permissions

from . import selectors


def member_registrations(request, member) -> str:
    user = request.user
    return render_to_string(
        "registrations/_member_section.html",
        {
            "member": member,
            "outflows": selectors.outflows_for(user)
            .filter(member=member)
            .select_related("destination_county"),
            "inflows": selectors.inflows_for(user).filter(member=member).select_related("origin_county"),
            "can_change": permissions.can(user, "change_member", member),
            "has_open_outflow": member.outflows.exclude(state="ended").exists(),
        },
        request=request,
    )


def home_counters(request) -> str:
    scope = permissions.scope_for(request.user)
    if not scope.is_staff_role:
        return ""
    return render_to_string(
        "registrations/_home_section.html",
        {
            "counters": selectors.intake_counters(user=request.user),
            "unknown_count": selectors.unknown_whereabouts_queue(user=request.user).count()
            if scope.all
            else None,
        },
        request=request,
    )
