"""A member sees the bell's count, opens a notice and lands on its subject, in a real browser.

Selectors are structural (the bell's data attribute, the notice's title text) so that the test does not
depend on which catalogue is compiled.
"""

import pytest

from members.models import User
from tests.factories import NotificationFactory

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.django_db(transaction=True)
def test_a_member_opens_a_notice_from_the_bell(browser, live_server, cast, log_in, screenshot):
    member = cast["members"]["member_a"]
    person = User.objects.get(username="member_a")
    NotificationFactory(recipient=person, title="请核对您的流出登记信息", link=member.get_absolute_url())
    NotificationFactory(recipient=person, title="集中登记已开始")

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, "member_a")
    page.locator(".navbar-toggler").click()
    bell = page.locator("a.bell-link")
    assert bell.get_attribute("data-unread-count") == "2"
    bell.click()
    page.wait_for_url(f"{live_server.url}/notifications/")
    assert page.locator(".notification-unread").count() == 2
    screenshot(page, "member-notifications-phone")

    page.get_by_role("button", name="请核对您的流出登记信息").click()
    page.wait_for_url(f"{live_server.url}{member.get_absolute_url()}")
    assert page.locator("a.bell-link").get_attribute("data-unread-count") == "1"
    context.close()
