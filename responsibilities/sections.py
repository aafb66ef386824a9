"""This app's parts of the member page (the checklist card and the records) and of the home page."""

from django.template.loader import render_to_string

from members import permissions

from . import selectors
from .models import Checklist


def member_checklist(request, member) -> str:
    user = request.user
    rows = selectors.member_rows(user=user, member=member)
    history = selectors.member_history(user=user, member=member)
    if not rows and not any(history.values()):
        return ""
    grouped = selectors.items_by_checklist()
    cards = []
    for row in rows:
        checklists = (
            (Checklist.ORIGIN, Checklist.MEMBER) if row.kind == "outflow" else (Checklist.DESTINATION,)
        )
        cards.append(
            {
                "row": row,
                "groups": [
                    (Checklist(c).label, [(item, row.results.get(item.code)) for item in grouped[c]])
                    for c in checklists
                ],
            }
        )
    return render_to_string(
        "responsibilities/_member_section.html",
        {
            "member": member,
            "cards": cards,
            "history": history,
            "can_record": permissions.can(user, "record_about_member", member),
            "can_convert": permissions.can(user, "record_conversion", member)
            and member.standing == "probationary",
            "is_staff_view": permissions.scope_for(user).is_staff_role,
            "has_inflow": any(r.kind == "inflow" for r in rows),
        },
        request=request,
    )


def home_checklist(request) -> str:
    scope = permissions.scope_for(request.user)
    if scope.is_staff_role:
        if not selectors.live_compliance_allowed(user=request.user):
            # Computing every member's checklist takes seconds at province scale: the home page links instead.
            return render_to_string(
                "responsibilities/_home_section.html", {"too_many": True}, request=request
            )
        summaries = selectors.overview(user=request.user)
        totals = {"met": 0, "due": 0, "overdue": 0, "exempt": 0}
        for summary in summaries:
            for key in totals:
                totals[key] += summary.totals[key]
        return render_to_string(
            "responsibilities/_home_section.html",
            {"totals": totals, "summaries": summaries},
            request=request,
        )
    if scope.is_member:
        return render_to_string("responsibilities/_home_member.html", {}, request=request)
    return ""
