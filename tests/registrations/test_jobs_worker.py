"""Integration: the deadline job runs on a real Celery worker through Redis, twice; its notices arrive once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import Notification
from registrations import tasks
from tests.members.test_notification_worker import _wait_for, worker_app  # noqa: F401 (fixture)


@pytest.mark.services
@pytest.mark.xdist_group("celery")
@pytest.mark.django_db(transaction=True)
def test_the_deadline_job_on_a_real_worker_notifies_once(worker_app, make_outflow, mailoutbox):  # noqa: F811
    from celery.contrib.testing.worker import start_worker

    make_outflow("registered", days_ago=23)  # due in 7 days: the first reminder is due today
    with start_worker(worker_app, perform_ping_check=False, shutdown_timeout=30):
        assert tasks.check_intake_deadlines.app is worker_app
        first = tasks.check_intake_deadlines.delay().get(timeout=30)
        second = tasks.check_intake_deadlines.delay().get(timeout=30)
        assert first == {"sent": 1, "escalated": 0} and second == {"sent": 0, "escalated": 0}
        _wait_for(
            lambda: (
                Notification.objects.exists() and not Notification.objects.filter(emailed_at=None).exists()
            )
        )
    kinds = sorted(Notification.objects.values_list("recipient__username", "kind"))
    assert kinds == [("branch_a1", "intake_d7"), ("sec_a", "intake_d7")]
    assert sorted(m.to[0].split("@")[0] for m in mailoutbox) == ["branch_a1", "sec_a"]
    assert timezone.localdate() + timedelta(days=7) == Notification.objects.first().subject.due_on
