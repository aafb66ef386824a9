"""Writes to organisations and members. Each checks the actor's rights and leaves an audit entry."""

from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions
from .models import Member


class MemberError(Exception):
    """A change to a member that cannot be made; the message tells the user what to fix."""


MEMBER_FIELDS = (
    "secondary",
    "branch",
    "origin_organization",
    "name",
    "gender",
    "number",
    "phone",
    "email",
    "id_number",
    "category",
    "standing",
    "joined_on",
    "converted_on",
    "mobility_reason",
    "is_exempt",
    "exempt_reason",
    "whereabouts_unknown",
    "whereabouts_unknown_since",
    "whereabouts_unknown_cause",
    "whereabouts_note",
)


def _apply(member: Member, data: dict[str, Any]) -> None:
    unknown = set(data) - set(MEMBER_FIELDS)
    if unknown:
        raise ValueError(f"unknown member fields: {sorted(unknown)}")
    for name, value in data.items():
        setattr(member, name, value)
    if not member.whereabouts_unknown:
        member.whereabouts_unknown_since = None
        member.whereabouts_unknown_cause = ""
    if not member.is_exempt:
        member.exempt_reason = ""


def _validate(member: Member) -> None:
    try:
        member.full_clean()
    except ValidationError as exc:
        raise MemberError(" ".join(exc.messages)) from exc


@transaction.atomic
def member_create(*, actor, data: dict[str, Any]) -> Member:
    secondary = data.get("secondary")
    if not permissions.can(actor, "add_member", secondary):
        raise MemberError(_("You may only add members to the secondary organisation you run."))
    member = Member()
    old_email = member.email
    _apply(member, data)
    _validate(member)
    with set_actor(actor), transaction.atomic():
        member.save()
        if member.email != old_email:
            from .accounts import accounts_follow_emails

            accounts_follow_emails(actor=actor, changed=[(member, old_email)])
    return member


@transaction.atomic
def member_update(*, member: Member, actor, data: dict[str, Any]) -> Member:
    if not permissions.can(actor, "change_member", member):
        raise MemberError(_("You may not change this member."))
    new_secondary = data.get("secondary", member.secondary)
    if new_secondary != member.secondary and not permissions.can(actor, "add_member", new_secondary):
        raise MemberError(_("You may only move members into a secondary organisation you run."))
    old_email = member.email
    _apply(member, data)
    _validate(member)
    with set_actor(actor), transaction.atomic():
        member.save()
        if member.email != old_email:
            from .accounts import accounts_follow_emails

            accounts_follow_emails(actor=actor, changed=[(member, old_email)])
    return member


# --- Imports (members.resources): the same rules, checked for a whole file, written in bulk ----------------

# Fields an import may set; the model's own FKs and bookkeeping are checked by the import's look-ups instead
# of one query per row.
_CHECK_EXCLUDE = ["secondary", "branch", "user", "id_number_digest"]


def member_import_check(*, actor, member: Member, before: Member | None) -> None:
    """What member_create / member_update check, for a member an import is about to write, without a query.

    `member` carries its secondary organisation and branch as objects (loaded once for the whole file);
    `before` is the stored state of an existing member (None for a new one). Raises MemberError for a right
    the actor lacks and ValidationError (field -> messages) for data the model refuses.
    """
    if before is None:
        if not permissions.can(actor, "add_member", member.secondary):
            raise MemberError(_("You may only add members to the secondary organisation you run."))
    else:
        if not permissions.can(actor, "change_member", before):
            raise MemberError(_("You may not change this member."))
        if member.secondary_id != before.secondary_id and not permissions.can(
            actor, "add_member", member.secondary
        ):
            raise MemberError(_("You may only move members into a secondary organisation you run."))
    _apply(member, {})  # the same clean-ups as a form save (whereabouts, exemption)
    member.clean_fields(exclude=_CHECK_EXCLUDE)
    member.clean()
    member._import_checked_by = actor.pk  # member_bulk_import need not validate it a second time


@transaction.atomic
def member_bulk_import(
    *, actor, created: list[Member], updated: list[tuple[Member, Member]], changed_fields: set[str]
) -> dict[str, int]:
    """Write an import's new members and changes in bulk, with their audit entries, in one transaction.

    Every member is checked again (rights and model rules, no queries); a failure raises MemberError and
    writes nothing. `updated` holds (before, after) pairs; `changed_fields` the fields any of them changed.
    """
    from .audit import log_bulk
    from .crypto import digest

    for member in created:
        _check_or_raise(actor, member, None)
    for before, after in updated:
        _check_or_raise(actor, after, before)
    # The model was validated by member_import_check when the file was checked (unless a caller skipped it);
    # rights are cheap and are checked again above either way.
    now = timezone.now()
    for member in created:
        member.id_number_digest = digest(member.id_number) if member.id_number else None
    for _before, member in updated:
        member.id_number_digest = digest(member.id_number) if member.id_number else None
        member.updated_at = now
    Member.objects.bulk_create(created, batch_size=1000)
    if updated:
        fields = sorted(set(changed_fields) | {"updated_at"})
        if "id_number" in changed_fields:
            fields.append("id_number_digest")
        Member.objects.bulk_update([after for _before, after in updated], fields, batch_size=1000)
    log_bulk(actor=actor, created=created, updated=updated)
    if "email" in changed_fields:
        from .accounts import accounts_follow_emails

        # Their login accounts follow (members.accounts).
        accounts_follow_emails(actor=actor, changed=[(after, before.email) for before, after in updated])
    return {"created": len(created), "updated": len(updated)}


def _check_or_raise(actor, member: Member, before: Member | None) -> None:
    if getattr(member, "_import_checked_by", None) == actor.pk:
        if before is None:
            allowed = permissions.can(actor, "add_member", member.secondary)
        else:
            allowed = permissions.can(actor, "change_member", before) and (
                member.secondary_id == before.secondary_id
                or permissions.can(actor, "add_member", member.secondary)
            )
        if not allowed:
            raise MemberError(_("You may not change this member."))
        return
    try:
        member_import_check(actor=actor, member=member, before=before)
    except ValidationError as exc:
        raise MemberError(f"{member}: " + " ".join(exc.messages)) from exc
