"""The bell, the list and marking notices read, through the browser's requests."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.models import Notification, User
from tests.factories import NotificationFactory


def user(username):
    return User.objects.get(username=username)


def bell_count(response) -> int:
    return int(re.search(r'data-unread-count="(\d+)"', response.content.decode()).group(1))


def test_the_bell_counts_only_the_users_unread_notices(cast, as_user):
    NotificationFactory.create_batch(3, recipient=user("member_a"))
    NotificationFactory(recipient=user("member_a"), read_at=timezone.now())
    NotificationFactory.create_batch(2, recipient=user("sec_a"))

    assert bell_count(as_user("member_a").get(reverse("home"))) == 3
    assert bell_count(as_user("sec_a").get(reverse("home"))) == 2
    assert bell_count(as_user("orgdept").get(reverse("home"))) == 0


def test_the_bell_costs_one_query_however_many_notices(cast, as_user):
    client = as_user("member_a")

    def queries():
        with CaptureQueriesContext(connection) as context:
            client.get(reverse("home"))
        return len(context.captured_queries)

    none = queries()
    NotificationFactory.create_batch(30, recipient=user("member_a"))
    assert queries() == none


def test_a_big_count_is_shown_short(cast, as_user):
    NotificationFactory.create_batch(100, recipient=user("member_a"))
    response = as_user("member_a").get(reverse("home"))
    assert bell_count(response) == 100
    assert "99+" in response.content.decode()


def test_the_list_shows_only_the_users_own_notices_newest_first_unread_highlighted(cast, as_user):
    now = timezone.now()
    NotificationFactory(recipient=user("member_a"), title="较早的通知", created_at=now.replace(year=2020))
    NotificationFactory(recipient=user("member_a"), title="已读的通知", read_at=now)
    NotificationFactory(recipient=user("sec_a"), title="书记的通知")

    response = as_user("member_a").get(reverse("notifications:list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "已读的通知" in page and "较早的通知" in page and "书记的通知" not in page
    assert page.index("已读的通知") < page.index("较早的通知")
    assert page.count("notification-unread") == 1


def test_the_unread_tab_leaves_out_what_was_read(cast, as_user):
    NotificationFactory(recipient=user("member_a"), title="未读的通知")
    NotificationFactory(recipient=user("member_a"), title="已读的通知", read_at=timezone.now())
    page = as_user("member_a").get(reverse("notifications:list"), {"show": "unread"}).content.decode()
    assert "未读的通知" in page and "已读的通知" not in page


def test_the_list_is_paginated(cast, as_user):
    NotificationFactory.create_batch(25, recipient=user("member_a"))
    client = as_user("member_a")
    assert len(client.get(reverse("notifications:list")).context["page"].object_list) == 20
    assert len(client.get(reverse("notifications:list"), {"page": 2}).context["page"].object_list) == 5


def test_opening_a_notice_marks_it_read_and_goes_to_its_subject(cast, as_user):
    member = cast["members"]["member_a"]
    notice = NotificationFactory(recipient=user("member_a"), link=member.get_absolute_url())
    response = as_user("member_a").post(reverse("notifications:open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == member.get_absolute_url()
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_a_notice_never_redirects_off_the_site(cast, as_user):
    notice = NotificationFactory(recipient=user("member_a"), link="https://evil.example.com/")
    response = as_user("member_a").post(reverse("notifications:open", args=[notice.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_mark_as_read_returns_to_the_page_the_reader_was_on(cast, as_user):
    notice = NotificationFactory(recipient=user("member_a"))
    back = reverse("notifications:list") + "?show=unread&page=1"
    response = as_user("member_a").post(reverse("notifications:read", args=[notice.pk]), {"next": back})
    assert response["Location"] == back
    notice.refresh_from_db()
    assert notice.is_read


def test_mark_all_read_leaves_other_peoples_notices_alone(cast, as_user):
    NotificationFactory.create_batch(3, recipient=user("member_a"))
    NotificationFactory(recipient=user("sec_a"))
    response = as_user("member_a").post(reverse("notifications:read_all"), follow=True)
    assert not Notification.objects.filter(recipient=user("member_a"), read_at=None).exists()
    assert Notification.objects.filter(recipient=user("sec_a"), read_at=None).count() == 1
    [message] = list(response.context["messages"])
    assert message.level_tag == "success" and "3" in str(message)


def test_another_users_notice_answers_404(cast, as_user):
    notice = NotificationFactory(recipient=user("sec_a"))
    client = as_user("orgdept")
    assert client.post(reverse("notifications:open", args=[notice.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


@pytest.mark.parametrize("name", ["notifications:open", "notifications:read", "notifications:read_all"])
def test_a_get_never_changes_anything(cast, as_user, name):
    notice = NotificationFactory(recipient=user("member_a"))
    args = [] if name.endswith("read_all") else [notice.pk]
    assert as_user("member_a").get(reverse(name, args=args)).status_code == 405
    notice.refresh_from_db()
    assert notice.read_at is None


def test_marking_read_needs_the_csrf_token(cast):
    notice = NotificationFactory(recipient=user("member_a"))
    client = Client(enforce_csrf_checks=True)
    client.force_login(user("member_a"))
    assert client.post(reverse("notifications:read_all")).status_code == 403
    assert client.post(reverse("notifications:open", args=[notice.pk])).status_code == 403
    notice.refresh_from_db()
    assert notice.read_at is None
