"""A secretary adds a member in a real browser and finds them in the list."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.django_db(transaction=True)
def test_a_secretary_adds_a_member_and_finds_them(page, live_server, cast, log_in, screenshot):
    log_in(page, "sec_a")
    page.get_by_role("link", name="党员", exact=True).first.click()
    page.get_by_role("link", name="添加党员").click()
    page.get_by_label("姓名").fill("周明")
    page.get_by_label("性别").select_option(label="男")
    page.get_by_label("工号/学号").fill("T0108888")
    page.get_by_label("类别").select_option(label="教师")
    page.get_by_label("二级党组织").select_option(label="文学与新闻学院党委")
    page.get_by_label("正式组织关系所在党支部").select_option(label="文新学院教工党支部")
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("入党时间").fill("2015-06-30")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("已添加党员 周明").wait_for()
    assert "139****5678" in page.content()
    page.goto(f"{live_server.url}/members/?q=周明")
    assert page.get_by_role("link", name="周明").is_visible()
    screenshot(page, "secretary-adds-member")


@pytest.mark.django_db(transaction=True)
def test_the_layout_works_on_a_phone_sized_screen(browser, live_server, cast, log_in, screenshot):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, "member_a")
    page.get_by_role("button", name="菜单").click()
    page.get_by_role("link", name="查看我的信息").click()
    assert page.get_by_role("heading", name="王思雨").is_visible()
    screenshot(page, "member-own-record-phone")
    context.close()
