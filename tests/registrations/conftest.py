from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import User
from registrations import services
from registrations.models import Division, InflowSource


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def sec_a(cast):
    return User.objects.get(username="sec_a")


@pytest.fixture
def outflow_data(divisions, today):
    def _data(county="510104", **overrides):
        data = {
            "contact_phone": "13900001111",
            "destination_unit": "四川大学",
            "unit_has_party_org": True,
            "destination_org_name": "四川大学某党支部",
            "destination_org_kind": "unit",
            "destination_county": Division.objects.get(pk=county),
            "departure_on": today - timedelta(days=5),
            "expected_return_on": today + timedelta(days=300),
            "paired_contact": "李老师",
            "reason": "degree_study",
        }
        data.update(overrides)
        return data

    return _data


@pytest.fixture
def make_outflow(cast, sec_a, outflow_data, today):
    """An outflow of a member of sec_a's organisation, in the state asked for."""

    def _make(state="registered", member=None, days_ago=10, county="510104"):
        member = member or cast["members"]["a1_member"]
        outflow = services.outflow_create(
            actor=sec_a,
            member=member,
            data=outflow_data(county),
            register=state != "draft",
            registered_on=today - timedelta(days=days_ago),
        )
        steps = {
            "reported": ["report_in"],
            "accepted": ["report_in", "accept"],
            "refused": ["refuse"],
            "ended": ["end"],
        }.get(state, [])
        for step in steps:
            if step == "report_in":
                services.outflow_report_in(
                    outflow=outflow, actor=sec_a, reported_on=today - timedelta(days=3)
                )
            elif step == "accept":
                services.outflow_accept(outflow=outflow, actor=sec_a, accepted_on=today - timedelta(days=1))
            elif step == "refuse":
                services.outflow_refuse(outflow=outflow, actor=sec_a, refused_on=today, reason="单位无党组织")
            elif step == "end":
                services.outflow_end(outflow=outflow, actor=sec_a, ended_on=today, end_reason="returned")
        outflow.refresh_from_db()
        return outflow

    return _make


@pytest.fixture
def inflow_data(divisions, today):
    def _data(county="510104", **overrides):
        data = {
            "origin_org_name": "中共四川师范大学委员会",
            "origin_county": Division.objects.get(pk=county),
            "origin_registered_on": today - timedelta(days=10),
            "source": InflowSource.PLATFORM,
        }
        data.update(overrides)
        return data

    return _data


@pytest.fixture
def make_inflow(cast, sec_a, inflow_data, today):
    def _make(state="notified", number="IN0001", county="510104"):
        inflow = services.inflow_create(
            actor=sec_a,
            secondary=cast["org_a"],
            data=inflow_data(county),
            new_person={"name": "外来党员", "gender": "male", "number": number, "category": "new_teacher"},
        )
        if state in ("contacted", "registered", "accepted", "managed_by_origin", "ended"):
            services.inflow_contact(inflow=inflow, actor=sec_a, contacted_on=today - timedelta(days=5))
        if state in ("registered", "accepted", "managed_by_origin", "ended"):
            services.inflow_register(inflow=inflow, actor=sec_a, registered_on=today - timedelta(days=4))
        if state in ("accepted", "ended"):
            services.inflow_accept(inflow=inflow, actor=sec_a, branch=cast["branch_a0"], accepted_on=today)
        if state == "managed_by_origin":
            services.inflow_record_origin_management(
                inflow=inflow, actor=sec_a, origin_mpo_name="流动党员党支部", origin_confirmed_on=today
            )
        if state == "ended":
            services.inflow_end(inflow=inflow, actor=sec_a, ended_on=today, end_reason="transferred")
        inflow.refresh_from_db()
        return inflow

    return _make


@pytest.fixture
def users(cast):
    """The approvers of the chain: branch_a1 (branch step for branch_a1's members), sec_a, orgdept."""
    return {
        name: User.objects.get(username=name)
        for name in ("orgdept", "sec_a", "sec_b", "branch_a1", "member_a")
    }


@pytest.fixture
def make_transfer(cast, users, divisions, today):
    """A transfer of a member of sec_a's organisation (a1_member, branch_a1 by default), in the state asked for:
    draft, branch, secondary, department (pending at that step), returned, refused, approved, completed,
    cancelled."""
    from registrations import transfer_services as ts

    def _make(state="draft", *, direction="out", member=None, checks=True, **data):
        member = member or cast["members"]["a1_member"]
        if direction == "out":
            defaults = {
                "to_org_name": "中共四川大学委员会文学与新闻学院委员会",
                "other_county": Division.objects.get(pk="510107"),
            }
        elif direction == "internal":
            defaults = {"to_branch": cast["branch_a0"]}
        else:
            defaults = {
                "from_org_name": "中共四川师范大学委员会",
                "other_county": Division.objects.get(pk="510104"),
                "to_branch": cast["branch_a0"],
            }
        defaults.update(data)
        transfer = ts.transfer_create(actor=users["sec_a"], member=member, direction=direction, data=defaults)
        if state == "draft":
            return transfer
        if state == "cancelled":
            return ts.transfer_cancel(transfer=transfer, actor=users["sec_a"], reason="计划变更")
        ts.transfer_submit(transfer=transfer, actor=users["sec_a"])
        approvers = [users["branch_a1"] if transfer.branch_id == cast["branch_a1"].pk else users["sec_a"]]
        approvers += [users["sec_a"], users["orgdept"]]
        stop = {"branch": 0, "returned": 0, "refused": 0, "secondary": 1, "department": 2}.get(state, 3)
        for approver in approvers[:stop]:
            ts.transfer_approve(transfer=transfer, actor=approver)
        if state == "returned":
            return ts.transfer_return(transfer=transfer, actor=approvers[0], reason="请补充接收党组织全称")
        if state == "refused":
            return ts.transfer_refuse(
                transfer=transfer, actor=approvers[0], reason="该党员档案存在问题，待核实"
            )
        if state in ("branch", "secondary", "department", "approved"):
            if state == "approved" and checks:
                _check_all(transfer)
            return transfer
        _check_all(transfer)
        if transfer.has_letter:
            ts.transfer_letter_print(transfer=transfer, actor=users["sec_a"])
        return ts.transfer_complete(transfer=transfer, actor=users["sec_a"], completed_on=today)

    def _check_all(transfer):
        for check in transfer.checks.all():
            ts.transfer_check(
                transfer=transfer,
                actor=users["sec_a"],
                item=check.item,
                dues_paid_until=today.replace(day=1) if check.item == "dues_paid" else None,
            )

    return _make
