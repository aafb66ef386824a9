"""The fixed cast of every permission test: the demo organisations and accounts, plus an outsider."""

import os

import pytest

from members.demo import loader
from members.models import Branch, Member, SecondaryOrganization
from tests.factories import MemberFactory, UserFactory

ROLES = ["anonymous", "orgdept", "sec_a", "sec_b", "branch_a1", "member_a", "norole"]


@pytest.fixture
def divisions(db):
    """The GB/T 2260 divisions: loaded by a migration, but gone after a transactional test's flush."""
    from registrations.divisions import refresh_divisions
    from registrations.models import Division

    if not Division.objects.filter(pk="511102").exists():
        refresh_divisions()
    return Division.objects


@pytest.fixture
def cast(db, divisions):
    """Organisations S01 (sec_a's, with branch_a1's branch) and S02 (sec_b's), and every demo account."""
    orgs = loader.load_organizations()
    loader.load_accounts(orgs)
    org_a, org_b = orgs["S01"], orgs["S02"]
    branch_a0, branch_a1 = list(org_a.branches.order_by("code"))[:2]
    branch_b0 = org_b.branches.order_by("code").first()
    members = {
        "a1_member": MemberFactory(branch=branch_a1, secondary=org_a, name="甲一党员"),
        "a0_member": MemberFactory(branch=branch_a0, secondary=org_a, name="甲零党员"),
        "b_member": MemberFactory(branch=branch_b0, secondary=org_b, name="乙党员"),
        "member_a": Member.objects.get(user__username="member_a"),
    }
    UserFactory(username="norole")
    return {
        "org_a": org_a,
        "org_b": org_b,
        "branch_a0": branch_a0,
        "branch_a1": branch_a1,
        "branch_b0": branch_b0,
        "members": members,
    }


@pytest.fixture
def login(client):
    """Log the client in as one of the cast (or leave it anonymous)."""
    from members.models import User

    def _login(role: str):
        if role != "anonymous":
            client.force_login(User.objects.get(username=role))
        return client

    return _login


@pytest.fixture
def as_user(client):
    def _as(username: str):
        from members.models import User

        client.force_login(User.objects.get(username=username))
        return client

    return _as


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture
def redis_url():
    """Tests that need Redis use REDIS_URL, or the local default. Under CI=true a missing service fails the
    test; elsewhere (a laptop without Redis) the test is skipped."""
    import redis

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as exc:
        if in_ci():
            pytest.fail(f"Redis is required under CI and is not reachable at {url}: {exc}")
        pytest.skip(f"Redis not reachable at {url}")
    return url


__all__ = ["ROLES", "Branch", "SecondaryOrganization"]


@pytest.fixture(autouse=True)
def _fresh_content_type_cache():
    """A transactional test's flush recreates the content types with new ids; a cache kept from before would
    point audit entries and notifications at rows that no longer exist."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
