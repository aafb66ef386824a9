"""This app's transfer and retention parts of the member page and the home page (registered in apps.py)."""

from django.template.loader import render_to_string
from django.utils import timezone

from members import permissions

from . import transfer_selectors


def member_transfers(request, member) -> str:
    user = request.user
    transfers = list(transfer_selectors.member_transfers(user=user, member=member))
    retentions = list(transfer_selectors.member_retentions(user=user, member=member))
    today = timezone.localdate()
    return render_to_string(
        "registrations/_transfer_member_section.html",
        {
            "member": member,
            "transfers": transfers,
            "retentions": retentions,
            "today": today,
            "can_add": permissions.can(user, "change_member", member),
            "has_open_transfer": any(t.is_open for t in transfers),
            "has_active_retention": any(r.state == "active" for r in retentions),
        },
        request=request,
    )


def home_counters(request) -> str:
    if not permissions.scope_for(request.user).is_staff_role:
        return ""
    return render_to_string(
        "registrations/_transfer_home_section.html",
        {"counters": transfer_selectors.transfer_counters(user=request.user)},
        request=request,
    )
