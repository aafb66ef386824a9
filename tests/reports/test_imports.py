"""The import pages and commands: upload, preview, confirm; refused files; the template (issue 7 item 4)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from members.models import Member
from members.spreadsheets import SpreadsheetError, check_openpyxl_is_defused, check_upload
from registrations.models import OutflowRegistration
from tests.members.test_import_members import HEADERS, id_number
from tests.xlsx import make_xlsx, read_xlsx, zip_bomb

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def good_file():
    return make_xlsx(
        HEADERS,
        [
            [
                "新党员甲",
                "男",
                "0100199",
                id_number(1, x=True),
                "08332276000",
                "教师",
                "正式党员",
                "2025-03-01",
                "文新学院教工党支部",
                None,
            ],
            [
                "新党员乙",
                "女",
                "0100200",
                None,
                None,
                "学生",
                "预备党员",
                "2025年3月1日",
                "文新学院本科生第一党支部",
                None,
            ],
        ],
    )


def messy_file():
    return make_xlsx(
        HEADERS,
        [
            [
                "甲",
                "男",
                "X001",
                id_number(1)[:-1] + "?",
                None,
                "教师",
                None,
                "2025-02-30",
                "不存在的党支部",
                None,
            ],
            ["乙", "男", "X001", None, None, "教师", None, None, "数理学院教工党支部", None],
        ],
    )


def upload(client, data, *, kind="members", name="members.xlsx"):
    return client.post(
        reverse("imports:upload", args=[kind]), {"file": SimpleUploadedFile(name, data, content_type=XLSX)}
    )


def test_the_preview_shows_each_row_and_writes_nothing_then_confirming_writes_them_all(cast, as_user):
    client = as_user("sec_a")
    before = Member.objects.count()

    preview = upload(client, good_file())

    assert preview.status_code == 200
    assert Member.objects.count() == before
    assert [row.status for row in preview.context["rows"]] == ["new", "new"]
    token = preview.context["token"]
    assert token and reverse("imports:confirm", args=["members"]).encode() in preview.content

    confirmed = client.post(reverse("imports:confirm", args=["members"]), {"token": token})

    assert confirmed.status_code == 302
    assert Member.objects.count() == before + 2
    assert Member.objects.get(number="0100199").id_number == id_number(1, x=True)
    # The kept file is gone: the same token cannot be confirmed twice.
    assert client.post(reverse("imports:confirm", args=["members"]), {"token": token}).status_code == 404


def test_the_preview_lists_every_error_with_row_and_column_and_offers_no_confirmation(cast, as_user):
    client = as_user("sec_a")
    before = Member.objects.count()

    preview = upload(client, messy_file())

    assert preview.status_code == 200 and not preview.context["token"]
    errors = {(e.row, e.column) for e in preview.context["errors"]}
    assert {
        (2, "身份证号码"),
        (2, "入党时间"),
        (2, "所在党支部"),
        (3, "所在党支部"),
        (2, "工号/学号"),
        (3, "工号/学号"),
    } <= errors
    html = preview.content.decode()
    assert 'id="import-errors"' in html and "数理学院党委" in html
    assert reverse("imports:confirm", args=["members"]) not in html
    assert Member.objects.count() == before


def test_only_the_uploader_can_confirm_a_previewed_file(cast, as_user):
    token = upload(as_user("sec_a"), good_file()).context["token"]

    response = as_user("orgdept").post(reverse("imports:confirm", args=["members"]), {"token": token})

    assert response.status_code == 404
    assert not Member.objects.filter(number="0100199").exists()


def test_confirming_checks_again_and_writes_nothing_if_the_data_changed(cast, as_user):
    client = as_user("sec_a")
    token = upload(client, good_file()).context["token"]
    cast["branch_a0"].is_active = False  # the branch was retired meanwhile
    cast["branch_a0"].save()

    response = client.post(reverse("imports:confirm", args=["members"]), {"token": token})

    assert response.status_code == 409
    assert [(e.row, e.column) for e in response.context["errors"]] == [(2, "所在党支部")]
    assert not Member.objects.filter(number__in=["0100199", "0100200"]).exists()


def test_outflows_are_imported_through_the_pages_too(cast, as_user, today):
    a1 = cast["members"]["a1_member"]
    data = make_xlsx(
        [
            "姓名",
            "工号/学号",
            "流出登记日期",
            "外出时间",
            "外出地点所在县（市、区）",
            "流入地（单位）基层党组织名称",
            "结对联系人",
            "流出期间联系电话",
        ],
        [[a1.name, a1.number, today, today, "510104", "某党支部", "李老师", "13900001111"]],
    )
    client = as_user("sec_a")
    token = upload(client, data, kind="outflows").context["token"]

    client.post(reverse("imports:confirm", args=["outflows"]), {"token": token})

    assert OutflowRegistration.objects.get(member=a1).state == "registered"


# --- Refused files ---------------------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_it_is_unpacked(cast, as_user, settings):
    settings.FLOWPARTY_IMPORT_MAX_UNCOMPRESSED_BYTES = 2 * 1024 * 1024
    bomb = zip_bomb(8 * 1024 * 1024)
    assert len(bomb) < 100 * 1024  # small on the wire

    response = upload(as_user("sec_a"), bomb)

    assert response.status_code == 400
    assert "MB" in str(response.context["form"].errors["file"])
    with pytest.raises(SpreadsheetError):
        check_upload(name="bomb.xlsx", data=bomb)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("members.xlsx", "姓名,性别\n张三,男\n".encode()),  # a CSV renamed .xlsx
        ("members.xlsx", b"%PDF-1.4 not a workbook"),
        ("members.xls", make_xlsx(HEADERS, [])),  # the right content under another extension
        ("members.xlsx", b"PK\x03\x04" + b"\0" * 100),  # a zip signature and nothing else
    ],
)
def test_a_file_that_is_not_an_xlsx_workbook_is_refused(cast, as_user, name, data):
    before = Member.objects.count()

    response = upload(as_user("sec_a"), data, name=name)

    assert response.status_code == 400 and response.context["form"].errors["file"]
    assert Member.objects.count() == before


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(SpreadsheetError):
        check_upload(name="letter.xlsx", data=buffer.getvalue())


def test_an_oversized_file_is_refused(cast, as_user, settings):
    settings.FLOWPARTY_IMPORT_MAX_BYTES = 4 * 1024
    data = make_xlsx(
        HEADERS,
        [
            [f"人{i}", "男", f"Q{i:05d}", None, None, "教师", None, None, "文新学院教工党支部", None]
            for i in range(500)
        ],
    )
    assert len(data) > 4 * 1024 + 64 * 1024 or len(data) > 4 * 1024

    response = upload(as_user("sec_a"), data)

    assert response.status_code == 400


def test_openpyxl_parses_with_defusedxml():
    import openpyxl
    from openpyxl.xml import functions

    assert openpyxl.DEFUSEDXML is True
    assert functions.iterparse.__module__.startswith("defusedxml")
    assert check_openpyxl_is_defused() == []


def test_a_workbook_with_an_entity_expansion_is_refused():
    """A billion-laughs sheet: defusedxml refuses the entity declaration instead of expanding it."""
    good = make_xlsx(
        HEADERS, [["甲", "男", "X1", None, None, "教师", None, None, "文新学院教工党支部", None]]
    )
    source, target = io.BytesIO(good), io.BytesIO()
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
    )
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as hostile:
        for item in original.infolist():
            content = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = content.split(b"?>", 1)[-1]
                content = laughs.encode() + body.replace(b"<v>", b"<v>&lol2;", 1)
            hostile.writestr(item, content)
    from members.models import User
    from members.resources import MemberResource, run_import

    with pytest.raises(SpreadsheetError):
        run_import(MemberResource, user=User(), name="lol.xlsx", data=target.getvalue(), dry_run=True)
    # Refused by defusedxml itself, not by chance.
    from defusedxml import EntitiesForbidden

    from members.spreadsheets import _read_sheet

    with pytest.raises(EntitiesForbidden):
        _read_sheet(target.getvalue(), set(HEADERS))


# --- The template -------------------------------------------------------------------------------------------


def test_the_template_has_the_platforms_columns_text_formats_and_choices(cast, as_user):
    response = as_user("sec_a").get(reverse("imports:template", args=["members"]))

    assert response.status_code == 200 and response["Content-Type"] == XLSX
    sheet = read_xlsx(response.content)
    headers = [c.value.rstrip("*") for c in next(sheet.iter_rows(max_row=1))]
    assert headers[:10] == HEADERS[:8] + ["电子邮箱", "转正时间"] or set(HEADERS) <= set(headers)
    assert sheet.freeze_panes == "A2"
    letter = {h: chr(ord("A") + i) for i, h in enumerate(headers)}
    assert sheet.column_dimensions[letter["工号/学号"]].number_format == "@"
    assert sheet.column_dimensions[letter["身份证号码"]].number_format == "@"
    assert sheet.column_dimensions[letter["入党时间"]].number_format == "yyyy-mm-dd"
    assert sheet.data_validations.dataValidation  # drop-down lists for the choices
    options = {c.value for row in read_xlsx(response.content, sheet=1).iter_rows() for c in row}
    # The secretary's own branches only.
    assert "文新学院教工党支部" in options and "数理学院教工党支部" not in options
    assert {"男", "女", "正式党员", "预备党员", "教师"} <= options
    # The empty template uploads as "no data rows", not as an error about its columns.
    preview = upload(as_user("sec_a"), response.content)
    assert [e.message for e in preview.context["errors"]] == ["文件中没有数据行。"]


def test_the_outflow_template_uploads_cleanly(cast, as_user):
    response = as_user("sec_a").get(reverse("imports:template", args=["outflows"]))
    headers = [c.value.rstrip("*") for c in next(read_xlsx(response.content).iter_rows(max_row=1))]
    assert {
        "工号/学号",
        "流出登记日期",
        "外出地点所在县（市、区）",
        "流入地（单位）基层党组织名称",
        "外出时间",
        "结对联系人",
        "流出期间联系电话",
    } <= set(headers)


# --- The commands ---------------------------------------------------------------------------------------------


@pytest.fixture
def good_path(tmp_path):
    path = tmp_path / "members.xlsx"
    path.write_bytes(good_file())
    return str(path)


def test_import_members_dry_run_checks_and_writes_nothing(cast, good_path):
    out = io.StringIO()

    call_command("import_members", good_path, "--dry-run", "--as", "sec_a", stdout=out)

    assert "2" in out.getvalue()
    assert not Member.objects.filter(number="0100199").exists()


def test_import_members_writes_with_the_users_rights(cast, good_path):
    call_command("import_members", good_path, "--as", "sec_a", stdout=io.StringIO())

    assert Member.objects.get(number="0100199").secondary == cast["org_a"]


def test_import_members_refuses_a_user_without_the_right_and_an_unknown_user(cast, good_path):
    with pytest.raises(CommandError):
        call_command("import_members", good_path, "--as", "branch_a1", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("import_members", good_path, "--as", "nobody", stdout=io.StringIO())
    assert not Member.objects.filter(number="0100199").exists()


def test_import_members_prints_every_error_and_fails(cast, tmp_path):
    path = tmp_path / "messy.xlsx"
    path.write_bytes(messy_file())
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_members", str(path), "--as", "sec_a", stdout=io.StringIO(), stderr=err)

    assert "所在党支部" in err.getvalue() and "身份证号码" in err.getvalue()
    assert not Member.objects.filter(number="X001").exists()


def test_import_members_as_another_secretary_refuses_rows_of_an_organisation_they_do_not_run(cast, good_path):
    with pytest.raises(CommandError):
        call_command("import_members", good_path, "--as", "sec_b", stdout=io.StringIO(), stderr=io.StringIO())
    assert not Member.objects.filter(number="0100199").exists()


def test_import_registrations_with_dry_run_and_for_real(cast, tmp_path, today):
    a1 = cast["members"]["a1_member"]
    path = tmp_path / "outflows.xlsx"
    path.write_bytes(
        make_xlsx(
            [
                "姓名",
                "工号/学号",
                "流出登记日期",
                "外出时间",
                "外出地点所在县（市、区）",
                "流入地（单位）基层党组织名称",
                "结对联系人",
                "流出期间联系电话",
            ],
            [[a1.name, a1.number, today, today, "成都市锦江区", "某党支部", "李老师", "13900001111"]],
        )
    )

    call_command("import_registrations", str(path), "--dry-run", "--as", "sec_a", stdout=io.StringIO())
    assert not OutflowRegistration.objects.exists()
    with pytest.raises(CommandError):
        call_command(
            "import_registrations", str(path), "--as", "sec_b", stdout=io.StringIO(), stderr=io.StringIO()
        )
    assert not OutflowRegistration.objects.exists()
    call_command("import_registrations", str(path), "--as", "sec_a", stdout=io.StringIO())
    assert OutflowRegistration.objects.get(member=a1).destination_county_id == "510104"


def test_import_registrations_tells_an_inflow_file_from_its_columns(cast, tmp_path):
    from registrations.models import InflowRegistration

    path = tmp_path / "inflows.xlsx"
    path.write_bytes(
        make_xlsx(
            [
                "姓名",
                "性别",
                "工号/学号",
                "党员类别",
                "流出地党组织",
                "流出地所在县（市、区）",
                "流出地登记日期",
                "信息来源",
            ],
            [["外来乙", "女", "IN0300", "学生", "外校党委", "510104", "2025-03-01", "管理平台推送"]],
        )
    )
    out = io.StringIO()

    call_command("import_registrations", str(path), "--as", "sec_a", stdout=out)

    assert out.getvalue().startswith("inflows")
    assert InflowRegistration.objects.get(member__number="IN0300").secondary == cast["org_a"]
