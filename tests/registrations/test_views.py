"""The registrations as people use them, through the test client."""

from datetime import timedelta

import pytest
from django.urls import reverse

from registrations.models import ChangeReport, InflowRegistration, OutflowRegistration


def outflow_form(person, today, **overrides):
    data = {
        "member": person.number,
        "registered_on": today.isoformat(),
        "contact_phone": "13900001111",
        "destination_unit": "四川大学",
        "has_fixed_unit": "on",
        "unit_has_party_org": "True",
        "destination_org_name": "四川大学文学院教工党支部",
        "destination_org_kind": "unit",
        "destination_county_province": "510000",
        "destination_county_city": "510100",
        "destination_county": "510107",
        "departure_on": (today - timedelta(days=2)).isoformat(),
        "expected_return_on": "",
        "reason": "degree_study",
        "paired_contact": "李老师",
        "register": "1",
    }
    data.update(overrides)
    return data


def test_a_secretary_registers_an_outflow_and_sees_its_due_date(as_user, cast, today):
    client = as_user("sec_a")
    member = cast["members"]["a1_member"]
    response = client.post(reverse("registrations:outflow_create"), outflow_form(member, today))
    outflow = OutflowRegistration.objects.get(member=member)
    assert response.status_code == 302
    assert outflow.state == "registered" and outflow.due_on == today + timedelta(days=30)
    page = client.get(outflow.get_absolute_url()).content.decode()
    due = outflow.due_on
    assert f"{due.year}年{due.month}月{due.day}日" in page and "剩余 30 天" in page


def test_saving_a_draft_does_not_start_the_clock(as_user, cast, today):
    data = outflow_form(cast["members"]["a1_member"], today, destination_county="")
    data.pop("register")
    data["draft"] = "1"
    as_user("sec_a").post(reverse("registrations:outflow_create"), data)
    outflow = OutflowRegistration.objects.get()
    assert outflow.state == "draft" and outflow.due_on is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"destination_county": "511100"}, "请从列表中选择县（市、区）"),
        ({"destination_county": "999999"}, "请从列表中选择"),
        ({"expected_return_on": "2000-01-01"}, "外出时间晚于预计返回时间"),
        ({"registered_on": "2999-01-01"}, "不能晚于今天"),
        ({"member": "NOSUCH"}, "没有工号/学号为 NOSUCH 的党员"),
        ({"paired_contact": ""}, "结对联系人"),
    ],
)
def test_bad_outflow_input_is_explained_in_chinese_and_nothing_is_saved(
    as_user, cast, today, overrides, message
):
    response = as_user("sec_a").post(
        reverse("registrations:outflow_create"),
        outflow_form(cast["members"]["a1_member"], today, **overrides),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not OutflowRegistration.objects.exists()


def test_a_secretary_cannot_register_another_organisations_member(as_user, cast, today):
    response = as_user("sec_b").post(
        reverse("registrations:outflow_create"), outflow_form(cast["members"]["a1_member"], today)
    )
    assert "没有工号/学号为" in response.content.decode()
    assert not OutflowRegistration.objects.exists()


def test_a_second_open_outflow_is_refused_through_the_form(as_user, cast, today, make_outflow):
    make_outflow("registered")
    response = as_user("sec_a").post(
        reverse("registrations:outflow_create"), outflow_form(cast["members"]["a1_member"], today)
    )
    assert "已有未结束的流出登记" in response.content.decode()
    assert OutflowRegistration.objects.count() == 1


def test_recording_intake_through_the_detail_page(as_user, make_outflow, today):
    outflow = make_outflow("reported")
    client = as_user("sec_a")
    response = client.post(
        reverse("registrations:outflow_action", args=[outflow.pk, "accept"]), {"accept-on": today.isoformat()}
    )
    assert response.status_code == 302
    outflow.refresh_from_db()
    assert outflow.state == "accepted" and outflow.clock().on_time
    assert "按时纳管" in client.get(outflow.get_absolute_url()).content.decode()


def test_an_illegal_step_through_the_page_is_refused_with_a_message(as_user, make_outflow, today):
    outflow = make_outflow("registered")
    response = as_user("sec_a").post(
        reverse("registrations:outflow_action", args=[outflow.pk, "accept"]), {"accept-on": today.isoformat()}
    )
    assert response.status_code == 400
    assert "现在不能接收纳管" in response.content.decode()
    outflow.refresh_from_db()
    assert outflow.state == "registered"


def test_a_refusal_without_reason_is_refused(as_user, make_outflow, today):
    outflow = make_outflow("reported")
    response = as_user("sec_a").post(
        reverse("registrations:outflow_action", args=[outflow.pk, "refuse"]),
        {"refuse-on": today.isoformat(), "refuse-reason": ""},
    )
    assert response.status_code == 400
    outflow.refresh_from_db()
    assert outflow.state == "reported"


def test_the_member_reports_departure_arrival_and_a_change_end_to_end(as_user, cast, today):
    member = cast["members"]["member_a"]
    client = as_user("member_a")
    response = client.post(
        reverse("registrations:me_departure"),
        {
            "destination_county_province": "500000",
            "destination_county_city": "500100",
            "destination_county": "500106",
            "destination_address": "沙坪坝区沙正街174号",
            "destination_unit": "重庆大学",
            "departure_on": today.isoformat(),
            "expected_return_on": (today + timedelta(days=365)).isoformat(),
            "contact_phone": "13900002222",
        },
    )
    assert response.status_code == 302
    outflow = OutflowRegistration.objects.get(member=member)
    assert outflow.state == "draft" and outflow.destination_county_id == "500106"
    assert "所在党组织正在完成登记" in client.get(reverse("registrations:me")).content.decode()

    # The secretary completes and registers the draft; the clock starts (cross-province: 60 days).
    secretary = as_user("sec_a")
    secretary.post(
        reverse("registrations:outflow_edit", args=[outflow.pk]),
        {
            **outflow_form(
                member,
                today,
                destination_county_province="500000",
                destination_county_city="500100",
                destination_county="500106",
                destination_unit="重庆大学",
                destination_org_name="重庆大学教育学院党支部",
                contact_phone="13900002222",
            ),
        },
    )
    secretary.post(
        reverse("registrations:outflow_action", args=[outflow.pk, "register"]),
        {"register-on": today.isoformat()},
    )
    outflow.refresh_from_db()
    assert outflow.state == "registered" and outflow.due_on == today + timedelta(days=60)

    client = as_user("member_a")
    client.post(
        reverse("registrations:me_arrival"),
        {"reported_on": today.isoformat(), "destination_org_name": "重庆大学教育学院党支部"},
    )
    outflow.refresh_from_db()
    assert outflow.state == "reported" and outflow.reported_on == today

    client.post(
        reverse("registrations:me_change"),
        {"kind": "employer", "effective_on": today.isoformat(), "new_unit": "重庆师范大学"},
    )
    report = ChangeReport.objects.get(member=member)
    page = client.get(reverse("registrations:me")).content.decode()
    assert "待审核" in page

    secretary = as_user("sec_a")
    assert report.pk in [
        r.pk for r in secretary.get(reverse("registrations:change_report_list")).context["page"]
    ]
    secretary.post(reverse("registrations:change_report_apply", args=[report.pk]))
    outflow.refresh_from_db()
    report.refresh_from_db()
    assert report.status == "applied" and outflow.destination_unit == "重庆师范大学"


def test_a_declined_report_shows_the_member_why(as_user, cast, today):
    as_user("member_a").post(
        reverse("registrations:me_change"),
        {"kind": "contact", "effective_on": today.isoformat(), "new_phone": "13911112222"},
    )
    report = ChangeReport.objects.get()
    secretary = as_user("sec_a")
    response = secretary.post(
        reverse("registrations:change_report_decline", args=[report.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    secretary.post(
        reverse("registrations:change_report_decline", args=[report.pk]), {"reason": "号码位数不对"}
    )
    page = as_user("member_a").get(reverse("registrations:me")).content.decode()
    assert "已退回" in page and "号码位数不对" in page


def test_a_change_report_needs_what_changed(as_user, cast, today):
    response = as_user("member_a").post(
        reverse("registrations:me_change"), {"kind": "location", "effective_on": today.isoformat()}
    )
    assert "请填写新的所在县" in response.content.decode()
    assert not ChangeReport.objects.exists()


def test_a_member_cannot_report_arrival_without_an_outflow(as_user, cast, today):
    response = as_user("member_a").post(
        reverse("registrations:me_arrival"),
        {"reported_on": today.isoformat(), "destination_org_name": "某支部"},
    )
    assert "请先进行行前报告" in response.content.decode()


def test_a_secretary_registers_an_inflow_of_a_new_person(as_user, cast, today):
    response = as_user("sec_a").post(
        reverse("registrations:inflow_create"),
        {
            "secondary": cast["org_a"].pk,
            "member": "",
            "new_name": "赵来",
            "new_gender": "male",
            "new_number": "X123",
            "new_category": "new_teacher",
            "new_phone": "13800001234",
            "origin_county_province": "430000",
            "origin_county_city": "430100",
            "origin_county": "430102",
            "origin_org_name": "中共湖南师范大学委员会",
            "origin_registered_on": (today - timedelta(days=5)).isoformat(),
            "source": "platform",
        },
    )
    assert response.status_code == 302
    inflow = InflowRegistration.objects.get()
    assert inflow.member.name == "赵来" and inflow.member.origin_organization == "中共湖南师范大学委员会"
    assert inflow.due_on == today + timedelta(days=55)


def test_an_inflow_without_a_person_is_refused(as_user, cast, today):
    response = as_user("sec_a").post(
        reverse("registrations:inflow_create"),
        {
            "secondary": cast["org_a"].pk,
            "origin_county": "430102",
            "origin_org_name": "外校",
            "origin_registered_on": today.isoformat(),
            "source": "platform",
        },
    )
    assert "请填写已有党员的工号/学号，或填写新党员的" in response.content.decode()
    assert not InflowRegistration.objects.exists()


def test_accepting_an_inflow_without_a_branch_is_refused_through_the_page(as_user, make_inflow, today):
    inflow = make_inflow("registered")
    response = as_user("sec_a").post(
        reverse("registrations:inflow_action", args=[inflow.pk, "accept"]),
        {"accept-on": today.isoformat(), "accept-branch": ""},
    )
    assert response.status_code == 400 and "请选择纳入管理的党支部" in response.content.decode()


def test_list_filters_and_home_counters_agree(as_user, make_outflow, cast, today):
    from tests.factories import MemberFactory

    make_outflow("registered", days_ago=40)  # overdue
    make_outflow(
        "registered", days_ago=25, member=MemberFactory(branch=cast["branch_a0"], secondary=cast["org_a"])
    )
    make_outflow("accepted", member=MemberFactory(branch=cast["branch_a0"], secondary=cast["org_a"]))
    client = as_user("sec_a")
    home = client.get(reverse("home")).content.decode()
    overdue = (
        client.get(reverse("registrations:outflow_list"), {"overdue": "true"}).context["page"].paginator.count
    )
    soon = (
        client.get(reverse("registrations:outflow_list"), {"due_soon": "true"})
        .context["page"]
        .paginator.count
    )
    assert (overdue, soon) == (1, 1)
    assert (
        'data-counter="outflow-overdue"><div class="small text-body-secondary">已超期</div><div class="fs-3 text-danger">1<'
        in home
    )


def test_the_destination_province_filter(as_user, make_outflow):
    make_outflow("registered", county="440305")
    client = as_user("sec_a")
    assert (
        client.get(reverse("registrations:outflow_list"), {"province": "440000"})
        .context["page"]
        .paginator.count
        == 1
    )
    assert (
        client.get(reverse("registrations:outflow_list"), {"province": "510000"})
        .context["page"]
        .paginator.count
        == 0
    )


def test_the_cascading_places_endpoint(as_user, cast):
    client = as_user("sec_a")
    cities = client.get(reverse("registrations:place_children"), {"parent": "510000"}).json()["options"]
    assert {"value": "511100", "label": "乐山市"} in cities
    counties = client.get(
        reverse("registrations:place_children"), {"parent": "441900", "level": "county"}
    ).json()
    assert counties["options"] == [{"value": "441900", "label": "东莞市"}]


def test_a_screening_and_an_unknown_whereabouts_escalation(as_user, cast, today):
    member = cast["members"]["a1_member"]
    client = as_user("sec_a")
    client.post(
        reverse("registrations:screening_create"),
        {
            "secondary": cast["org_a"].pk,
            "source": "new_student",
            "method": "phone",
            "screened_on": today.isoformat(),
            "member": member.pk,
            "findings": "新生报到时核实党员身份",
        },
    )
    assert client.get(reverse("registrations:screening_list")).context["page"].paginator.count == 1
    client.post(
        reverse("registrations:whereabouts_flag", args=[member.pk]),
        {"since": today.isoformat(), "cause": "migrant_work", "note": "电话停机"},
    )
    queue = as_user("orgdept").get(reverse("registrations:unknown_queue")).context["page"]
    assert [m.pk for m in queue] == [member.pk]


def test_the_member_page_shows_the_registrations(as_user, make_outflow):
    outflow = make_outflow("registered")
    page = as_user("sec_a").get(outflow.member.get_absolute_url()).content.decode()
    assert outflow.get_absolute_url() in page


def test_the_form_warns_when_the_kind_does_not_fit_art_3(as_user, cast, today):
    data = outflow_form(
        cast["members"]["a1_member"], today, unit_has_party_org="False", destination_org_kind="unit"
    )
    response = as_user("sec_a").post(reverse("registrations:outflow_create"), data, follow=True)
    page = response.content.decode()
    assert "应纳入" in page and "园区党组织" in page
    assert OutflowRegistration.objects.get().state == "registered"  # a warning, not a refusal
