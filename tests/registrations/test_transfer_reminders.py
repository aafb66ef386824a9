"""The Art. 5 reminder job: who is reminded, and that a second run in the same period sends nothing."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from members.models import User
from registrations import transfer_services as ts
from registrations.models import RelationTransfer, TransferReminder
from registrations.transfer_reminders import transfer_reminders_send


@pytest.fixture
def due_member(make_outflow, sec_a, today):
    """a1_member, away with a 12-month contract: due to transfer out (Art. 5)."""
    from registrations import services

    outflow = make_outflow("accepted")
    services.outflow_update(
        outflow=outflow,
        actor=sec_a,
        data={"contract_signed_on": today - timedelta(days=10), "contract_months": 12},
    )
    member = outflow.member
    member.refresh_from_db()
    return member


def sent_to():
    return sorted(address for m in mail.outbox for address in m.to)


def test_the_due_member_and_their_secretaries_are_reminded_once_a_month(
    due_member, users, django_capture_on_commit_callbacks, today
):
    due_member.user = User.objects.create_user(
        username="due1", email="due1@example.edu.cn", password="x" * 12
    )
    due_member.save()
    with django_capture_on_commit_callbacks(execute=True):
        result = transfer_reminders_send(today=today)
    assert result.sent == 1
    assert sent_to() == sorted(
        ["branch_a1@demo.flowparty.local", "due1@example.edu.cn", "sec_a@demo.flowparty.local"]
    )
    assert due_member.name in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = transfer_reminders_send(today=today)
    assert again.sent == 0 and mail.outbox == []
    assert TransferReminder.objects.filter(subject=f"member:{due_member.pk}").count() == 1
    # Next month, still due: reminded again.
    with django_capture_on_commit_callbacks(execute=True):
        later = transfer_reminders_send(today=today + timedelta(days=31))
    assert later.sent == 1


def test_an_open_transfer_stops_the_due_reminder(due_member, make_transfer, today):
    make_transfer("draft", member=due_member)
    assert transfer_reminders_send(today=today).sent == 0


def test_a_contact_abroad_due_within_two_weeks_is_reminded_once_per_due_date(
    cast, users, today, django_capture_on_commit_callbacks
):
    retention = ts.retention_create(
        actor=users["sec_a"],
        member=cast["members"]["a0_member"],
        data={
            "country": "英国",
            "institution": "爱丁堡大学",
            "started_on": today - timedelta(days=175),
            "expected_end_on": today + timedelta(days=365),
            "emergency_contact_1": "王父",
            "emergency_contact_1_phone": "13900000001",
            "emergency_contact_2": "李母",
            "emergency_contact_2_phone": "13900000002",
        },
    )
    assert transfer_reminders_send(today=today - timedelta(days=30)).sent == 0  # not due within 14 days yet
    with django_capture_on_commit_callbacks(execute=True):
        assert transfer_reminders_send(today=today).sent == 1
    assert "sec_a@demo.flowparty.local" in sent_to()
    assert transfer_reminders_send(today=today + timedelta(days=20)).sent == 0  # overdue, same due date
    ts.retention_record_contact(retention=retention, actor=users["sec_a"], contacted_on=today, method="phone")
    assert transfer_reminders_send(today=today + timedelta(days=20)).sent == 0  # next one is 6 months away


def test_an_unreturned_receipt_is_reminded_once(make_transfer, today):
    transfer = make_transfer("completed")
    RelationTransfer.objects.filter(pk=transfer.pk).update(
        letter_issued_on=today - timedelta(days=40), letter_valid_until=today - timedelta(days=10)
    )
    assert transfer_reminders_send(today=today).sent == 1
    assert transfer_reminders_send(today=today).sent == 0
    assert TransferReminder.objects.get().kind == "receipt_overdue"


def test_a_graduate_kept_for_two_years_is_flagged_to_the_secretaries(make_outflow, cast, sec_a, today):
    from members.models import Member

    member = cast["members"]["a0_member"]
    Member.objects.filter(pk=member.pk).update(category="graduate", mobility_reason="graduate_exams")
    outflow = make_outflow("registered", member=member, days_ago=5)
    from registrations.models import OutflowRegistration

    OutflowRegistration.objects.filter(pk=outflow.pk).update(
        reason="graduate_exams", departure_on=today.replace(year=today.year - 2) - timedelta(days=2)
    )
    assert transfer_reminders_send(today=today).sent == 1
    assert TransferReminder.objects.get().kind == "graduate_kept"
    assert transfer_reminders_send(today=today).sent == 0


def test_the_management_command_runs_the_same_job(due_member):
    call_command("send_transfer_reminders")
    call_command("send_transfer_reminders")
    assert TransferReminder.objects.count() == 1


def test_the_celery_task_calls_the_same_job(due_member):
    from registrations.tasks import send_transfer_reminders

    assert send_transfer_reminders.delay().get() == {"sent": 1, "addressed": 2}
    assert send_transfer_reminders.delay().get()["sent"] == 0
