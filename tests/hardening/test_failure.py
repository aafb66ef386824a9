"""Failure: Redis down, the database unreachable, half-written changes, and restoring a backup."""

import os
import shutil
import subprocess
import tempfile

import psycopg
import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import override_settings
from django.urls import reverse

from flowparty.celery import app as celery_app
from flowparty.settings.base import redis_cache
from members.models import Member, Notification, User
from registrations import jobs
from tests.conftest import in_ci

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def redis_down(monkeypatch):
    """Cache and broker both pointing at a Redis that does not answer."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "broker_url", DEAD_REDIS)
    monkeypatch.setitem(celery_app.conf, "broker_connection_retry", False)
    monkeypatch.setitem(celery_app.conf, "broker_connection_max_retries", 0)
    monkeypatch.setitem(
        celery_app.conf, "broker_transport_options", {"socket_connect_timeout": 0.5, "max_retries": 0}
    )
    monkeypatch.setitem(celery_app.conf, "task_publish_retry", False)
    with override_settings(CACHES={"default": redis_cache(DEAD_REDIS)}):
        yield
    # The producer pools were built for the dead broker: drop them, the next publish builds fresh ones.
    celery_app.amqp._producer_pool = None
    celery_app._pool = None


def test_with_redis_down_the_site_serves_and_notices_go_out_once_it_is_back(
    redis_down, cast, make_outflow, client, mailoutbox, django_capture_on_commit_callbacks, today
):
    make_outflow("registered", days_ago=23)
    # Logging in uses the cache (rate limits): with Redis down it still works.
    response = client.post(reverse("account_login"), {"login": "sec_a", "password": "flowparty-demo"})
    assert response.status_code == 302
    assert client.get(reverse("registrations:outflow_list")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        result = jobs.intake_deadlines_check(today=today)
    assert result["sent"] == 1
    unsent = Notification.objects.filter(emailed_at=None)
    assert unsent.count() == 2 and mailoutbox == []  # recorded, waiting for Redis
    # Redis is back: the sweep (a periodic task) sends them, once.
    celery_app.conf.task_always_eager = True
    call_command("send_pending_notification_emails")
    call_command("send_pending_notification_emails")
    assert sorted(m.to[0].split("@")[0] for m in mailoutbox) == ["branch_a1", "sec_a"]


def test_with_the_database_unreachable_users_see_a_clear_page(cast, client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    client.force_login(User.objects.get(username="sec_a"))
    client.raise_request_exception = False
    with monkeypatch.context() as patched:
        patched.setattr(connection, "ensure_connection", refuse)
        patched.setattr(connection, "cursor", refuse)
        response = client.get(reverse("members:list"))
    assert response.status_code == 503
    assert "数据库暂时无法连接" in response.content.decode()


def test_a_failure_halfway_through_a_change_leaves_nothing_half_written(cast, client, monkeypatch):
    from auditlog.models import LogEntry

    def fail(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(LogEntry.objects, "log_create", fail)
    client.raise_request_exception = False
    client.force_login(User.objects.get(username="sec_a"))
    response = client.post(
        reverse("members:create"),
        {
            "name": "半途",
            "gender": "male",
            "number": "T0107777",
            "category": "teacher",
            "secondary": cast["org_a"].pk,
            "branch": cast["branch_a0"].pk,
            "standing": "full",
            "joined_on": "2010-01-01",
        },
    )
    assert response.status_code == 503
    assert not Member.objects.filter(number="T0107777").exists()


def _pg_available() -> bool:
    return connection.vendor == "postgresql" and shutil.which("pg_dump") and shutil.which("pg_restore")


@pytest.mark.services
@pytest.mark.xdist_group("backup")
@pytest.mark.django_db(transaction=True)
def test_a_pg_dump_backup_restores_with_every_record(cast, make_outflow, make_inflow):
    if not _pg_available():
        if in_ci():
            pytest.fail("The backup test needs PostgreSQL and pg_dump under CI.")
        pytest.skip("PostgreSQL not in use")
    outflow = make_outflow("accepted")
    make_inflow("registered")
    member = cast["members"]["a1_member"]
    member.id_number = "11010519491231002X"
    member.save()
    settings_dict = connection.settings_dict
    env = {
        **os.environ,
        "PGHOST": settings_dict["HOST"] or "127.0.0.1",
        "PGPORT": str(settings_dict["PORT"] or 5432),
        "PGUSER": settings_dict["USER"] or "postgres",
        "PGPASSWORD": settings_dict["PASSWORD"] or "",
    }
    source = settings_dict["NAME"]
    target = f"{source}_restore"
    with tempfile.TemporaryDirectory() as tmp:
        dump = os.path.join(tmp, "flowparty.dump")
        # The documented backup command (README, "Backup and restore").
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source], env=env, check=True
        )
        admin = f"host={env['PGHOST']} port={env['PGPORT']} user={env['PGUSER']} dbname=postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target}"')
            conn.execute(f'CREATE DATABASE "{target}"')
        try:
            subprocess.run(["pg_restore", "--no-owner", f"--dbname={target}", dump], env=env, check=True)
            tables = connection.introspection.table_names()
            with (
                connection.cursor() as cursor,
                psycopg.connect(admin.replace("dbname=postgres", f"dbname={target}")) as restored,
            ):
                for table in tables:
                    cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                    original = cursor.fetchone()[0]
                    copy = restored.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
                    assert copy == original, table
                encrypted = restored.execute(
                    "SELECT id_number FROM members_member WHERE id = %s", [member.pk]
                ).fetchone()[0]
                state = restored.execute(
                    "SELECT state, due_on FROM registrations_outflowregistration WHERE id = %s", [outflow.pk]
                ).fetchone()
            from members.crypto import decrypt

            assert decrypt(encrypted) == "11010519491231002X"  # the same keys open the restored data
            assert state == ("accepted", outflow.due_on)
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')


def test_redis_down_check_does_not_take_long(redis_down, db):
    """Each cache call gives up after the 1-second socket timeout instead of hanging the request."""
    import time

    from django.core.cache import cache

    start = time.monotonic()
    cache.get("anything")
    assert time.monotonic() - start < 3


def test_a_job_killed_halfway_sends_nothing_twice_when_it_reruns(
    cast, make_outflow, today, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    from members import notifications

    make_outflow("registered", days_ago=23)  # its 7-day reminder is due today
    real_notify_many = notifications.notify_many

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")  # the process dies after the stages were claimed

    monkeypatch.setattr("registrations.jobs.notify_many", killed)
    with pytest.raises(SystemExit), django_capture_on_commit_callbacks(execute=True):
        jobs.intake_deadlines_check(today=today)
    # The claims were in the same transaction: nothing is left half-done.
    from registrations.models import IntakeReminder

    assert not IntakeReminder.objects.exists() and not Notification.objects.exists()
    monkeypatch.setattr("registrations.jobs.notify_many", real_notify_many)
    for _ in range(2):  # the rerun, and one more for good measure
        with django_capture_on_commit_callbacks(execute=True):
            jobs.intake_deadlines_check(today=today)
    assert Notification.objects.count() == 2  # sec_a and branch_a1, once each
    assert sorted(m.to[0].split("@")[0] for m in mailoutbox) == ["branch_a1", "sec_a"]
