"""The organisation department opens the dashboard, sees its charts drawn, and follows the overdue figure to the
list behind it."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_draws_its_charts_and_links_to_the_overdue_list(
    page, live_server, cast, log_in, screenshot
):
    from datetime import timedelta

    from django.utils import timezone

    from members.models import User
    from registrations import services
    from registrations.models import Division

    sec_a = User.objects.get(username="sec_a")
    today = timezone.localdate()
    data = {
        "contact_phone": "13900001111",
        "destination_org_name": "某党支部",
        "paired_contact": "李老师",
        "destination_county": Division.objects.get(pk="440305"),
        "departure_on": today - timedelta(days=80),
    }
    services.outflow_create(
        actor=sec_a,
        member=cast["members"]["a1_member"],
        data=data,
        register=True,
        registered_on=today - timedelta(days=70),
    )

    log_in(page, "orgdept")
    page.get_by_role("link", name="统计分析").first.click()
    for chart in ("chart-org", "chart-map", "chart-category", "chart-reason", "chart-intake"):
        page.locator(f"#{chart}[data-rendered='true'] canvas").first.wait_for()
    overdue = page.locator("[data-figure='overdue-outflows']")
    assert overdue.locator(".display-6").inner_text().startswith("1")
    overdue.click()
    page.wait_for_url("**/registrations/outflows/?overdue=true")
    assert page.get_by_role("link", name=cast["members"]["a1_member"].name).is_visible()
    screenshot(page, "orgdept-follows-overdue-figure")

    # ... and exports exactly that list.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="导出 Excel").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(download.path().read_bytes())).active
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert cast["members"]["a1_member"].name in names and len(names) == 1
