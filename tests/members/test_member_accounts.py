"""Members' login accounts: opened by the organisation department, one at a time or with an import (issue 2:
"accounts are created by the organisation department or by import")."""

import re

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from members import accounts
from members.models import Member, User
from tests.factories import UserFactory
from tests.members.test_import_members import HEADERS, TEXT
from tests.xlsx import make_xlsx


def orgdept():
    return User.objects.get(username="orgdept")


def test_the_department_opens_an_account_the_member_then_sets_a_password_by_e_mail(cast, as_user, client):
    member = cast["members"]["a1_member"]
    member.number, member.email = "S20240001", "jia1@example.edu.cn"
    member.save()
    page = as_user("orgdept").get(reverse("members:detail", args=[member.pk]))
    assert "开通登录账号" in page.content.decode()

    response = client.post(reverse("members:open_account", args=[member.pk]), follow=True)
    member.refresh_from_db()
    account = member.user
    assert account.username == "s20240001" and account.email == "jia1@example.edu.cn"
    assert account.full_name == member.name and not account.has_usable_password()
    assert "忘记密码" in response.content.decode()
    assert 'id="member-account">s20240001' in response.content.decode()
    # Audited: the account's creation, and the member's link to it.
    assert LogEntry.objects.get_for_object(account).filter(action=LogEntry.Action.CREATE).exists()
    assert LogEntry.objects.get_for_object(member).filter(actor=orgdept(), changes__has_key="user").exists()

    # The member asks for a reset link, sets a password, and logs in with the number.
    client.logout()
    client.post(reverse("account_reset_password"), {"email": "jia1@example.edu.cn"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+/", mail.outbox[0].body).group(0)
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"password1": "a-new-Passw0rd!", "password2": "a-new-Passw0rd!"})
    assert client.login(username="S20240001", password="a-new-Passw0rd!")


def test_opening_an_account_twice_changes_nothing(cast, as_user):
    member = cast["members"]["a1_member"]
    client = as_user("orgdept")
    client.post(reverse("members:open_account", args=[member.pk]))
    member.refresh_from_db()
    first = member.user_id
    response = client.post(reverse("members:open_account", args=[member.pk]), follow=True)
    member.refresh_from_db()
    assert member.user_id == first and "已有登录账号" in response.content.decode()


def test_only_the_department_sees_the_button(cast, as_user):
    member = cast["members"]["a1_member"]
    assert (
        "开通登录账号"
        not in as_user("sec_a").get(reverse("members:detail", args=[member.pk])).content.decode()
    )


def test_an_existing_account_of_the_same_name_is_linked_not_duplicated(cast):
    member = cast["members"]["a1_member"]
    loose = UserFactory(username=member.number.lower())
    result = accounts.accounts_open(actor=orgdept(), members=[member])
    member.refresh_from_db()
    assert (result.created, result.linked) == (0, 1) and member.user_id == loose.pk


def test_a_name_that_is_another_members_account_is_left_alone(cast):
    member, other = cast["members"]["a1_member"], cast["members"]["a0_member"]
    other.user = UserFactory(username=member.number.lower())
    other.save()
    result = accounts.accounts_open(actor=orgdept(), members=[member])
    member.refresh_from_db()
    assert result.taken == [member] and result.opened == 0 and member.user_id is None


def test_an_e_mail_another_account_uses_is_left_off_and_counted(cast):
    member = cast["members"]["a1_member"]
    member.email = "sec_a@demo.flowparty.local"  # the demo secretary's
    member.save()
    result = accounts.accounts_open(actor=orgdept(), members=[member])
    member.refresh_from_db()
    assert result.created == 1 and member.user.email == "" and result.without_email == [member]


def test_only_the_department_opens_accounts(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        accounts.accounts_open(
            actor=User.objects.get(username="sec_a"), members=[cast["members"]["a1_member"]]
        )


def _members_file(rows):
    return make_xlsx(HEADERS, rows, text_columns=TEXT)


def _row(number, name):
    return [name, "女", number, "", "", "学生", "正式党员", "2020-06-01", "文新学院本科生第一党支部", ""]


@pytest.fixture
def two_new_members(cast):
    branch = cast["branch_a1"].name
    rows = [_row("S20250001", "新党员一"), _row("S20250002", "新党员二")]
    for row in rows:
        row[8] = branch
    return _members_file(rows)


def test_an_import_by_the_department_opens_accounts_when_asked(cast, as_user, two_new_members):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_user("orgdept")
    page = client.get(reverse("imports:upload", args=["members"]))
    assert "为没有账号的党员开通登录账号" in page.content.decode()
    preview = client.post(
        reverse("imports:upload", args=["members"]),
        {"file": SimpleUploadedFile("m.xlsx", two_new_members), "open_accounts": "on"},
    )
    assert "确认导入时还将为 2 名没有账号的党员开通登录账号" in preview.content.decode()
    token = preview.context["token"]
    done = client.post(reverse("imports:confirm", args=["members"]), {"token": token}, follow=True)
    assert "已开通登录账号：2 个" in done.content.decode()
    opened = Member.objects.filter(number__in=["S20250001", "S20250002"]).values_list(
        "user__username", flat=True
    )
    assert sorted(opened) == ["s20250001", "s20250002"]
    content_type = ContentType.objects.get_for_model(User)
    assert LogEntry.objects.filter(content_type=content_type, action=LogEntry.Action.CREATE).count() >= 2


def test_an_import_without_the_option_opens_no_account(cast, as_user, two_new_members):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_user("orgdept")
    preview = client.post(
        reverse("imports:upload", args=["members"]), {"file": SimpleUploadedFile("m.xlsx", two_new_members)}
    )
    client.post(reverse("imports:confirm", args=["members"]), {"token": preview.context["token"]})
    assert Member.objects.filter(number="S20250001", user__isnull=True).exists()


def test_a_secretary_is_not_offered_accounts_and_cannot_ask_for_them(cast, as_user, two_new_members):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_user("sec_a")
    assert "开通登录账号" not in client.get(reverse("imports:upload", args=["members"])).content.decode()
    preview = client.post(
        reverse("imports:upload", args=["members"]),
        {"file": SimpleUploadedFile("m.xlsx", two_new_members), "open_accounts": "on"},
    )
    client.post(reverse("imports:confirm", args=["members"]), {"token": preview.context["token"]})
    assert Member.objects.filter(number__in=["S20250001", "S20250002"], user__isnull=True).count() == 2


def test_the_command_opens_accounts_with_accounts(cast, tmp_path, two_new_members):
    path = tmp_path / "m.xlsx"
    path.write_bytes(two_new_members)
    with pytest.raises(CommandError):
        call_command("import_members", str(path), "--as", "sec_a", "--accounts")
    call_command("import_members", str(path), "--as", "orgdept", "--accounts")
    assert Member.objects.filter(number="S20250002", user__username="s20250002").exists()


def test_members_without_e_mail_are_named_after_the_import(cast):
    from members.resources import MemberResource, run_import

    rows = [_row("S20250003", "新党员三")]
    rows[0][8] = cast["branch_a1"].name
    result = run_import(
        MemberResource,
        user=orgdept(),
        name="m.xlsx",
        data=_members_file(rows),
        dry_run=False,
        open_accounts=True,
    )
    assert result.written and any("S20250003" in line for line in result.summary)
    assert Member.objects.get(number="S20250003").user.username == "s20250003"


def test_an_account_follows_the_e_mail_a_secretary_adds_later(cast):
    from members import services

    member = cast["members"]["a1_member"]
    member.email = ""
    member.save()
    accounts.accounts_open(actor=orgdept(), members=[member])
    member.refresh_from_db()
    assert member.user.email == ""
    services.member_update(
        member=member, actor=User.objects.get(username="sec_a"), data={"email": "jia1@example.edu.cn"}
    )
    member.user.refresh_from_db()
    assert member.user.email == "jia1@example.edu.cn"
    # An address of the account's own is not overwritten, nor one another account uses.
    member.user.email = "own@example.edu.cn"
    member.user.save()
    services.member_update(
        member=member, actor=User.objects.get(username="sec_a"), data={"email": "new@example.edu.cn"}
    )
    member.user.refresh_from_db()
    assert member.user.email == "own@example.edu.cn"


def test_accounts_follow_the_e_mails_an_import_changes(cast):
    from members.resources import MemberResource, run_import

    member = cast["members"]["a1_member"]
    member.email = ""
    member.save()
    accounts.accounts_open(actor=orgdept(), members=[member])
    row = _row(member.number, member.name)
    row[8] = cast["branch_a1"].name
    headers = [*HEADERS, "电子邮箱"]
    data = make_xlsx(headers, [[*row, "jia1@example.edu.cn"]], text_columns=TEXT)
    result = run_import(MemberResource, user=orgdept(), name="m.xlsx", data=data, dry_run=False)
    assert result.written, result.all_errors()
    member.refresh_from_db()
    assert member.email == "jia1@example.edu.cn" and member.user.email == "jia1@example.edu.cn"
    entry = LogEntry.objects.get_for_object(member.user).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == orgdept() and "email" in entry.changes_dict
