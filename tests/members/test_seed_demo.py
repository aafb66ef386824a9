import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from members.models import Branch, Category, Member, RoleAssignment, SecondaryOrganization, User


@override_settings(DEBUG=True)
def test_seed_demo_runs_twice_without_errors_or_duplicates(db):
    call_command("seed_demo")
    counts = (
        SecondaryOrganization.objects.count(),
        Branch.objects.count(),
        Member.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
    )
    call_command("seed_demo")
    assert counts == (
        SecondaryOrganization.objects.count(),
        Branch.objects.count(),
        Member.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
    )
    assert SecondaryOrganization.objects.filter(is_active=True).count() >= 6
    assert Member.objects.count() >= 300
    assert set(Member.objects.values_list("category", flat=True)) == set(Category.values)
    for username in ("orgdept", "sec_a", "sec_b", "branch_a1", "member_a"):
        assert User.objects.get(username=username).check_password("flowparty-demo")


def test_seed_demo_refuses_with_debug_off(db):
    with pytest.raises(CommandError):
        call_command("seed_demo")


def test_seed_demo_generates_bulk_members(db):
    call_command("seed_demo", "--force", "--members", "1200")
    assert Member.objects.filter(number__startswith="B").count() == 1200
