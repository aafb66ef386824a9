"""Login accounts for members: opened by the organisation department, one at a time or with an import.

A member's account is named by their staff or student number (工号/学号), in lower case as allauth compares
usernames, and carries the member's e-mail. It has no password: the member sets one with "忘记密码" (a reset link
to that e-mail), so no password is ever chosen for someone else, sent or shown. A member without an e-mail gets
an account all the same; the department sets a first password in the admin, or adds the e-mail later.

An account that already exists under the member's number and belongs to no member is linked, not duplicated. An
e-mail another account already uses is left off the new account (e-mail addresses log in, so they are unique);
the result counts those members so that the page can say who cannot reset a password yet. When a member's
e-mail is changed on the edit form or by import, their account follows (`accounts_follow_emails`) unless the
account has an address of its own.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower

from . import permissions
from .audit import log_bulk
from .models import Member, User


@dataclass
class AccountsOpened:
    created: int = 0
    linked: int = 0  # an existing account of the same name, now the member's
    without_email: list[Member] = field(default_factory=list)  # can log in once a password or e-mail is set
    taken: list[Member] = field(default_factory=list)  # the name is another member's account: nothing done

    @property
    def opened(self) -> int:
        return self.created + self.linked


def username_for(member: Member) -> str:
    return member.number.strip().lower()


def members_without_account(members: Iterable[Member]) -> list[Member]:
    return [m for m in members if not m.user_id and m.number]


@transaction.atomic
def accounts_open(*, actor, members: Iterable[Member]) -> AccountsOpened:
    """Open an account for each of `members` that has none (saved members, with their numbers). Only the
    organisation department opens accounts (DESIGN: accounts are the department's, or come with an import)."""
    permissions.require(actor, "open_accounts")
    members = members_without_account(members)
    result = AccountsOpened()
    if not members:
        return result
    names = {username_for(m) for m in members}
    existing = {
        u.username.lower(): u
        for u in User.objects.annotate(lower=Lower("username"))
        .filter(lower__in=names)
        .select_related("member")
    }
    emails = {m.email.strip().lower() for m in members if m.email.strip()}
    emails_taken = set(
        User.objects.annotate(lower=Lower("email"))
        .filter(lower__in=emails)
        .exclude(Q(username__in=[u.username for u in existing.values()]))
        .values_list("lower", flat=True)
    )
    new_users: list[User] = []
    changed: list[tuple[Member, Member]] = []
    seen_emails: set[str] = set()
    for member in members:
        name = username_for(member)
        email = member.email.strip()
        if email.lower() in emails_taken or email.lower() in seen_emails:
            email = ""
        user = existing.get(name)
        if user is not None:
            if hasattr(user, "member"):
                result.taken.append(member)
                continue
            result.linked += 1
        else:
            user = User(
                username=name,
                full_name=member.name,
                email=email,
                password=make_password(None),  # unusable: the member sets one through the e-mailed reset link
            )
            new_users.append(user)
            result.created += 1
        if email:
            seen_emails.add(email.lower())
        if not (user.email or email):
            result.without_email.append(member)
        names = [f.attname for f in Member._meta.concrete_fields]
        before = Member.from_db(member._state.db, names, [getattr(member, n) for n in names])
        member.user = user
        changed.append((before, member))
    User.objects.bulk_create(new_users, batch_size=1000)
    for _before, member in changed:
        member.user_id = member.user.pk  # set now that the new accounts have their keys
    Member.objects.bulk_update([m for _b, m in changed], ["user"], batch_size=1000)
    log_bulk(actor=actor, created=new_users, updated=changed)
    return result


def accounts_follow_emails(*, actor, changed: list[tuple[Member, str]]) -> int:
    """After members' e-mails changed ((member, old e-mail) pairs, from the edit form or an import): give each
    one's account the new address if the account had none or the old one, and no other account uses it, so that
    a member whose account was opened without an e-mail can reset a password once it is added. In bulk, with
    audit entries: a fixed number of queries however many members."""
    changed = [(m, old) for m, old in changed if m.user_id and old.strip().lower() != m.email.strip().lower()]
    if not changed:
        return 0
    users = {u.pk: u for u in User.objects.filter(pk__in=[m.user_id for m, _old in changed])}
    wanted = {m.email.strip().lower() for m, _old in changed if m.email.strip()}
    taken = set(
        User.objects.annotate(lower=Lower("email")).filter(lower__in=wanted).values_list("lower", "pk")
    )
    updated: list[tuple[User, User]] = []
    seen: set[str] = set()
    names = [f.attname for f in User._meta.concrete_fields]
    for member, old in changed:
        user = users.get(member.user_id)
        if user is None or user.email.strip().lower() not in ("", old.strip().lower()):
            continue
        new = member.email.strip()
        if new and (new.lower() in seen or any(e == new.lower() and pk != user.pk for e, pk in taken)):
            continue
        seen.add(new.lower())
        before = User.from_db(user._state.db, names, [getattr(user, n) for n in names])
        user.email = new
        updated.append((before, user))
    if updated:
        User.objects.bulk_update([u for _b, u in updated], ["email"], batch_size=1000)
        log_bulk(actor=actor, updated=updated)
    return len(updated)
