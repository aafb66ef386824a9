"""The Art. 2 jobs, in time: reminders 7 and 3 days before, on the due date, the escalation the day after; a missed
day; running twice; campaigns opening on 1 March and 1 October in Asia/Shanghai and closing at the month's end."""

import datetime as dt
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.models import Notification, User
from registrations import jobs
from registrations.models import BatchCampaign, CampaignTask, IntakeReminder
from tests.factories import MemberFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def notices(username, kind_prefix="intake_"):
    return list(
        Notification.objects.filter(recipient__username=username, kind__startswith=kind_prefix).values_list(
            "kind", flat=True
        )
    )


@pytest.fixture
def outflow_due_in_10(make_outflow):
    # Registered 20 days ago within Sichuan: due in 10 days.
    return make_outflow("registered", days_ago=20)


@pytest.mark.parametrize(
    ("days_later", "kind"), [(3, "intake_d7"), (7, "intake_d3"), (10, "intake_d0"), (11, "intake_overdue")]
)
def test_each_stage_goes_out_on_its_day(outflow_due_in_10, today, days_later, kind):
    jobs.intake_deadlines_check(today=today + timedelta(days=days_later))
    assert notices("sec_a") == [kind]
    assert notices("branch_a1") == [kind]  # the member is in branch_a1's branch
    assert notices("orgdept") == (["intake_overdue"] if kind == "intake_overdue" else [])
    assert notices("sec_b") == []


def test_nothing_goes_out_before_the_first_stage(outflow_due_in_10, today):
    jobs.intake_deadlines_check(today=today + timedelta(days=2))
    assert not Notification.objects.exists()


def test_running_twice_sends_nothing_twice(
    outflow_due_in_10, today, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = jobs.intake_deadlines_check(today=today + timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        second = jobs.intake_deadlines_check(today=today + timedelta(days=3))
    assert first == {"sent": 1, "escalated": 0} and second == {"sent": 0, "escalated": 0}
    assert notices("sec_a") == ["intake_d7"]
    assert len([m for m in mailoutbox if "sec_a" in m.to[0]]) == 1


def test_after_missed_days_only_the_latest_stage_goes_out(outflow_due_in_10, today):
    jobs.intake_deadlines_check(today=today + timedelta(days=3))  # d7 sent
    jobs.intake_deadlines_check(today=today + timedelta(days=12))  # the job missed d3 and the due date
    assert sorted(notices("sec_a")) == ["intake_d7", "intake_overdue"]
    assert IntakeReminder.objects.filter(stage__in=["d3", "d0"]).count() == 0


def test_a_completed_intake_gets_no_reminder(make_outflow, today):
    make_outflow("accepted", days_ago=29)
    jobs.intake_deadlines_check(today=today + timedelta(days=5))
    assert not Notification.objects.exists()


def test_inflows_are_reminded_too(make_inflow, today):
    make_inflow("contacted")  # origin registered 10 days ago within Sichuan: due in 20 days
    jobs.intake_deadlines_check(today=today + timedelta(days=21))
    assert notices("sec_a") == ["intake_overdue"] and notices("orgdept") == ["intake_overdue"]


def test_the_job_takes_the_same_number_of_queries_at_two_sizes(make_outflow, cast, today):
    def run_with(n):
        for _ in range(n):
            make_outflow(
                "registered",
                days_ago=25,
                member=MemberFactory(branch=cast["branch_a0"], secondary=cast["org_a"]),
            )
        IntakeReminder.objects.all().delete()
        Notification.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            result = jobs.intake_deadlines_check(today=today)
        return len(ctx), result

    small, result_small = run_with(2)
    large, result_large = run_with(20)
    assert result_small["sent"] == 2 and result_large["sent"] == 22
    assert small == large


def test_the_management_command_runs_the_job(outflow_due_in_10, today):
    with time_machine.travel(dt.datetime.combine(today + timedelta(days=3), dt.time(7), tzinfo=SHANGHAI)):
        call_command("check_intake_deadlines")
    assert notices("sec_a") == ["intake_d7"]


def test_the_pending_work_queue_shows_overdue_and_escalated(make_outflow, as_user, today):
    outflow = make_outflow("registered", days_ago=40)
    jobs.intake_deadlines_check(today=today)
    response = as_user("orgdept").get(reverse("registrations:pending_work"))
    assert [o.pk for o in response.context["overdue_outflows"]] == [outflow.pk]
    assert response.context["overdue_outflows"][0].escalated_on == today


# --- Campaigns ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("month", [3, 10])
def test_a_campaign_opens_on_the_first_of_march_and_october_in_shanghai(cast, month):
    # 00:05 on the 1st in Shanghai is still the previous day in UTC.
    moment = dt.datetime(2026, month, 1, 0, 5, tzinfo=SHANGHAI)
    assert moment.astimezone(dt.UTC).day != 1
    with time_machine.travel(moment, tick=False):
        call_command("open_batch_campaign")
    campaign = BatchCampaign.objects.get()
    assert (campaign.year, campaign.month, campaign.opens_on) == (2026, month, date(2026, month, 1))
    assert campaign.closes_on == (date(2026, 3, 31) if month == 3 else date(2026, 10, 31))
    active = set(cast["org_a"].__class__.objects.filter(is_active=True).values_list("pk", flat=True))
    assert set(campaign.tasks.values_list("secondary_id", flat=True)) == active
    assert notices("sec_a", "campaign_") == ["campaign_open"]


def test_no_campaign_opens_outside_march_and_october(cast):
    assert jobs.campaign_open(today=date(2026, 2, 28)) is None
    assert jobs.campaign_open(today=date(2026, 4, 1)) is None
    assert not BatchCampaign.objects.exists()


def test_opening_twice_or_late_in_the_month_is_one_campaign(cast):
    jobs.campaign_open(today=date(2026, 3, 1))
    jobs.campaign_open(today=date(2026, 3, 9))
    assert BatchCampaign.objects.count() == 1
    assert notices("sec_a", "campaign_") == ["campaign_open"]


def test_weekly_reminders_go_to_organisations_that_have_not_submitted(cast):
    campaign = jobs.campaign_open(today=date(2026, 10, 1))
    CampaignTask.objects.filter(campaign=campaign, secondary=cast["org_b"]).update(
        submitted_at=timezone.now()
    )
    jobs.campaign_remind(today=date(2026, 10, 5))
    jobs.campaign_remind(today=date(2026, 10, 6))  # same ISO week: nothing new
    jobs.campaign_remind(today=date(2026, 10, 12))
    assert notices("sec_a", "campaign_reminder") == ["campaign_reminder", "campaign_reminder"]
    assert notices("sec_b", "campaign_reminder") == []


def test_the_campaign_closes_at_the_months_end_and_shows_who_did_not_finish(cast, make_outflow, as_user):
    make_outflow("registered", days_ago=5)
    campaign = jobs.campaign_open(today=date(2026, 10, 1))
    assert jobs.campaign_close(today=date(2026, 10, 30)) == []
    with time_machine.travel(dt.datetime(2026, 10, 31, 23, 55, tzinfo=SHANGHAI), tick=False):
        call_command("close_batch_campaigns")
    campaign.refresh_from_db()
    assert campaign.state == "closed"
    assert CampaignTask.objects.get(campaign=campaign, secondary=cast["org_a"]).pending_at_close == 1
    response = as_user("orgdept").get(campaign.get_absolute_url())
    assert cast["org_a"] in [t.secondary for t in response.context["unfinished"]]
    assert notices("orgdept", "campaign_closed") == ["campaign_closed"]


def test_the_secretary_submits_the_prefilled_report(cast, make_outflow, as_user):
    make_outflow("registered", days_ago=2)
    campaign = jobs.campaign_open(today=date(2026, 10, 1))
    task = CampaignTask.objects.get(campaign=campaign, secondary=cast["org_a"])
    client = as_user("sec_a")
    page = client.get(task.get_absolute_url())
    form = page.context["form"]
    assert form.initial["outflow_members"] == 1 and form.initial["intakes_pending"] == 1
    data = {
        **{k: v for k, v in form.initial.items() if k in form.fields},
        "members_reviewed": "on",
        "pending_reasons": "",
    }
    response = client.post(task.get_absolute_url(), data)
    assert "请说明尚未完成接收纳管的原因" in response.content.decode()
    data["pending_reasons"] = "流入地党组织尚未回复"
    response = client.post(task.get_absolute_url(), data)
    assert response.status_code == 302
    task.refresh_from_db()
    assert (
        task.is_submitted and not task.corrected and task.submitted_by == User.objects.get(username="sec_a")
    )


def test_a_corrected_figure_needs_a_note(cast, as_user):
    campaign = jobs.campaign_open(today=date(2026, 3, 1))
    task = CampaignTask.objects.get(campaign=campaign, secondary=cast["org_a"])
    client = as_user("sec_a")
    data = {
        "outflow_members": 5,
        "inflow_members": 0,
        "new_registrations": 0,
        "intakes_completed": 0,
        "intakes_pending": 0,
        "members_reviewed": "on",
        "note": "",
    }
    client.post(task.get_absolute_url(), data)
    task.refresh_from_db()
    assert not task.is_submitted
    client.post(task.get_absolute_url(), {**data, "note": "两名党员已返校，平台未更新"})
    task.refresh_from_db()
    assert task.is_submitted and task.corrected


def test_another_secretary_cannot_submit(cast, as_user):
    campaign = jobs.campaign_open(today=date(2026, 3, 1))
    task = CampaignTask.objects.get(campaign=campaign, secondary=cast["org_a"])
    assert as_user("sec_b").get(task.get_absolute_url()).status_code == 404
    assert as_user("orgdept").post(task.get_absolute_url(), {}).status_code == 403


def test_the_pending_work_queue_shows_the_longest_overdue_and_links_to_the_rest(
    make_outflow, cast, as_user, monkeypatch
):
    from registrations import selectors
    from tests.factories import MemberFactory

    monkeypatch.setattr(selectors, "PENDING_WORK_SHOWN", 1)
    older = make_outflow("registered", days_ago=50)
    make_outflow(
        "registered", days_ago=40, member=MemberFactory(branch=cast["branch_a0"], secondary=cast["org_a"])
    )
    response = as_user("orgdept").get(reverse("registrations:pending_work"))
    assert [o.pk for o in response.context["overdue_outflows"]] == [older.pk]
    assert response.context["overdue_outflow_count"] == 2
    assert reverse("registrations:outflow_list") + "?overdue=true" in response.content.decode()
