"""Every URL x every role: 302 to log in, 200, 403 (in scope, no right) or 404 (out of scope)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import ROLES

OK, LOGIN, FORBIDDEN, MISSING = 200, 302, 403, 404


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
    "admin:index": (
        lambda c: reverse("admin:index"),
        _row(LOGIN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ),
}

CASES = [(name, role) for name in MATRIX for role in ROLES]


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_each_role_gets_the_right_answer_from_each_url(cast, login, name, role):
    build, expected = MATRIX[name]
    response = login(role).get(build(cast), follow=name.startswith("admin:"))
    if name.startswith("admin:") and expected[role] == LOGIN:
        # The admin sends strangers through its own login view, which hands over to allauth.
        assert response.request["PATH_INFO"] == reverse("account_login")
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
