"""Notifications: who is told, each person once per subject and stage, and one e-mail per notice."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members import notifications, tasks
from members.models import Member, Notification, Role, RoleAssignment, User
from members.notifications import NotificationItem, make_dedupe_key, notify, notify_many, recipients_for
from tests.factories import MemberFactory, NotificationFactory, RoleFactory, UserFactory


def user(username):
    return User.objects.get(username=username)


# --- recipients_for --------------------------------------------------------------------------------------


def test_the_secondary_secretary_is_told_about_their_organisation(cast):
    assert recipients_for(secondary=cast["org_a"], roles=[Role.SECONDARY_SECRETARY]) == [user("sec_a")]
    assert recipients_for(secondary=cast["org_b"], roles=[Role.SECONDARY_SECRETARY]) == [user("sec_b")]


def test_the_branch_secretary_is_told_about_their_branch(cast):
    assert recipients_for(branch=cast["branch_a1"], roles=[Role.BRANCH_SECRETARY]) == [user("branch_a1")]
    assert recipients_for(branch=cast["branch_a0"], roles=[Role.BRANCH_SECRETARY]) == []


def test_the_organisation_department_is_told_about_anything(cast):
    assert recipients_for(roles=[Role.ORG_DEPARTMENT]) == [user("orgdept")]


def test_by_default_a_branch_brings_its_owner_and_the_organisation_department(cast):
    people = recipients_for(branch=cast["branch_a1"].pk)
    assert [p.username for p in people] == ["sec_a", "branch_a1", "orgdept"]


def test_nobody_outside_the_subject_is_told(cast):
    people = {p.username for p in recipients_for(secondary=cast["org_b"], branch=cast["branch_b0"])}
    assert people == {"sec_b", "orgdept"}


def test_a_deactivated_account_is_not_told(cast):
    User.objects.filter(username="sec_a").update(is_active=False)
    assert recipients_for(secondary=cast["org_a"], roles=[Role.SECONDARY_SECRETARY]) == []


def test_a_person_with_two_roles_is_told_once(cast):
    RoleAssignment.objects.create(user=user("sec_a"), role=Role.BRANCH_SECRETARY, branch=cast["branch_a1"])
    people = recipients_for(branch=cast["branch_a1"], roles=[Role.SECONDARY_SECRETARY, Role.BRANCH_SECRETARY])
    assert [p.username for p in people] == ["sec_a", "branch_a1"]


def test_a_job_resolves_every_subject_from_one_directory(cast, django_assert_num_queries):
    members = list(Member.objects.select_related("branch"))
    with django_assert_num_queries(2):
        directory = notifications.role_directory()
    with django_assert_num_queries(0):
        answers = {m.pk: directory.recipients(secondary=m.secondary_id, branch=m.branch_id) for m in members}
    a1 = cast["members"]["a1_member"]
    assert [p.username for p in answers[a1.pk]] == ["sec_a", "branch_a1", "orgdept"]


def test_recipients_for_one_subject_costs_two_queries_at_most(cast, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        recipients_for(branch=cast["branch_a1"].pk)


# --- notify / notify_many ----------------------------------------------------------------------------------


def test_a_notice_points_at_its_subject(cast):
    member = cast["members"]["a1_member"]
    [notice] = notify(
        recipients=[user("sec_a")], kind="intake_due", title="接收纳管即将到期", body="", subject=member
    )
    notice.refresh_from_db()
    assert notice.subject == member
    assert notice.link == member.get_absolute_url()
    assert notice.recipient == user("sec_a") and notice.read_at is None and notice.emailed_at is None


def test_notifying_twice_with_the_same_key_creates_one_notice_and_one_email(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    member = cast["members"]["a1_member"]
    key = make_dedupe_key(subject=member, kind="intake_due", stage="7d")
    people = recipients_for(branch=member.branch)

    def remind():
        with django_capture_on_commit_callbacks(execute=True):
            return notify(
                recipients=people,
                kind="intake_due",
                title="7天后到期",
                body="请办理。",
                subject=member,
                dedupe_key=key,
            )

    assert len(remind()) == 3
    assert remind() == []  # the job's second run

    assert Notification.objects.filter(dedupe_key=key).count() == 3
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in people)


def test_the_database_refuses_a_second_notice_with_the_same_key_even_past_the_service(db):
    # Two jobs running at once both pass the service's look-up; the constraint is what stops the second.
    person = UserFactory()
    NotificationFactory(recipient=person, dedupe_key="k:1")
    NotificationFactory(recipient=person, dedupe_key="")
    NotificationFactory(recipient=person, dedupe_key="")  # notices without a key are never deduplicated
    with pytest.raises(IntegrityError), transaction.atomic():
        NotificationFactory(recipient=person, dedupe_key="k:1")
    Notification.objects.bulk_create(
        [Notification(recipient=person, kind="k", title="x", dedupe_key="k:1")], ignore_conflicts=True
    )
    assert Notification.objects.filter(recipient=person).count() == 3


def test_another_stage_of_the_same_subject_is_a_new_notice(cast):
    member = cast["members"]["a1_member"]
    for stage in ("7d", "3d", "7d"):
        notify(
            recipients=[user("sec_a")],
            kind="intake_due",
            title="到期提醒",
            body="",
            subject=member,
            dedupe_key=make_dedupe_key(subject=member, kind="intake_due", stage=stage),
        )
    assert Notification.objects.filter(recipient=user("sec_a")).count() == 2


def test_notices_without_a_key_are_not_deduplicated(cast):
    for _ in range(2):
        notify(recipients=[user("sec_a")], kind="news", title="通知", body="")
    assert Notification.objects.filter(recipient=user("sec_a")).count() == 2


def test_notify_many_returns_only_the_notices_it_created(cast):
    member = cast["members"]["a1_member"]
    old = notify(recipients=[user("sec_a")], kind="k", title="旧", body="", subject=member, dedupe_key="k:1")[
        0
    ]
    created = notify_many(
        [
            NotificationItem(
                recipients=[user("sec_a"), user("orgdept")], kind="k", title="新", body="", dedupe_key="k:1"
            ),
            {"recipients": [user("sec_b")], "kind": "k", "title": "无键", "body": ""},
        ]
    )
    assert old.pk not in {n.pk for n in created}
    assert sorted((n.recipient.username, n.title) for n in created) == [("orgdept", "新"), ("sec_b", "无键")]
    assert all(n.pk for n in created)


def test_a_notice_needs_a_slug_kind_a_title_and_a_saved_subject(cast):
    with pytest.raises(ValueError):
        notify(recipients=[user("sec_a")], kind="not a slug", title="x", body="")
    with pytest.raises(ValueError):
        notify(recipients=[user("sec_a")], kind="k", title="  ", body="")
    with pytest.raises(ValueError):
        notify(recipients=[user("sec_a")], kind="k", title="x", body="", subject=Member(name="未保存"))
    assert not Notification.objects.exists()


def _items(people, n, subjects):
    """n notices, half with a key and half without, each about a member."""
    return [
        NotificationItem(
            recipients=[people[i]],
            kind="intake_due",
            title=f"提醒{i}",
            body="请处理。",
            subject=subjects[i],
            dedupe_key=make_dedupe_key(subject=subjects[i], kind="intake_due", stage="3d") if i % 2 else "",
        )
        for i in range(n)
    ]


@pytest.mark.django_db
def test_notify_many_takes_as_many_queries_for_50_notices_as_for_5():
    people = UserFactory.create_batch(100)
    subjects = MemberFactory.create_batch(100)
    ContentType.objects.get_for_model(Member)  # the content type cache is warm in any real process

    with CaptureQueriesContext(connection) as five:
        assert len(notify_many(_items(people[:5], 5, subjects[:5]))) == 5
    with CaptureQueriesContext(connection) as fifty:
        assert len(notify_many(_items(people[5:55], 50, subjects[5:55]))) == 50

    assert len(fifty.captured_queries) == len(five.captured_queries) <= 8


# --- e-mail ----------------------------------------------------------------------------------------------


def test_the_email_task_run_twice_sends_once(db, mailoutbox):
    notice = NotificationFactory(recipient=UserFactory(email="zhang@example.edu.cn"), title="请完成集中登记")
    assert notifications.send_notification_emails(ids=[notice.pk]) == 1
    assert notifications.send_notification_emails(ids=[notice.pk]) == 0
    tasks.send_notification_emails.delay([notice.pk])  # eager in tests: the Celery shell around the service

    assert len(mailoutbox) == 1
    notice.refresh_from_db()
    assert notice.emailed_at is not None


def test_the_email_is_in_chinese_terms_and_links_to_the_subject(db, mailoutbox, settings):
    settings.FLOWPARTY_SITE_URL = "https://flowparty.example.edu.cn"
    person = UserFactory(email="li@example.edu.cn", full_name="李敏")
    notice = NotificationFactory(
        recipient=person, title="流出登记接收纳管已逾期", body="请尽快处理。", link="/members/7/"
    )
    notifications.send_notification_emails(ids=[notice.pk])

    [message] = mailoutbox
    assert message.to == ["li@example.edu.cn"]
    assert "流出登记接收纳管已逾期" in message.subject
    assert "李敏" in message.body and "请尽快处理。" in message.body
    assert "https://flowparty.example.edu.cn/members/7/" in message.body
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"


def test_people_without_an_email_address_are_skipped(db, mailoutbox):
    notice = NotificationFactory(recipient=UserFactory(email=""))
    assert notifications.send_notification_emails(ids=[notice.pk]) == 0
    assert notifications.send_pending_notification_emails() == 0
    notice.refresh_from_db()
    assert mailoutbox == [] and notice.emailed_at is None


def test_a_failed_send_is_retried_by_the_sweep_and_then_sent_once(db, mailoutbox, monkeypatch):
    notice = NotificationFactory(recipient=UserFactory(email="wang@example.edu.cn"))

    def smtp_down(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP is down")

    with monkeypatch.context() as patch:
        patch.setattr(mail.EmailMessage, "send", smtp_down)
        assert notifications.send_notification_emails(ids=[notice.pk]) == 0
    notice.refresh_from_db()
    assert notice.emailed_at is None  # the claim was given back

    assert notifications.send_pending_notification_emails() == 1
    assert notifications.send_pending_notification_emails() == 0
    assert len(mailoutbox) == 1


def test_the_sweep_leaves_old_notices_to_the_bell(db, mailoutbox):
    NotificationFactory(
        recipient=UserFactory(email="old@example.edu.cn"),
        created_at=timezone.now() - notifications.PENDING_EMAIL_MAX_AGE - timedelta(minutes=1),
    )
    recent = NotificationFactory(recipient=UserFactory(email="new@example.edu.cn"))
    assert tasks.send_pending_notification_emails.delay().get() == 1
    assert [m.to for m in mailoutbox] == [[recent.recipient.email]]


def test_a_broker_outage_does_not_break_the_caller(cast, monkeypatch, django_capture_on_commit_callbacks):
    from kombu.exceptions import OperationalError

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis")

    monkeypatch.setattr(tasks.send_notification_emails, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(recipients=[user("sec_a")], kind="k", title="提醒", body="")
    assert Notification.objects.get(pk=created[0].pk).emailed_at is None  # the sweep will send it


# --- reading ---------------------------------------------------------------------------------------------


def test_marking_read_touches_only_the_actors_own_notices(cast):
    own = NotificationFactory(recipient=user("member_a"))
    other = NotificationFactory(recipient=user("sec_a"))
    assert notifications.notification_mark_read(notification=own, actor=user("member_a"))
    assert not notifications.notification_mark_read(notification=own, actor=user("member_a"))  # already read
    assert not notifications.notification_mark_read(notification=other, actor=user("member_a"))
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_all_read_counts_what_was_unread(cast):
    NotificationFactory.create_batch(3, recipient=user("member_a"))
    NotificationFactory(recipient=user("member_a"), read_at=timezone.now())
    NotificationFactory(recipient=user("sec_a"))
    assert notifications.notification_mark_all_read(actor=user("member_a")) == 3
    assert Notification.objects.filter(read_at=None).count() == 1


def test_someone_given_the_organisation_department_role_is_told_from_then_on(db):
    assert recipients_for(roles=[Role.ORG_DEPARTMENT]) == []
    person = RoleFactory().user
    assert recipients_for(roles=[Role.ORG_DEPARTMENT]) == [person]
