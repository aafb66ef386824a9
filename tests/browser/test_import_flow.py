"""A secretary imports members in Chromium: template, upload, preview with every row, confirm."""

import pytest

from members.models import Member
from tests.members.test_import_members import HEADERS, id_number
from tests.xlsx import make_xlsx

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.django_db(transaction=True)
def test_a_secretary_previews_and_confirms_an_import(page, live_server, cast, log_in, screenshot, tmp_path):
    good = tmp_path / "党员信息.xlsx"
    good.write_bytes(
        make_xlsx(
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
    )
    bad = tmp_path / "有错误.xlsx"
    bad.write_bytes(
        make_xlsx(
            HEADERS,
            [["丙", "男", "0100201", None, None, "教师", None, "2025-02-30", "数理学院教工党支部", None]],
        )
    )
    log_in(page, "sec_a")
    page.goto(f"{live_server.url}/imports/")
    page.locator("a[href='/imports/members/']").click()

    page.locator("input[type=file]").set_input_files(str(bad))
    page.locator("form[enctype] button[type=submit]").click()
    page.locator("#import-errors").wait_for()
    assert (
        page.locator("#import-errors tbody tr").count() == 2
    )  # the date and the other organisation's branch
    assert page.locator("form[action='/imports/members/confirm/']").count() == 0
    screenshot(page, "secretary-import-preview-errors")

    page.goto(f"{live_server.url}/imports/members/")
    page.locator("input[type=file]").set_input_files(str(good))
    page.locator("form[enctype] button[type=submit]").click()
    page.locator("#import-rows").wait_for()
    assert page.locator("#import-rows tbody tr").count() == 2
    assert not Member.objects.filter(number="0100199").exists()
    screenshot(page, "secretary-import-preview")
    page.locator("form[action='/imports/members/confirm/'] button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/imports/")
    assert Member.objects.get(number="0100199").id_number.endswith("X")
