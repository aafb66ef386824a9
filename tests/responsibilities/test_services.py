"""Every write goes through a service that checks the actor's right and validates, in words a person can act on."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from members.models import Standing
from responsibilities import selectors, services
from responsibilities.models import Attendance, ContactLog, DuesPayment, ProbationRecord
from responsibilities.services import ChecklistError
from tests.factories import MemberFactory

CONTACT = {"contacted_on": None, "method": "phone", "with_whom": "本人", "learnt": "表现良好"}


def contact(today, **overrides):
    return {**CONTACT, "contacted_on": today, **overrides}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_secretary_logs_a_contact_and_the_quarter_is_met(cast, sec_a, make_outflow, today):
    outflow = make_outflow(days_ago=3)
    services.contact_record(actor=sec_a, member=outflow.member, data=contact(today))
    (row,) = selectors.member_rows(user=sec_a, member=outflow.member)
    assert row.results["A1.2"].status == "met"
    log = ContactLog.objects.get()
    assert (log.secondary, log.branch, log.recorded_by) == (cast["org_a"], cast["branch_a1"], sec_a)


def test_the_branch_secretary_logs_contacts_for_the_branchs_members_only(cast, branch_a1, today):
    services.contact_record(actor=branch_a1, member=cast["members"]["a1_member"], data=contact(today))
    with pytest.raises(ChecklistError, match="own organisation or branch"):
        services.contact_record(actor=branch_a1, member=cast["members"]["a0_member"], data=contact(today))


def test_another_organisations_secretary_cannot_log_a_contact(cast, sec_b, today):
    with pytest.raises(ChecklistError):
        services.contact_record(actor=sec_b, member=cast["members"]["a1_member"], data=contact(today))
    assert not ContactLog.objects.exists()


def test_a_contact_cannot_be_dated_in_the_future(cast, sec_a, today):
    with pytest.raises(ChecklistError, match="cannot be in the future"):
        services.contact_record(
            actor=sec_a, member=cast["members"]["a1_member"], data=contact(today + timedelta(days=1))
        )


def test_a_contact_says_what_was_learnt(cast, sec_a, today):
    with pytest.raises(ChecklistError, match="what was learnt"):
        services.contact_record(
            actor=sec_a, member=cast["members"]["a1_member"], data=contact(today, learnt=" ")
        )


def test_the_audit_log_names_the_secretary(cast, sec_a, today):
    from auditlog.models import LogEntry

    log = services.contact_record(actor=sec_a, member=cast["members"]["a1_member"], data=contact(today))
    assert LogEntry.objects.get_for_object(log).get().actor == sec_a


# --- Probationary members (A1.3) ---------------------------------------------------------------------------


@pytest.fixture
def probationary(cast, today):
    return MemberFactory(
        secondary=cast["org_a"],
        branch=cast["branch_a1"],
        standing=Standing.PROBATIONARY,
        joined_on=today - timedelta(days=300),
        category="student",
    )


def test_conduct_is_recorded_for_probationary_members_only(cast, sec_a, branch_a1, probationary, today):
    data = {"kind": "conduct", "recorded_on": today, "conduct": "表现良好"}
    services.probation_record(actor=branch_a1, member=probationary, data=data)
    with pytest.raises(ChecklistError, match="not a probationary member"):
        services.probation_record(actor=sec_a, member=cast["members"]["a1_member"], data=data)


def test_conversion_is_decided_by_the_secondary_organisation_and_updates_the_standing(
    sec_a, branch_a1, probationary, today
):
    data = {"kind": "conversion", "recorded_on": today, "conduct": "期满考察合格", "decision": "converted"}
    with pytest.raises(ChecklistError, match="secondary organisation records a conversion"):
        services.probation_record(actor=branch_a1, member=probationary, data=data)
    services.probation_record(actor=sec_a, member=probationary, data=data)
    probationary.refresh_from_db()
    assert (probationary.standing, probationary.converted_on) == (Standing.FULL, today)
    assert ProbationRecord.objects.get().decision == "converted"


# --- Democratic evaluation (A2.5) ---------------------------------------------------------------------------


def test_an_evaluation_is_agreed_with_the_origin_first_and_fed_back(sec_a, make_inflow, today):
    member = make_inflow(state="accepted").member
    base = {"year": today.year, "evaluated_on": today, "result": "qualified"}
    with pytest.raises(ChecklistError, match="Agree the evaluation with the origin"):
        services.evaluation_record(actor=sec_a, member=member, data={**base, "agreed_with_origin_on": None})
    with pytest.raises(ChecklistError, match="before it was agreed"):
        services.evaluation_record(
            actor=sec_a, member=member, data={**base, "agreed_with_origin_on": today + timedelta(days=1)}
        )
    evaluation = services.evaluation_record(
        actor=sec_a, member=member, data={**base, "agreed_with_origin_on": today}
    )
    (row,) = selectors.member_rows(user=sec_a, member=member)
    assert row.results["A2.5"].status == "due"  # evaluated, not yet fed back
    services.evaluation_feed_back(actor=sec_a, evaluation=evaluation, fed_back_on=today)
    (row,) = selectors.member_rows(user=sec_a, member=member)
    assert row.results["A2.5"].status == "met"
    with pytest.raises(ChecklistError, match="already been evaluated"):
        services.evaluation_record(actor=sec_a, member=member, data={**base, "agreed_with_origin_on": today})


def test_only_inflow_members_are_evaluated_here(cast, sec_a, today):
    with pytest.raises(ChecklistError, match="no inflow registration"):
        services.evaluation_record(
            actor=sec_a,
            member=cast["members"]["a1_member"],
            data={
                "year": today.year,
                "agreed_with_origin_on": today,
                "evaluated_on": today,
                "result": "qualified",
            },
        )


# --- Supervision (A1.7, A2.6) -------------------------------------------------------------------------------


def test_a_disposal_waits_until_it_is_sent_to_the_other_branch(cast, sec_a, make_outflow, today):
    member = make_outflow(days_ago=40).member
    disposal = services.supervision_record(
        actor=sec_a,
        member=member,
        data={"kind": "disposal", "occurred_on": today - timedelta(days=20), "issue": "x"},
    )
    (row,) = selectors.member_rows(user=sec_a, member=member)
    assert row.results["A1.7"].status == "overdue"  # 14 days to send it on
    with pytest.raises(ChecklistError, match="before it happened"):
        services.supervision_mark_sent(
            actor=sec_a, supervision=disposal, sent_to="流入地党支部", sent_on=today - timedelta(days=30)
        )
    services.supervision_mark_sent(actor=sec_a, supervision=disposal, sent_to="流入地党支部", sent_on=today)
    (row,) = selectors.member_rows(user=sec_a, member=member)
    assert row.results["A1.7"].status == "met"


def test_a_reminder_talk_is_not_sent_on(cast, sec_a, today):
    talk = services.supervision_record(
        actor=sec_a,
        member=cast["members"]["a1_member"],
        data={"kind": "reminder_talk", "occurred_on": today, "issue": "苗头性问题"},
    )
    with pytest.raises(ChecklistError, match="Only a disposal"):
        services.supervision_mark_sent(actor=sec_a, supervision=talk, sent_to="x", sent_on=today)


# --- Dues, thought reports and role activities (Annex 3) --------------------------------------------------


def test_the_member_reports_dues_paid_up_to_a_month(cast, make_outflow, today):
    from members.models import User

    member_a = cast["members"]["member_a"]
    make_outflow(member=member_a, state="reported")
    user = User.objects.get(username="member_a")
    payment = services.member_dues_report(
        actor=user, data={"paid_on": today, "paid_through": today.replace(day=15), "amount": Decimal("30")}
    )
    assert payment.paid_through == today.replace(day=1) and payment.by_member and payment.member == member_a
    with pytest.raises(ChecklistError, match="amount"):
        services.member_dues_report(
            actor=user, data={"paid_on": today, "paid_through": today, "amount": Decimal("0")}
        )
    assert DuesPayment.objects.count() == 1


def test_someone_without_a_member_record_cannot_report_duties(cast, sec_b, today):
    from members.models import User

    with pytest.raises(ChecklistError, match="Only a party member"):
        services.member_thought_report(
            actor=User.objects.get(username="norole"),
            data={"submitted_on": today, "title": "t", "content": "c"},
        )


def test_the_member_reports_thoughts_and_activities_that_meet_annex_3(cast, make_outflow, today):
    from members.models import User

    member_a = cast["members"]["member_a"]
    make_outflow(member=member_a, state="reported", days_ago=4)
    user = User.objects.get(username="member_a")
    services.member_thought_report(
        actor=user, data={"submitted_on": today, "title": "思想汇报", "content": "内容"}
    )
    services.member_role_activity(
        actor=user, data={"kind": "volunteering", "held_on": today, "description": "社区志愿服务"}
    )
    (row,) = selectors.member_rows(user=user, member=member_a)
    assert row.results["A3.3"].status == "met"
    assert row.results["A3.5"].status == "met" and row.results["A1.5"].status == "met"


# --- Org life, consultations, dues allotments (Art. 6, 7, 9) ------------------------------------------------


def test_a_session_lists_the_members_who_attended_and_meets_education(cast, sec_a, make_outflow, today):
    member = make_outflow(days_ago=2).member
    session = services.session_record(
        actor=sec_a,
        secondary=cast["org_a"],
        branch=None,
        data={"kind": "training", "title": "线上学习", "held_on": today, "mode": "online"},
        attendees=[member, member],
    )
    assert list(Attendance.objects.filter(session=session).values_list("member", flat=True)) == [member.pk]
    (row,) = selectors.member_rows(user=sec_a, member=member)
    assert row.results["A1.4"].status == "met"


def test_a_session_cannot_list_members_outside_the_secretarys_scope(cast, sec_a, today):
    with pytest.raises(ChecklistError, match="outside your organisation"):
        services.session_record(
            actor=sec_a,
            secondary=cast["org_a"],
            branch=None,
            data={"kind": "org_life", "title": "t", "held_on": today, "mode": "offline"},
            attendees=[cast["members"]["b_member"]],
        )


def test_a_branch_secretary_records_sessions_of_their_own_branch_only(cast, branch_a1, today):
    data = {"kind": "org_life", "title": "t", "held_on": today, "mode": "offline"}
    member = cast["members"]["a1_member"]
    services.session_record(
        actor=branch_a1, secondary=cast["org_a"], branch=cast["branch_a1"], data=data, attendees=[member]
    )
    with pytest.raises(ChecklistError):
        services.session_record(
            actor=branch_a1, secondary=cast["org_a"], branch=None, data=data, attendees=[member]
        )
    with pytest.raises(ChecklistError, match="must belong"):
        services.session_record(
            actor=branch_a1, secondary=cast["org_b"], branch=cast["branch_a1"], data=data, attendees=[member]
        )


def test_a_consultation_lists_the_organisations_members(cast, sec_a, today):
    data = {"matter": "branch_election", "subject": "支部换届", "consulted_on": today, "opinions": "同意"}
    consultation = services.consultation_record(
        actor=sec_a, secondary=cast["org_a"], data=data, members=[cast["members"]["a1_member"]]
    )
    assert list(consultation.members.all()) == [cast["members"]["a1_member"]]
    with pytest.raises(ChecklistError, match="must belong"):
        services.consultation_record(
            actor=sec_a, secondary=cast["org_a"], data=data, members=[cast["members"]["b_member"]]
        )


def test_allotted_dues_are_allotted_once_a_year_and_never_overspent(cast, orgdept, sec_a, sec_b, today):
    data = {"year": today.year, "secondary": cast["org_a"], "amount": Decimal("1000"), "allotted_on": today}
    allocation = services.allocation_create(actor=orgdept, data=data)
    with pytest.raises(ChecklistError, match="already has an allotment"):
        services.allocation_create(actor=orgdept, data=data)
    with pytest.raises(ChecklistError, match="Only the organisation department"):
        services.allocation_create(actor=sec_a, data={**data, "year": today.year + 1})
    spend = {"spent_on": today, "purpose": "hardship", "amount": Decimal("800"), "description": "慰问"}
    services.expense_record(actor=sec_a, allocation=allocation, data=spend)
    with pytest.raises(ChecklistError, match="exceed the allotment: 200"):
        services.expense_record(actor=sec_a, allocation=allocation, data=spend)
    with pytest.raises(ChecklistError, match="allotted to records"):
        services.expense_record(actor=sec_b, allocation=allocation, data={**spend, "amount": Decimal("1")})


def test_only_the_department_records_inter_department_consultations(sec_a, orgdept, today):
    data = {"held_on": today, "counterpart": "重庆市委组织部", "topics": "流动党员管理"}
    services.inter_department_consultation_record(actor=orgdept, data=data)
    with pytest.raises(ChecklistError):
        services.inter_department_consultation_record(actor=sec_a, data=data)
