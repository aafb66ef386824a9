"""Importing outflow registrations from the provincial platform's Excel columns (issue 7 item 4)."""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from members.models import User
from members.resources import run_import
from registrations.models import OutflowRegistration, RegistrationEvent
from registrations.resources import OutflowResource
from tests.xlsx import make_xlsx

HEADERS = [
    "姓名",
    "工号/学号",
    "流动原因",
    "流出登记日期",
    "外出时间",
    "外出地点所在县（市、区）",
    "流入地（单位）基层党组织名称",
    "结对联系人",
    "流出期间联系电话",
]


def run(username, data, *, dry_run):
    user = User.objects.get(username=username)
    return run_import(OutflowResource, user=user, name="outflows.xlsx", data=data, dry_run=dry_run)


@pytest.fixture
def recent():
    return timezone.localdate() - timedelta(days=10)


def test_a_good_file_registers_outflows_and_starts_the_intake_clock(cast, recent):
    a1, a0 = cast["members"]["a1_member"], cast["members"]["a0_member"]
    data = make_xlsx(
        HEADERS,
        [
            # Registered (clock starts), a county by code, a date cell.
            [
                a1.name,
                a1.number,
                "在职攻读硕博学位",
                recent,
                recent,
                "510104",
                "四川大学某党支部",
                "李老师",
                "13900001111",
            ],
            # A draft (no registration date), a county by full name without the province, text dates.
            [a0.name, a0.number, "外派挂职", None, "2025/3/1", "重庆市渝中区", "", "", ""],
        ],
        text_columns={"工号/学号", "流出期间联系电话"},
    )

    preview = run("sec_a", data, dry_run=True)
    assert preview.ok, preview.all_errors()
    assert preview.counts == {"new": 2, "update": 0, "skip": 0, "invalid": 0}
    assert not OutflowRegistration.objects.exists()

    result = run("sec_a", data, dry_run=False)

    assert result.written
    registered = OutflowRegistration.objects.get(member=a1)
    assert registered.state == "registered" and registered.registered_on == recent
    assert registered.due_on == recent + timedelta(days=30)  # Art. 2: within the province
    assert registered.destination_county_id == "510104" and registered.contact_phone == "13900001111"
    assert registered.created_by.username == "sec_a"
    draft = OutflowRegistration.objects.get(member=a0)
    assert draft.state == "draft" and draft.due_on is None and draft.departure_on == date(2025, 3, 1)
    assert draft.destination_county_id == "500103" and draft.reason == "secondment"
    assert list(RegistrationEvent.objects.filter(outflow=registered).values_list("action", flat=True)) == [
        "create",
        "register",
    ]
    a1.refresh_from_db()
    assert a1.mobility_reason == "degree_study"  # Art. 1: registered, so mobile
    assert LogEntry.objects.get_for_model(OutflowRegistration).filter(actor__username="sec_a").count() == 2

    again = run("sec_a", data, dry_run=False)
    assert again.counts == {"new": 0, "update": 0, "skip": 2, "invalid": 0}


def test_a_row_for_an_open_registration_updates_it_and_registers_a_draft(cast, recent, make_outflow):
    draft = make_outflow(state="draft")
    member = draft.member
    data = make_xlsx(
        HEADERS,
        [
            [
                member.name,
                member.number,
                None,
                recent,
                None,
                "北京市东城区",
                "某党支部",
                "王老师",
                "13900002222",
            ]
        ],
    )

    result = run("sec_a", data, dry_run=False)

    assert result.counts["update"] == 1 and result.written
    draft.refresh_from_db()
    assert draft.state == "registered" and draft.registered_on == recent
    assert draft.due_on == recent + timedelta(days=60)  # across provinces
    assert draft.flow_scope == "other_province"


def test_a_messy_file_reports_every_error_and_writes_nothing(cast, recent):
    a1, a0, b = cast["members"]["a1_member"], cast["members"]["a0_member"], cast["members"]["b_member"]
    future = timezone.localdate() + timedelta(days=3)
    data = make_xlsx(
        HEADERS,
        [
            [
                a1.name,
                a1.number,
                None,
                recent,
                recent,
                "火星市",
                "某党支部",
                "李老师",
                "13900001111",
            ],  # unknown county
            [
                a0.name,
                a0.number,
                None,
                "2025-02-30",
                recent,
                "510104",
                "某党支部",
                "李老师",
                "139",
            ],  # bad date, phone
            [b.name, b.number, None, None, recent, "510104", "", "", ""],  # another organisation's member
            [
                "别人",
                cast["members"]["member_a"].number,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
            ],  # wrong name
            [a1.name, a1.number, None, None, None, None, None, None, None],  # the same number again
            [
                "无名",
                "NOSUCH",
                None,
                None,
                None,
                "市中区",
                None,
                None,
                None,
            ],  # no such member; ambiguous county
            [
                a0.name,
                "T0100001",
                None,
                future,
                recent,
                "四川省",
                "党支部",
                "李老师",
                "13900001111",
            ],  # not a county
        ],
    )

    result = run("sec_a", data, dry_run=False)

    errors = {(e.row, e.column) for e in result.all_errors()}
    assert (2, "外出地点所在县（市、区）") in errors
    assert (3, "流出登记日期") in errors and (3, "流出期间联系电话") in errors
    assert (4, "工号/学号") in errors
    assert (5, "姓名") in errors
    assert (2, "工号/学号") in errors and (6, "工号/学号") in errors
    assert (7, "工号/学号") in errors and (7, "外出地点所在县（市、区）") in errors
    assert (8, "流出登记日期") in errors and (8, "外出地点所在县（市、区）") in errors
    assert not result.written
    assert not OutflowRegistration.objects.exists()


def test_registering_needs_what_art_2_requires(cast, recent):
    a1 = cast["members"]["a1_member"]
    data = make_xlsx(HEADERS, [[a1.name, a1.number, None, recent, None, "510104", "", "", ""]])

    result = run("sec_a", data, dry_run=True)

    assert {e.column for e in result.all_errors()} == {
        "外出时间",
        "流入地（单位）基层党组织名称",
        "结对联系人",
        "流出期间联系电话",
    }
