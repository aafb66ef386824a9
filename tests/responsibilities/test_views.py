"""The checklists as people use them, through the test client."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import User
from responsibilities import selectors, services
from responsibilities.models import (
    Attendance,
    Consultation,
    ContactLog,
    DuesAllocation,
    DuesPayment,
    OrgLifeSession,
    RoleActivity,
    ThoughtReport,
)
from tests.factories import MemberFactory


def test_a_secretary_logs_a_contact_from_the_member_page(as_user, cast, make_outflow, today):
    member = make_outflow(days_ago=3).member
    client = as_user("sec_a")
    page = client.get(member.get_absolute_url()).content.decode()
    assert 'id="checklist"' in page and 'data-item="A1.2"' in page and "抓定期联系" in page
    url = reverse("responsibilities:member_record_create", args=[member.pk, "contact"])
    response = client.post(
        url,
        {
            "contacted_on": today.isoformat(),
            "method": "home_visit",
            "with_whom": "本人",
            "learnt": "工作顺利",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#checklist")
    assert ContactLog.objects.get().method == "home_visit"
    page = client.get(member.get_absolute_url()).content.decode()
    assert "工作顺利" in page


def test_a_bad_record_is_explained_and_nothing_is_saved(as_user, cast, today):
    member = cast["members"]["a1_member"]
    url = reverse("responsibilities:member_record_create", args=[member.pk, "contact"])
    response = as_user("sec_a").post(
        url,
        {
            "contacted_on": (today + timedelta(days=2)).isoformat(),
            "method": "phone",
            "with_whom": "x",
            "learnt": "y",
        },
    )
    assert response.status_code == 200 and "alert-danger" in response.content.decode()
    assert not ContactLog.objects.exists()


def test_an_unknown_kind_of_record_is_not_found(as_user, cast):
    url = reverse("responsibilities:member_record_create", args=[cast["members"]["a1_member"].pk, "nonsense"])
    assert as_user("sec_a").get(url).status_code == 404


def test_the_evaluation_result_is_fed_back_from_the_member_page(as_user, cast, sec_a, make_inflow, today):
    member = make_inflow(state="accepted").member
    evaluation = services.evaluation_record(
        actor=sec_a,
        member=member,
        data={
            "year": today.year,
            "agreed_with_origin_on": today,
            "evaluated_on": today,
            "result": "excellent",
        },
    )
    client = as_user("sec_a")
    assert 'data-records="evaluation"' in client.get(member.get_absolute_url()).content.decode()
    response = client.post(
        reverse("responsibilities:record_follow_up", args=["evaluation", evaluation.pk]),
        {"fed_back_on": today.isoformat()},
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.fed_back_on == today


def test_a_secretary_records_a_session_with_its_attendance(as_user, cast, make_outflow, today):
    member = make_outflow(days_ago=3).member
    client = as_user("sec_a")
    form = client.get(reverse("responsibilities:session_create")).content.decode()
    assert member.name in form and cast["members"]["b_member"].name not in form
    response = client.post(
        reverse("responsibilities:session_create"),
        {
            "secondary": cast["org_a"].pk,
            "branch": "",
            "kind": "org_life",
            "title": "国庆节流动党员座谈",
            "held_on": today.isoformat(),
            "mode": "both",
            "attendees": [member.pk],
        },
    )
    session = OrgLifeSession.objects.get()
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    assert list(Attendance.objects.values_list("member", flat=True)) == [member.pk]
    detail = client.get(session.get_absolute_url()).content.decode()
    assert member.name in detail
    assert "国庆节流动党员座谈" in client.get(reverse("responsibilities:session_list")).content.decode()


def test_a_session_shows_the_occasion_it_falls_around(cast, sec_a):
    from datetime import date

    session = OrgLifeSession(
        secondary=cast["org_a"], kind="org_life", title="t", held_on=date(2025, 10, 2), mode="online"
    )
    assert [str(o) for o in session.occasions] == ["国庆节"] or [str(o) for o in session.occasions] == [
        "National Day"
    ]


def test_a_secretary_records_a_consultation_on_a_major_matter(as_user, cast, make_outflow, today):
    member = make_outflow(days_ago=3).member
    response = as_user("sec_a").post(
        reverse("responsibilities:consultation_create"),
        {
            "secondary": cast["org_a"].pk,
            "matter": "performance_pay",
            "subject": "绩效分配方案",
            "consulted_on": today.isoformat(),
            "opinions": "同意",
            "members": [member.pk],
        },
    )
    assert response.status_code == 302
    assert list(Consultation.objects.get().members.all()) == [member]


def test_the_department_allots_dues_and_the_organisation_spends_them(as_user, cast, today):
    response = as_user("orgdept").post(
        reverse("responsibilities:allocation_create"),
        {
            "year": today.year,
            "secondary": cast["org_a"].pk,
            "amount": "5000",
            "allotted_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    allocation = DuesAllocation.objects.get()
    client = as_user("sec_a")
    response = client.post(
        reverse("responsibilities:expense_create", args=[allocation.pk]),
        {"spent_on": today.isoformat(), "purpose": "education", "amount": "6000", "description": "培训"},
    )
    assert response.status_code == 200 and not allocation.expenses.exists()  # more than allotted
    client.post(
        reverse("responsibilities:expense_create", args=[allocation.pk]),
        {"spent_on": today.isoformat(), "purpose": "education", "amount": "1200", "description": "培训"},
    )
    assert "1200" in client.get(reverse("responsibilities:allocation_list")).content.decode()
    assert "5000" not in as_user("sec_b").get(reverse("responsibilities:allocation_list")).content.decode()


# --- The member's own duties ------------------------------------------------------------------------------


def test_the_member_sees_the_five_duties_and_does_them_from_a_phone(as_user, cast, make_outflow, today):
    make_outflow(member=cast["members"]["member_a"], state="registered", days_ago=4)
    client = as_user("member_a")
    page = client.get(reverse("responsibilities:me")).content.decode()
    for code, title in [
        ("A3.1", "行前要报告"),
        ("A3.2", "流入要报到"),
        ("A3.3", "平常要联系"),
        ("A3.4", "变化要汇报"),
        ("A3.5", "作用要发挥"),
    ]:
        assert f'data-duty="{code}"' in page and title in page
    assert reverse("registrations:me_arrival") in page and reverse("registrations:me_change") in page
    client.post(
        reverse("responsibilities:me_record", args=["thought_report"]),
        {"submitted_on": today.isoformat(), "title": "思想汇报", "content": "认真学习"},
    )
    client.post(
        reverse("responsibilities:me_record", args=["dues"]),
        {
            "paid_on": today.isoformat(),
            "paid_through": today.strftime("%Y-%m"),
            "amount": "25",
            "paid_to": "",
        },
    )
    client.post(
        reverse("responsibilities:me_record", args=["role_activity"]),
        {"kind": "dual_reporting", "held_on": today.isoformat(), "description": "社区报到"},
    )
    assert ThoughtReport.objects.get().member == cast["members"]["member_a"]
    assert DuesPayment.objects.get().paid_through == today.replace(day=1)
    assert RoleActivity.objects.get().by_member
    (row,) = selectors.member_rows(
        user=User.objects.get(username="member_a"), member=cast["members"]["member_a"]
    )
    assert row.results["A3.3"].status == "met" and row.results["A3.5"].status == "met"


def test_a_member_who_has_not_left_is_sent_to_report_before_leaving(as_user, cast):
    page = as_user("member_a").get(reverse("responsibilities:me")).content.decode()
    assert reverse("registrations:me_departure") in page


def test_the_member_does_not_see_supervision_records_about_themself(
    as_user, cast, sec_a, make_outflow, today
):
    member = cast["members"]["member_a"]
    make_outflow(member=member, days_ago=4)
    services.supervision_record(
        actor=sec_a, member=member, data={"kind": "reminder_talk", "occurred_on": today, "issue": "秘密事项"}
    )
    assert "秘密事项" not in as_user("member_a").get(member.get_absolute_url()).content.decode()
    assert "秘密事项" in as_user("sec_a").get(member.get_absolute_url()).content.decode()


# --- The matrix and the overview ----------------------------------------------------------------------------


def _mobile_members_with_records(cast, make_outflow, sec_a, today, n, start):
    for i in range(n):
        member = MemberFactory(secondary=cast["org_a"], branch=cast["branch_a1"], number=f"Q{start + i:05d}")
        make_outflow(member=member, days_ago=3)
        services.contact_record(
            actor=sec_a,
            member=member,
            data={"contacted_on": today, "method": "phone", "with_whom": "本人", "learnt": "好"},
        )
        services.dues_record(
            actor=sec_a, member=member, data={"paid_on": today, "paid_through": today, "amount": 10}
        )


def test_the_matrix_shows_every_mobile_member_and_item_with_totals(
    as_user, cast, make_outflow, make_inflow, sec_a, today
):
    _mobile_members_with_records(cast, make_outflow, sec_a, today, 2, 0)
    make_inflow(state="registered")
    page = (
        as_user("sec_a").get(reverse("responsibilities:org_matrix", args=[cast["org_a"].pk])).content.decode()
    )
    assert page.count('data-member="Q0') == 2 and 'data-member="IN0001"' in page
    assert 'data-matrix="outflow"' in page and 'data-matrix="inflow"' in page
    assert page.count('data-item="A1.2"><span class="badge text-bg-success"') == 2
    assert "<tfoot" in page


def test_the_branch_secretary_sees_only_the_branchs_members_in_the_matrix(as_user, cast, make_outflow):
    make_outflow(days_ago=3)  # a1_member, in branch_a1
    make_outflow(member=cast["members"]["a0_member"], days_ago=3)
    page = (
        as_user("branch_a1")
        .get(reverse("responsibilities:org_matrix", args=[cast["org_a"].pk]))
        .content.decode()
    )
    assert cast["members"]["a1_member"].number in page and cast["members"]["a0_member"].number not in page


@pytest.mark.parametrize(
    "name", ["responsibilities:org_matrix", "responsibilities:overview", "members:detail"]
)
def test_compliance_pages_take_the_same_number_of_queries_at_two_sizes(
    as_user, cast, make_outflow, sec_a, today, name
):
    client = as_user("orgdept")
    _mobile_members_with_records(cast, make_outflow, sec_a, today, 2, 0)
    args = {
        "responsibilities:org_matrix": [cast["org_a"].pk],
        "responsibilities:overview": [],
        "members:detail": [cast["members"]["a1_member"].pk],
    }[name]
    url = reverse(name, args=args)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _mobile_members_with_records(cast, make_outflow, sec_a, today, 12, 100)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(small) == len(large)


def test_the_overview_counts_each_organisation(as_user, cast, make_outflow, sec_a, today):
    _mobile_members_with_records(cast, make_outflow, sec_a, today, 3, 0)
    summaries = {
        s.organization.code: s for s in selectors.overview(user=User.objects.get(username="orgdept"))
    }
    assert summaries["S01"].outflow_members == 3 and summaries["S02"].outflow_members == 0
    assert summaries["S01"].totals["met"] == 3  # A1.2 (contact) for each; not reported in, so A3.2 is not met
    page = as_user("orgdept").get(reverse("responsibilities:overview")).content.decode()
    assert 'data-org="S01"' in page and 'data-org="S02"' in page
    assert 'data-org="S02"' not in as_user("sec_a").get(reverse("responsibilities:overview")).content.decode()


def test_the_home_page_shows_the_checklist_totals(as_user, cast, make_outflow):
    make_outflow(days_ago=3)
    page = as_user("sec_a").get(reverse("home")).content.decode()
    assert 'data-counter="checklist-overdue"' in page
    assert reverse("responsibilities:me") in as_user("member_a").get(reverse("home")).content.decode()


# --- Demo data --------------------------------------------------------------------------------------------


@override_settings(DEBUG=True)
def test_the_demo_shows_met_due_overdue_and_exempt_items_and_loads_twice_without_duplicates(db, divisions):
    from responsibilities import models

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counted = [
        models.ContactLog,
        models.OrgLifeSession,
        models.Attendance,
        models.RoleActivity,
        models.CareVisit,
        models.DemocraticEvaluation,
        models.Supervision,
        models.DuesPayment,
        models.ThoughtReport,
        models.Consultation,
        models.DuesAllocation,
        models.DuesExpense,
        models.InterDepartmentConsultation,
    ]
    counts = [m.objects.count() for m in counted]
    assert all(counts), dict(zip([m.__name__ for m in counted], counts, strict=True))
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [m.objects.count() for m in counted] == counts
    sec_a = User.objects.get(username="sec_a")
    org = sec_a.role_assignments.get().secondary
    matrix = selectors.organization_matrix(user=sec_a, organization=org)
    assert {"met", "due", "overdue", "exempt"} <= {k for k, v in matrix.totals.items() if v}


def test_the_matrix_is_paged_and_keeps_its_totals_over_every_row(
    as_user, cast, make_outflow, sec_a, today, monkeypatch
):
    monkeypatch.setattr(selectors, "MATRIX_PAGE_SIZE", 2)
    _mobile_members_with_records(cast, make_outflow, sec_a, today, 3, 0)
    url = reverse("responsibilities:org_matrix", args=[cast["org_a"].pk])
    first = as_user("sec_a").get(url)
    matrix = first.context["matrix"]
    assert matrix.live and [r.member.number for r in matrix.outflow_page.object_list] == ["Q00000", "Q00001"]
    assert sum(t["met"] for t in matrix.outflow_totals) >= 3  # the totals count all three rows
    page = first.content.decode()
    assert page.count('data-member="Q0') == 2 and "<tfoot" in page and "?op=2&amp;ip=1" in page
    second = as_user("sec_a").get(url, {"op": 2}).content.decode()
    assert second.count('data-member="Q0') == 1 and 'data-member="Q00002"' in second


def test_above_the_live_limit_only_the_shown_page_is_computed_and_there_are_no_totals(
    as_user, cast, make_outflow, sec_a, today, monkeypatch, settings
):
    monkeypatch.setattr(selectors, "MATRIX_PAGE_SIZE", 2)
    _mobile_members_with_records(cast, make_outflow, sec_a, today, 3, 0)
    live = selectors.organization_matrix(user=sec_a, organization=cast["org_a"], everything=True)
    settings.FLOWPARTY_LIVE_COMPLIANCE_LIMIT = 2
    client = as_user("sec_a")
    url = reverse("responsibilities:org_matrix", args=[cast["org_a"].pk])
    response = client.get(url, {"op": 2})
    matrix = response.context["matrix"]
    assert not matrix.live and matrix.totals is None
    assert [r.member.number for r in matrix.outflow_page.object_list] == ["Q00002"]
    # The same results as when everything is computed.
    assert matrix.outflow_page.object_list[0].results == live.outflow_rows[2].results
    page = response.content.decode()
    assert "data-not-live" in page and "<tfoot" not in page and "?op=1&amp;ip=1" in page

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _mobile_members_with_records(cast, make_outflow, sec_a, today, 5, 100)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small) == len(large)


def test_a_large_organisations_matrix_export_is_prepared_in_the_background(
    as_user, cast, make_outflow, sec_a, today, settings
):
    import io

    from openpyxl import load_workbook

    from members.models import Notification

    _mobile_members_with_records(cast, make_outflow, sec_a, today, 3, 0)
    settings.FLOWPARTY_LIVE_COMPLIANCE_LIMIT = 2
    client = as_user("sec_a")
    url = reverse("responsibilities:org_matrix", args=[cast["org_a"].pk])
    offer = client.get(url, {"format": "xlsx"})
    action = reverse("responsibilities:matrix_export_prepare", args=[cast["org_a"].pk])
    assert offer.status_code == 200 and f'action="{action}"' in offer.content.decode()
    # Celery runs eagerly in tests: the file is ready when the download page is reached.
    download = client.post(action, follow=True)
    data = b"".join(download.streaming_content)
    rows = list(load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True))
    assert [r[1] for r in rows[1:-1]] == ["Q00000", "Q00001", "Q00002"] and rows[-1][0].startswith("合计")
    note = Notification.objects.get(recipient__username="sec_a", kind="export_ready")
    assert "责任清单落实情况" in note.title
    assert as_user("sec_b").post(action).status_code == 404
