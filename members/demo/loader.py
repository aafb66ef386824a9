"""Loading the demo university. Idempotent: organisations and members are keyed by code and number."""

import random
from datetime import date

from django.db import transaction
from django.utils import timezone

from ..crypto import digest
from ..models import Branch, Category, Committee, Member, Role, RoleAssignment, SecondaryOrganization, User
from . import data


def load_organizations() -> dict[str, SecondaryOrganization]:
    committee, _ = Committee.objects.update_or_create(
        code=data.COMMITTEE[0], defaults={"name": data.COMMITTEE[1]}
    )
    result = {}
    rows = [(*row, True) for row in data.SECONDARY_ORGANIZATIONS] + [(*data.RETIRED_ORGANIZATION, False)]
    for ordering, (code, name, short_name, branches, active) in enumerate(rows, start=1):
        secondary, _ = SecondaryOrganization.objects.update_or_create(
            code=code,
            defaults={
                "committee": committee,
                "name": name,
                "short_name": short_name,
                "ordering": ordering * 10,
                "is_active": active,
                "retired_on": None if active else date(2023, 7, 1),
            },
        )
        for b_index, branch_name in enumerate(branches, start=1):
            Branch.objects.update_or_create(
                code=f"{code}-{b_index:02d}",
                defaults={
                    "secondary": secondary,
                    "name": f"{short_name}{branch_name}",
                    "ordering": b_index * 10,
                    "is_active": active,
                },
            )
        result[code] = secondary
    return result


def _branches_by_org() -> dict[int, list[Branch]]:
    result: dict[int, list[Branch]] = {}
    for branch in Branch.objects.filter(is_active=True).order_by("code"):
        result.setdefault(branch.secondary_id, []).append(branch)
    return result


def _pick_branch(rng, branches: list[Branch], category: str) -> Branch:
    teacher_like = category not in data.STUDENT_LIKE
    preferred = [
        b
        for b in branches
        if ("教工" in b.name or "退休" in b.name or "离休" in b.name or "机关" in b.secondary.name)
        == teacher_like
    ]
    return rng.choice(preferred or branches)


def load_members(*, count_per_org: int = 40, today: date | None = None) -> int:
    """A few hundred members of every category; returns how many were created this time."""
    today = today or timezone.localdate()
    rng = random.Random(2025)
    branches = _branches_by_org()
    existing = set(Member.objects.values_list("number", flat=True))
    to_create = []
    orgs = SecondaryOrganization.objects.filter(is_active=True).order_by("code")
    for org_index, secondary in enumerate(orgs, start=1):
        org_branches = branches[secondary.pk]
        for i in range(1, count_per_org + 1):
            category = Category.RETIREE if secondary.code == "S07" else None
            if secondary.code == "S06" and category is None:
                category = rng.choice([Category.TEACHER, Category.OTHER_STAFF, Category.NEW_TEACHER])
            fields = data.member_fields(rng, index=i, today=today, category=category)
            prefix = fields.pop("number_prefix")
            number = f"{prefix}{org_index:02d}{i + 100:05d}"
            # Half the new teachers and upgrade students still have their formal relation elsewhere (Art. 1).
            elsewhere = (
                fields["category"] in {Category.NEW_TEACHER, Category.UPGRADE_STUDENT} and rng.random() < 0.5
            )
            branch = None if elsewhere else _pick_branch(rng, org_branches, fields["category"])
            origin = rng.choice(data.ORIGIN_ORGANIZATIONS)
            # Every random draw happens before this check, so a rerun walks the same sequence.
            if number in existing:
                continue
            member = Member(
                secondary=secondary,
                branch=branch,
                number=number,
                origin_organization=origin if elsewhere else "",
                **fields,
            )
            member.id_number_digest = digest(member.id_number) if member.id_number else None
            to_create.append(member)
    Member.objects.bulk_create(to_create, batch_size=500)
    return len(to_create)


def load_accounts(orgs: dict[str, SecondaryOrganization]) -> None:
    today = timezone.localdate()
    for username, (full_name, number, role, org_code, branch_index) in data.ACCOUNTS.items():
        user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
        user.full_name = full_name
        user.email = f"{username}@demo.flowparty.local"
        user.is_staff = role == Role.ORG_DEPARTMENT
        if created or not user.has_usable_password():
            user.set_password(data.DEMO_PASSWORD)
        user.save()
        if role == Role.ORG_DEPARTMENT:
            RoleAssignment.objects.get_or_create(user=user, role=role)
        if number:
            secondary = orgs[org_code]
            branch = list(secondary.branches.order_by("code"))[branch_index]
            defaults = {
                "secondary": secondary,
                "branch": branch,
                "name": full_name,
                "gender": "female",
                "category": Category.TEACHER,
                "phone": "138" + number[-8:].replace("T", "0").rjust(8, "0"),
                "email": user.email,
                "joined_on": date(2008, 6, 1),
                "user": user,
            }
            if username == "member_a":
                defaults["mobility_reason"] = "degree_study"
            Member.objects.update_or_create(number=number, defaults=defaults)
            if role == Role.SECONDARY_SECRETARY:
                RoleAssignment.objects.get_or_create(user=user, role=role, secondary=secondary)
            elif role == Role.BRANCH_SECRETARY:
                RoleAssignment.objects.get_or_create(user=user, role=role, branch=branch)
    del today


@transaction.atomic
def load_demo() -> dict[str, int]:
    orgs = load_organizations()
    created = load_members()
    load_accounts(orgs)
    return {"organizations": len(orgs), "members_created": created, "members": Member.objects.count()}


def bulk_members(n: int) -> int:
    """Top the synthetic benchmark members up to n, with every registered generator's records for them
    (members/demo/bulk.py); returns how many members were created."""
    from . import bulk

    before = bulk.bulk_member_count()
    bulk.generate(n)
    return bulk.bulk_member_count() - before
