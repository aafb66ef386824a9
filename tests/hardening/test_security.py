"""Security: session timeouts, a Chinese 429 page, the Content-Security-Policy, and CSRF on changes."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from members.models import User


def log_in(client, username="sec_a"):
    response = client.post(reverse("account_login"), {"login": username, "password": "flowparty-demo"})
    assert response.status_code == 302
    return client


def test_a_session_ends_after_30_idle_minutes(client, cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        log_in(client)
        assert client.get(reverse("members:list")).status_code == 200
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("members:list")).status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get(reverse("members:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_a_session_ends_12_hours_after_login_even_when_active(client, cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        log_in(client)
        for _ in range(35):  # active every 20 minutes for 11 h 40 min
            traveller.shift(dt.timedelta(minutes=20))
            assert client.get(reverse("home")).status_code == 200
        traveller.shift(dt.timedelta(minutes=25))
        response = client.get(reverse("home"))
    assert response.status_code == 302


@override_settings(ACCOUNT_RATE_LIMITS={"login": "2/m/ip"})
def test_too_many_logins_get_a_chinese_429_page(client, cast):
    cache.clear()
    for _ in range(2):
        client.post(reverse("account_login"), {"login": "sec_a", "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": "sec_a", "password": "wrong"})
    assert response.status_code == 429
    assert "操作过于频繁" in response.content.decode()
    cache.clear()


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "100/m/ip,3/300s/key"})
def test_repeated_failures_lock_the_account_not_the_office(client, cast):
    cache.clear()
    for _ in range(3):
        client.post(reverse("account_login"), {"login": "sec_a", "password": "wrong"})
    locked = client.post(reverse("account_login"), {"login": "sec_a", "password": "flowparty-demo"})
    assert not locked.wsgi_request.user.is_authenticated
    other = client.post(reverse("account_login"), {"login": "sec_b", "password": "flowparty-demo"})
    assert other.status_code == 302  # another person at the same address can still log in
    cache.clear()


@override_settings(ACCOUNT_RATE_LIMITS={"login": "2/m/ip"}, ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_limit_counts_the_client_not_the_proxy(client, cast):
    cache.clear()
    for ip in ("203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"):
        response = client.post(
            reverse("account_login"),
            {"login": "sec_a", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=ip,
            REMOTE_ADDR="10.0.0.1",
        )
        assert response.status_code == 200  # each client is under its own limit
    for _ in range(2):
        client.post(
            reverse("account_login"),
            {"login": "sec_a", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="203.0.113.9",
            REMOTE_ADDR="10.0.0.1",
        )
    blocked = client.post(
        reverse("account_login"),
        {"login": "sec_a", "password": "wrong"},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        REMOTE_ADDR="10.0.0.1",
    )
    assert blocked.status_code == 429
    cache.clear()


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/privacy/"])
def test_every_page_sends_a_csp_without_inline_script(client, db, url):
    header = client.get(url)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in header.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    assert directives["frame-ancestors"] == "'none'"


def test_no_template_has_inline_script_or_event_handlers():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
    handlers = re.compile(r"\son(click|change|submit|load|input)=", re.I)
    offenders = [
        str(p) for p in root.rglob("*.html") if inline.search(p.read_text()) or handlers.search(p.read_text())
    ]
    assert offenders == []


def test_a_change_without_the_csrf_token_is_refused(cast, client):
    client.handler.enforce_csrf_checks = True
    client.force_login(User.objects.get(username="sec_a"))
    response = client.post(reverse("members:create"), {"name": "x"})
    assert response.status_code == 403
