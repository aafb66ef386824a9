"""Every page answers in a number of queries that does not depend on how much data there is: measured at two
sizes of the province-scale generator's data (members/demo/bulk.py), for each role that sees the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.demo import bulk

# name -> (URL builder over the world, users)
PAGES = {
    "home": (lambda w: reverse("home"), ["orgdept", "sec_a", "branch_a1", "member_a"]),
    "dashboard": (lambda w: reverse("reports:dashboard"), ["orgdept", "sec_a", "branch_a1"]),
    "member list": (lambda w: reverse("members:list"), ["orgdept", "sec_a", "branch_a1"]),
    "member list, page 2": (lambda w: reverse("members:list") + "?page=2", ["orgdept", "sec_a"]),
    "member list, keyset page": (lambda w: reverse("members:list") + "?after=B000000005", ["orgdept"]),
    "member search": (
        lambda w: reverse("members:list") + f"?q={w['members']['a1_member'].number}",
        ["orgdept", "sec_a"],
    ),
    "member search by name": (lambda w: reverse("members:list") + "?q=甲一党员", ["orgdept"]),
    "member list, filtered": (
        lambda w: reverse("members:list") + "?mobile=true&category=teacher",
        ["orgdept"],
    ),
    "member detail": (
        lambda w: reverse("members:detail", args=[w["outflow"].member_id]),
        ["orgdept", "sec_a", "branch_a1"],
    ),
    "outflow list": (lambda w: reverse("registrations:outflow_list"), ["orgdept", "sec_a", "branch_a1"]),
    "outflow list, page 2": (lambda w: reverse("registrations:outflow_list") + "?page=2", ["orgdept"]),
    "outflow list, filtered": (
        lambda w: (
            reverse("registrations:outflow_list") + f"?open=true&overdue=false&secondary={w['org_a'].pk}"
        ),
        ["orgdept", "sec_a"],
    ),
    "outflow detail": (
        lambda w: reverse("registrations:outflow_detail", args=[w["outflow"].pk]),
        ["orgdept", "sec_a", "branch_a1"],
    ),
    "inflow list": (lambda w: reverse("registrations:inflow_list"), ["orgdept", "sec_a"]),
    "inflow list, filtered": (
        lambda w: reverse("registrations:inflow_list") + "?timeliness=pending&q=党员",
        ["orgdept"],
    ),
    "inflow detail": (
        lambda w: reverse("registrations:inflow_detail", args=[w["inflow"].pk]),
        ["orgdept", "sec_a"],
    ),
    "statistics": (lambda w: reverse("reports:statistics"), ["orgdept", "sec_a"]),
    "pending work": (lambda w: reverse("registrations:pending_work"), ["orgdept"]),
}
CASES = [(name, user) for name, (_url, users) in PAGES.items() for user in users]
# Only the fixtures' records first (a page with one or two rows: a query per row would show), then enough for full
# pages and several of them.
SIZES = (0, 400)


@pytest.fixture
def world(cast, make_outflow, make_inflow, today):
    from registrations import jobs

    outflow = make_outflow("reported")
    inflow = make_inflow("contacted")
    jobs.campaign_open(
        today=today.replace(month=3, day=1)
    )  # the dashboard shows the latest campaign at both sizes
    return {**cast, "outflow": outflow, "inflow": inflow}


@pytest.mark.parametrize(("name", "username"), CASES, ids=[f"{n}-{u}" for n, u in CASES])
def test_a_page_makes_as_many_queries_with_more_data(world, as_user, name, username):
    build, _users = PAGES[name]
    client = as_user(username)
    counts = []
    for size in SIZES:
        bulk.generate(size, log=lambda _line: None)
        client.get(build(world))  # the first request of a session may do one-off work (session, scope)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(build(world))
        assert response.status_code == 200
        counts.append(len(ctx))
    assert bulk.bulk_member_count() == SIZES[-1]
    assert counts[0] == counts[1], f"{name} as {username}: {counts[0]} queries, then {counts[1]}"
