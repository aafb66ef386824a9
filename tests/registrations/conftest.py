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
