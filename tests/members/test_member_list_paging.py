"""The member list at province scale: a capped count, numbered pages up to the cap, keyset pages after it;
search by name prefix (short input), name part, number or phone ending."""

import re

import pytest
from django.urls import reverse

from members import views
from members.models import Member
from tests.factories import MemberFactory


@pytest.fixture
def many_members(cast):
    for i in range(70):
        MemberFactory(branch=cast["branch_b0"], secondary=cast["org_b"], number=f"P{i:04d}", name=f"测试{i}")


def test_past_the_cap_the_list_says_more_than_and_goes_on_by_keyset(as_user, many_members, monkeypatch):
    monkeypatch.setattr(views, "MEMBER_COUNT_CAP", 50)
    client = as_user("orgdept")
    first = client.get(reverse("members:list"))
    assert "50" in first.content.decode() and first.context["page"].paginator.count_capped
    seen = [m.number for m in first.context["page"]]
    last = client.get(reverse("members:list"), {"page": 2})
    seen += [m.number for m in last.context["page"]]
    assert not last.context["page"].has_next() and last.context["page"].next_after == seen[-1]
    link = re.search(r'href="\?(after=[^"]+)"', last.content.decode()).group(1)
    while link:
        response = client.get(reverse("members:list") + "?" + link.replace("&amp;", "&"))
        assert response.context["page"].is_keyset
        seen += [m.number for m in response.context["page"]]
        found = re.search(r'href="\?(after=[^"]+)"', response.content.decode())
        link = found.group(1) if found else None
    everyone = sorted(
        views.selectors.member_list(user=response.wsgi_request.user, params={}).qs.values_list(
            "number", flat=True
        )
    )
    assert seen == everyone


def test_under_the_cap_the_count_is_exact(as_user, many_members):
    page = as_user("orgdept").get(reverse("members:list")).context["page"]
    assert not page.paginator.count_capped and page.paginator.count >= 70


def test_short_input_finds_names_that_start_with_it(as_user, cast):
    MemberFactory(branch=cast["branch_b0"], secondary=cast["org_b"], name="王伟")
    MemberFactory(branch=cast["branch_b0"], secondary=cast["org_b"], name="王伟明")
    MemberFactory(branch=cast["branch_b0"], secondary=cast["org_b"], name="李王伟")
    client = as_user("orgdept")
    names = {m.name for m in client.get(reverse("members:list"), {"q": "王伟"}).context["page"]}
    assert names == {"王伟", "王伟明"}
    names = {m.name for m in client.get(reverse("members:list"), {"q": "王伟明"}).context["page"]}
    assert names == {"王伟明"}
    names = {m.name for m in client.get(reverse("members:list"), {"q": "李王伟"}).context["page"]}
    assert names == {"李王伟"}


def test_three_characters_find_any_part_of_a_name_or_a_phone_ending(as_user, cast):
    MemberFactory(branch=cast["branch_b0"], secondary=cast["org_b"], name="欧阳王伟明", phone="13912345678")
    client = as_user("orgdept")
    assert [m.name for m in client.get(reverse("members:list"), {"q": "王伟明"}).context["page"]] == [
        "欧阳王伟明"
    ]
    assert [m.name for m in client.get(reverse("members:list"), {"q": "5678"}).context["page"]] == [
        "欧阳王伟明"
    ]


def test_mobile_members_are_counted_exactly_whatever_the_cap(as_user, cast, monkeypatch):
    """The dashboard's member figures link to mobile-member lists: those lists always equal the figures."""
    monkeypatch.setattr(views, "MEMBER_COUNT_CAP", 2)
    for i in range(5):
        MemberFactory(
            branch=cast["branch_b0"], secondary=cast["org_b"], mobility_reason="secondment", name=f"流{i}"
        )
    client = as_user("orgdept")
    page = client.get(reverse("members:list"), {"mobile": "true"}).context["page"]
    assert page.paginator.count == Member.objects.exclude(mobility_reason="").count() >= 5
    assert not page.paginator.count_capped
    assert client.get(reverse("members:list")).context["page"].paginator.count_capped
