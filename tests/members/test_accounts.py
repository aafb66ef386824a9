"""Logging in with allauth: by staff/student number or e-mail; no self-signup; admin login via allauth."""

import pytest
from django.test import override_settings
from django.urls import reverse

from members.models import User
from tests.factories import MemberFactory


@pytest.fixture
def account(db):
    user = User.objects.create_user(username="t0100123", email="li@example.edu.cn", password="flowparty-demo")
    MemberFactory(user=user, number="T0100123")
    return user


@pytest.mark.parametrize("login", ["t0100123", "T0100123", "li@example.edu.cn"])
def test_a_member_logs_in_with_number_or_email(client, account, login):
    response = client.post(reverse("account_login"), {"login": login, "password": "flowparty-demo"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_password_is_refused_in_chinese(client, account):
    response = client.post(reverse("account_login"), {"login": "t0100123", "password": "wrong"})
    assert response.status_code == 200
    assert "不正确" in response.content.decode()


def test_there_is_no_self_signup(client, db):
    response = client.post(
        reverse("account_signup"), {"username": "x", "password1": "aVeryLongPass1", "email": ""}
    )
    assert not User.objects.filter(username="x").exists()
    assert response.status_code in (200, 403)
    assert reverse("account_signup") not in client.get(reverse("account_login")).content.decode()


def test_the_admin_login_goes_through_allauth(client, db):
    response = client.get("/admin/", follow=True)
    assert response.request["PATH_INFO"] == reverse("account_login")


def test_a_password_reset_mail_is_sent(client, account, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": "li@example.edu.cn"})
    assert len(mailoutbox) == 1
    assert "li@example.edu.cn" in mailoutbox[0].to


@override_settings(FLOWPARTY_REQUIRE_2FA_FOR_ORG_DEPARTMENT=True)
def test_org_department_staff_must_set_up_two_factor_when_required(as_user, cast):
    response = as_user("orgdept").get(reverse("members:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@override_settings(FLOWPARTY_REQUIRE_2FA_FOR_ORG_DEPARTMENT=True)
def test_secretaries_are_not_forced_into_two_factor(as_user, cast):
    assert as_user("sec_a").get(reverse("members:list")).status_code == 200


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "10/m/ip,3/300s/key"})
def test_repeated_failed_logins_are_rate_limited(client, account):
    from django.core.cache import cache

    cache.clear()
    for _ in range(3):
        client.post(reverse("account_login"), {"login": "t0100123", "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": "t0100123", "password": "flowparty-demo"})
    assert response.status_code in (200, 429)
    assert not response.wsgi_request.user.is_authenticated
