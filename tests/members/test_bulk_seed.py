"""seed_demo --members N: the province-scale generator writes data the rules would have written."""

from collections import Counter

import pytest
from django.conf import settings
from django.test import override_settings

from members.demo import bulk
from members.models import Member, Notification
from registrations import jobs, rules
from registrations.models import (
    ChangeReport,
    InflowRegistration,
    IntakeReminder,
    OutflowRegistration,
    RegistrationEvent,
    Screening,
)


@pytest.fixture
def seeded(cast):
    bulk.generate(2000, log=lambda _line: None)


def test_it_tops_the_bulk_members_up_to_the_size_asked(seeded):
    assert bulk.bulk_member_count() == 2000
    outflows = OutflowRegistration.objects.count()
    assert bulk.generate(2000, log=lambda _line: None) == {}
    bulk.generate(2100, log=lambda _line: None)
    assert bulk.bulk_member_count() == 2100
    assert OutflowRegistration.objects.count() > outflows


def test_outflows_follow_the_deadline_rules_in_every_state(seeded):
    home = settings.FLOWPARTY_HOME_PROVINCE_CODE
    outflows = list(OutflowRegistration.objects.all())
    assert {o.state for o in outflows} == {s.value for s in rules.OutflowState}
    for o in outflows:
        if o.registered_on is None:
            assert o.state in ("draft", "ended") and o.due_on is None
            continue
        assert o.due_on == rules.intake_deadline(
            registered_on=o.registered_on,
            destination_county_code=o.destination_county_id,
            home_province_code=home,
        )
        assert o.flow_scope == rules.flow_scope(
            origin_code=settings.FLOWPARTY_HOME_COUNTY_CODE, destination_code=o.destination_county_id
        )
        assert (o.intake_completed_on is not None) == (o.accepted_on is not None)
        assert o.intake_completed_on in (None, o.accepted_on)
        assert (
            o.registered_on
            <= (o.reported_on or o.registered_on)
            <= (o.accepted_on or o.reported_on or o.registered_on)
        )
    open_per_member = Counter(o.member_id for o in outflows if o.state != "ended")
    assert max(open_per_member.values()) == 1
    scopes = {o.flow_scope for o in outflows}
    assert {"other_province"} <= scopes and scopes & {"same_province", "same_city"}


def test_inflows_follow_the_deadline_rules_in_every_state(seeded):
    inflows = list(InflowRegistration.objects.select_related("member"))
    assert {i.state for i in inflows} == {s.value for s in rules.InflowState}
    for i in inflows:
        assert i.due_on == rules.intake_deadline(
            registered_on=i.origin_registered_on,
            destination_county_code=i.origin_county_id,
            home_province_code=settings.FLOWPARTY_HOME_PROVINCE_CODE,
        )
        assert (i.branch_id is not None) == (i.accepted_on is not None)
        assert i.member.branch_id is None and i.member.origin_organization


def test_the_clock_has_overdue_and_due_soon_work_and_records_of_every_kind(seeded):
    assert OutflowRegistration.objects.overdue().exists()
    assert OutflowRegistration.objects.due_within(7).exists()
    assert OutflowRegistration.objects.late().exists() and OutflowRegistration.objects.on_time().exists()
    assert RegistrationEvent.objects.count() > OutflowRegistration.objects.count()
    assert IntakeReminder.objects.filter(stage="overdue").exists()
    assert Notification.objects.filter(recipient__username="sec_a").exists()
    assert ChangeReport.objects.exists() and Screening.objects.exists()
    assert Member.objects.filter(number__startswith="B", mobility_reason="").exists()


def test_the_deadline_job_runs_on_it_once(seeded):
    jobs.intake_deadlines_check()
    assert jobs.intake_deadlines_check() == {"sent": 0, "escalated": 0}


@override_settings(FLOWPARTY_BULK_GENERATORS=[])
def test_without_generators_only_members_are_made(cast):
    bulk.generate(50, log=lambda _line: None)
    assert bulk.bulk_member_count() == 50 and not OutflowRegistration.objects.exists()
