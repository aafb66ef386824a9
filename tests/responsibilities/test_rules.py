"""The compliance computation (pure): each kind of item at period boundaries, and exempt members."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from responsibilities import rules
from responsibilities.rules import Cadence, ItemSpec, MemberFacts, Mobility, Record, RecordType, Rule, Status

CONTACT = ItemSpec("A1.2", "origin", Rule.RECORDS, Cadence.QUARTER, (RecordType.CONTACT,))
EDUCATION = ItemSpec(
    "A1.4", "origin", Rule.RECORDS, Cadence.HALF_YEAR, (RecordType.ORG_LIFE, RecordType.TRAINING), True
)
EVALUATION = ItemSpec("A2.5", "destination", Rule.RECORDS, Cadence.YEAR, (RecordType.EVALUATION,))
INFLOW_CONTACT = ItemSpec("A2.2", "destination", Rule.RECORDS, Cadence.QUARTER, (RecordType.CONTACT,))
REPORTING = ItemSpec("A1.1", "origin", Rule.OUTFLOW_REPORTING, Cadence.ONCE)
INTAKE = ItemSpec("A2.1", "destination", Rule.INFLOW_INTAKE, Cadence.ONCE)
DEPARTURE = ItemSpec("A3.1", "member", Rule.DEPARTURE_REPORT, Cadence.ONCE)
ARRIVAL = ItemSpec("A3.2", "member", Rule.ARRIVAL_AND_DUES, Cadence.QUARTER, (RecordType.DUES,))
PROBATION = ItemSpec(
    "A1.3",
    "origin",
    Rule.PROBATION,
    Cadence.HALF_YEAR,
    (RecordType.PROBATION_CONDUCT, RecordType.PROBATION_CONVERSION),
)
SUPERVISION = ItemSpec("A1.7", "origin", Rule.FOLLOW_UP, Cadence.AS_NEEDED, (RecordType.SUPERVISION,))
CHANGES = ItemSpec("A3.4", "member", Rule.RECORDS, Cadence.AS_NEEDED, (RecordType.CHANGE_REPORT,))

LAST_DAY_Q1 = date(2025, 3, 31)
FIRST_DAY_Q2 = date(2025, 4, 1)


def outflow(start=date(2025, 1, 1), **kwargs):
    defaults = {"kind": "outflow", "ref": "outflow-1", "start": start, "departure_on": start}
    return Mobility(**{**defaults, **kwargs})


def inflow(start=date(2025, 1, 1), **kwargs):
    return Mobility(**{"kind": "inflow", "ref": "inflow-1", "start": start, **kwargs})


def facts(mobility=None, records=(), **kwargs):
    return MemberFacts(member_id=1, mobility=mobility or outflow(), records=tuple(records), **kwargs)


# --- Periods ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cadence", "day", "start", "end", "key"),
    [
        (Cadence.QUARTER, LAST_DAY_Q1, date(2025, 1, 1), date(2025, 3, 31), "2025-Q1"),
        (Cadence.QUARTER, FIRST_DAY_Q2, date(2025, 4, 1), date(2025, 6, 30), "2025-Q2"),
        (Cadence.QUARTER, date(2025, 12, 31), date(2025, 10, 1), date(2025, 12, 31), "2025-Q4"),
        (Cadence.HALF_YEAR, date(2025, 6, 30), date(2025, 1, 1), date(2025, 6, 30), "2025-H1"),
        (Cadence.HALF_YEAR, date(2025, 7, 1), date(2025, 7, 1), date(2025, 12, 31), "2025-H2"),
        (Cadence.YEAR, date(2024, 2, 29), date(2024, 1, 1), date(2024, 12, 31), "2024"),
        (Cadence.MONTH, date(2024, 2, 29), date(2024, 2, 1), date(2024, 2, 29), "2024-02"),
    ],
)
def test_each_day_falls_in_one_calendar_period(cadence, day, start, end, key):
    period = rules.period_containing(cadence, day)
    assert (period.start, period.end, period.key) == (start, end, key)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)), st.sampled_from(rules.PERIODIC))
def test_periods_tile_the_calendar_without_gaps(day, cadence):
    period = rules.period_containing(cadence, day)
    assert period.contains(day)
    following = rules.period_containing(cadence, period.end + (date(2000, 1, 2) - date(2000, 1, 1)))
    assert following.start == date.fromordinal(period.end.toordinal() + 1)


# --- Art. 6 occasions ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 1, 29), {"spring_festival", "winter_holiday"}),  # 春节 2025
        (date(2025, 1, 22), {"spring_festival", "winter_holiday"}),  # a week before
        (date(2025, 1, 21), {"winter_holiday"}),
        (date(2025, 2, 13), {"spring_festival", "winter_holiday"}),  # 元宵 (day 15)
        (date(2025, 2, 14), {"winter_holiday"}),
        (
            date(2034, 3, 3),
            {"spring_festival", "winter_holiday"},
        ),  # a late festival stretches the winter holiday
        (date(2025, 5, 1), {"labour_day"}),
        (date(2025, 4, 24), {"labour_day"}),
        (date(2025, 4, 23), set()),
        (date(2025, 10, 7), {"national_day"}),
        (date(2025, 10, 15), set()),
        (date(2025, 7, 1), {"summer_holiday"}),
        (date(2025, 8, 31), {"summer_holiday"}),
        (date(2025, 9, 1), set()),
        (date(2025, 11, 20), set()),
    ],
)
def test_sessions_are_flagged_around_the_occasions_of_art_6(day, expected):
    assert {str(o) for o in rules.occasions_on(day)} == expected


def test_the_spring_festival_table_covers_2020_to_2035():
    assert sorted(rules.SPRING_FESTIVAL) == list(range(2020, 2036))
    assert all(date(y, 1, 21) <= d <= date(y, 2, 20) for y, d in rules.SPRING_FESTIVAL.items())


# --- Records per period (contact, education, evaluation) ---------------------------------------------------


def test_a_contact_in_the_quarter_meets_it_on_its_last_day():
    result = rules.evaluate(CONTACT, facts(records=[Record("contact", date(2025, 2, 10))]), LAST_DAY_Q1)
    assert result.status == Status.MET
    assert result.current.period.key == "2025-Q1" and result.current.done_on == date(2025, 2, 10)


def test_without_a_contact_the_quarter_is_due_on_its_last_day_and_overdue_the_next():
    before = rules.evaluate(CONTACT, facts(), LAST_DAY_Q1)
    assert before.status == Status.DUE and before.current.deadline == LAST_DAY_Q1
    after = rules.evaluate(CONTACT, facts(), FIRST_DAY_Q2)
    assert after.current.period.key == "2025-Q2" and after.current.status == Status.DUE
    assert [p.status for p in after.periods if p.period.key == "2025-Q1"] == [Status.OVERDUE]
    assert after.status == Status.OVERDUE  # still not done since last quarter's deadline


def test_last_quarters_contact_does_not_meet_the_new_quarter():
    last_quarter = facts(records=[Record("contact", LAST_DAY_Q1)])
    result = rules.evaluate(CONTACT, last_quarter, FIRST_DAY_Q2)
    assert result.status == Status.DUE
    assert result.missed_earlier == 0


def test_a_contact_on_the_first_day_of_the_quarter_meets_it_and_clears_the_overdue():
    started_last_year = outflow(start=date(2024, 12, 1))
    records = [Record("contact", date(2024, 12, 5)), Record("contact", FIRST_DAY_Q2)]
    result = rules.evaluate(CONTACT, facts(mobility=started_last_year, records=records), FIRST_DAY_Q2)
    assert result.status == Status.MET
    assert result.missed_earlier == 1  # the missed quarter stays in the history


def test_a_member_who_left_late_in_the_quarter_gets_a_month_of_grace():
    late = facts(mobility=outflow(start=date(2025, 3, 25)))
    result = rules.evaluate(CONTACT, late, FIRST_DAY_Q2)
    q1 = [p for p in result.periods if p.period.key == "2025-Q1"][0]
    assert q1.status == Status.DUE and q1.deadline == date(2025, 4, 24)


def test_records_of_other_kinds_do_not_meet_an_item():
    result = rules.evaluate(CONTACT, facts(records=[Record("care_visit", date(2025, 2, 1))]), LAST_DAY_Q1)
    assert result.status == Status.DUE


def test_education_is_met_by_org_life_or_training_in_the_half_year():
    at_end = date(2025, 6, 30)
    assert rules.evaluate(
        EDUCATION, facts(records=[Record("training", date(2025, 1, 1))]), at_end
    ).status == (Status.MET)
    assert rules.evaluate(EDUCATION, facts(), at_end).status == Status.DUE
    assert rules.evaluate(EDUCATION, facts(), date(2025, 7, 1)).status == Status.OVERDUE


def test_exempt_members_are_exempt_from_education_and_never_missing():
    frail = facts(is_exempt=True)
    for day in (date(2025, 6, 30), date(2025, 7, 1), date(2026, 1, 1)):
        result = rules.evaluate(EDUCATION, frail, day)
        assert result.status == Status.EXEMPT
        assert result.missed_earlier == 0
        assert rules.reminders(EDUCATION, frail, day) == []


def test_exempt_members_still_have_the_items_art_6_does_not_cover():
    assert rules.evaluate(CONTACT, facts(is_exempt=True), FIRST_DAY_Q2).status == Status.OVERDUE


def test_the_yearly_evaluation_turns_overdue_on_new_years_day():
    inflow_facts = facts(mobility=inflow(start=date(2024, 3, 1)))
    assert rules.evaluate(EVALUATION, inflow_facts, date(2024, 12, 31)).status == Status.DUE
    assert rules.evaluate(EVALUATION, inflow_facts, date(2025, 1, 1)).status == Status.OVERDUE
    fed_back = facts(
        mobility=inflow(start=date(2024, 3, 1)), records=[Record("evaluation", date(2024, 12, 31))]
    )
    assert rules.evaluate(EVALUATION, fed_back, date(2024, 12, 31)).status == Status.MET


def test_annex_2_applies_to_inflow_members_and_annexes_1_and_3_to_outflow_members():
    assert rules.evaluate(INFLOW_CONTACT, facts(), LAST_DAY_Q1).status == Status.NOT_APPLICABLE
    assert rules.evaluate(CONTACT, facts(mobility=inflow()), LAST_DAY_Q1).status == Status.NOT_APPLICABLE
    assert rules.evaluate(INFLOW_CONTACT, facts(mobility=inflow()), LAST_DAY_Q1).status == Status.DUE


def test_periodic_items_wait_until_the_member_has_left():
    not_yet = facts(mobility=outflow(start=date(2025, 5, 1)))
    assert rules.evaluate(CONTACT, not_yet, LAST_DAY_Q1).status == Status.NOT_APPLICABLE


# --- Once per outflow or inflow ----------------------------------------------------------------------------


def test_reporting_in_is_due_until_the_intake_deadline_and_overdue_the_day_after():
    mobility = outflow(
        start=date(2025, 3, 1),
        registered_on=date(2025, 3, 1),
        due_on=LAST_DAY_Q1,
        pre_departure_education_on=date(2025, 2, 25),
    )
    assert rules.evaluate(REPORTING, facts(mobility=mobility), LAST_DAY_Q1).status == Status.DUE
    assert rules.evaluate(REPORTING, facts(mobility=mobility), FIRST_DAY_Q2).status == Status.OVERDUE
    reported = outflow(
        start=date(2025, 3, 1),
        registered_on=date(2025, 3, 1),
        due_on=LAST_DAY_Q1,
        pre_departure_education_on=date(2025, 2, 25),
        reported_on=LAST_DAY_Q1,
    )
    result = rules.evaluate(REPORTING, facts(mobility=reported), FIRST_DAY_Q2)
    assert result.status == Status.MET and result.current.done_on == LAST_DAY_Q1


def test_reporting_in_without_pre_departure_education_is_not_met():
    mobility = outflow(registered_on=date(2025, 3, 1), due_on=LAST_DAY_Q1, reported_on=date(2025, 3, 5))
    assert rules.evaluate(REPORTING, facts(mobility=mobility), FIRST_DAY_Q2).status == Status.OVERDUE


def test_intake_is_met_when_complete_and_overdue_after_the_deadline():
    pending = inflow(start=date(2025, 3, 1), due_on=LAST_DAY_Q1)
    assert rules.evaluate(INTAKE, facts(mobility=pending), LAST_DAY_Q1).status == Status.DUE
    assert rules.evaluate(INTAKE, facts(mobility=pending), FIRST_DAY_Q2).status == Status.OVERDUE
    done = inflow(start=date(2025, 3, 1), due_on=LAST_DAY_Q1, intake_completed_on=date(2025, 3, 20))
    assert rules.evaluate(INTAKE, facts(mobility=done), FIRST_DAY_Q2).status == Status.MET


def test_the_departure_report_is_met_when_the_organisation_knew_before_the_member_left():
    known = outflow(start=LAST_DAY_Q1, created_on=date(2025, 3, 1), known_before_leaving=True)
    assert rules.evaluate(DEPARTURE, facts(mobility=known), FIRST_DAY_Q2).status == Status.MET
    unknown = outflow(start=LAST_DAY_Q1, created_on=FIRST_DAY_Q2, known_before_leaving=False)
    assert rules.evaluate(DEPARTURE, facts(mobility=unknown), LAST_DAY_Q1).status == Status.DUE
    assert rules.evaluate(DEPARTURE, facts(mobility=unknown), FIRST_DAY_Q2).status == Status.OVERDUE


# --- Reported in, and dues paid up to the period's last month (A3.2) ---------------------------------------


def test_dues_paid_up_to_march_meet_the_first_quarter_but_not_the_second():
    mobility = outflow(reported_on=date(2025, 1, 2))
    paid = facts(mobility=mobility, dues=(rules.Dues(date(2025, 1, 5), date(2025, 3, 1)),))
    assert rules.evaluate(ARRIVAL, paid, LAST_DAY_Q1).status == Status.MET
    assert rules.evaluate(ARRIVAL, paid, FIRST_DAY_Q2).status == Status.DUE


def test_dues_paid_after_the_quarter_do_not_make_it_on_time():
    mobility = outflow(reported_on=date(2025, 1, 2))
    late = facts(mobility=mobility, dues=(rules.Dues(FIRST_DAY_Q2, date(2025, 6, 1)),))
    result = rules.evaluate(ARRIVAL, late, FIRST_DAY_Q2)
    assert result.status == Status.MET  # the new quarter is paid
    assert [p.status for p in result.periods if p.period.key == "2025-Q1"] == [Status.OVERDUE]


def test_dues_without_reporting_in_do_not_meet_a3_2():
    unpaid = facts(dues=(rules.Dues(date(2025, 1, 5), date(2025, 3, 1)),))
    assert rules.evaluate(ARRIVAL, unpaid, LAST_DAY_Q1).status == Status.DUE


# --- Probationary members (A1.3) -----------------------------------------------------------------------------


def test_probation_does_not_apply_to_full_members():
    assert rules.evaluate(PROBATION, facts(), LAST_DAY_Q1).status == Status.NOT_APPLICABLE


def test_probationary_conduct_is_recorded_each_half_year():
    probationary = facts(is_probationary=True, conversion_due_on=date(2026, 3, 1))
    assert rules.evaluate(PROBATION, probationary, date(2025, 6, 30)).status == Status.DUE
    assert rules.evaluate(PROBATION, probationary, date(2025, 7, 1)).status == Status.OVERDUE
    recorded = facts(
        is_probationary=True,
        conversion_due_on=date(2026, 3, 1),
        records=[Record("probation_conduct", date(2025, 6, 30))],
    )
    assert rules.evaluate(PROBATION, recorded, date(2025, 6, 30)).status == Status.MET


def test_in_the_half_year_the_conversion_falls_due_only_the_decision_meets_a1_3():
    conduct_only = facts(
        is_probationary=True,
        conversion_due_on=date(2025, 5, 1),
        records=[Record("probation_conduct", date(2025, 4, 1))],
    )
    assert rules.evaluate(PROBATION, conduct_only, date(2025, 6, 30)).status == Status.DUE
    decided = facts(
        is_probationary=True,
        conversion_due_on=date(2025, 5, 1),
        records=[Record("probation_conversion", date(2025, 5, 6))],
    )
    assert rules.evaluate(PROBATION, decided, date(2025, 6, 30)).status == Status.MET


# --- As needed (supervision, change reports) ------------------------------------------------------------------


def test_supervision_is_never_due_until_a_disposal_waits_to_be_sent():
    assert rules.evaluate(SUPERVISION, facts(), FIRST_DAY_Q2).status == Status.AS_NEEDED
    talk = facts(records=[Record("supervision", date(2025, 3, 1))])
    assert rules.evaluate(SUPERVISION, talk, FIRST_DAY_Q2).status == Status.MET
    pending = facts(records=[Record("supervision", date(2025, 3, 17), pending=True)])
    assert rules.evaluate(SUPERVISION, pending, LAST_DAY_Q1).status == Status.DUE  # 14 days: 31 March
    assert rules.evaluate(SUPERVISION, pending, FIRST_DAY_Q2).status == Status.OVERDUE


def test_change_reports_are_as_needed():
    assert rules.evaluate(CHANGES, facts(), FIRST_DAY_Q2).status == Status.AS_NEEDED
    reported = facts(records=[Record("change_report", date(2025, 2, 1))])
    assert rules.evaluate(CHANGES, reported, FIRST_DAY_Q2).status == Status.MET


# --- Reminders ----------------------------------------------------------------------------------------------


def test_reminders_name_what_falls_due_within_two_weeks_and_the_last_missed_period():
    assert rules.reminders(CONTACT, facts(), date(2025, 3, 16)) == []
    due = rules.reminders(CONTACT, facts(), date(2025, 3, 17))
    assert [(p.key, stage) for p, stage, _ in due] == [("2025-Q1", "due_soon")]
    overdue = rules.reminders(CONTACT, facts(), FIRST_DAY_Q2)
    assert ("2025-Q1", "overdue") in [(p.key, stage) for p, stage, _ in overdue]
    assert [stage for _, stage, _ in overdue].count("overdue") == 1


def test_an_item_can_only_be_kept_at_the_cadences_its_rule_allows():
    assert rules.ALLOWED_CADENCES[Rule.OUTFLOW_REPORTING] == (Cadence.ONCE,)
    assert Cadence.QUARTER in rules.ALLOWED_CADENCES[Rule.RECORDS]
    assert rules.tally(["met", "met", "overdue"])["met"] == 2


def test_a_duty_carried_over_points_at_the_deadline_it_missed():
    result = rules.evaluate(CONTACT, facts(), date(2025, 4, 10))
    assert result.status == Status.OVERDUE and result.carried_over
    assert result.deadline == LAST_DAY_Q1 and result.current.deadline == date(2025, 6, 30)
