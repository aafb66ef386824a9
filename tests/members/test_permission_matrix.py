"""Every URL x every role: 302 to log in, 200, 403 (in scope, no right) or 404 (out of scope).

Rows are GETs; a row whose name has "(POST" in it posts instead (mutating URLs: their GET row answers 405).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import ROLES

OK, LOGIN, FORBIDDEN, MISSING, NOT_ALLOWED = 200, 302, 403, 404, 405
DONE = "redirect"  # a POST that did its work and redirected somewhere other than the login page


def _notice_of_member_a(cast) -> int:
    """A notification addressed to member_a: only member_a may act on it, the organisation department included."""
    from members.models import User
    from tests.factories import NotificationFactory

    return NotificationFactory(recipient=User.objects.get(username="member_a"), link="/members/").pk


def _row(anonymous, orgdept, sec_a, sec_b, branch_a1, member_a, norole):
    return dict(zip(ROLES, [anonymous, orgdept, sec_a, sec_b, branch_a1, member_a, norole], strict=True))


# name -> (function building the URL from the cast, expected status per role)
MATRIX = {
    "home": (lambda c: reverse("home"), _row(LOGIN, OK, OK, OK, OK, OK, OK)),
    "members:list": (lambda c: reverse("members:list"), _row(LOGIN, OK, OK, OK, OK, FORBIDDEN, FORBIDDEN)),
    "members:organizations": (
        lambda c: reverse("members:organizations"),
        _row(LOGIN, OK, OK, OK, OK, FORBIDDEN, FORBIDDEN),
    ),
    "members:create": (
        lambda c: reverse("members:create"),
        _row(LOGIN, OK, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ),
    "members:detail": (
        lambda c: reverse("members:detail", args=[c["members"]["a1_member"].pk]),
        _row(LOGIN, OK, OK, MISSING, OK, MISSING, MISSING),
    ),
    "members:detail (own record)": (
        lambda c: reverse("members:detail", args=[c["members"]["member_a"].pk]),
        _row(LOGIN, OK, OK, MISSING, MISSING, OK, MISSING),
    ),
    "members:edit": (
        lambda c: reverse("members:edit", args=[c["members"]["a1_member"].pk]),
        _row(LOGIN, OK, OK, MISSING, FORBIDDEN, MISSING, MISSING),
    ),
    "notifications:list": (
        lambda c: reverse("notifications:list"),
        _row(LOGIN, OK, OK, OK, OK, OK, OK),
    ),
    "notifications:open": (
        lambda c: reverse("notifications:open", args=[_notice_of_member_a(c)]),
        _row(LOGIN, *[NOT_ALLOWED] * 6),
    ),
    "notifications:open (POST, member_a's notice)": (
        lambda c: reverse("notifications:open", args=[_notice_of_member_a(c)]),
        _row(LOGIN, MISSING, MISSING, MISSING, MISSING, DONE, MISSING),
    ),
    "notifications:read": (
        lambda c: reverse("notifications:read", args=[_notice_of_member_a(c)]),
        _row(LOGIN, *[NOT_ALLOWED] * 6),
    ),
    "notifications:read (POST, member_a's notice)": (
        lambda c: reverse("notifications:read", args=[_notice_of_member_a(c)]),
        _row(LOGIN, MISSING, MISSING, MISSING, MISSING, DONE, MISSING),
    ),
    "notifications:read_all": (
        lambda c: reverse("notifications:read_all"),
        _row(LOGIN, *[NOT_ALLOWED] * 6),
    ),
    "notifications:read_all (POST)": (
        lambda c: reverse("notifications:read_all"),
        _row(LOGIN, DONE, DONE, DONE, DONE, DONE, DONE),
    ),
    "admin:index": (
        lambda c: reverse("admin:index"),
        _row(LOGIN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ),
}

CASES = [(name, role) for name in MATRIX for role in ROLES]


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_each_role_gets_the_right_answer_from_each_url(cast, login, name, role):
    build, expected = MATRIX[name]
    if "(POST" in name:
        response = login(role).post(build(cast))
    else:
        response = login(role).get(build(cast), follow=name.startswith("admin:"))
    if name.startswith("admin:") and expected[role] == LOGIN:
        # The admin sends strangers through its own login view, which hands over to allauth.
        assert response.request["PATH_INFO"] == reverse("account_login")
        return
    if expected[role] == DONE:
        assert response.status_code == 302
        assert not response["Location"].startswith(reverse("account_login"))
        return
    assert response.status_code == expected[role]
    if expected[role] == LOGIN:
        assert response["Location"].startswith(reverse("account_login"))


def _our_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if (
                entry.namespace in {"admin"}
                or "allauth" in str(entry.urlconf_name)
                or entry.app_name == "djdt"
            ):
                continue
            if str(entry.pattern).startswith("i18n"):
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _our_url_names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name and not str(entry.pattern).startswith("__errors__"):
            yield f"{namespace}{entry.name}"


def test_the_matrix_covers_every_url_of_ours():
    covered = {name.split(" ")[0] for name in MATRIX}
    missing = sorted(set(_our_url_names()) - covered)
    assert missing == [], f"add these URLs to the permission matrix: {missing}"
