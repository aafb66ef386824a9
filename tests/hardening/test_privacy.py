"""Privacy (PIPL Art. 28): masking by default, revealing only by the organisation department and logged, reads of
personal pages logged, retention."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from members.models import AccessLog, Member
from registrations import services
from registrations.retention import ANONYMISED
from tests.factories import MemberFactory

ID = "11010519491231002X"


@pytest.fixture
def member(cast):
    m = cast["members"]["a1_member"]
    m.phone, m.id_number = "13812345678", ID
    m.save()
    return m


@pytest.mark.parametrize("username", ["orgdept", "sec_a", "branch_a1"])
def test_phones_and_id_numbers_are_masked_by_default_for_everyone(as_user, member, username):
    client = as_user(username)
    for url in (member.get_absolute_url(), reverse("members:list")):
        page = client.get(url).content.decode()
        assert "13812345678" not in page and ID not in page
    assert "138****5678" in client.get(member.get_absolute_url()).content.decode()


def test_the_edit_form_does_not_send_the_phone_to_a_secretary(as_user, member):
    page = as_user("sec_a").get(reverse("members:edit", args=[member.pk])).content.decode()
    assert "13812345678" not in page and "138****5678" in page


def test_only_the_organisation_department_reveals_and_it_is_logged(as_user, member):
    response = as_user("orgdept").post(reverse("members:reveal", args=[member.pk]))
    page = response.content.decode()
    assert "13812345678" in page and ID in page
    entry = AccessLog.objects.get(action="reveal")
    assert (entry.user.username, entry.member) == ("orgdept", member)
    assert as_user("sec_a").post(reverse("members:reveal", args=[member.pk])).status_code == 403
    assert AccessLog.objects.filter(action="reveal").count() == 1


def test_every_read_of_a_members_page_is_logged_and_reviewable(as_user, member):
    as_user("sec_a").get(member.get_absolute_url())
    as_user("branch_a1").get(member.get_absolute_url())
    entries = list(AccessLog.objects.filter(action="view_member").values_list("user__username", "member"))
    assert sorted(entries) == [("branch_a1", member.pk), ("sec_a", member.pk)]
    page = as_user("orgdept").get(reverse("members:access_log"), {"user": "sec_a"})
    assert [e.user.username for e in page.context["page"]] == ["sec_a"]
    assert as_user("sec_a").get(reverse("members:access_log")).status_code == 403


def test_a_chinese_privacy_page_says_what_is_collected_and_why(client, db):
    page = client.get(reverse("privacy")).content.decode()
    assert "收集哪些信息" in page and "为什么收集" in page and "第二十八条" in page


def test_the_retention_command_anonymises_ended_records_older_than_the_limit(
    cast, make_inflow, make_outflow, today
):
    old = make_outflow("ended")
    recent = make_outflow("ended", member=MemberFactory(branch=cast["branch_a0"], secondary=cast["org_a"]))
    type(old).objects.filter(pk=old.pk).update(ended_on=today - timedelta(days=6 * 366))
    inflow = make_inflow("ended")
    type(inflow).objects.filter(pk=inflow.pk).update(ended_on=today - timedelta(days=6 * 366))
    call_command("anonymise_ended_records", "--years", "5")
    old.refresh_from_db(), recent.refresh_from_db(), inflow.refresh_from_db()
    assert old.contact_phone == "" and old.state == "ended" and old.registered_on is not None
    assert recent.contact_phone == "13900001111"
    assert Member.objects.get(pk=inflow.member_id).name == ANONYMISED
    assert Member.objects.get(pk=old.member_id).name != ANONYMISED  # our own member stays
    call_command("anonymise_ended_records", "--years", "5")  # idempotent


def test_a_member_with_an_open_record_is_never_anonymised(cast, make_inflow, sec_a, today, inflow_data):
    inflow = make_inflow("ended")
    type(inflow).objects.filter(pk=inflow.pk).update(ended_on=today - timedelta(days=6 * 366))
    services.inflow_create(actor=sec_a, secondary=cast["org_a"], data=inflow_data(), member=inflow.member)
    call_command("anonymise_ended_records", "--years", "5")
    assert Member.objects.get(pk=inflow.member_id).name != ANONYMISED


def test_timestamps_are_aware(member):
    assert timezone.is_aware(AccessLog(at=timezone.now()).at)


def test_every_export_is_logged(as_user, member, make_outflow):
    make_outflow("registered", member=member)
    response = as_user("sec_a").get(reverse("exports:export", args=["outflows"]), {"state": "registered"})
    assert response.status_code == 200
    entry = AccessLog.objects.get(action="export")
    assert entry.user.username == "sec_a" and "state=registered" in entry.what
