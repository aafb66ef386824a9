"""A secretary registers an outflow in Chromium, choosing the place with the cascading selects, and sees the
intake due date."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.django_db(transaction=True)
def test_a_secretary_registers_an_outflow_sees_its_due_date_and_records_intake(
    page, live_server, cast, log_in, screenshot, csp_violations
):
    member = cast["members"]["a1_member"]
    today = timezone.localdate()
    log_in(page, "sec_a")
    page.goto(f"{live_server.url}{member.get_absolute_url()}")
    page.get_by_role("link", name="新建流出登记").click()
    assert page.get_by_label("党员工号/学号").input_value() == member.number
    page.get_by_label("省（区、市）").select_option(label="广东省")
    page.get_by_label("市（州）").select_option(label="深圳市")
    page.get_by_label("外出地点所在县（市、区）", exact=True).select_option(label="南山区")
    page.get_by_label("流入地工作（学习）单位").fill("南方科技大学")
    page.get_by_label("流入地（单位）基层党组织名称").fill("南方科技大学教育学院党支部")
    page.get_by_label("流入地党组织类型").select_option(label="工作、学习单位党组织")
    page.get_by_label("外出时间", exact=True).fill((today - timedelta(days=3)).isoformat())
    page.get_by_label("流出期间联系电话").fill("13912345678")
    page.get_by_label("结对联系人", exact=True).fill("李老师")
    page.get_by_role("button", name="登记", exact=True).click()
    page.get_by_text("流出登记已完成").wait_for()
    due = today + timedelta(days=60)  # Guangdong is another province: at most 60 days (Art. 2)
    assert page.locator("#due-date").inner_text() == f"{due.year}年{due.month}月{due.day}日"
    assert page.get_by_text("剩余 60 天").is_visible()
    screenshot(page, "secretary-registers-outflow")

    # The member reported in at the destination; then the destination accepted them (接收纳管).
    page.get_by_role("button", name="登记报到情况").click()
    page.locator("#id_report-reported_on").fill(today.isoformat())
    page.locator("#action-report_in").get_by_role("button", name="登记报到情况").click()
    page.get_by_text("已登记报到情况").wait_for()
    page.get_by_role("button", name="登记接收纳管").click()
    page.locator("#id_accept-on").fill(today.isoformat())
    page.locator("#action-accept").get_by_role("button", name="登记接收纳管").click()
    page.get_by_text("已登记接收纳管").wait_for()
    assert page.get_by_text("按时纳管").first.is_visible()
    assert page.locator("h1 .badge").inner_text() == "已接收纳管"
    screenshot(page, "secretary-records-intake")
    assert csp_violations == []
