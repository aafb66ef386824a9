"""Reminders of Art. 5: members due to transfer (and their secretaries), contacts with members abroad,
receipts of introduction letters not returned in time, graduates kept at the school for two years.

`transfer_reminders_send` is the job (a Celery task and `manage.py send_transfer_reminders` call it). It is
idempotent: each (kind, subject, period) is claimed in TransferReminder before anything is sent, so a
second run in the same period sends nothing.

Every reminder leaves through `_notify`, which hands it to members.notifications.notify (bell and e-mail).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members.models import Member, Role, RoleAssignment, User
from members.notifications import notify

from . import transfer_selectors
from .models import DueKind, MembershipRetention, RelationTransfer, TransferReminder

# Remind of a contact with a member abroad this many days before it is due (and every period after).
CONTACT_NOTICE_DAYS = 14


def _notify(
    *, recipients, kind: str, title: str, body: str, link: str = "", subject=None, dedupe_key: str = ""
) -> int:
    """Send one reminder to `recipients` (users) under the bell and by e-mail; returns how many were addressed."""
    notify(
        recipients=recipients,
        kind=kind,
        title=title,
        body=body,
        link=link,
        subject=subject,
        dedupe_key=dedupe_key,
    )
    return len(recipients)


def _claim(kind: str, subject: str, period: str) -> TransferReminder | None:
    """Claim (kind, subject, period); None when it was sent before (by this run or an earlier one)."""
    try:
        with transaction.atomic():
            return TransferReminder.objects.create(kind=kind, subject=subject, period=period)
    except IntegrityError:
        return None


def _secretaries(*, secondary_id: int | None, branch_id: int | None) -> list[User]:
    assignments = RoleAssignment.objects.filter(role=Role.SECONDARY_SECRETARY, secondary_id=secondary_id)
    if branch_id:
        assignments = assignments | RoleAssignment.objects.filter(
            role=Role.BRANCH_SECRETARY, branch_id=branch_id
        )
    return list(User.objects.filter(pk__in=assignments.values("user_id"), is_active=True))


def _member_and_secretaries(member: Member) -> list[User]:
    users = _secretaries(secondary_id=member.secondary_id, branch_id=member.branch_id)
    if member.user_id and member.user not in users:
        users.append(member.user)
    return users


@dataclass
class ReminderResult:
    sent: int = 0  # reminders (subjects) sent this run
    addressed: int = 0  # e-mails or notifications addressed


def _send(
    result: ReminderResult,
    *,
    kind: str,
    subject_key: str,
    period: str,
    recipients,
    title,
    body,
    link,
    subject,
):
    claim = _claim(kind, subject_key, period)
    if claim is None:
        return
    claim.recipients = _notify(
        recipients=recipients,
        kind=kind,
        title=title,
        body=body,
        link=link,
        subject=subject,
        dedupe_key=f"{kind}:{subject_key}:{period}",
    )
    claim.save(update_fields=["recipients"])
    result.sent += 1
    result.addressed += claim.recipients


@transaction.atomic
def transfer_reminders_send(*, today: date | None = None) -> ReminderResult:
    """Who must be reminded today, each once per period:
    - a member due to transfer or to apply for retention, and their secretaries: once a month;
    - a member abroad whose 6-monthly contact is due within 14 days or overdue: once per due date;
    - an introduction letter whose receipt has not come back within its validity: once per letter;
    - a graduate whose relation has been kept at the school for two years: once.
    """
    today = today or timezone.localdate()
    result = ReminderResult()
    with translation.override(settings.LANGUAGE_CODE):
        month = f"{today:%Y-%m}"
        for row in transfer_selectors.due_list_all(today=today):
            member = row.member
            _send(
                result,
                kind=f"transfer_due_{row.suggestion.kind}",
                subject_key=f"member:{member.pk}",
                period=month,
                recipients=_member_and_secretaries(member),
                title=_("Formal relation: %(name)s") % {"name": member.name},
                body=_(
                    "%(name)s (%(number)s) is due to act under Art. 5 of the measures: %(why)s. "
                    "Please start the transfer (or the membership retention) without delay."
                )
                % {"name": member.name, "number": member.number, "why": DueKind(row.suggestion.kind).label},
                link=member.get_absolute_url(),
                subject=member,
            )
        notice = today + timedelta(days=CONTACT_NOTICE_DAYS)
        for retention in (
            MembershipRetention.objects.active()
            .filter(next_contact_due_on__lte=notice)
            .select_related("member", "member__user")
        ):
            member = retention.member
            _send(
                result,
                kind="retention_contact",
                subject_key=f"retention:{retention.pk}",
                period=retention.next_contact_due_on.isoformat(),
                recipients=_member_and_secretaries(member),
                title=_("Contact with %(name)s abroad") % {"name": member.name},
                body=_(
                    "A member whose membership is retained abroad is contacted at least every 6 months. "
                    "The next contact with %(name)s (%(country)s) is due by %(due)s."
                )
                % {"name": member.name, "country": retention.country, "due": retention.next_contact_due_on},
                link=retention.get_absolute_url(),
                subject=retention,
            )
        for transfer in RelationTransfer.objects.receipt_overdue(today).select_related("member"):
            _send(
                result,
                kind="receipt_overdue",
                subject_key=f"transfer:{transfer.pk}",
                period=transfer.letter_valid_until.isoformat(),
                recipients=_secretaries(secondary_id=transfer.secondary_id, branch_id=None),
                title=_("Receipt not returned: %(name)s") % {"name": transfer.member.name},
                body=_(
                    "The receipt of the introduction letter no. %(number)s for %(name)s has not come back, "
                    "and the letter's validity ended on %(until)s. Please contact the receiving organisation."
                )
                % {
                    "number": transfer.letter_number,
                    "name": transfer.member.name,
                    "until": transfer.letter_valid_until,
                },
                link=transfer.get_absolute_url(),
                subject=transfer,
            )
        for kept in transfer_selectors.kept_graduates_all(today=today):
            member = kept.member
            _send(
                result,
                kind="graduate_kept",
                subject_key=f"member:{member.pk}",
                period=kept.flagged_on.isoformat(),
                recipients=_secretaries(secondary_id=member.secondary_id, branch_id=member.branch_id),
                title=_("Graduate's relation kept for two years: %(name)s") % {"name": member.name},
                body=_(
                    "The formal relation of %(name)s, a graduate sitting public or postgraduate exams, has been "
                    "kept at the school since %(since)s. Please settle where it should be transferred."
                )
                % {"name": member.name, "since": kept.kept_since},
                link=member.get_absolute_url(),
                subject=member,
            )
    return result
