"""In Chromium: a secretary logs a contact from a member's page and the checklist card turns A1.2 to met, then
corrects the contact; the member reports a thought report from a phone and sees A3.3 met. (Selectors use names and data attributes, so the
test holds in either language.)"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_secretary_logs_a_contact_and_the_member_reports_thoughts(
    page, browser, live_server, cast, log_in, screenshot
):
    from members.models import User
    from registrations import services as registrations
    from registrations.models import Division

    today = timezone.localdate()
    sec_a = User.objects.get(username="sec_a")
    data = {
        "contact_phone": "13900001111",
        "destination_org_name": "重庆大学教育学院博士生党支部",
        "paired_contact": "李老师",
        "destination_county": Division.objects.get(pk="500106"),
        "departure_on": today - timedelta(days=3),
    }
    member = cast["members"]["member_a"]
    registrations.outflow_create(actor=sec_a, member=member, data=data, register=True)

    log_in(page, "sec_a")
    page.goto(f"{live_server.url}{member.get_absolute_url()}")
    page.locator("tr[data-item='A1.2'] [data-status='due']").wait_for()
    page.locator(
        f"a[href='{reverse('responsibilities:member_record_create', args=[member.pk, 'contact'])}']"
    ).click()
    page.locator("[name=contacted_on]").fill(today.isoformat())
    page.locator("[name=method]").select_option("phone")
    page.locator("[name=with_whom]").fill("本人")
    page.locator("[name=learnt]").fill("学习工作顺利，按时参加流入地党支部组织生活")
    page.locator("button[type=submit].btn-danger").click()
    page.locator("tr[data-item='A1.2'] [data-status='met']").wait_for()
    assert page.get_by_text("学习工作顺利").is_visible()
    screenshot(page, "secretary-logs-contact")

    # A typo found later: the secretary corrects the contact from the same list.
    page.locator("[data-records='contact'] a[href*='/records/contact/']").click()
    page.locator("[name=learnt]").fill("学习工作顺利，按时参加流入地党支部组织生活和志愿服务")
    page.locator("button[type=submit].btn-danger").click()
    page.get_by_text("和志愿服务").wait_for()
    assert page.locator("tr[data-item='A1.2'] [data-status='met']").is_visible()

    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(phone, "member_a")
    phone.goto(f"{live_server.url}{reverse('responsibilities:me')}")
    assert phone.locator("[data-duty]").count() == 5
    phone.locator(f"a[href='{reverse('responsibilities:me_record', args=['thought_report'])}']").click()
    phone.locator("[name=title]").fill("本月思想汇报")
    phone.locator("[name=content]").fill("认真学习党的创新理论")
    phone.locator("main button[type=submit]").click()
    phone.locator("[data-duty='A3.3'] [data-status='met']").wait_for()
    screenshot(phone, "member-reports-thoughts")
