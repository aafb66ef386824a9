"""Recording reads of personal data (PIPL Art. 28). One call per read; cheap (one insert)."""

from allauth.account.adapter import get_adapter

from .models import AccessAction, AccessLog


def _ip(request) -> str | None:
    try:
        return get_adapter(request).get_client_ip(
            request
        )  # honours TRUSTED_PROXY_COUNT, like the rate limits
    except Exception:  # noqa: BLE001 (a malformed header must not stop the page)
        return None


def log_access(request, *, action: str, member=None, what: str = "") -> AccessLog:
    return AccessLog.objects.create(
        user=request.user if request.user.is_authenticated else None,
        action=action,
        member=member,
        what=what[:300],
        ip=_ip(request),
    )


def log_member_view(request, member) -> AccessLog:
    return log_access(request, action=AccessAction.VIEW_MEMBER, member=member)
