"""Transfers through the services: every approval path, the dossier check, the letter, completion, and each
kind of bad input refused with nothing written."""

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from members.models import Member
from registrations import transfer_services as ts
from registrations.models import (
    Division,
    DossierCheck,
    MembershipRetention,
    OutflowRegistration,
    RelationTransfer,
    TransferStep,
)
from registrations.services import RegistrationError


def decisions(transfer):
    return list(transfer.steps.values_list("stage", "decision", "actor__username"))


def test_a_transfer_out_is_approved_through_all_three_steps(make_transfer, users):
    transfer = make_transfer("draft")
    assert transfer.state == "draft" and transfer.from_branch == transfer.member.branch
    assert transfer.flow_scope == "same_province"
    ts.transfer_submit(transfer=transfer, actor=users["sec_a"])
    assert (transfer.state, transfer.stage) == ("pending", "branch")
    ts.transfer_approve(transfer=transfer, actor=users["branch_a1"])
    assert (transfer.state, transfer.stage) == ("pending", "secondary")
    ts.transfer_approve(transfer=transfer, actor=users["sec_a"])
    assert (transfer.state, transfer.stage) == ("pending", "department")
    ts.transfer_approve(transfer=transfer, actor=users["orgdept"])
    transfer.refresh_from_db()
    assert (transfer.state, transfer.stage) == ("approved", "")
    assert transfer.approved_on is not None
    assert decisions(transfer)[-3:] == [
        ("branch", "approve", "branch_a1"),
        ("secondary", "approve", "sec_a"),
        ("department", "approve", "orgdept"),
    ]


def test_each_step_is_decided_only_by_its_role(make_transfer, users):
    transfer = make_transfer("branch")
    with pytest.raises(RegistrationError):
        ts.transfer_approve(transfer=transfer, actor=users["sec_b"])
    ts.transfer_approve(transfer=transfer, actor=users["branch_a1"])
    with pytest.raises(RegistrationError):  # the branch secretary cannot decide the secondary step
        ts.transfer_approve(transfer=transfer, actor=users["branch_a1"])
    ts.transfer_approve(transfer=transfer, actor=users["sec_a"])
    with pytest.raises(RegistrationError):  # nor the secondary secretary the department's
        ts.transfer_approve(transfer=transfer, actor=users["sec_a"])
    transfer.refresh_from_db()
    assert transfer.stage == "department"


def test_a_returned_transfer_carries_its_reason_and_is_resubmitted_from_the_first_step(make_transfer, users):
    transfer = make_transfer("secondary")
    ts.transfer_return(transfer=transfer, actor=users["sec_a"], reason="请补充接收党组织全称")
    transfer.refresh_from_db()
    assert (transfer.state, transfer.stage, transfer.decision_reason) == (
        "returned",
        "",
        "请补充接收党组织全称",
    )
    assert transfer.steps.last().reason == "请补充接收党组织全称"
    ts.transfer_update(transfer=transfer, actor=users["sec_a"], data={"to_org_name": "中共四川大学委员会"})
    ts.transfer_submit(transfer=transfer, actor=users["sec_a"])
    assert (transfer.state, transfer.stage, transfer.decision_reason) == ("pending", "branch", "")


def test_a_refusal_is_recorded_with_its_reason_and_is_final(make_transfer, users):
    transfer = make_transfer("department")
    ts.transfer_refuse(transfer=transfer, actor=users["orgdept"], reason="该党员档案存在问题")
    transfer.refresh_from_db()
    assert transfer.state == "refused" and transfer.decision_reason == "该党员档案存在问题"
    assert decisions(transfer)[-1] == ("department", "refuse", "orgdept")
    with pytest.raises(RegistrationError):
        ts.transfer_submit(transfer=transfer, actor=users["sec_a"])


@pytest.mark.parametrize("reason", ["", "   "])
@pytest.mark.parametrize("action", ["refuse", "return"])
def test_refusing_or_returning_without_a_reason_is_refused(make_transfer, users, action, reason):
    """Art. 5: 不得无故拒转拒接."""
    transfer = make_transfer("branch")
    steps = transfer.steps.count()
    call = ts.transfer_refuse if action == "refuse" else ts.transfer_return
    with pytest.raises(RegistrationError):
        call(transfer=transfer, actor=users["branch_a1"], reason=reason)
    transfer.refresh_from_db()
    assert (transfer.state, transfer.stage) == ("pending", "branch")
    assert transfer.steps.count() == steps


def test_a_second_open_transfer_is_refused(make_transfer, cast, users):
    make_transfer("branch")
    with pytest.raises(RegistrationError):
        make_transfer("draft")
    assert RelationTransfer.objects.filter(member=cast["members"]["a1_member"]).count() == 1


def test_a_new_transfer_may_start_once_the_last_is_closed(make_transfer, cast):
    make_transfer("refused")
    make_transfer("cancelled")
    assert make_transfer("draft").state == "draft"


def test_the_database_holds_one_open_transfer_per_member(make_transfer):
    from django.db import IntegrityError, transaction

    first = make_transfer("draft")
    clone = RelationTransfer(
        member=first.member, direction="out", secondary=first.secondary, to_org_name="x", state="draft"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_only_the_members_own_organisation_starts_a_transfer(cast, users, divisions):
    with pytest.raises(RegistrationError):
        ts.transfer_create(
            actor=users["sec_b"],
            member=cast["members"]["a1_member"],
            direction="out",
            data={"to_org_name": "某党委", "other_county": Division.objects.get(pk="510107")},
        )


@pytest.mark.parametrize(
    ("direction", "data"),
    [
        ("out", {"other_county": "510107"}),  # no receiving organisation
        ("out", {"to_org_name": "某党委"}),  # no county
        ("out", {"to_org_name": "某党委", "other_county": "510100"}),  # a city, not a county
        ("internal", {}),  # no receiving branch
        ("in", {"to_branch": "a0"}),  # the relation is already ours
        ("sideways", {}),
    ],
)
def test_a_transfer_with_a_route_that_makes_no_sense_is_refused(cast, users, direction, data):
    if "other_county" in data:
        data["other_county"] = Division.objects.get(pk=data["other_county"])
    if "to_branch" in data:
        data["to_branch"] = cast["branch_a0"]
    with pytest.raises(RegistrationError):
        ts.transfer_create(
            actor=users["sec_a"], member=cast["members"]["a1_member"], direction=direction, data=data
        )
    assert not RelationTransfer.objects.exists()


def test_completion_with_an_unfinished_dossier_check_is_refused(make_transfer, users, today):
    transfer = make_transfer("approved", checks=False)
    ts.transfer_letter_print(transfer=transfer, actor=users["sec_a"])
    with pytest.raises(RegistrationError) as exc:
        ts.transfer_complete(transfer=transfer, actor=users["sec_a"], completed_on=today)
    assert "入党材料" in str(exc.value) or "Admission materials" in str(exc.value)
    transfer.refresh_from_db()
    assert transfer.state == "approved"
    assert transfer.member.branch is not None


def test_each_dossier_check_records_who_and_when(make_transfer, users, today):
    transfer = make_transfer("branch")
    assert sorted(transfer.checks.values_list("item", flat=True)) == sorted(
        ["admission_materials", "development_procedures", "dues_paid"]
    )
    check = ts.transfer_check(
        transfer=transfer, actor=users["sec_a"], item="admission_materials", note="齐全"
    )
    assert check.done_by == users["sec_a"] and check.done_at is not None and check.note == "齐全"
    with pytest.raises(RegistrationError):  # twice
        ts.transfer_check(transfer=transfer, actor=users["sec_a"], item="admission_materials")
    with pytest.raises(RegistrationError):  # not on a transfer out's list
        ts.transfer_check(transfer=transfer, actor=users["sec_a"], item="platform_record")
    with pytest.raises(RegistrationError):  # the month is needed
        ts.transfer_check(transfer=transfer, actor=users["sec_a"], item="dues_paid")
    with pytest.raises(RegistrationError):  # a branch secretary reads, the organisation checks
        ts.transfer_check(transfer=transfer, actor=users["branch_a1"], item="development_procedures")
    ts.transfer_check(transfer=transfer, actor=users["sec_a"], item="dues_paid", dues_paid_until=today)
    transfer.refresh_from_db()
    assert transfer.dues_paid_until == today.replace(day=1)


def test_a_transfer_in_is_checked_against_the_dossier_and_the_platform(make_inflow, make_transfer, today):
    inflow = make_inflow("accepted")
    transfer = make_transfer("draft", direction="in", member=inflow.member)
    assert sorted(transfer.checks.values_list("item", flat=True)) == sorted(
        ["dossier_reviewed", "platform_record", "missing_data"]
    )
    assert transfer.flow_scope == "same_province" and transfer.to_branch is not None


@pytest.mark.parametrize(
    "state", ["draft", "branch", "secondary", "department", "returned", "refused", "cancelled"]
)
def test_a_letter_for_an_unapproved_transfer_is_refused(make_transfer, users, state):
    transfer = make_transfer(state)
    with pytest.raises(RegistrationError):
        ts.transfer_letter_print(transfer=transfer, actor=users["sec_a"])
    transfer.refresh_from_db()
    assert transfer.letter_print_count == 0 and transfer.letter_issued_on is None
    assert not transfer.steps.filter(decision="letter").exists()


def test_a_transfer_in_has_no_letter_of_ours(make_inflow, make_transfer, users):
    inflow = make_inflow("accepted")
    transfer = make_transfer("approved", direction="in", member=inflow.member)
    with pytest.raises(RegistrationError):
        ts.transfer_letter_print(transfer=transfer, actor=users["sec_a"])


def test_the_letter_pdf_renders_chinese_text(make_transfer, users, cast, today):
    transfer = make_transfer("approved")
    pdf = ts.transfer_letter_print(transfer=transfer, actor=users["sec_a"])
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    member = cast["members"]["a1_member"]
    for expected in (
        "中国共产党党员组织关系介绍信",
        "回执",
        member.name,
        "中共四川大学委员会文学与新闻学院委员会",  # destination
        cast["branch_a1"].name,  # origin
        f"党费已交到{today.year}年{today.month}月",
        "有效期30天",
        f"第 {transfer.letter_number} 号",
    ):
        assert expected in text.replace("\n", ""), expected


def test_every_print_is_counted_with_its_printer_and_the_issue_is_kept(make_transfer, users):
    transfer = make_transfer("approved")
    ts.transfer_letter_print(transfer=transfer, actor=users["sec_a"], valid_days=45)
    issued, number = transfer.letter_issued_on, transfer.letter_number
    ts.transfer_letter_print(transfer=transfer, actor=users["orgdept"], valid_days=10)
    transfer.refresh_from_db()
    assert transfer.letter_print_count == 2
    assert transfer.letter_last_printed_by == users["orgdept"]
    assert (transfer.letter_issued_on, transfer.letter_number, transfer.letter_valid_days) == (
        issued,
        number,
        45,
    )
    assert transfer.steps.filter(decision="letter").count() == 2


def test_a_cross_province_letter_is_valid_for_60_days(make_transfer, users):
    transfer = make_transfer("approved", other_county=Division.objects.get(pk="440305"))
    ts.transfer_letter_print(transfer=transfer, actor=users["sec_a"])
    assert transfer.flow_scope == "other_province" and transfer.letter_valid_days == 60


def test_an_unreturned_receipt_is_flagged_after_the_validity_period(make_transfer, users, today):
    transfer = make_transfer("completed")
    RelationTransfer.objects.filter(pk=transfer.pk).update(
        letter_issued_on=today - timedelta(days=31), letter_valid_until=today - timedelta(days=1)
    )
    transfer.refresh_from_db()
    assert transfer.receipt_is_overdue()
    assert RelationTransfer.objects.receipt_overdue(today).filter(pk=transfer.pk).exists()
    ts.transfer_receipt_record(transfer=transfer, actor=users["sec_a"], returned_on=today, note="已收到")
    assert not transfer.receipt_is_overdue()
    assert not RelationTransfer.objects.receipt_overdue(today).exists()
    with pytest.raises(RegistrationError):
        ts.transfer_receipt_record(transfer=transfer, actor=users["sec_a"], returned_on=today)


def test_completion_moves_the_relation_and_ends_the_open_outflow_as_transferred(
    make_outflow, make_transfer, cast
):
    from auditlog.models import LogEntry

    outflow = make_outflow("accepted")
    transfer = make_transfer("completed", member=outflow.member)
    member = Member.objects.get(pk=outflow.member_id)
    outflow.refresh_from_db()
    assert transfer.state == "completed" and transfer.completed_on is not None
    assert member.branch is None and member.origin_organization == "中共四川大学委员会文学与新闻学院委员会"
    assert member.mobility_reason == ""
    assert (outflow.state, outflow.end_reason) == ("ended", "transferred")
    assert cast["branch_a1"].name in outflow.events.last().note  # the outflow's timeline says where it went
    assert transfer.steps.last().decision == "complete"
    # The member's history shows the move.
    changes = [e.changes_dict for e in LogEntry.objects.get_for_object(member)]
    assert any("branch" in c and "origin_organization" in c for c in changes)


def test_completing_a_move_between_our_organisations_changes_branch_and_secondary(
    make_transfer, cast, users, today
):
    member = cast["members"]["a1_member"]
    transfer = make_transfer("completed", direction="internal", to_branch=cast["branch_b0"])
    member.refresh_from_db()
    assert member.branch == cast["branch_b0"] and member.secondary == cast["org_b"]
    assert transfer.to_secondary == cast["org_b"]
    assert len(transfer.checks.all()) == 6


def test_completing_a_transfer_in_ends_the_inflow_as_transferred(make_inflow, make_transfer, cast):
    inflow = make_inflow("accepted")
    make_transfer("completed", direction="in", member=inflow.member)
    inflow.refresh_from_db()
    member = inflow.member
    member.refresh_from_db()
    assert (inflow.state, inflow.end_reason) == ("ended", "transferred")
    assert member.branch == cast["branch_a0"] and member.origin_organization == ""


def test_the_department_approves_in_a_batch_and_skips_what_moved_on(make_transfer, cast, users):
    from tests.factories import MemberFactory

    first = make_transfer("department")
    second = make_transfer(
        "department", member=MemberFactory(branch=cast["branch_a0"], secondary=cast["org_a"])
    )
    third = make_transfer(
        "secondary", member=MemberFactory(branch=cast["branch_a0"], secondary=cast["org_a"])
    )
    with pytest.raises(RegistrationError):
        ts.transfer_batch_approve(transfers=[first], actor=users["sec_a"])
    result = ts.transfer_batch_approve(transfers=[first, second, third], actor=users["orgdept"])
    assert [t.pk for t in result.approved] == [first.pk, second.pk]
    assert [t.pk for t in result.skipped] == [third.pk]
    assert set(RelationTransfer.objects.filter(state="approved").values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert TransferStep.objects.filter(decision="approve", stage="department").count() == 2


def test_a_cancel_needs_a_reason_and_closes_the_transfer(make_transfer, users):
    transfer = make_transfer("branch")
    with pytest.raises(RegistrationError):
        ts.transfer_cancel(transfer=transfer, actor=users["sec_a"], reason="")
    ts.transfer_cancel(transfer=transfer, actor=users["sec_a"], reason="党员本人暂缓转出")
    assert (transfer.state, transfer.stage) == ("cancelled", "")
    with pytest.raises(RegistrationError):
        ts.transfer_check(transfer=transfer, actor=users["sec_a"], item="admission_materials")


# --- Membership retention -----------------------------------------------------------------------------------


@pytest.fixture
def retention_data(today):
    return {
        "country": "英国",
        "institution": "爱丁堡大学",
        "started_on": today - timedelta(days=10),
        "expected_end_on": today + timedelta(days=365),
        "emergency_contact_1": "王父",
        "emergency_contact_1_phone": "13900000001",
        "emergency_contact_1_relation": "父亲",
        "emergency_contact_2": "李母",
        "emergency_contact_2_phone": "13900000002",
        "emergency_contact_2_relation": "母亲",
    }


def test_retention_records_two_contacts_and_the_next_contact_in_six_months(
    cast, users, retention_data, today
):
    from dateutil.relativedelta import relativedelta

    member = cast["members"]["a1_member"]
    retention = ts.retention_create(actor=users["sec_a"], member=member, data=retention_data)
    assert retention.next_contact_due_on == retention_data["started_on"] + relativedelta(months=6)
    ts.retention_record_contact(
        retention=retention, actor=users["sec_a"], contacted_on=today, method="online"
    )
    assert retention.last_contact_on == today and retention.next_contact_due_on == today + relativedelta(
        months=6
    )
    with pytest.raises(RegistrationError):  # one active retention per member
        ts.retention_create(actor=users["sec_a"], member=member, data=retention_data)


@pytest.mark.parametrize(
    "override",
    [
        {"emergency_contact_2": ""},
        {"emergency_contact_2_phone": "13900000001"},  # the same phone twice
        {"expected_end_on": "before"},
        {"country": ""},
    ],
)
def test_retention_without_two_emergency_contacts_or_with_bad_dates_is_refused(
    cast, users, retention_data, override
):
    if override.get("expected_end_on") == "before":
        override = {"expected_end_on": retention_data["started_on"] - timedelta(days=1)}
    with pytest.raises(RegistrationError):
        ts.retention_create(
            actor=users["sec_a"], member=cast["members"]["a1_member"], data={**retention_data, **override}
        )
    assert not MembershipRetention.objects.exists()


def test_the_transfer_facts_are_validated_on_the_outflow(make_outflow, sec_a, today):
    from registrations import services

    outflow = make_outflow("registered")
    for data in (
        {"housing_since": today - timedelta(days=200)},  # bought or rented?
        {"housing_kind": "rented"},  # since when?
        {"contract_months": 12},  # signed when?
        {"settled_on": today + timedelta(days=1)},
    ):
        with pytest.raises(RegistrationError):
            services.outflow_update(outflow=outflow, actor=sec_a, data=data)
        outflow = OutflowRegistration.objects.get(pk=outflow.pk)
    services.outflow_update(
        outflow=outflow,
        actor=sec_a,
        data={"housing_kind": "rented", "housing_since": today - timedelta(days=200)},
    )
    assert [s.kind for s in outflow.transfer_suggestions(today)] == ["residence"]


def test_a_checklist_item_belongs_to_its_transfer(make_transfer):
    transfer = make_transfer("draft")
    assert DossierCheck.objects.filter(transfer=transfer).count() == 3
