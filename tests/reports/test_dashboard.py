"""The dashboard's figures equal the lists they link to, at two data sizes, with the same number of queries."""

from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import MemberFactory


def list_count(client, url):
    """The number of rows the linked list shows."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def linked_figures(context):
    """Every (figure, url) the dashboard shows with a link."""
    pairs = [
        (context["open_counts"]["members"], context["urls"]["members"]),
        (context["open_counts"]["outflow"], context["urls"]["outflows"]),
        (context["open_counts"]["inflow"], context["urls"]["inflows"]),
        (context["overdue_now"]["outflow"], context["overdue_now"]["outflow_url"]),
        (context["overdue_now"]["inflow"], context["overdue_now"]["inflow_url"]),
    ]
    for key in ("by_org", "by_category", "by_reason", "by_province"):
        pairs += [(row["value"], row["url"]) for row in context[key]]
    for figures in context["intake"].values():
        pairs += [(figures[k], figures["urls"][k]) for k in ("on_time", "late", "pending", "overdue")]
    return pairs


def grow(cast, make_outflow, make_inflow, n, offset):
    for i in range(n):
        branch = cast["branch_a1"] if i % 2 else cast["branch_a0"]
        member = MemberFactory(branch=branch, secondary=cast["org_a"], mobility_reason="secondment")
        state = ["registered", "reported", "accepted", "refused"][i % 4]
        make_outflow(
            state, member=member, days_ago=[5, 40, 20, 70][i % 4], county=["510104", "440305"][i % 2]
        )
        if i % 3 == 0:
            make_inflow(["notified", "registered", "accepted"][i % 3], number=f"IN{offset}{i:03d}")


@pytest.mark.parametrize("username", ["orgdept", "sec_a", "branch_a1"])
def test_every_dashboard_figure_equals_the_list_behind_it_at_two_sizes(
    as_user, cast, make_outflow, make_inflow, username
):
    client = as_user(username)
    query_counts = []
    for size, offset in ((2, 1), (12, 2)):
        grow(cast, make_outflow, make_inflow, size, offset)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("reports:dashboard"))
        query_counts.append(len(ctx))
        pairs = linked_figures(response.context)
        assert any(value for value, _url in pairs)
        for value, url in pairs:
            assert list_count(client, url) == value, url
    assert query_counts[0] == query_counts[1]


def test_a_secretary_sees_only_their_organisation(as_user, cast, make_outflow):
    make_outflow("registered")
    MemberFactory(branch=cast["branch_b0"], secondary=cast["org_b"], mobility_reason="secondment")
    context = as_user("sec_a").get(reverse("reports:dashboard")).context
    assert [row["name"] for row in context["by_org"]] == [cast["org_a"].name]


def test_the_organisation_filter_narrows_every_figure(as_user, cast, make_outflow):
    make_outflow("registered")
    MemberFactory(branch=cast["branch_b0"], secondary=cast["org_b"], mobility_reason="secondment")
    client = as_user("orgdept")
    context = client.get(reverse("reports:dashboard"), {"secondary": cast["org_b"].pk}).context
    assert context["open_counts"]["outflow"] == 0 and context["open_counts"]["members"] == 1
    for _value, url in linked_figures(context):
        assert dict(parse_qsl(urlsplit(url).query)).get("secondary") == str(cast["org_b"].pk)


def test_a_secretary_cannot_filter_to_another_organisation(as_user, cast, make_outflow):
    make_outflow("registered")
    context = as_user("sec_b").get(reverse("reports:dashboard"), {"secondary": cast["org_a"].pk}).context
    assert context["flt"].secondary is None and context["open_counts"]["outflow"] == 0


def test_the_year_filter_counts_registrations_of_that_year(as_user, make_outflow, today):
    make_outflow("accepted", days_ago=20)
    client = as_user("orgdept")
    this_year = client.get(reverse("reports:dashboard"), {"year": today.year}).context["intake"]["outflow"]
    last_year = client.get(reverse("reports:dashboard"), {"year": today.year - 1}).context["intake"][
        "outflow"
    ]
    started = (today - timedelta(days=20)).year
    assert (this_year["on_time"], last_year["on_time"]) == ((1, 0) if started == today.year else (0, 1))


def test_the_statistics_table_adds_up(as_user, cast, make_outflow, make_inflow):
    grow(cast, make_outflow, make_inflow, 6, 3)
    table = as_user("orgdept").get(reverse("reports:statistics")).context["table"]
    totals = table["totals"]
    assert totals["outflow"] == sum(r["outflow"] for r in table["rows"]) == 6
    assert totals["on_time"] + totals["late"] + totals["open"] <= totals["outflow"] + totals["inflow"]
    assert sum(totals["reason_list"]) >= 6


def test_transfers_pending_by_step_equal_the_transfer_list(as_user, cast):
    from members.models import User
    from registrations import transfer_services as ts
    from registrations.models import Division

    sec_a, branch_a1 = User.objects.get(username="sec_a"), User.objects.get(username="branch_a1")
    data = {"to_org_name": "中共四川大学委员会", "other_county": Division.objects.get(pk="510107")}
    first = ts.transfer_create(actor=sec_a, member=cast["members"]["a1_member"], direction="out", data=data)
    ts.transfer_submit(transfer=first, actor=sec_a)
    second = ts.transfer_create(actor=sec_a, member=cast["members"]["a0_member"], direction="out", data=data)
    ts.transfer_submit(transfer=second, actor=sec_a)
    ts.transfer_approve(transfer=first, actor=branch_a1)
    client = as_user("orgdept")
    rows = client.get(reverse("reports:dashboard")).context["transfers"]
    assert sum(r["value"] for r in rows) == 2
    for row in rows:
        assert client.get(row["url"]).context["page"].paginator.count == row["value"], row["url"]


def test_the_compliance_heat_map_agrees_with_each_organisations_matrix(as_user, cast, make_outflow):
    make_outflow("accepted", days_ago=200)
    make_outflow("registered", days_ago=100, member=cast["members"]["a0_member"])
    client = as_user("orgdept")
    heat = client.get(reverse("reports:dashboard")).context["heatmap"]
    assert heat["cells"]
    matrix = client.get(reverse("responsibilities:org_matrix", args=[cast["org_a"].pk])).context["matrix"]
    totals = {}
    for items, column_totals in (
        (matrix.outflow_items, matrix.outflow_totals),
        (matrix.inflow_items, matrix.inflow_totals),
    ):
        for item, tally in zip(items, column_totals, strict=True):
            totals[item.code] = tally
    row = heat["rows"].index(cast["org_a"].short_name or cast["org_a"].name)
    for cell in heat["cells"]:
        x, y, percent = cell["value"]
        if y != row:
            continue
        tally = totals[heat["codes"][x]]
        required = tally["met"] + tally["due"] + tally["overdue"]
        assert (cell["met"], cell["required"]) == (tally["met"], required)
        assert percent == round(100 * tally["met"] / required)


def test_the_statistical_table_exports_to_excel_with_its_totals(as_user, cast, make_outflow, make_inflow):
    import io

    from openpyxl import load_workbook

    grow(cast, make_outflow, make_inflow, 4, 5)
    client = as_user("sec_a")
    table = client.get(reverse("reports:statistics")).context["table"]
    response = client.get(reverse("reports:statistics"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "二级党组织" and rows[-1][0] == "合计"
    assert [r[0] for r in rows[1:-1]] == [str(r["organization"]) for r in table["rows"]]
    assert rows[-1][3] == table["totals"]["outflow"] == 4


def test_above_the_live_limit_the_heat_map_and_home_link_instead_of_computing(
    as_user, cast, make_outflow, settings
):
    make_outflow("registered")
    make_outflow("registered", member=cast["members"]["a0_member"])
    settings.FLOWPARTY_LIVE_COMPLIANCE_LIMIT = 1
    client = as_user("orgdept")
    heat = client.get(reverse("reports:dashboard")).context["heatmap"]
    assert heat["too_many"] and heat["cells"] == []
    home = client.get(reverse("home")).content.decode()
    assert reverse("responsibilities:overview") in home and 'data-counter="checklist-met"' not in home


def test_the_compliance_matrix_exports_to_excel(as_user, cast, make_outflow):
    import io

    from openpyxl import load_workbook

    make_outflow("registered", days_ago=100)
    client = as_user("sec_a")
    url = reverse("responsibilities:org_matrix", args=[cast["org_a"].pk])
    matrix = client.get(url).context["matrix"]
    book = load_workbook(io.BytesIO(b"".join(client.get(url, {"format": "xlsx"}).streaming_content)))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:2] == ("姓名", "工号/学号")
    assert [r[0] for r in rows[1:-1]] == [row.member.name for row in matrix.outflow_rows]
    assert rows[-1][0].startswith("合计")
    assert as_user("sec_b").get(url, {"format": "xlsx"}).status_code == 404


def test_the_roster_export_takes_the_same_number_of_queries_at_two_sizes(as_user, cast):
    client = as_user("orgdept")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("exports:export", args=["members"]))
            b"".join(response.streaming_content)
        return len(ctx)

    for _ in range(2):
        MemberFactory(branch=cast["branch_a0"], secondary=cast["org_a"], id_number="")
    small = queries()
    for i in range(10):
        member = MemberFactory(branch=cast["branch_a0"], secondary=cast["org_a"])
        member.id_number = "11010519491231002X" if i == 0 else ""
        member.save()
    assert queries() == small
