"""Notifications: who is told, telling them (in the app and by e-mail), and marking notices read.

Callers (services and jobs of every app) use three functions:

- `recipients_for(secondary=..., branch=..., roles=...)` -> the people who hold those roles over a subject;
  a job over many subjects loads `role_directory()` once and asks it instead (no query per subject).
- `notify(recipients=..., kind=..., title=..., body=..., link=..., subject=..., dedupe_key=...)` for one notice;
  `notify_many([NotificationItem(...), ...])` for a whole job, in a fixed number of queries.
- `make_dedupe_key(subject=..., kind=..., stage=...)`: the key that makes "the same person is never told twice
  about the same subject at the same stage" a database constraint instead of a hope.

E-mail goes out after the transaction commits (a Celery task per batch); each row is claimed with a
conditional update before it is sent, so reruns, duplicate tasks and the 5-minute sweep send nothing twice.
"""

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection, models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from . import permissions
from .models import Branch, Notification, Role, RoleAssignment, SecondaryOrganization, User

logger = logging.getLogger(__name__)

ALL_ROLES: tuple[str, ...] = (Role.SECONDARY_SECRETARY, Role.BRANCH_SECRETARY, Role.ORG_DEPARTMENT)

# Rows per round of queries in notify_many. SQLite splits each INSERT further (999 parameters per statement,
# so about 90 notifications); PostgreSQL takes the whole round in one statement.
BATCH_SIZE = 1000
# Notifications per e-mail task: a task stays short, and a failure costs one batch.
EMAIL_TASK_SIZE = 100
# The sweep sends what a lost task did not. Older than this, an e-mail would be noise: the bell still has it.
PENDING_EMAIL_MAX_AGE = timedelta(days=3)
PENDING_EMAIL_BATCH = 500

_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


# --- Who is told --------------------------------------------------------------------------------------


def _pk(obj) -> int | None:
    return obj.pk if isinstance(obj, models.Model) else obj


@dataclass(frozen=True)
class RoleDirectory:
    """Who holds which role, loaded once; answers `recipients(...)` without touching the database."""

    org_department: tuple[User, ...]
    secondary_secretaries: Mapping[int, tuple[User, ...]]
    branch_secretaries: Mapping[int, tuple[User, ...]]
    branch_secondary: Mapping[int, int]  # branch id -> its secondary organisation's id

    def recipients(
        self,
        *,
        secondary: SecondaryOrganization | int | None = None,
        branch: Branch | int | None = None,
        roles: Sequence[str] = ALL_ROLES,
    ) -> list[User]:
        """The people to tell about a subject owned by `secondary` (and held by `branch`), in `roles` order.

        Without `secondary`, the branch's own secondary organisation is the owner. Each person appears once,
        even when they hold several of the roles.
        """
        branch_id = _pk(branch)
        secondary_id = _pk(secondary)
        if secondary_id is None and branch_id is not None:
            secondary_id = self.branch_secondary.get(branch_id)
        found: dict[int, User] = {}
        for role in roles:
            if role == Role.SECONDARY_SECRETARY:
                people = self.secondary_secretaries.get(secondary_id, ())
            elif role == Role.BRANCH_SECRETARY:
                people = self.branch_secretaries.get(branch_id, ())
            elif role == Role.ORG_DEPARTMENT:
                people = self.org_department
            else:
                raise ValueError(f"unknown role {role!r}")
            for person in people:
                found.setdefault(person.pk, person)
        return list(found.values())


def role_directory(
    *,
    secondary_ids: Iterable[int] | None = None,
    branch_ids: Iterable[int] | None = None,
    roles: Sequence[str] = ALL_ROLES,
) -> RoleDirectory:
    """Load who holds `roles` in two queries at most. None for the ids means every organisation (for jobs)."""
    branch_query = Branch.objects.all()
    if branch_ids is not None:
        branch_ids = set(branch_ids)
        branch_query = branch_query.filter(pk__in=branch_ids)
    branch_secondary = {} if branch_ids == set() else dict(branch_query.values_list("pk", "secondary_id"))

    wanted = Q(pk__in=[])
    if Role.ORG_DEPARTMENT in roles:
        wanted |= Q(role=Role.ORG_DEPARTMENT)
    if Role.SECONDARY_SECRETARY in roles:
        if secondary_ids is None and branch_ids is None:
            wanted |= Q(role=Role.SECONDARY_SECRETARY)
        else:
            owners = set(secondary_ids or ()) | set(branch_secondary.values())
            wanted |= Q(role=Role.SECONDARY_SECRETARY, secondary_id__in=owners)
    if Role.BRANCH_SECRETARY in roles:
        if branch_ids is None:
            wanted |= Q(role=Role.BRANCH_SECRETARY)
        else:
            wanted |= Q(role=Role.BRANCH_SECRETARY, branch_id__in=branch_ids)

    org_department: list[User] = []
    by_secondary: dict[int, list[User]] = {}
    by_branch: dict[int, list[User]] = {}
    # Deactivated accounts are people who left: they are never told anything.
    assignments = (
        RoleAssignment.objects.filter(wanted, user__is_active=True).select_related("user").order_by("user_id")
    )
    for assignment in assignments:
        if assignment.role == Role.ORG_DEPARTMENT:
            org_department.append(assignment.user)
        elif assignment.role == Role.SECONDARY_SECRETARY:
            by_secondary.setdefault(assignment.secondary_id, []).append(assignment.user)
        else:
            by_branch.setdefault(assignment.branch_id, []).append(assignment.user)
    return RoleDirectory(
        org_department=tuple(org_department),
        secondary_secretaries={k: tuple(v) for k, v in by_secondary.items()},
        branch_secretaries={k: tuple(v) for k, v in by_branch.items()},
        branch_secondary=branch_secondary,
    )


def recipients_for(
    *,
    secondary: SecondaryOrganization | int | None = None,
    branch: Branch | int | None = None,
    roles: Sequence[str] = ALL_ROLES,
) -> list[User]:
    """The owning secondary organisation's secretaries, the branch's secretaries and the organisation
    department (those of `roles` that apply), each person once. Two queries at most.

    For one subject; a job over many subjects loads `role_directory()` once and asks it for each."""
    if isinstance(branch, Branch) and secondary is None:
        secondary = branch.secondary_id
    secondary_id, branch_id = _pk(secondary), _pk(branch)
    directory = role_directory(
        secondary_ids=[] if secondary_id is None else [secondary_id],
        branch_ids=[] if branch_id is None else [branch_id],
        roles=roles,
    )
    return directory.recipients(secondary=secondary_id, branch=branch_id, roles=roles)


# --- Telling them -------------------------------------------------------------------------------------


@dataclass
class NotificationItem:
    """One notice to several people; the arguments of `notify`."""

    recipients: Iterable[User]
    kind: str
    title: str
    body: str
    link: str = ""
    subject: models.Model | None = None
    dedupe_key: str = ""


def make_dedupe_key(*, subject: models.Model, kind: str, stage: str = "") -> str:
    """`registrations.outflowregistration:42:intake_due:7d`: one notice per subject, kind and stage."""
    label = subject._meta.label_lower
    return f"{label}:{subject.pk}:{kind}" + (f":{stage}" if stage else "")


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str,
    link: str = "",
    subject: models.Model | None = None,
    dedupe_key: str = "",
) -> list[Notification]:
    """Tell each recipient once (see `notify_many`); returns the notifications created by this call."""
    return notify_many(
        [
            NotificationItem(
                recipients=recipients,
                kind=kind,
                title=title,
                body=body,
                link=link,
                subject=subject,
                dedupe_key=dedupe_key,
            )
        ]
    )


@transaction.atomic
def notify_many(items: Iterable[NotificationItem | Mapping]) -> list[Notification]:
    """Create every notice of a job in a fixed number of queries, and e-mail them after the commit.

    A notice whose (recipient, dedupe_key) already exists is skipped, in the database (a unique constraint,
    inserted with ignore_conflicts) so that two jobs running at once cannot both create it. Returns only the
    notifications this call created, with `recipient` filled in, oldest first.

    Queries: per round of up to BATCH_SIZE notices, one to find existing keys, one insert and one read-back
    for keyed notices, one insert for the others, whatever the number of notices.
    """
    rows = _build_rows(items)
    created: list[Notification] = []
    for start in range(0, len(rows), BATCH_SIZE):
        created.extend(_insert(rows[start : start + BATCH_SIZE]))
    created.sort(key=lambda n: n.pk)
    _email_after_commit([n.pk for n in created if n.recipient.email and n.recipient.is_active])
    return created


def _build_rows(items: Iterable[NotificationItem | Mapping]) -> list[Notification]:
    now = timezone.now()
    rows: list[Notification] = []
    seen: set[tuple[int, str]] = set()
    for item in items:
        if isinstance(item, Mapping):
            item = NotificationItem(**item)
        if not _SLUG.match(item.kind or ""):
            raise ValueError(f"a notification kind is a slug, not {item.kind!r}")
        if len(item.dedupe_key) > Notification._meta.get_field("dedupe_key").max_length:
            # Never cut a key short: two different keys would collide and one notice would be lost.
            raise ValueError(f"dedupe_key too long: {item.dedupe_key!r}")
        title = " ".join((item.title or "").split())
        if not title:
            raise ValueError("a notification needs a title")
        content_type, object_id, link = None, None, item.link
        if item.subject is not None:
            if item.subject.pk is None:
                raise ValueError("save the subject before notifying about it")
            content_type = ContentType.objects.get_for_model(item.subject)  # cached after the first call
            object_id = item.subject.pk
            if not link and hasattr(item.subject, "get_absolute_url"):
                link = item.subject.get_absolute_url()
        if len(link) > Notification._meta.get_field("link").max_length:
            raise ValueError(f"link too long: {link!r}")
        for recipient in item.recipients:
            if recipient is None:
                continue
            if item.dedupe_key:
                if (recipient.pk, item.dedupe_key) in seen:
                    continue
                seen.add((recipient.pk, item.dedupe_key))
            rows.append(
                Notification(
                    recipient=recipient,
                    kind=item.kind,
                    # Titles come from data (names of organisations and members): shorten, never fail a job.
                    title=Truncator(title).chars(Notification._meta.get_field("title").max_length),
                    body=item.body or "",
                    link=link,
                    content_type=content_type,
                    object_id=object_id,
                    dedupe_key=item.dedupe_key,
                    created_at=now,
                )
            )
    return rows


def _insert(rows: list[Notification]) -> list[Notification]:
    people = {row.recipient_id: row.recipient for row in rows}
    created: list[Notification] = []

    keyed = [row for row in rows if row.dedupe_key]
    if keyed:
        keys = {row.dedupe_key for row in keyed}
        ids = {row.recipient_id for row in keyed}
        # A superset (any of the keys to any of the people), narrowed in Python: one short query.
        existing = set(
            Notification.objects.filter(dedupe_key__in=keys, recipient_id__in=ids).values_list(
                "recipient_id", "dedupe_key"
            )
        )
        fresh = [row for row in keyed if (row.recipient_id, row.dedupe_key) not in existing]
        if fresh:
            # ignore_conflicts: a concurrent job may have inserted the same key since the look-up. Its row
            # wins; reading it back below may return it here too, and the e-mail claim still sends it once.
            Notification.objects.bulk_create(fresh, batch_size=BATCH_SIZE, ignore_conflicts=True)
            wanted = {(row.recipient_id, row.dedupe_key) for row in fresh}
            for notification in Notification.objects.filter(
                dedupe_key__in={key for _, key in wanted}, recipient_id__in={pk for pk, _ in wanted}
            ):
                if (notification.recipient_id, notification.dedupe_key) in wanted:
                    notification.recipient = people[notification.recipient_id]
                    created.append(notification)

    plain = [row for row in rows if not row.dedupe_key]
    if plain:
        Notification.objects.bulk_create(plain, batch_size=BATCH_SIZE)
        if connection.features.can_return_rows_from_bulk_insert:
            created.extend(plain)
        # Otherwise the rows have no ids here; the sweep e-mails them within minutes.
    return created


def _email_after_commit(ids: list[int]) -> None:
    for start in range(0, len(ids), EMAIL_TASK_SIZE):
        transaction.on_commit(partial(_enqueue_emails, ids[start : start + EMAIL_TASK_SIZE]))


def _enqueue_emails(ids: list[int]) -> None:
    from .tasks import send_notification_emails  # the tasks module imports this one

    try:
        send_notification_emails.delay(ids)
    except Exception:
        # The notices are committed and shown under the bell; a broker outage must not turn the request or
        # job that created them into an error. The 5-minute sweep sends these e-mails instead.
        logger.exception("could not queue e-mails for notifications %s; the sweep will send them", ids)


# --- E-mail -------------------------------------------------------------------------------------------


def absolute_url(link: str) -> str:
    if not link or link.startswith(("https://", "http://")):
        return link
    return f"{settings.FLOWPARTY_SITE_URL}/{link.lstrip('/')}"


def _email_message(notification: Notification, connection) -> mail.EmailMessage:
    # E-mails have no request and no reader's language choice: the measures' language, Chinese.
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Mobile party members] %(title)s") % {"title": notification.title}
        body = render_to_string(
            "members/email/notification.txt",
            {
                "notification": notification,
                "recipient": notification.recipient,
                "url": absolute_url(notification.link),
            },
        )
    return mail.EmailMessage(
        subject=subject,
        body=body,
        to=[notification.recipient.email],
        connection=connection,
        # RFC 3834: out-of-office robots must not answer.
        headers={"Auto-Submitted": "auto-generated"},
    )


def send_notification_emails(*, ids: Iterable[int]) -> int:
    """E-mail these notifications, each at most once; returns how many were sent.

    Each row is claimed with a conditional update before it is sent, so a task delivered twice, two workers
    or the sweep running at the same time send it once. People without an address or whose account is
    deactivated are skipped (the notice stays under their bell). A failed send gives the claim back for
    the sweep to try again.
    """
    candidates = (
        Notification.objects.filter(pk__in=list(ids), emailed_at=None)
        .exclude(recipient__email="")
        .filter(recipient__is_active=True)
        .select_related("recipient")
        .order_by("pk")
    )
    sent = 0
    connection = mail.get_connection()  # one SMTP session for the batch, opened by the first send
    try:
        for notification in candidates:
            claimed_at = timezone.now()
            unsent = Notification.objects.filter(pk=notification.pk, emailed_at=None)
            if not unsent.update(emailed_at=claimed_at):
                continue  # another task or the sweep has claimed it
            try:
                _email_message(notification, connection).send()
            except Exception:
                ours = Notification.objects.filter(pk=notification.pk, emailed_at=claimed_at)
                ours.update(emailed_at=None)
                logger.exception("e-mail for notification %s failed; the sweep retries", notification.pk)
                continue
            sent += 1
    finally:
        connection.close()
    return sent


def send_pending_notification_emails(*, limit: int = PENDING_EMAIL_BATCH) -> int:
    """The sweep: e-mail recent notifications that were not e-mailed (their task was lost)."""
    since = timezone.now() - PENDING_EMAIL_MAX_AGE
    ids = list(
        Notification.objects.filter(emailed_at=None, created_at__gte=since, recipient__is_active=True)
        .exclude(recipient__email="")
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return send_notification_emails(ids=ids) if ids else 0


# --- Reading them -------------------------------------------------------------------------------------
# Reading a notice is not an audited event (nothing about a member changes), so no audit entry is written.


def notification_mark_read(*, notification: Notification, actor) -> bool:
    """Mark one of the actor's own notifications read; False when it already was. Idempotent."""
    now = timezone.now()
    changed = (
        permissions.notifications_for(actor).filter(pk=notification.pk, read_at=None).update(read_at=now)
    )
    if changed:
        notification.read_at = now
    return bool(changed)


def notification_mark_all_read(*, actor) -> int:
    """Mark all of the actor's notifications read; returns how many were unread."""
    return permissions.notifications_for(actor).filter(read_at=None).update(read_at=timezone.now())
