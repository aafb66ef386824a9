"""The pure rules, exhaustively: the intake deadline (Art. 2), flow scope, placement advice (Art. 3), states."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registrations import rules
from registrations.rules import OrgKind, intake_deadline

PREFIXES = sorted(rules.PROVINCE_PREFIXES)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_province_prefix_gets_30_days_at_home_and_60_elsewhere(prefix):
    registered = date(2025, 3, 1)
    due = intake_deadline(registered_on=registered, destination_county_code=f"{prefix}0102")
    assert due == registered + timedelta(days=30 if prefix == "51" else 60)


@pytest.mark.parametrize(
    ("registered", "code", "due"),
    [
        (date(2025, 1, 31), "511102", date(2025, 3, 2)),  # month end, February of a common year
        (date(2024, 1, 31), "511102", date(2024, 3, 1)),  # leap year
        (date(2024, 2, 29), "511102", date(2024, 3, 30)),  # from a leap day
        (date(2024, 2, 29), "110108", date(2024, 4, 29)),
        (date(2025, 12, 15), "511102", date(2026, 1, 14)),  # year end
        (date(2025, 12, 31), "440305", date(2026, 3, 1)),  # year end, cross-province, into March
        (date(2023, 12, 31), "440305", date(2024, 2, 29)),  # lands on a leap day
        (date(2025, 3, 1), "510104", date(2025, 3, 31)),  # the registration day is not counted
    ],
)
def test_deadline_at_month_and_year_ends_and_leap_days(registered, code, due):
    assert intake_deadline(registered_on=registered, destination_county_code=code) == due


@pytest.mark.parametrize("code", ["110101", "120101", "310101", "500101", "500229"])
def test_municipalities_are_other_provinces_for_sichuan(code):
    assert intake_deadline(registered_on=date(2025, 1, 1), destination_county_code=code) == date(2025, 3, 2)


def test_the_home_province_is_a_parameter():
    assert intake_deadline(
        registered_on=date(2025, 1, 1), destination_county_code="500103", home_province_code="50"
    ) == date(2025, 1, 31)


@pytest.mark.parametrize(
    "code", ["", "51110", "5111021", "51110A", "991102", "001102", None, 511102, "５１１１０２"]
)
def test_malformed_county_codes_raise(code):
    with pytest.raises(ValueError):
        intake_deadline(registered_on=date(2025, 1, 1), destination_county_code=code)


@pytest.mark.parametrize("home", ["", "5", "510", "99", None])
def test_a_malformed_home_province_raises(home):
    with pytest.raises(ValueError):
        intake_deadline(
            registered_on=date(2025, 1, 1), destination_county_code="511102", home_province_code=home
        )


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)), st.sampled_from(PREFIXES))
def test_the_deadline_is_always_30_or_60_days_later(registered, prefix):
    due = intake_deadline(registered_on=registered, destination_county_code=f"{prefix}0101")
    assert (due - registered).days == (30 if prefix == "51" else 60)


@pytest.mark.parametrize(
    ("origin", "destination", "scope"),
    [
        ("511102", "511111", rules.FlowScope.SAME_CITY),
        ("511102", "510104", rules.FlowScope.SAME_PROVINCE),
        ("511102", "500103", rules.FlowScope.OTHER_PROVINCE),
        ("500103", "500229", rules.FlowScope.SAME_CITY),  # 重庆: a municipality is one city
        ("110101", "110108", rules.FlowScope.SAME_CITY),
        ("429004", "420111", rules.FlowScope.SAME_PROVINCE),
    ],
)
def test_flow_scope(origin, destination, scope):
    assert rules.flow_scope(origin_code=origin, destination_code=destination) == scope


def test_flow_scope_rejects_malformed_codes():
    with pytest.raises(ValueError):
        rules.flow_scope(origin_code="511102", destination_code="51")


@pytest.mark.parametrize(
    ("situation", "advice"),
    [
        ({"unit_has_party_org": True}, [OrgKind.UNIT]),
        (
            {"unit_has_party_org": False},
            [OrgKind.PARK, OrgKind.BUILDING, OrgKind.BUSINESS_DISTRICT, OrgKind.TOWNSHIP, OrgKind.VILLAGE],
        ),
        (
            {"unit_has_party_org": False, "has_fixed_unit": False},
            [OrgKind.RESIDENCE, OrgKind.MOBILE_MEMBER_ORG],
        ),
        (
            {"unit_has_party_org": True, "has_fixed_unit": False},
            [OrgKind.RESIDENCE, OrgKind.MOBILE_MEMBER_ORG],
        ),
        (
            {"unit_has_party_org": False, "is_retiree_elsewhere": True},
            [OrgKind.RESIDENCE, OrgKind.MOBILE_MEMBER_ORG],
        ),
        (
            {"unit_has_party_org": True, "is_retiree_elsewhere": True},
            [OrgKind.RESIDENCE, OrgKind.MOBILE_MEMBER_ORG],
        ),
        (
            {"unit_has_party_org": False, "is_new_employment_graduate": True},
            [
                OrgKind.INDUSTRY_ASSOCIATION,
                OrgKind.TOWNSHIP,
                OrgKind.VILLAGE,
                OrgKind.PARK,
                OrgKind.PLATFORM_ENTERPRISE,
                OrgKind.PARTNER_ENTERPRISE,
                OrgKind.MOBILE_MEMBER_ORG,
            ],
        ),
    ],
)
def test_placement_advice_follows_art_3(situation, advice):
    assert rules.placement_advice(**situation) == advice


@given(st.booleans(), st.booleans(), st.booleans(), st.booleans())
def test_placement_advice_is_never_empty_and_never_repeats(unit_org, fixed, retiree, new_employment):
    advice = rules.placement_advice(
        unit_has_party_org=unit_org,
        has_fixed_unit=fixed,
        is_retiree_elsewhere=retiree,
        is_new_employment_graduate=new_employment,
    )
    assert advice and len(advice) == len(set(advice))


def test_the_clock_computes_status_from_today():
    clock = rules.IntakeClock(due_on=date(2025, 3, 31), completed_on=None, today=date(2025, 4, 2))
    assert clock.is_overdue and clock.days_overdue == 2 and clock.status == "overdue"
    assert (
        rules.IntakeClock(due_on=date(2025, 3, 31), completed_on=None, today=date(2025, 3, 31)).status
        == "due_soon"
    )
    assert rules.IntakeClock(
        due_on=date(2025, 3, 31), completed_on=date(2025, 3, 31), today=date(2025, 5, 1)
    ).on_time
    late = rules.IntakeClock(due_on=date(2025, 3, 31), completed_on=date(2025, 4, 1), today=date(2025, 5, 1))
    assert late.status == "late" and not late.is_overdue


@pytest.mark.parametrize(
    ("days_to_due", "stage"),
    [
        (8, None),
        (7, "d7"),
        (4, "d7"),
        (3, "d3"),
        (1, "d3"),
        (0, "d0"),
        (-1, "overdue"),
        (-30, "overdue"),
    ],
)
def test_the_reminder_stage_by_days_to_the_due_date(days_to_due, stage):
    due = date(2025, 3, 31)
    assert rules.reminder_stage_due(due_on=due, today=due - timedelta(days=days_to_due)) == stage


def test_after_a_missed_day_only_the_latest_stage_goes_out():
    due = date(2025, 3, 31)
    # d7 was sent; the job did not run on the d3 day nor the due date; the day after, only the escalation.
    assert rules.reminder_to_send(due_on=due, today=due + timedelta(days=1), sent={"d7"}) == "overdue"
    assert rules.reminder_to_send(due_on=due, today=due + timedelta(days=2), sent={"d7", "overdue"}) is None


@given(st.integers(min_value=-60, max_value=60), st.sets(st.sampled_from(["d7", "d3", "d0", "overdue"])))
def test_a_stage_is_never_sent_twice_nor_after_a_later_one(days_to_due, sent):
    due = date(2025, 6, 30)
    stage = rules.reminder_to_send(due_on=due, today=due - timedelta(days=days_to_due), sent=sent)
    if stage is not None:
        assert stage not in sent
        assert all(rules.STAGE_ORDER[rules.ReminderStage(s)] < rules.STAGE_ORDER[stage] for s in sent)
