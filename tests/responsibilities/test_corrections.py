"""Correcting a record about a member (a wrong date, a typo): the same checks as writing it, and the audit
trail keeps what it said before."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from members.models import User
from responsibilities import services
from responsibilities.models import ContactLog


@pytest.fixture
def contact(cast, sec_a, today):
    return services.contact_record(
        actor=sec_a,
        member=cast["members"]["a1_member"],
        data={
            "contacted_on": today,
            "method": "phone",
            "with_whom": "本人",
            "learnt": "表现良好，按时参加组织生活",
        },
    )


def _form(contact, **changes):
    data = {
        "contacted_on": contact.contacted_on.isoformat(),
        "method": contact.method,
        "with_whom": contact.with_whom,
        "learnt": contact.learnt,
    }
    return {**data, **changes}


def test_a_secretary_corrects_a_contact_from_the_member_page(cast, as_user, contact, today):
    client = as_user("sec_a")
    member = cast["members"]["a1_member"]
    page = client.get(member.get_absolute_url()).content.decode()
    url = reverse("responsibilities:record_edit", args=["contact", contact.pk])
    assert f'href="{url}"' in page

    form = client.get(url)
    assert form.status_code == 200 and "表现良好，按时参加组织生活" in form.content.decode()
    yesterday = today - timedelta(days=1)
    response = client.post(
        url, _form(contact, contacted_on=yesterday.isoformat(), learnt="表现良好，已按时交纳党费")
    )
    assert response.status_code == 302 and response["Location"].endswith("#checklist")
    contact.refresh_from_db()
    assert contact.contacted_on == yesterday and contact.learnt == "表现良好，已按时交纳党费"
    entry = LogEntry.objects.get_for_object(contact).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == User.objects.get(username="sec_a")
    assert entry.changes_dict["learnt"] == ["表现良好，按时参加组织生活", "表现良好，已按时交纳党费"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"learnt": "  "}, "这个字段是必填项"), ({"contacted_on": "2999-01-01"}, "不能晚于今天")],
    ids=["nothing-learnt", "future-date"],
)
def test_a_correction_gets_the_same_checks_and_changes_nothing_when_refused(
    cast, as_user, contact, changes, message
):
    url = reverse("responsibilities:record_edit", args=["contact", contact.pk])
    response = as_user("sec_a").post(url, _form(contact, **changes))
    assert response.status_code == 200
    before = ContactLog.objects.get(pk=contact.pk)
    assert before.learnt == contact.learnt and before.contacted_on == contact.contacted_on
    assert not LogEntry.objects.get_for_object(contact).filter(action=LogEntry.Action.UPDATE).exists()
    assert message in response.content.decode()


def test_what_a_member_reported_is_not_corrected_by_the_organisation(cast, as_user, today):
    member_user = User.objects.get(username="member_a")
    activity = services.member_role_activity(
        actor=member_user, data={"kind": "volunteering", "held_on": today, "description": "社区志愿服务"}
    )
    url = reverse("responsibilities:record_edit", args=["role_activity", activity.pk])
    assert as_user("sec_a").get(url).status_code == 403
    page = as_user("sec_a").get(activity.member.get_absolute_url()).content.decode()
    assert f'href="{url}"' not in page


def test_records_with_a_second_step_or_side_effects_are_not_corrected_here(cast, as_user, contact):
    for kind in ("dues", "conversion", "evaluation", "supervision", "nonsense"):
        assert (
            as_user("sec_a").get(reverse("responsibilities:record_edit", args=[kind, 1])).status_code == 404
        )
    # The wrong kind for the record: the contact is not a care visit.
    url = reverse("responsibilities:record_edit", args=["care_visit", contact.pk])
    assert as_user("sec_a").get(url).status_code == 404


def test_the_service_refuses_someone_outside_the_members_organisation(cast, contact, sec_b, today):
    with pytest.raises(services.ChecklistError):
        services.record_correct(
            actor=sec_b, kind="contact", record=contact, data={"learnt": "改写", "contacted_on": today}
        )
