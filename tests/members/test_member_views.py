"""Secretaries add and change members through the browser forms; every change is audited."""

import pytest
from django.urls import reverse

from members.models import Member


def form_data(cast, **overrides):
    data = {
        "name": "赵新",
        "gender": "male",
        "number": "T0109999",
        "category": "teacher",
        "secondary": cast["org_a"].pk,
        "branch": cast["branch_a0"].pk,
        "origin_organization": "",
        "phone": "13900001111",
        "email": "zhaoxin@example.edu.cn",
        "id_number": "",
        "standing": "full",
        "joined_on": "2012-07-01",
        "converted_on": "",
        "mobility_reason": "",
        "exempt_reason": "",
        "whereabouts_unknown_since": "",
        "whereabouts_unknown_cause": "",
        "whereabouts_note": "",
    }
    data.update(overrides)
    return data


def test_a_secretary_adds_a_member_to_their_organisation(as_user, cast):
    response = as_user("sec_a").post(reverse("members:create"), form_data(cast))
    member = Member.objects.get(number="T0109999")
    assert response.status_code == 302 and response["Location"] == member.get_absolute_url()
    assert member.secondary == cast["org_a"]


def test_a_secretary_cannot_add_a_member_to_another_organisation(as_user, cast):
    response = as_user("sec_b").post(reverse("members:create"), form_data(cast))
    assert response.status_code == 200
    assert "secondary" in response.context["form"].errors
    assert not Member.objects.filter(number="T0109999").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"id_number": "110105194912310021"}, "id_number", "校验"),
        ({"branch": "", "origin_organization": ""}, "origin_organization", "支部"),
        ({"standing": "probationary", "joined_on": ""}, "joined_on", "预备党员"),
        ({"is_exempt": "on", "exempt_reason": ""}, "exempt_reason", "原因"),
        ({"whereabouts_unknown": "on"}, "whereabouts_unknown_since", "日期"),
        ({"phone": "电话号码"}, "phone", "数字"),
    ],
)
def test_bad_input_gets_a_chinese_message_and_writes_nothing(as_user, cast, overrides, field, words):
    response = as_user("sec_a").post(reverse("members:create"), form_data(cast, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors or "__all__" in errors, errors
    assert words in str(errors)
    assert not Member.objects.filter(number="T0109999").exists()


def test_a_duplicate_number_is_refused(as_user, cast):
    existing = cast["members"]["a0_member"]
    response = as_user("sec_a").post(reverse("members:create"), form_data(cast, number=existing.number))
    assert "number" in response.context["form"].errors


def test_an_edit_is_audited_and_shown_in_the_history(as_user, cast):
    member = cast["members"]["a1_member"]
    client = as_user("sec_a")
    data = form_data(
        cast, name=member.name, number=member.number, branch=cast["branch_a1"].pk, phone="13711112222"
    )
    response = client.post(reverse("members:edit", args=[member.pk]), data)
    assert response.status_code == 302
    page = client.get(member.get_absolute_url())
    history = list(page.context["history"])
    assert history[0].actor.username == "sec_a"
    assert "phone" in history[0].changes_dict
    assert "137****2222" in page.content.decode()


def test_the_id_number_is_never_sent_back_to_the_browser(as_user, cast):
    member = cast["members"]["a1_member"]
    member.id_number = "11010519491231002X"
    member.save()
    page = as_user("sec_a").get(reverse("members:edit", args=[member.pk])).content.decode()
    assert "11010519491231002X" not in page
    assert "110105********002X" in page


def test_leaving_the_id_number_blank_keeps_it(as_user, cast):
    member = cast["members"]["a1_member"]
    member.id_number = "11010519491231002X"
    member.save()
    data = form_data(cast, name=member.name, number=member.number, branch=cast["branch_a1"].pk)
    as_user("sec_a").post(reverse("members:edit", args=[member.pk]), data)
    assert Member.objects.get(pk=member.pk).id_number == "11010519491231002X"


def test_search_finds_by_name_and_number(as_user, cast):
    client = as_user("orgdept")
    member = cast["members"]["b_member"]
    for q in (member.name, member.number):
        names = [m.name for m in client.get(reverse("members:list"), {"q": q}).context["page"]]
        assert names == [member.name]


def test_pages_are_in_chinese_by_default(as_user, cast):
    page = as_user("sec_a").get(reverse("members:list")).content.decode()
    assert "党员" in page and "二级党组织" in page


def test_an_english_browser_still_gets_chinese_until_english_is_chosen(as_user, cast):
    client = as_user("sec_a")
    page = client.get(reverse("members:list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "二级党组织" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("members:list")).content.decode()
    assert "Secondary organisation" in page
