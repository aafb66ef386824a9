"""Audit entries for writes made in bulk.

`bulk_create` and `bulk_update` send no signals, so auditlog writes nothing for them. Services that write in bulk
(imports) call `log_bulk` in the same transaction: the entries are the ones auditlog would have written for the
same saves (its own diff, its masking of ID-card numbers, the actor and correlation id), inserted in one statement
per thousand rows instead of one per row.
"""

from collections.abc import Iterable

from auditlog.cid import get_cid
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils import timezone
from django.utils.encoding import smart_str


def _entry(
    *, actor, old: Model | None, new: Model, action: int, content_types: dict, cid, now
) -> LogEntry | None:
    changes = model_instance_diff(old, new)
    if not changes:
        return None
    model = type(new)
    if model not in content_types:
        content_types[model] = ContentType.objects.get_for_model(model)
    return LogEntry(
        content_type=content_types[model],
        object_pk=str(new.pk),
        object_id=new.pk if isinstance(new.pk, int) else None,
        object_repr=smart_str(new),
        action=action,
        changes=changes,
        actor=actor,
        actor_email=getattr(actor, "email", None) or None,
        cid=cid,
        timestamp=now,
    )


def log_bulk(*, actor, created: Iterable[Model] = (), updated: Iterable[tuple[Model, Model]] = ()) -> int:
    """Write the audit entries for objects just created and for (before, after) pairs just updated."""
    content_types: dict = {}
    cid = get_cid()
    now = timezone.now()
    entries = []
    for obj in created:
        if auditlog.contains(type(obj)):
            entry = _entry(
                actor=actor,
                old=None,
                new=obj,
                action=LogEntry.Action.CREATE,
                content_types=content_types,
                cid=cid,
                now=now,
            )
            if entry:
                entries.append(entry)
    for before, after in updated:
        if auditlog.contains(type(after)):
            entry = _entry(
                actor=actor,
                old=before,
                new=after,
                action=LogEntry.Action.UPDATE,
                content_types=content_types,
                cid=cid,
                now=now,
            )
            if entry:
                entries.append(entry)
    LogEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)
