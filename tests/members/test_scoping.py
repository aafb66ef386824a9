"""Object-level scoping: another organisation's objects do not exist for a secretary."""

import pytest
from django.urls import reverse

from members import permissions
from members.models import Member
from tests.factories import MemberFactory


@pytest.fixture
def a_members(cast):
    extra = [MemberFactory(branch=cast["branch_a0"], secondary=cast["org_a"]) for _ in range(3)]
    return list(Member.objects.filter(secondary=cast["org_a"])) + extra


def test_sec_b_gets_404_for_every_member_of_sec_a(as_user, a_members):
    client = as_user("sec_b")
    for member in set(a_members):
        for url in (reverse("members:detail", args=[member.pk]), reverse("members:edit", args=[member.pk])):
            assert client.get(url).status_code == 404, url
        assert client.post(reverse("members:edit", args=[member.pk]), {"name": "x"}).status_code == 404


def test_sec_b_never_sees_sec_a_members_in_lists_or_searches(as_user, cast):
    client = as_user("sec_b")
    for params in ({}, {"q": "甲一党员"}, {"secondary": cast["org_a"].pk}, {"branch": cast["branch_a1"].pk}):
        response = client.get(reverse("members:list"), params)
        names = [m.name for m in response.context["page"]]
        assert "甲一党员" not in names
        assert all(m.secondary_id == cast["org_b"].pk for m in response.context["page"])


def test_a_branch_secretary_sees_only_their_branch(cast):
    from members.models import User

    visible = permissions.members_for(User.objects.get(username="branch_a1"))
    assert set(visible.values_list("branch_id", flat=True)) == {cast["branch_a1"].pk}


def test_a_member_sees_only_their_own_record(cast):
    from members.models import User

    user = User.objects.get(username="member_a")
    assert list(permissions.members_for(user)) == [cast["members"]["member_a"]]


def test_an_outsider_sees_nothing(cast):
    from members.models import User

    user = User.objects.get(username="norole")
    assert permissions.members_for(user).count() == 0
    assert permissions.organizations_for(user).count() == 0


def test_one_person_may_hold_several_roles(cast):
    from members.models import Role, RoleAssignment, User

    user = User.objects.get(username="sec_b")
    RoleAssignment.objects.create(user=user, role=Role.BRANCH_SECRETARY, branch=cast["branch_a1"])
    visible = set(
        permissions.members_for(User.objects.get(pk=user.pk)).values_list("secondary_id", "branch_id")
    )
    assert (cast["org_a"].pk, cast["branch_a1"].pk) in visible
    assert (cast["org_a"].pk, cast["branch_a0"].pk) not in visible
    assert any(secondary == cast["org_b"].pk for secondary, _ in visible)


def test_the_member_list_takes_the_same_number_of_queries_at_two_sizes(
    as_user, cast, django_assert_max_num_queries
):
    client = as_user("orgdept")
    client.get(reverse("members:list"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("members:list"))
    for _ in range(30):
        MemberFactory(branch=cast["branch_a0"], secondary=cast["org_a"])
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("members:list"))
    assert len(small) == len(large)
