"""A member on a phone-sized screen reports a change and sees it pending."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.django_db(transaction=True)
def test_a_member_reports_a_change_from_a_phone_and_sees_it_pending(
    browser, live_server, cast, log_in, screenshot
):
    from members.models import User
    from registrations import services
    from registrations.models import Division

    today = timezone.localdate()
    data = {
        "contact_phone": "13900001111",
        "destination_org_name": "重庆大学教育学院党支部",
        "paired_contact": "李老师",
        "destination_county": Division.objects.get(pk="500106"),
        "departure_on": today - timedelta(days=30),
    }
    services.outflow_create(
        actor=User.objects.get(username="sec_a"),
        member=cast["members"]["member_a"],
        data=data,
        register=True,
        registered_on=today - timedelta(days=20),
    )

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    log_in(page, "member_a")
    page.get_by_role("button", name="菜单").click()
    page.get_by_role("navigation").get_by_role("link", name="我的流动情况").click()
    page.get_by_role("link", name="变化汇报").click()
    page.get_by_label("变化事项").select_option(label="工作（学习）单位")
    page.get_by_label("变化日期").fill(today.isoformat())
    page.get_by_label("新的工作（学习）单位").fill("重庆师范大学")
    page.get_by_role("button", name="提交").click()
    page.get_by_text("变化情况已报告，等待所在党组织审核").wait_for()
    report = page.locator(".list-group-item", has_text="工作（学习）单位")
    assert report.get_by_text("待审核").is_visible()
    # Nothing wider than the screen: a phone never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "member-reports-change-on-phone")
    assert violations == []
    context.close()
