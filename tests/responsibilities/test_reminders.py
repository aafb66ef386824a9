"""The reminder job tells the secretaries once per item, period and stage, however often it runs."""

import io
from datetime import timedelta

from django.core import mail
from django.core.management import call_command

from responsibilities import rules, services
from responsibilities.models import ChecklistReminder


def _quarter_end(today):
    return rules.period_containing(rules.Cadence.QUARTER, today).end


def _left_long_ago(outflow, today):
    """Away since long before this quarter, so that no month of grace moves its deadlines."""
    type(outflow).objects.filter(pk=outflow.pk).update(departure_on=today - timedelta(days=200))
    return outflow


def test_the_job_sends_one_mail_per_item_and_period_and_nothing_the_second_time(
    cast, make_outflow, make_inflow, today, django_capture_on_commit_callbacks
):
    _left_long_ago(make_outflow(days_ago=3), today)
    _left_long_ago(make_outflow(member=cast["members"]["a0_member"], days_ago=3), today)
    day = _quarter_end(today) - timedelta(days=3)  # the quarter's contact falls due within two weeks
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.checklist_reminders_send(today=day)
    assert sent == len(mail.outbox) == ChecklistReminder.objects.count() > 0
    keys = list(ChecklistReminder.objects.values_list("secondary", "item__code", "period_key", "stage"))
    assert len(keys) == len(set(keys))
    contact = ChecklistReminder.objects.get(item__code="A1.2", stage="due_soon")
    assert contact.member_count == 2  # both members in one mail
    assert contact.recipients == "sec_a"  # told under the bell and by e-mail
    assert all(m.to == ["sec_a@demo.flowparty.local"] for m in mail.outbox)
    contact_mails = [m for m in mail.outbox if "A1.2" in m.subject]
    assert (
        len(contact_mails) == ChecklistReminder.objects.filter(item__code="A1.2").count()
    )  # due soon, overdue
    for message in contact_mails:
        assert "甲一党员" in message.body and "甲零党员" in message.body
        assert f"/checklists/organizations/{cast['org_a'].pk}/" in message.body

    with django_capture_on_commit_callbacks(execute=True):
        again = services.checklist_reminders_send(today=day)
        out = io.StringIO()
        call_command("send_checklist_reminders", "--date", day.isoformat(), stdout=out)
    assert again == 0 and "sent: 0" in out.getvalue()
    assert len(mail.outbox) == sent


def test_overdue_items_are_told_once_the_deadline_has_passed(
    cast, make_outflow, today, django_capture_on_commit_callbacks
):
    _left_long_ago(make_outflow(days_ago=3), today)
    next_quarter = _quarter_end(today) + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.checklist_reminders_send(today=next_quarter)
    overdue = ChecklistReminder.objects.get(item__code="A1.2", stage="overdue")
    assert overdue.period_key == rules.period_containing(rules.Cadence.QUARTER, today).key
    assert any("A1.2" in m.subject for m in mail.outbox)


def test_exempt_members_are_never_reminded_about_education(
    cast, sec_a, make_outflow, today, django_capture_on_commit_callbacks
):
    member = cast["members"]["a1_member"]
    member.is_exempt, member.exempt_reason = True, "身患重病"
    member.save()
    _left_long_ago(make_outflow(member=member, days_ago=3), today)
    half_end = rules.period_containing(rules.Cadence.HALF_YEAR, today).end
    with django_capture_on_commit_callbacks(execute=True):
        services.checklist_reminders_send(today=half_end - timedelta(days=2))
        services.checklist_reminders_send(today=half_end + timedelta(days=1))
    assert not ChecklistReminder.objects.filter(item__code="A1.4").exists()
    assert ChecklistReminder.objects.filter(item__code="A1.2").exists()  # contact is still required


def test_nothing_is_sent_to_an_organisation_without_secretaries(
    cast, sec_a, make_outflow, today, django_capture_on_commit_callbacks
):
    from members.models import RoleAssignment

    _left_long_ago(make_outflow(days_ago=3), today)
    RoleAssignment.objects.filter(secondary=cast["org_a"]).delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.checklist_reminders_send(today=_quarter_end(today) - timedelta(days=1))
    assert mail.outbox == []
    assert ChecklistReminder.objects.filter(recipients="").exists()  # claimed, with nobody to tell
