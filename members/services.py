"""Writes to organisations and members. Each checks the actor's rights and leaves an audit entry."""

from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
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
    _apply(member, data)
    _validate(member)
    with set_actor(actor):
        member.save()
    return member


@transaction.atomic
def member_update(*, member: Member, actor, data: dict[str, Any]) -> Member:
    if not permissions.can(actor, "change_member", member):
        raise MemberError(_("You may not change this member."))
    new_secondary = data.get("secondary", member.secondary)
    if new_secondary != member.secondary and not permissions.can(actor, "add_member", new_secondary):
        raise MemberError(_("You may only move members into a secondary organisation you run."))
    _apply(member, data)
    _validate(member)
    with set_actor(actor):
        member.save()
    return member
