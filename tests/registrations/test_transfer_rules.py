"""The pure rules of Art. 5 on their boundaries: 6 calendar months, contracts, who is due for what."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from registrations import transfer_rules as tr
from registrations.transfer_rules import Action, DueKind, TransferFacts, transfer_suggestions

TODAY = date(2025, 8, 31)


def kinds(facts, today=TODAY):
    return [(s.kind, s.action) for s in transfer_suggestions(facts, today=today)]


@pytest.mark.parametrize(
    ("since", "today", "due"),
    [
        (date(2025, 2, 28), date(2025, 8, 28), True),  # exactly 6 months
        (date(2025, 2, 28), date(2025, 8, 27), False),  # a day short
        (date(2025, 8, 31), date(2026, 2, 28), True),  # month end: 31 Aug + 6 months = 28 Feb
        (date(2025, 8, 31), date(2026, 2, 27), False),
        (date(2023, 8, 31), date(2024, 2, 29), True),  # leap year
        (date(2023, 8, 31), date(2024, 2, 28), False),
        (date(2024, 12, 15), date(2025, 6, 15), True),  # across a year end
        (date(2024, 12, 15), date(2025, 6, 14), False),
    ],
)
def test_six_months_of_stable_residence_are_calendar_months(since, today, due):
    facts = TransferFacts(relation_here=True, away=True, housing_since=since)
    assert (tr.stable_residence(settled_on=None, housing_since=since, today=today)) is due
    assert ((DueKind.RESIDENCE, Action.TRANSFER_OUT) in kinds(facts, today)) is due


@given(since=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)))
def test_exactly_six_months_qualifies_and_a_day_short_does_not(since):
    six = since + relativedelta(months=6)
    assert tr.stable_residence(settled_on=since, housing_since=None, today=six)
    assert not tr.stable_residence(settled_on=since, housing_since=None, today=six - timedelta(days=1))


def test_residence_counts_from_the_earlier_of_settling_and_housing():
    assert tr.stable_residence(
        settled_on=date(2025, 2, 1), housing_since=date(2025, 7, 1), today=date(2025, 8, 1)
    )
    assert not tr.stable_residence(settled_on=None, housing_since=None, today=TODAY)


@pytest.mark.parametrize(("months", "due"), [(5, False), (6, True), (12, True), (None, False)])
def test_a_contract_of_six_months_or_more_makes_a_transfer_due(months, due):
    facts = TransferFacts(relation_here=True, away=True, contract_signed_on=TODAY, contract_months=months)
    assert ((DueKind.CONTRACT, Action.TRANSFER_OUT) in kinds(facts)) is due


def test_a_contract_signed_in_the_future_is_not_yet_in_force():
    assert not tr.stable_contract(signed_on=TODAY + timedelta(days=1), months=12, today=TODAY)


def test_an_inflow_member_settled_here_is_due_to_transfer_in():
    facts = TransferFacts(relation_here=False, housing_since=TODAY - relativedelta(months=6))
    assert kinds(facts) == [(DueKind.RESIDENCE, Action.TRANSFER_IN)]


@pytest.mark.parametrize(
    ("category", "reason", "expected"),
    [
        ("new_teacher", "", DueKind.NEW_TEACHER),
        ("teacher", "new_teacher", DueKind.NEW_TEACHER),
        ("upgrade_student", "", DueKind.UPGRADE_STUDENT),
        ("student", "upgrade_student", DueKind.UPGRADE_STUDENT),
    ],
)
def test_new_teachers_and_upgrade_students_are_due_to_transfer_in(category, reason, expected):
    facts = TransferFacts(relation_here=False, category=category, mobility_reason=reason)
    assert kinds(facts) == [(expected, Action.TRANSFER_IN)]


def test_a_new_teacher_whose_relation_is_already_here_owes_nothing():
    assert kinds(TransferFacts(relation_here=True, category="new_teacher")) == []


def test_teachers_in_doctoral_study_or_secondment_are_due_to_transfer_out():
    doctoral = TransferFacts(
        relation_here=True, away=True, mobility_reason="degree_study", doctoral_study=True
    )
    master = TransferFacts(relation_here=True, away=True, mobility_reason="degree_study")
    secondment = TransferFacts(relation_here=True, away=True, mobility_reason="secondment")
    assert kinds(doctoral) == [(DueKind.DOCTORAL_STUDY, Action.TRANSFER_OUT)]
    assert kinds(master) == []  # Art. 5 names 在外读博: a master's degree is not enough
    assert kinds(secondment) == [(DueKind.SECONDMENT, Action.TRANSFER_OUT)]


def test_members_going_abroad_are_due_to_apply_for_retention_not_to_transfer():
    facts = TransferFacts(
        relation_here=True, away=True, going_abroad=True, housing_since=TODAY - relativedelta(years=1)
    )
    assert kinds(facts) == [(DueKind.ABROAD, Action.RETENTION)]


@pytest.mark.parametrize("wishes", [True, False])
def test_retirees_living_elsewhere_transfer_only_if_they_wish(wishes):
    facts = TransferFacts(
        relation_here=True,
        away=True,
        category="retiree",
        mobility_reason="retiree_elsewhere",
        housing_since=TODAY - relativedelta(years=3),  # settled long ago: still only if they wish
        wishes_to_transfer=wishes,
    )
    assert kinds(facts) == ([(DueKind.RETIREE_WISH, Action.TRANSFER_OUT)] if wishes else [])


def test_a_member_at_home_is_not_due_for_residence_elsewhere():
    facts = TransferFacts(relation_here=True, away=False, housing_since=TODAY - relativedelta(years=1))
    assert kinds(facts) == []


def test_the_chain_runs_branch_secondary_department():
    assert tr.next_stage("branch") == tr.Stage.SECONDARY
    assert tr.next_stage("secondary") == tr.Stage.DEPARTMENT
    assert tr.next_stage("department") is None


@pytest.mark.parametrize("action", ["return", "refuse", "cancel"])
def test_returning_refusing_and_cancelling_need_a_reason(action):
    assert tr.needs_reason(action)
    assert not tr.needs_reason("approve")


def test_the_checklists_follow_art_5():
    assert tr.checklist("out") == (
        tr.CheckItem.ADMISSION_MATERIALS,
        tr.CheckItem.DEVELOPMENT_PROCEDURES,
        tr.CheckItem.DUES_PAID,
    )
    assert tr.checklist("in") == (
        tr.CheckItem.DOSSIER_REVIEWED,
        tr.CheckItem.PLATFORM_RECORD,
        tr.CheckItem.MISSING_DATA,
    )
    assert len(tr.checklist("internal")) == 6


@pytest.mark.parametrize(
    ("returned_on", "today", "overdue"),
    [
        (None, date(2025, 3, 31), False),  # the last valid day
        (None, date(2025, 4, 1), True),
        (date(2025, 3, 20), date(2025, 5, 1), False),
    ],
)
def test_a_receipt_is_overdue_only_after_the_validity_period(returned_on, today, overdue):
    assert (
        tr.receipt_overdue(issued_on=date(2025, 3, 1), valid_days=30, returned_on=returned_on, today=today)
        is overdue
    )


def test_letters_are_valid_30_days_in_the_province_and_60_across():
    assert tr.letter_valid_days(cross_province=False) == 30
    assert tr.letter_valid_days(cross_province=True) == 60


def test_a_member_abroad_is_contacted_every_six_months():
    assert tr.retention_contact_due(started_on=date(2025, 1, 31), last_contact_on=None) == date(2025, 7, 31)
    assert tr.retention_contact_due(started_on=date(2025, 1, 31), last_contact_on=date(2025, 3, 31)) == date(
        2025, 9, 30
    )


def test_a_graduate_kept_for_exactly_two_years_is_flagged_and_a_day_short_is_not():
    since = date(2023, 6, 30)
    assert tr.graduate_kept_too_long(kept_since=since, today=date(2025, 6, 30))
    assert not tr.graduate_kept_too_long(kept_since=since, today=date(2025, 6, 29))
    assert tr.graduate_kept_too_long(kept_since=date(2024, 2, 29), today=date(2026, 2, 28))
