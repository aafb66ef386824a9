"""The services CI provides are really used: PostgreSQL for the database, Redis for the cache and broker."""

import os

import pytest
from django.db import connection

from tests.conftest import in_ci


@pytest.mark.django_db
def test_ci_runs_on_postgresql():
    if in_ci() or os.environ.get("DATABASE_URL", "").startswith("postgres"):
        assert connection.vendor == "postgresql"
    else:
        assert connection.vendor == "sqlite"


def test_redis_answers(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    client.set("flowparty:ci-probe", "1", ex=10)
    assert client.get("flowparty:ci-probe") == b"1"
