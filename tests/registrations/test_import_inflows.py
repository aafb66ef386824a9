"""Importing inflow registrations (issue 7 item 4, inflows)."""

from datetime import timedelta

from django.utils import timezone

from members.models import Member, User
from members.resources import run_import
from registrations.models import InflowRegistration, RegistrationEvent
from registrations.resources import InflowResource
from tests.members.test_import_members import id_number
from tests.xlsx import make_xlsx

HEADERS = [
    "姓名",
    "性别",
    "工号/学号",
    "身份证号码",
    "联系电话",
    "党员类别",
    "流出地党组织",
    "流出地所在县（市、区）",
    "流出地登记日期",
    "信息来源",
]


def run(username, data, *, dry_run):
    return run_import(
        InflowResource, user=User.objects.get(username=username), name="in.xlsx", data=data, dry_run=dry_run
    )


def test_inflows_add_the_people_not_on_file_and_start_the_clock(cast):
    day = timezone.localdate() - timedelta(days=5)
    known = cast["members"]["a0_member"]
    data = make_xlsx(
        HEADERS,
        [
            [
                "外来甲",
                "男",
                "IN0100",
                id_number(11, x=True),
                "13900005555",
                "教师",
                "中共四川师范大学委员会",
                "成都市锦江区",
                day,
                "管理平台推送",
            ],
            [known.name, None, known.number, None, None, None, "外校党委", "430102", "2025/3/1", "摸底排查"],
        ],
    )

    preview = run("sec_a", data, dry_run=True)
    assert preview.ok, preview.all_errors()
    assert preview.counts["new"] == 2 and not InflowRegistration.objects.exists()

    result = run("sec_a", data, dry_run=False)

    assert result.written
    person = Member.objects.get(number="IN0100")
    assert person.id_number == id_number(11, x=True) and person.branch is None
    assert person.origin_organization == "中共四川师范大学委员会" and person.secondary == cast["org_a"]
    inflow = InflowRegistration.objects.get(member=person)
    assert inflow.due_on == day + timedelta(days=30) and inflow.source == "platform"
    assert InflowRegistration.objects.get(member=known).due_on.year == 2025
    assert RegistrationEvent.objects.filter(inflow=inflow, action="create").exists()
    assert run("sec_a", data, dry_run=True).counts["skip"] == 2


def test_a_messy_inflow_file_reports_every_error_and_writes_nothing(cast):
    future = timezone.localdate() + timedelta(days=2)
    data = make_xlsx(
        HEADERS + ["流入二级党组织"],
        [
            [
                "甲",
                None,
                "IN0200",
                None,
                None,
                None,
                "外校党委",
                "510104",
                "2025-01-01",
                "管理平台推送",
                None,
            ],
            ["乙", "男", "IN0201", None, None, "教师", "外校党委", "不存在县", future, "不知道", None],
            [
                "丙",
                "男",
                "IN0202",
                None,
                None,
                "教师",
                "外校党委",
                "510104",
                "2025-01-01",
                "管理平台推送",
                "数理学院党委",
            ],
        ],
    )
    before = Member.objects.count()

    result = run("sec_a", data, dry_run=False)

    errors = {(e.row, e.column) for e in result.all_errors()}
    assert {(2, "性别"), (2, "党员类别")} <= errors
    assert {(3, "流出地所在县（市、区）"), (3, "流出地登记日期"), (3, "信息来源")} <= errors
    assert (4, "流入二级党组织") in errors
    assert not result.written and Member.objects.count() == before and not InflowRegistration.objects.exists()
