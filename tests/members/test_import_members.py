"""Importing members from the provincial platform's Excel columns (issue 7 item 4)."""

from datetime import date

import pytest
from auditlog.models import LogEntry

from members.identity import id_number_check_char
from members.models import Member, User
from members.resources import MemberResource, run_import
from tests.xlsx import make_xlsx

HEADERS = [
    "姓名",
    "性别",
    "工号/学号",
    "身份证号码",
    "联系电话",
    "党员类别",
    "党员身份",
    "入党时间",
    "所在党支部",
    "流动原因",
]
TEXT = {"工号/学号", "身份证号码", "联系电话"}


def id_number(seq: int = 12, *, x: bool = False) -> str:
    """A valid 18-character ID-card number; with x=True, one whose check character is X."""
    for n in range(seq * 50, seq * 50 + 1000):
        first17 = f"5111021990{n // 1000 % 100 + 1:02d}07{n % 1000:03d}"
        check = id_number_check_char(first17)
        if (check == "X") == x:
            return first17 + check
    raise AssertionError("no such number")


def user(name):
    return User.objects.get(username=name)


def run(name, data, *, dry_run):
    return run_import(MemberResource, user=user(name), name="members.xlsx", data=data, dry_run=dry_run)


@pytest.fixture
def good_file(cast):
    a0 = cast["members"]["a0_member"]
    return make_xlsx(
        HEADERS,
        [
            # Leading zeros in the staff number and phone, an ID-card number ending in X, a date cell.
            [
                "新党员甲",
                "男",
                "0100199",
                id_number(1, x=True),
                "08332276000",
                "教师",
                "正式党员",
                date(2025, 3, 1),
                "文新学院教工党支部",
                "在职攻读硕博学位",
            ],
            # Full-width digits and stray spaces, a lower-case x, a date as 2025/3/1.
            [
                " 新党员 乙 ",
                "女",
                "Ｔ０１００２００",
                " " + id_number(2, x=True).lower().replace("5", "５", 1) + " ",
                "１３９ ００００ ０２２２",
                "学生",
                "预备党员",
                "2025/3/1",
                "文新学院本科生第一党支部",
                "",
            ],
            # Numbers Excel stored as numbers, and a date as 2025年3月1日.
            [
                "新党员丙",
                "男",
                20230001,
                id_number(3),
                13900003333,
                "其他职工",
                "正式党员",
                "2025年3月1日",
                "文新学院研究生党支部",
                None,
            ],
            # An existing member whose phone changes.
            [
                cast["members"]["a1_member"].name,
                "女",
                cast["members"]["a1_member"].number,
                None,
                "13700004444",
                "教师",
                "正式党员",
                None,
                "文新学院本科生第一党支部",
                None,
            ],
            # An existing member exactly as on file.
            [
                a0.name,
                "女",
                a0.number,
                None,
                a0.phone,
                "教师",
                "正式党员",
                a0.joined_on,
                a0.branch.name,
                None,
            ],
        ],
        text_columns=TEXT,
    )


def test_a_good_file_previews_each_row_as_new_updated_or_unchanged_and_writes_nothing(cast, good_file):
    before = Member.objects.count()

    result = run("sec_a", good_file, dry_run=True)

    assert result.ok, result.all_errors()
    assert result.counts == {"new": 3, "update": 1, "skip": 1, "invalid": 0}
    assert [row.number for row in result.planned] == [2, 3, 4, 5, 6]
    assert result.planned[3].changes == ["联系电话"]
    assert not result.written
    assert Member.objects.count() == before
    # The same outcome in django-import-export's own terms.
    assert result.totals["new"] == 3 and result.totals["update"] == 1 and result.totals["skip"] == 1
    assert not result.has_errors() and not result.has_validation_errors()


def test_a_good_file_imports_exactly(cast, good_file):
    result = run("sec_a", good_file, dry_run=False)

    assert result.ok and result.written
    first = Member.objects.get(number="0100199")
    assert first.phone == "08332276000"
    assert first.id_number == id_number(1, x=True) and first.id_number.endswith("X")
    assert (first.joined_on, first.gender, first.category, first.standing) == (
        date(2025, 3, 1),
        "male",
        "teacher",
        "full",
    )
    assert first.branch.name == "文新学院教工党支部" and first.secondary == cast["org_a"]
    assert first.mobility_reason == "degree_study"
    second = Member.objects.get(number="T0100200")
    assert second.name == "新党员 乙"
    assert second.id_number == id_number(2, x=True)
    assert second.phone == "13900000222"
    assert (second.joined_on, second.standing) == (date(2025, 3, 1), "probationary")
    third = Member.objects.get(number="20230001")
    assert third.phone == "13900003333" and third.joined_on == date(2025, 3, 1)
    assert third.id_number == id_number(3)
    cast["members"]["a1_member"].refresh_from_db()
    assert cast["members"]["a1_member"].phone == "13700004444"
    # The digest that keeps ID-card numbers unique is written too, and every write is audited.
    assert Member.objects.filter(id_number_digest__isnull=False, number="0100199").exists()
    entries = LogEntry.objects.get_for_model(Member)
    assert entries.filter(action=LogEntry.Action.CREATE, actor__username="sec_a").count() == 3
    update = entries.get(action=LogEntry.Action.UPDATE, object_id=cast["members"]["a1_member"].pk)
    assert set(update.changes) == {"phone"}
    # Masked as auditlog masks it for a form save: the full number is never in the log.
    assert id_number(1, x=True) not in str(entries.get(object_id=first.pk).changes["id_number"])


def test_importing_the_same_file_again_changes_nothing(cast, good_file):
    run("sec_a", good_file, dry_run=False)
    entries = LogEntry.objects.count()

    result = run("sec_a", good_file, dry_run=False)

    assert result.counts == {"new": 0, "update": 0, "skip": 5, "invalid": 0}
    assert LogEntry.objects.count() == entries


MESSY_HEADERS = [
    "姓名",
    "性别",
    "工号/学号",
    "身份证号码",
    "联系电话",
    "党员身份",
    "入党时间",
    "所在党支部",
]  # no 党员类别


def test_a_messy_file_reports_every_error_by_row_and_column_and_writes_nothing(cast):
    bad_check = id_number(5)[:-1] + ("0" if id_number(5)[-1] != "0" else "1")
    data = make_xlsx(
        MESSY_HEADERS,
        [
            [
                "甲",
                "男",
                "X001",
                bad_check,
                "13800000001",
                "正式党员",
                date(2020, 1, 1),
                "文新学院教工党支部",
            ],
            ["乙", "男", "X002", None, "13800000002", "正式党员", "2025-13-45", "文新学院教工党支部"],
            ["丙", "男", "X003", None, "13800000003", "正式党员", None, "不存在的党支部"],
            ["丁", "男", "X004", None, "13800000004", "正式党员", None, "数理学院教工党支部"],
            ["戊", "男", "X005", None, "13800000005", "正式党员", None, "文新学院教工党支部"],
            ["己", "男", "X005", None, "13800000006", "正式党员", None, "文新学院教工党支部"],
            ["庚", "男", "X007", 5.11102199003071e17, "13800000007", "正式党员", None, "文新学院教工党支部"],
            ["辛", "未知", "X008", None, "138****0008", "党员", None, "文新学院教工党支部"],
        ],
        text_columns={"工号/学号", "联系电话"},
    )
    before = Member.objects.count()

    result = run("sec_a", data, dry_run=False)

    errors = {(e.row, e.column) for e in result.all_errors()}
    assert (1, "党员类别") in errors  # the missing required column, on the header row
    assert (2, "身份证号码") in errors  # wrong check digit
    assert (3, "入党时间") in errors  # not a date
    assert (4, "所在党支部") in errors  # no such branch
    assert (5, "所在党支部") in errors  # another organisation's branch
    assert (6, "工号/学号") in errors and (7, "工号/学号") in errors  # the same number twice
    assert (8, "身份证号码") in errors  # stored as a number: digits lost
    assert {(9, "性别"), (9, "联系电话"), (9, "党员身份")} <= errors
    messages = {(e.row, e.column): e.message for e in result.all_errors()}
    assert "7" in messages[(6, "工号/学号")] and "6" in messages[(7, "工号/学号")]
    assert all(e.message for e in result.all_errors())
    # Not a single row is written, although some were fine.
    assert not result.written and not result.ok
    assert Member.objects.count() == before
    assert result.counts["invalid"] == 8
    # The missing column is reported once, not once per row.
    assert sum(1 for e in result.all_errors() if e.column == "党员类别") == 1


def test_a_secretary_may_not_change_another_organisations_member(cast):
    b = cast["members"]["b_member"]
    data = make_xlsx(
        HEADERS, [[b.name, "女", b.number, None, "13700000000", "教师", "正式党员", None, None, None]]
    )

    result = run("sec_a", data, dry_run=False)

    assert [(e.row, e.column) for e in result.all_errors()] == [(2, "工号/学号")]
    b.refresh_from_db()
    assert b.phone != "13700000000"


def test_the_organisation_department_imports_for_any_organisation(cast):
    data = make_xlsx(
        HEADERS,
        [
            ["甲", "男", "Z001", None, None, "教师", None, None, "文新学院教工党支部", None],
            ["乙", "女", "Z002", None, None, "学生", None, None, "数理学院本科生党支部", None],
        ],
    )

    result = run("orgdept", data, dry_run=False)

    assert result.ok and result.written
    assert set(
        Member.objects.filter(number__in=["Z001", "Z002"]).values_list("secondary__code", flat=True)
    ) == {
        "S01",
        "S02",
    }


def test_an_id_number_already_on_file_for_another_member_is_an_error(cast):
    holder = cast["members"]["a0_member"]
    holder.id_number = id_number(7)
    holder.save()
    data = make_xlsx(
        HEADERS, [["甲", "男", "Z003", id_number(7), None, "教师", None, None, "文新学院教工党支部", None]]
    )

    result = run("sec_a", data, dry_run=True)

    assert [(e.row, e.column) for e in result.all_errors()] == [(2, "身份证号码")]


def test_a_title_row_above_the_headers_is_skipped_and_rows_keep_excel_numbers(cast):
    data = make_xlsx(
        HEADERS,
        [["甲", "男", "Z004", None, None, "教师", None, "bad date", "文新学院教工党支部", None]],
        title_rows=["文学与新闻学院党员信息表", "导出时间：2025-03-01"],
    )

    result = run("sec_a", data, dry_run=True)

    assert [(e.row, e.column) for e in result.all_errors()] == [(4, "入党时间")]


def test_checking_a_file_takes_the_same_number_of_queries_for_10_or_60_rows(cast, django_assert_num_queries):
    def file(n):
        rows = [
            [
                f"人{i}",
                "男",
                f"Q{i:04d}",
                id_number(100 + i),
                None,
                "教师",
                None,
                None,
                "文新学院教工党支部",
                None,
            ]
            for i in range(n)
        ]
        return make_xlsx(HEADERS, rows)

    small, large = file(10), file(60)
    sec_a = user("sec_a")
    run_import(MemberResource, user=sec_a, name="a.xlsx", data=small, dry_run=True)  # warm the role cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small_queries:
        run_import(MemberResource, user=sec_a, name="a.xlsx", data=small, dry_run=True)
    with CaptureQueriesContext(connection) as large_queries:
        run_import(MemberResource, user=sec_a, name="a.xlsx", data=large, dry_run=True)
    assert len(small_queries) == len(large_queries) <= 6
