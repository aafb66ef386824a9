"""Every legal and illegal state change, and every kind of bad input: a Chinese message, nothing written."""

from datetime import timedelta

import pytest

from registrations import rules, services
from registrations.models import Division, InflowRegistration, OutflowRegistration, RegistrationEvent
from registrations.services import RegistrationError

OUTFLOW_STATES = ["draft", "registered", "reported", "accepted", "refused", "ended"]
INFLOW_STATES = ["notified", "contacted", "registered", "accepted", "managed_by_origin", "ended"]


def test_registering_starts_the_clock_30_days_within_sichuan(make_outflow, today):
    outflow = make_outflow("registered", days_ago=10, county="510104")
    assert outflow.due_on == today - timedelta(days=10) + timedelta(days=30)
    assert outflow.flow_scope == "same_province"
    assert outflow.clock().days_left == 20
    assert outflow.member.mobility_reason == "degree_study"


def test_a_cross_province_outflow_gets_60_days(make_outflow, today):
    outflow = make_outflow("registered", days_ago=10, county="440305")
    assert outflow.due_on == today + timedelta(days=50)
    assert outflow.flow_scope == "other_province"


def test_intake_stops_the_clock_and_is_on_time(make_outflow):
    outflow = make_outflow("accepted")
    assert outflow.intake_completed_on == outflow.accepted_on
    assert outflow.clock().on_time is True
    assert not OutflowRegistration.objects.overdue().filter(pk=outflow.pk).exists()


def test_an_unaccepted_outflow_past_its_due_date_is_overdue(make_outflow):
    outflow = make_outflow("registered", days_ago=31)
    assert outflow.clock().is_overdue
    assert OutflowRegistration.objects.overdue().filter(pk=outflow.pk).exists()


def _do(action, outflow, actor, today):
    calls = {
        "register": lambda: services.outflow_register(outflow=outflow, actor=actor, registered_on=today),
        "report_in": lambda: services.outflow_report_in(outflow=outflow, actor=actor, reported_on=today),
        "accept": lambda: services.outflow_accept(outflow=outflow, actor=actor, accepted_on=today),
        "refuse": lambda: services.outflow_refuse(
            outflow=outflow, actor=actor, refused_on=today, reason="无"
        ),
        "end": lambda: services.outflow_end(
            outflow=outflow, actor=actor, ended_on=today, end_reason="cancelled"
        ),
    }
    return calls[action]()


@pytest.mark.parametrize("state", OUTFLOW_STATES)
@pytest.mark.parametrize("action", list(rules.OUTFLOW_TRANSITIONS))
def test_every_outflow_transition_is_allowed_or_refused_as_the_rules_say(
    make_outflow, sec_a, today, state, action
):
    outflow = make_outflow(state)
    events = RegistrationEvent.objects.filter(outflow=outflow).count()
    if state == "draft" and action == "report_in":
        # The member may report in before the secretary completes the draft: kept, state unchanged.
        _do(action, outflow, sec_a, today)
        outflow.refresh_from_db()
        assert outflow.state == "draft" and outflow.reported_on == today
        services.outflow_register(outflow=outflow, actor=sec_a, registered_on=today)
        assert outflow.state == "reported"
        return
    if rules.can_transition(rules.OUTFLOW_TRANSITIONS, state, action):
        _do(action, outflow, sec_a, today)
        outflow.refresh_from_db()
        expected = rules.OUTFLOW_TARGET[action]
        if action == "register" and outflow.reported_on:
            expected = "reported"
        assert outflow.state == expected
        assert RegistrationEvent.objects.filter(outflow=outflow).count() == events + 1
    else:
        with pytest.raises(RegistrationError) as exc:
            _do(action, outflow, sec_a, today)
        assert "不能" in str(exc.value) or "只能" in str(exc.value)
        outflow.refresh_from_db()
        assert outflow.state == state
        assert RegistrationEvent.objects.filter(outflow=outflow).count() == events


def _do_inflow(action, inflow, actor, cast, today):
    calls = {
        "contact": lambda: services.inflow_contact(inflow=inflow, actor=actor, contacted_on=today),
        "register": lambda: services.inflow_register(inflow=inflow, actor=actor, registered_on=today),
        "accept": lambda: services.inflow_accept(
            inflow=inflow, actor=actor, branch=cast["branch_a0"], accepted_on=today
        ),
        "record_origin_management": lambda: services.inflow_record_origin_management(
            inflow=inflow, actor=actor, origin_mpo_name="某流动党员党支部", origin_confirmed_on=today
        ),
        "end": lambda: services.inflow_end(inflow=inflow, actor=actor, ended_on=today, end_reason="returned"),
    }
    return calls[action]()


@pytest.mark.parametrize("state", INFLOW_STATES)
@pytest.mark.parametrize("action", list(rules.INFLOW_TRANSITIONS))
def test_every_inflow_transition_is_allowed_or_refused_as_the_rules_say(
    make_inflow, sec_a, cast, today, state, action
):
    inflow = make_inflow(state)
    if rules.can_transition(rules.INFLOW_TRANSITIONS, state, action):
        _do_inflow(action, inflow, sec_a, cast, today)
        inflow.refresh_from_db()
        assert inflow.state == rules.INFLOW_TARGET[action]
    else:
        with pytest.raises(RegistrationError):
            _do_inflow(action, inflow, sec_a, cast, today)
        inflow.refresh_from_db()
        assert inflow.state == state


def test_a_second_open_outflow_is_refused(make_outflow, sec_a, cast, outflow_data):
    make_outflow("registered")
    with pytest.raises(RegistrationError, match="未结束的流出登记"):
        services.outflow_create(actor=sec_a, member=cast["members"]["a1_member"], data=outflow_data())
    assert OutflowRegistration.objects.filter(member=cast["members"]["a1_member"]).count() == 1


def test_after_an_outflow_ends_a_new_one_may_start_and_both_stay_in_history(
    make_outflow, sec_a, cast, outflow_data
):
    make_outflow("ended")
    services.outflow_create(
        actor=sec_a, member=cast["members"]["a1_member"], data=outflow_data(), register=True
    )
    assert cast["members"]["a1_member"].outflows.count() == 2


def test_a_prefecture_is_not_a_county(sec_a, cast, outflow_data):
    with pytest.raises(RegistrationError, match="不是县级"):
        services.outflow_create(
            actor=sec_a,
            member=cast["members"]["a1_member"],
            register=True,
            data=outflow_data(destination_county=Division.objects.get(pk="511100")),
        )
    assert not OutflowRegistration.objects.exists()


def test_departure_after_expected_return_is_refused(sec_a, cast, outflow_data, today):
    with pytest.raises(RegistrationError, match="外出时间晚于预计返回时间"):
        services.outflow_create(
            actor=sec_a,
            member=cast["members"]["a1_member"],
            data=outflow_data(departure_on=today, expected_return_on=today - timedelta(days=1)),
        )
    assert not OutflowRegistration.objects.exists()


def test_a_registration_date_in_the_future_is_refused(sec_a, cast, outflow_data, today):
    with pytest.raises(RegistrationError, match="不能晚于今天"):
        services.outflow_create(
            actor=sec_a,
            member=cast["members"]["a1_member"],
            data=outflow_data(),
            register=True,
            registered_on=today + timedelta(days=1),
        )
    assert not OutflowRegistration.objects.exists()  # the draft is rolled back with the failed registration


def test_registering_needs_the_fields_art_2_requires(sec_a, cast, outflow_data):
    outflow = services.outflow_create(
        actor=sec_a,
        member=cast["members"]["a1_member"],
        data=outflow_data(paired_contact="", destination_county=None),
    )
    with pytest.raises(RegistrationError, match="结对联系人"):
        services.outflow_register(outflow=outflow, actor=sec_a, registered_on=outflow.created_at.date())


def test_a_refusal_needs_a_reason(make_outflow, sec_a, today):
    outflow = make_outflow("reported")
    with pytest.raises(RegistrationError, match="原因"):
        services.outflow_refuse(outflow=outflow, actor=sec_a, refused_on=today, reason="  ")


def test_after_a_refusal_the_member_is_placed_elsewhere_and_the_clock_restarts(make_outflow, sec_a, today):
    outflow = make_outflow("refused", days_ago=20)
    services.outflow_register(outflow=outflow, actor=sec_a, registered_on=today)
    assert outflow.state == "registered" and outflow.due_on == today + timedelta(days=30)
    assert outflow.refusal_reason == ""


def test_accepting_an_inflow_needs_a_branch(make_inflow, sec_a, today):
    inflow = make_inflow("registered")
    with pytest.raises(RegistrationError, match="党支部"):
        services.inflow_accept(inflow=inflow, actor=sec_a, branch=None, accepted_on=today)
    inflow.refresh_from_db()
    assert inflow.state == "registered"


def test_accepting_an_inflow_into_another_organisations_branch_is_refused(make_inflow, sec_a, cast, today):
    inflow = make_inflow("registered")
    with pytest.raises(RegistrationError):
        services.inflow_accept(inflow=inflow, actor=sec_a, branch=cast["branch_b0"], accepted_on=today)


def test_origin_management_needs_the_origins_confirmation(make_inflow, sec_a):
    inflow = make_inflow("registered")
    with pytest.raises(RegistrationError, match="核实"):
        services.inflow_record_origin_management(
            inflow=inflow, actor=sec_a, origin_mpo_name="某党支部", origin_confirmed_on=None
        )


def test_an_inflow_clock_counts_from_the_origins_registration(make_inflow, today):
    inflow = make_inflow("notified", county="430102")
    assert inflow.due_on == today - timedelta(days=10) + timedelta(days=60)
    assert inflow.flow_scope == "other_province"
    assert inflow.member.origin_organization == "中共四川师范大学委员会"
    assert inflow.member.branch is None


def test_origin_management_completes_the_intake(make_inflow):
    inflow = make_inflow("managed_by_origin")
    assert inflow.intake_completed_on == inflow.origin_confirmed_on
    assert not InflowRegistration.objects.intake_pending().filter(pk=inflow.pk).exists()


def test_another_organisations_secretary_cannot_touch_the_registration(make_outflow, cast, today):
    from members.models import User

    outflow = make_outflow("registered")
    with pytest.raises(RegistrationError):
        services.outflow_accept(outflow=outflow, actor=User.objects.get(username="sec_b"), accepted_on=today)


def test_the_timeline_records_every_change_with_its_actor(make_outflow):
    outflow = make_outflow("accepted")
    events = list(outflow.events.values_list("action", "to_state", "actor__username"))
    assert events == [
        ("create", "draft", "sec_a"),
        ("register", "registered", "sec_a"),
        ("report_in", "reported", "sec_a"),
        ("accept", "accepted", "sec_a"),
    ]
