"""Integration: a real Celery worker, fed through Redis, e-mails a job's notices exactly once.

The rest of the suite runs tasks eagerly; this test turns that off for a private Celery app with its own queue
(so parallel test runs sharing the Redis server never take each other's messages), starts an embedded worker
in a thread, and goes the whole way: notify() -> on_commit -> Redis -> worker -> e-mail.
"""

import time
import uuid

import pytest
import redis
from celery import Celery
from celery.contrib.testing.worker import start_worker

from flowparty.celery import app as flowparty_app
from members import tasks
from members.models import Notification
from members.notifications import notify
from tests.factories import UserFactory


@pytest.fixture
def worker_app(redis_url):
    queue = f"flowparty-test-{uuid.uuid4().hex}"
    app = Celery("flowparty-integration", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        broker_url=redis_url,
        result_backend=redis_url,
        result_expires=300,
        task_always_eager=False,
        task_default_queue=queue,
        worker_hijack_root_logger=False,  # leave pytest's logging alone
    )
    yield app
    # start_worker made this app the current one; the rest of the suite runs on the project's app, eagerly.
    flowparty_app.set_current()
    flowparty_app.set_default()
    # The queue, and the bindings kombu keeps for its exchange (named after the queue).
    redis.Redis.from_url(redis_url).delete(
        queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
    )
    app.close()


def _wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the worker")
        time.sleep(0.05)


@pytest.mark.services
@pytest.mark.xdist_group("celery")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_emails_each_notice_once_even_when_the_task_is_sent_twice(worker_app, mailoutbox):
    people = [UserFactory(email=f"secretary{i}@example.edu.cn") for i in range(3)]

    def job():
        return notify(
            recipients=people,
            kind="intake_overdue",
            title="流出登记接收纳管已逾期",
            body="请尽快联系流入地党组织。",
            dedupe_key="integration:intake_overdue:1",
        )

    with start_worker(worker_app, perform_ping_check=False, shutdown_timeout=30):
        assert tasks.send_notification_emails.app is worker_app  # .delay() goes to Redis, not eagerly

        created = job()  # commits, then queues the e-mail task through Redis
        ids = [n.pk for n in created]
        assert job() == []  # the job's second run creates and queues nothing

        # The same task twice more, as a redelivery or a second worker would run it.
        again = [tasks.send_notification_emails.delay(ids) for _ in range(2)]
        assert [result.get(timeout=30) for result in again] == [0, 0]
        _wait_for(lambda: not Notification.objects.filter(pk__in=ids, emailed_at=None).exists())

    assert sorted(message.to[0] for message in mailoutbox) == sorted(p.email for p in people)
    assert all(message.subject.endswith("流出登记接收纳管已逾期") for message in mailoutbox)
